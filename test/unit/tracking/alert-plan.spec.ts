import { planAlerts, type AlertContent } from 'src/tracking/alert-plan';

const content = (over: Partial<AlertContent> & Pick<AlertContent, 'rule'>): AlertContent => ({
  ruleVersion: 1,
  severity: 'medium',
  reason: 'consignee_absent',
  message: 'm',
  messageIndonesian: 'p',
  suggestedAction: 'contact',
  whatsappUrl: 'https://wa.me/62812?text=a',
  ...over,
});

describe('planning alert changes', () => {
  it('opens new rules, updates changed ones, leaves same ones, resolves the rules no longer found', () => {
    const open = [
      { id: 'a', ...content({ rule: 'failed_attempt' }) },
      { id: 'b', ...content({ rule: 'stale_no_scan', reason: 'stale_no_scan' }) },
      { id: 'c', ...content({ rule: 'late_vs_lane', reason: 'late_vs_sla' }) },
    ];
    const plan = planAlerts(open, [
      content({ rule: 'failed_attempt', severity: 'high', message: 'm2' }),
      content({ rule: 'late_vs_lane', reason: 'late_vs_sla' }),
      content({ rule: 'return_started', reason: 'rts_initiated' }),
    ]);
    expect(plan.open.map((w) => w.rule)).toEqual(['return_started']);
    expect(plan.update.map((u) => [u.alert.id, u.wanted.severity, u.severityRose])).toEqual([
      ['a', 'high', true],
    ]);
    expect(plan.resolve.map((a) => a.id)).toEqual(['b']);
  });

  it.each<[keyof AlertContent, unknown]>([
    ['ruleVersion', 2],
    ['reason', 'consignee_unreachable'],
    ['message', 'other'],
    ['suggestedAction', 'wait'],
    ['whatsappUrl', null],
  ])('a changed %s is an update without a severity rise', (field, value) => {
    const plan = planAlerts(
      [{ id: 'a', ...content({ rule: 'failed_attempt' }) }],
      [content({ rule: 'failed_attempt', [field]: value })],
    );
    expect(plan.update.map((u) => u.severityRose)).toEqual([false]);
    expect(plan.open).toEqual([]);
  });

  it('Indonesian wording alone (an alert kept before it was, or words changed) is reworded, not updated', () => {
    const old = { id: 'a', ...content({ rule: 'failed_attempt', messageIndonesian: null }) };
    const filled = planAlerts([old], [content({ rule: 'failed_attempt' })]);
    expect([filled.update, filled.reword.map((r) => [r.alert.id, r.wanted.messageIndonesian])]).toEqual([
      [],
      [['a', 'p']],
    ]);
    const reworded = planAlerts([{ ...old, messageIndonesian: 'q' }], [content({ rule: 'failed_attempt' })]);
    expect([reworded.update, reworded.reword.length]).toEqual([[], 1]);
    // With another change it is an update, carrying the new wording; nothing changed, nothing to do.
    const changed = planAlerts([old], [content({ rule: 'failed_attempt', message: 'm2' })]);
    expect([changed.update.map((u) => u.wanted.messageIndonesian), changed.reword]).toEqual([['p'], []]);
    const same = planAlerts([{ ...old, messageIndonesian: 'p' }], [content({ rule: 'failed_attempt' })]);
    expect([same.update, same.reword]).toEqual([[], []]);
  });

  it('a severity drop is an update that keeps the acknowledgement', () => {
    const plan = planAlerts(
      [{ id: 'a', ...content({ rule: 'failed_attempt', severity: 'critical' }) }],
      [content({ rule: 'failed_attempt', severity: 'high' })],
    );
    expect(plan.update.map((u) => u.severityRose)).toEqual([false]);
  });

  it('two findings of one rule collapse to the more severe', () => {
    const plan = planAlerts(
      [],
      [
        content({ rule: 'failed_attempt', severity: 'medium' }),
        content({ rule: 'failed_attempt', severity: 'high' }),
      ],
    );
    expect(plan.open.map((w) => w.severity)).toEqual(['high']);
  });

  it('nothing found: every open alert resolves', () => {
    const plan = planAlerts([{ id: 'a', ...content({ rule: 'failed_attempt' }) }], []);
    expect(plan).toEqual({
      open: [],
      update: [],
      resolve: [expect.objectContaining({ id: 'a' })],
      reword: [],
    });
  });

  it('only some rules asked: open alerts of the others stay, those asked and not found resolve', () => {
    const open = [
      { id: 'a', ...content({ rule: 'pickup_not_made', reason: 'pickup_failed' }) },
      { id: 'b', ...content({ rule: 'rebooked_parcel_scanned', reason: 'rebooked_parcel_scanned' }) },
    ];
    const asked = ['rebooked_parcel_scanned'] as const;
    expect(planAlerts(open, [], asked).resolve.map((a) => a.id)).toEqual(['b']);
    const found = planAlerts(
      open,
      [content({ rule: 'rebooked_parcel_scanned', reason: 'rebooked_parcel_scanned', message: 'm2' })],
      asked,
    );
    expect([found.open, found.update.map((u) => u.alert.id), found.resolve]).toEqual([[], ['b'], []]);
  });
});
