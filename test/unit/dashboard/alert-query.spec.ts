import fc from 'fast-check';
import { alertActions, RULES } from 'src/dashboard/pages/alert-query';
import { ACTION_ALLOWED_IN } from 'src/tracking/shipment-action-rules';

const SUGGESTIONS = ['contact', 'reattempt', 'return', 'update_address', 'hold', 'wait', 'rebook'] as const;

const alert = fc.record({
  rule: fc.constantFrom(...RULES),
  suggestedAction: fc.constantFrom(...SUGGESTIONS),
  resolvedAt: fc.option(fc.constant('2026-12-01T00:00:00.000Z'), { nil: null }),
});

describe('the actions offered by an alert', () => {
  it('offers nothing on a resolved alert, each action once, and the suggested one first when it is an action', () => {
    fc.assert(
      fc.property(alert, (a) => {
        const offered = alertActions(a);
        if (a.resolvedAt) expect(offered).toEqual([]);
        expect(new Set(offered).size).toBe(offered.length);
        for (const action of offered) expect(Object.keys(ACTION_ALLOWED_IN)).toContain(action);
        if (!a.resolvedAt && ['reattempt', 'return', 'hold'].includes(a.suggestedAction))
          expect(offered[0]).toBe(a.suggestedAction);
      }),
    );
  });

  it('offers a re-attempt and a return after a failed attempt, which the API takes in delivery_failed', () => {
    const offered = alertActions({ rule: 'failed_attempt', suggestedAction: 'contact', resolvedAt: null });
    expect(offered).toEqual(['reattempt', 'return']);
    for (const action of offered) expect(ACTION_ALLOWED_IN[action]).toContain('delivery_failed');
  });

  it('offers no courier action where none helps (a return already started, a pickup not made)', () => {
    for (const rule of ['return_started', 'pickup_not_made', 'risky_recipient'] as const)
      expect(alertActions({ rule, suggestedAction: 'contact', resolvedAt: null })).toEqual([]);
  });
});
