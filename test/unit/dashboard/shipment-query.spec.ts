import fc from 'fast-check';
import {
  apiQuery,
  COURIERS,
  filtersFromSearch,
  canFixAddress,
  offeredActions,
  searchFromFilters,
  SHIPMENT_STATUSES,
  type ShipmentFilters,
} from 'src/dashboard/pages/shipment-query';
import { ACTION_ALLOWED_IN, actionRefusal } from 'src/tracking/shipment-action-rules';
import { SHIPMENT_STATUSES as SERVER_STATUSES } from 'src/shipments/shipment-status';

const day = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const filters: fc.Arbitrary<ShipmentFilters> = fc.record({
  status: fc.option(fc.constantFrom(...SHIPMENT_STATUSES), { nil: undefined }),
  atRisk: fc.boolean(),
  courier: fc.option(fc.constantFrom(...COURIERS), { nil: undefined }),
  from: fc.option(day, { nil: undefined }),
  to: fc.option(day, { nil: undefined }),
  q: fc.option(
    fc.string({ minLength: 1 }).filter((s) => s.trim() === s && s.length > 0),
    { nil: undefined },
  ),
});

describe('the shipment list keeps its filters in the URL', () => {
  it('reads back exactly the filters it wrote', () => {
    fc.assert(
      fc.property(filters, (f) => {
        expect(filtersFromSearch(searchFromFilters(f))).toEqual(f);
      }),
    );
  });

  it('leaves out what a hand-edited link gets wrong', () => {
    const f = filtersFromSearch(
      new URLSearchParams('status=flying&courier=dhl&risk=yes&from=2026-02-30&to=yesterday&q=%20%20'),
    );
    expect(f).toEqual({ atRisk: false });
  });

  it('knows every status the API has', () => {
    expect([...SHIPMENT_STATUSES].sort()).toEqual([...SERVER_STATUSES].sort());
  });

  it('asks the API for whole Jakarta days, the last one included', () => {
    expect(apiQuery({ atRisk: true, from: '2026-01-31', to: '2026-02-28', q: 'ORD-1' }, 'abc')).toEqual({
      limit: 50,
      cursor: 'abc',
      q: 'ORD-1',
      risk: 'at_risk',
      from: '2026-01-31T00:00:00+07:00',
      to: '2026-03-01T00:00:00+07:00',
    });
    expect(apiQuery({ atRisk: false, to: '2028-12-31' })).toEqual({
      limit: 50,
      to: '2029-01-01T00:00:00+07:00',
    });
  });
});

describe('the detail offers the actions the API allows', () => {
  it('offers an action only in a status where the API takes it', () => {
    for (const status of SHIPMENT_STATUSES)
      for (const action of offeredActions(status))
        expect(ACTION_ALLOWED_IN[action] as readonly string[]).toContain(status);
    for (const status of SHIPMENT_STATUSES)
      for (const action of offeredActions(status, { held: true }))
        expect(actionRefusal(action, status, true)).toBeNull();
  });

  it('offers a re-attempt after a failed attempt, return and hold while the courier has it', () => {
    expect(offeredActions('delivery_failed')).toEqual(['reattempt', 'return', 'hold']);
    expect(offeredActions('in_transit')).toEqual(['return', 'hold']);
    expect(offeredActions('delivered')).toEqual([]);
    expect(offeredActions('booked')).toEqual([]);
  });

  it('offers a held parcel its release (a re-attempt) wherever the courier carries it, and no second hold', () => {
    const held = { held: true };
    expect(offeredActions('in_transit', held)).toEqual(['reattempt', 'return']);
    expect(offeredActions('out_for_delivery', held)).toEqual(['reattempt', 'return']);
    expect(offeredActions('delivery_failed', held)).toEqual(['reattempt', 'return']);
    expect(offeredActions('delivered', held)).toEqual([]);
    expect(offeredActions('returning', held)).toEqual([]);
  });

  it('offers no second re-attempt for the failed attempt one already answers (409), but a held parcel its release', () => {
    const asked = { reattemptAsked: true };
    expect(offeredActions('delivery_failed', asked)).toEqual(['return', 'hold']);
    expect(offeredActions('delivery_failed', { ...asked, held: true })).toEqual(['reattempt', 'return']);
    expect(offeredActions('in_transit', asked)).toEqual(['return', 'hold']);
  });

  it('offers nothing once a return was asked (the API refuses a hold, re-attempt or correction, and repeats no return)', () => {
    for (const status of SHIPMENT_STATUSES) {
      expect(offeredActions(status, { returnAsked: true })).toEqual([]);
      expect(offeredActions(status, { held: true, returnAsked: true, reattemptAsked: true })).toEqual([]);
      expect(canFixAddress(status, true)).toBe(false);
    }
    expect(canFixAddress('in_transit')).toBe(true);
  });

  it('offers the return again, and only it, while the courier has the parcel and never answered the return', () => {
    const unconfirmed = { returnAsked: true, returnUnconfirmed: true };
    for (const status of SHIPMENT_STATUSES) {
      const offered = offeredActions(status, unconfirmed);
      expect(offered).toEqual(ACTION_ALLOWED_IN.return.includes(status) ? ['return'] : []);
      expect(offeredActions(status, { ...unconfirmed, held: true, reattemptAsked: true })).toEqual(offered);
    }
    expect(offeredActions('in_transit', unconfirmed)).toEqual(['return']);
    expect(offeredActions('returning', unconfirmed)).toEqual([]);
  });
});
