import fc from 'fast-check';
import { canTransition, SHIPMENT_STATUSES, TERMINAL } from 'src/shipments/shipment-status';

/** The physical order of a parcel's life; alternation and re-booking are the only ways back. */
const ORDER: Record<string, number> = {
  ready: 0,
  booking: 1,
  booking_failed: 1.5,
  booked: 2,
  picked_up: 3,
  in_transit: 4,
  out_for_delivery: 5,
  delivery_failed: 5.5,
  returning: 6,
  delivered: 7,
  returned: 7,
  cancelled: 7,
  lost: 7,
};
const EXCEPTIONS = new Set([
  'delivery_failed>out_for_delivery',
  'booked>booking',
  // A pinned courier missed or cancelled the pickup: no other courier may be booked.
  'booked>booking_failed',
  'booking_failed>booking',
  // A lost parcel found again.
  'lost>delivered',
  'lost>returning',
  'lost>returned',
]);

describe('shipment transitions', () => {
  it('never move a shipment back, except a new delivery run after a failed attempt, re-booking, and a lost parcel found', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SHIPMENT_STATUSES),
        fc.constantFrom(...SHIPMENT_STATUSES),
        (from, to) => {
          if (!canTransition(from, to)) return true;
          return (
            ORDER[to] > ORDER[from] ||
            EXCEPTIONS.has(`${from}>${to}`) ||
            (from === 'delivery_failed' && to === 'delivery_failed')
          );
        },
      ),
    );
  });

  it('end at the terminal statuses (a lost parcel found ends delivered or returned), and every status is reachable from ready', () => {
    for (const t of TERMINAL)
      for (const s of SHIPMENT_STATUSES)
        expect([t, s, canTransition(t, s)]).toEqual([t, s, t === 'lost' && EXCEPTIONS.has(`lost>${s}`)]);
    const reached = new Set(['ready']);
    for (let changed = true; changed;) {
      changed = false;
      for (const from of [...reached])
        for (const to of SHIPMENT_STATUSES)
          if (canTransition(from as never, to) && !reached.has(to)) changed = reached.add(to) && true;
    }
    expect([...reached].sort()).toEqual([...SHIPMENT_STATUSES].sort());
  });

  it('allows the moves couriers make in practice', () => {
    expect(canTransition('delivery_failed', 'out_for_delivery')).toBe(true);
    expect(canTransition('out_for_delivery', 'in_transit')).toBe(false);
    expect(canTransition('delivered', 'returning')).toBe(false);
    // A return called off: the courier delivers the parcel to the buyer after all.
    expect(canTransition('returning', 'delivered')).toBe(true);
    expect(canTransition('booked', 'booking')).toBe(true);
    expect(canTransition('booked', 'booking_failed')).toBe(true);
    expect(canTransition('picked_up', 'cancelled')).toBe(false);
  });
});
