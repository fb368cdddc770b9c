import fc from 'fast-check';
import {
  alertActions,
  alertFiltersFromSearch,
  RULES,
  searchFromAlertFilters,
  SEVERITIES,
} from 'src/dashboard/pages/alert-query';
import { offeredActions } from 'src/dashboard/pages/shipment-query';
import { SHIPMENT_STATUSES } from 'src/shipments/shipment-status';
import { ACTION_ALLOWED_IN } from 'src/tracking/shipment-action-rules';

const SUGGESTIONS = ['contact', 'reattempt', 'return', 'update_address', 'hold', 'wait', 'rebook'] as const;

const alert = fc.record({
  rule: fc.constantFrom(...RULES),
  suggestedAction: fc.constantFrom(...SUGGESTIONS),
  resolvedAt: fc.option(fc.constant('2026-12-01T00:00:00.000Z'), { nil: null }),
  shipment: fc
    .record({
      status: fc.constantFrom(...SHIPMENT_STATUSES),
      heldBy: fc.option(fc.uuid(), { nil: null }),
      returnAskedAt: fc.option(fc.constant('2026-12-01T00:00:00.000Z'), { nil: null }),
      returnUnconfirmed: fc.option(fc.uuid(), { nil: null }),
      reattemptAskedAt: fc.option(fc.constant('2026-12-01T01:00:00.000Z'), { nil: null }),
    })
    // An unconfirmed return is one of the returns asked: never without one.
    .map((s) => (s.returnAskedAt ? s : { ...s, returnUnconfirmed: null })),
});
const inTransit = {
  status: 'in_transit',
  heldBy: null,
  returnAskedAt: null,
  returnUnconfirmed: null,
  reattemptAskedAt: null,
} as const;
const failed = { ...inTransit, status: 'delivery_failed' } as const;

describe('the actions offered by an alert', () => {
  it('offers nothing on a resolved alert, each action once, and the suggested one first when it is an action', () => {
    fc.assert(
      fc.property(alert, (a) => {
        const offered = alertActions(a);
        if (a.resolvedAt) expect(offered).toEqual([]);
        expect(new Set(offered).size).toBe(offered.length);
        for (const action of offered) expect(Object.keys(ACTION_ALLOWED_IN)).toContain(action);
        const { status, heldBy, returnAskedAt, returnUnconfirmed, reattemptAskedAt } = a.shipment;
        // Only what the shipment's page offers for where the parcel stands.
        const page = offeredActions(status, {
          held: heldBy !== null,
          returnAsked: returnAskedAt !== null,
          returnUnconfirmed: returnUnconfirmed !== null,
          reattemptAsked: reattemptAskedAt !== null,
        });
        for (const action of offered) expect(page).toContain(action);
        if (returnAskedAt) expect(offered.filter((x) => x !== 'return')).toEqual([]);
        if (returnAskedAt && !returnUnconfirmed) expect(offered).toEqual([]);
        if (!a.resolvedAt && heldBy && page.includes('reattempt')) expect(offered[0]).toBe('reattempt');
        else if (!a.resolvedAt && page.includes(a.suggestedAction as never))
          expect(offered[0]).toBe(a.suggestedAction);
      }),
    );
  });

  it('offers a re-attempt and a return after a failed attempt, which the API takes in delivery_failed', () => {
    const offered = alertActions({
      rule: 'failed_attempt',
      suggestedAction: 'contact',
      resolvedAt: null,
      shipment: failed,
    });
    expect(offered).toEqual(['reattempt', 'return']);
    for (const action of offered) expect(ACTION_ALLOWED_IN[action]).toContain('delivery_failed');
    // Once that attempt's re-attempt was asked, another is a repeat (409): only the return is left.
    expect(
      alertActions({
        rule: 'failed_attempt',
        suggestedAction: 'reattempt',
        resolvedAt: null,
        shipment: { ...failed, reattemptAskedAt: '2026-12-01T01:00:00.000Z' },
      }),
    ).toEqual(['return']);
  });

  it('offers a held parcel its release first, and no second hold; nothing once a return was asked', () => {
    const held = { ...inTransit, heldBy: '00000000-0000-4000-8000-000000000001' };
    expect(
      alertActions({ rule: 'stale_no_scan', suggestedAction: 'hold', resolvedAt: null, shipment: held }),
    ).toEqual(['reattempt', 'return']);
    const asked = { ...failed, returnAskedAt: '2026-12-01T00:00:00.000Z' };
    expect(
      alertActions({
        rule: 'failed_attempt',
        suggestedAction: 'reattempt',
        resolvedAt: null,
        shipment: asked,
      }),
    ).toEqual([]);
    // But the return again when its courier never answered it.
    expect(
      alertActions({
        rule: 'failed_attempt',
        suggestedAction: 'reattempt',
        resolvedAt: null,
        shipment: { ...asked, returnUnconfirmed: '00000000-0000-4000-8000-000000000002' },
      }),
    ).toEqual(['return']);
  });

  it('offers no courier action where none helps (a return already started, a pickup not made)', () => {
    for (const rule of ['return_started', 'pickup_not_made', 'risky_recipient'] as const)
      expect(
        alertActions({ rule, suggestedAction: 'contact', resolvedAt: null, shipment: inTransit }),
      ).toEqual([]);
  });
});

describe('the Peringatan filters in the URL', () => {
  it('read back what they wrote, and ignore what is no filter', () => {
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom(...RULES), { nil: undefined }),
        fc.option(fc.constantFrom(...SEVERITIES), { nil: undefined }),
        fc.boolean(),
        (rule, severity, resolved) => {
          const f = { rule, severity, resolved };
          expect(alertFiltersFromSearch(searchFromAlertFilters(f))).toEqual(f);
        },
      ),
      { seed: 20261207 },
    );
    expect(alertFiltersFromSearch(new URLSearchParams('rule=nope&severity=HIGH&resolved=true'))).toEqual({
      rule: undefined,
      severity: undefined,
      resolved: false,
    });
    expect(searchFromAlertFilters({ resolved: false }).toString()).toBe('');
  });
});
