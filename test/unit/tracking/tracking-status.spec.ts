import fc from 'fast-check';
import type { CourierReason, CourierStatus } from 'src/couriers/courier-adapter';
import { canTransition, ShipmentStatus } from 'src/shipments/shipment-status';
import {
  deliveryAttempts,
  journey,
  type JourneyReading,
  movesFrom,
  PlannedMove,
  returnReason,
  shipmentStatusOf,
  StoredEvent,
} from 'src/tracking/tracking-status';

let next = 0;
const HOUR = 3600_000;
const ev = (hour: number, status: CourierStatus | null, extra: Partial<StoredEvent> = {}): StoredEvent => ({
  id: `00000000-0000-4000-8000-${String(next++).padStart(12, '0')}`,
  status,
  reason: null,
  rawCode: `${status ?? 'NOTE'}-${hour}`,
  rawText: String(status),
  occurredAt: new Date(Date.UTC(2026, 10, 1) + hour * HOUR),
  location: null,
  isReturnLeg: false,
  codCollected: null,
  ...extra,
});

/** Applies the moves the events call for, one batch of arrivals at a time, as the tracker does. */
function applyInBatches(
  batches: StoredEvent[][],
  reading?: JourneyReading,
): { status: ShipmentStatus; moves: ShipmentStatus[] } {
  let status: ShipmentStatus = 'booked';
  let cause: string | null = null;
  const seen: StoredEvent[] = [];
  const moves: ShipmentStatus[] = [];
  for (const batch of batches) {
    seen.push(...batch);
    const planned: PlannedMove[] = movesFrom(status, cause, seen, reading);
    for (const m of planned) {
      expect(canTransition(status, m.to)).toBe(true);
      status = m.to;
      cause = m.event.id;
      moves.push(m.to);
    }
  }
  return { status, moves };
}

const delivered = () => [
  ev(1, 'pickup_requested'),
  ev(2, 'picked_up'),
  ev(5, 'in_transit'),
  ev(20, 'in_transit'),
  ev(30, 'out_for_delivery'),
  ev(33, 'delivery_failed', { reason: 'consignee_absent' as CourierReason }),
  ev(54, 'out_for_delivery'),
  ev(57, 'delivered', { codCollected: true }),
];

describe('shipment status from courier events', () => {
  it('maps courier statuses to shipment statuses (README §3)', () => {
    expect(shipmentStatusOf({ status: 'created', reason: null, isReturnLeg: false })).toBeNull();
    expect(shipmentStatusOf({ status: 'pickup_requested', reason: null, isReturnLeg: false })).toBeNull();
    expect(shipmentStatusOf({ status: 'returning_to_sender', reason: null, isReturnLeg: true })).toBe(
      'returning',
    );
    expect(shipmentStatusOf({ status: 'delivered', reason: null, isReturnLeg: true })).toBe('returned');
    expect(shipmentStatusOf({ status: 'exception', reason: 'lost', isReturnLeg: false })).toBe('lost');
    expect(shipmentStatusOf({ status: 'exception', reason: 'held_at_hub', isReturnLeg: false })).toBeNull();
    expect(shipmentStatusOf({ status: 'cancelled', reason: null, isReturnLeg: false })).toBeNull();
    expect(shipmentStatusOf({ status: null, reason: null, isReturnLeg: false })).toBeNull();
  });

  it('follows a failed attempt and a re-attempt to delivery, counting runs and failures', () => {
    const events = delivered();
    expect(journey(events).map((m) => m.to)).toEqual([
      'picked_up',
      'in_transit',
      'out_for_delivery',
      'delivery_failed',
      'out_for_delivery',
      'delivered',
    ]);
    expect(deliveryAttempts(events)).toEqual({ attempts: 2, failed: 1 });
  });

  it('counts a failure at the door at another time as another attempt, with no dispatch scan between', () => {
    const consignee = (hour: number, reason: string) =>
      ev(hour, 'delivery_failed', { reason: reason as CourierReason });
    const events = [
      ev(1, 'picked_up'),
      ev(2, 'out_for_delivery'),
      consignee(3, 'consignee_absent'),
      // The same failure in a second scan at the same time, and the parcel held at the hub after it: no attempt.
      consignee(3, 'consignee_unreachable'),
      // A second scan of that visit 40 minutes later, with another reason: still the one attempt.
      consignee(3 + 2 / 3, 'consignee_refused'),
      consignee(5, 'held_at_hub'),
      // The next day's attempt, which the courier did not announce with an out-for-delivery scan.
      consignee(27, 'consignee_refused'),
    ];
    expect(journey(events).map((m) => m.to)).toEqual(['picked_up', 'out_for_delivery', 'delivery_failed']);
    expect(deliveryAttempts(events)).toEqual({ attempts: 2, failed: 2 });
    // Whatever order they arrived in.
    expect(deliveryAttempts([...events].reverse())).toEqual({ attempts: 2, failed: 2 });
  });

  it('counts a failure an hour after its visit’s first as the next visit', () => {
    const failure = (hour: number) =>
      ev(hour, 'delivery_failed', { reason: 'consignee_absent' as CourierReason });
    const base = [ev(1, 'picked_up'), ev(2, 'out_for_delivery'), failure(3)];
    expect(deliveryAttempts([...base, failure(3.99)])).toEqual({ attempts: 1, failed: 1 });
    expect(deliveryAttempts([...base, failure(3.5), failure(4)])).toEqual({ attempts: 2, failed: 2 });
  });

  it('never moves back on a late event: a failure reported after the delivery changes nothing', () => {
    const events = delivered();
    const late = events.splice(5, 1);
    const { status } = applyInBatches([events, late]);
    expect(status).toBe('delivered');
  });

  it('ignores a forward-leg delivery after the return started, from a courier whose lines need their context', () => {
    const events = [
      ev(1, 'picked_up'),
      ev(2, 'out_for_delivery'),
      ev(3, 'delivery_failed', { reason: 'consignee_refused' as CourierReason }),
      ev(4, 'returning_to_sender', { isReturnLeg: true }),
      ev(5, 'delivered'),
      ev(9, 'returned', { isReturnLeg: true }),
    ];
    expect(journey(events).map((m) => m.to)).toEqual([
      'picked_up',
      'out_for_delivery',
      'delivery_failed',
      'returning',
      'returned',
    ]);
    expect(applyInBatches([events.slice(0, 5)]).status).toBe('returning');
  });

  it('ends a return in the forward-leg delivery of a courier whose every line says its leg; a return-leg end after it moves nothing', () => {
    const legs: JourneyReading = { deliveryEndsReturn: true };
    const events = [
      ev(1, 'picked_up'),
      ev(2, 'out_for_delivery'),
      ev(3, 'delivery_failed', { reason: 'consignee_refused' as CourierReason }),
      ev(4, 'returning_to_sender', { isReturnLeg: true }),
      ev(5, 'out_for_delivery'),
      ev(6, 'delivered'),
    ];
    const moves = ['picked_up', 'out_for_delivery', 'delivery_failed', 'returning', 'delivered'];
    expect(journey(events, legs).map((m) => m.to)).toEqual(moves);
    expect(applyInBatches([events.slice(0, 4), events.slice(4)], legs)).toEqual({
      status: 'delivered',
      moves,
    });
    expect(deliveryAttempts(events, legs)).toEqual({ attempts: 2, failed: 1 });
    // The parcel back at the seller after all: a delivery taken back (the delivery_contradicted rule's), not a
    // second end, whatever batches the lines come in.
    const back = [...events, ev(9, 'returned', { isReturnLeg: true })];
    expect(journey(back, legs).map((m) => m.to)).toEqual(moves);
    expect(applyInBatches([back.slice(0, 6), back.slice(6)], legs).status).toBe('delivered');
  });

  it('ends a lost parcel found again where the courier says, once; scans in between move nothing', () => {
    const events = [
      ev(1, 'picked_up'),
      ev(5, 'in_transit'),
      ev(20, 'exception', { reason: 'lost' as CourierReason }),
      ev(40, 'in_transit'),
      ev(44, 'out_for_delivery'),
      ev(47, 'delivered', { codCollected: true }),
    ];
    expect(journey(events).map((m) => m.to)).toEqual(['picked_up', 'in_transit', 'lost', 'delivered']);
    expect(applyInBatches([events.slice(0, 3), events.slice(3)])).toEqual({
      status: 'delivered',
      moves: ['picked_up', 'in_transit', 'lost', 'delivered'],
    });
    const returned = [
      ...events.slice(0, 3),
      ev(40, 'returning_to_sender', { isReturnLeg: true }),
      ev(60, 'returned', { isReturnLeg: true }),
    ];
    expect(applyInBatches([returned.slice(0, 3), returned.slice(3)]).moves).toEqual([
      'picked_up',
      'in_transit',
      'lost',
      'returning',
      'returned',
    ]);
  });

  it('reaches the same status whatever order and batches the events arrive in (property)', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(delivered(), { minLength: 8, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 8 }),
        (shuffled, cuts) => {
          const batches: StoredEvent[][] = [];
          let i = 0;
          for (const size of cuts) {
            if (i >= shuffled.length) break;
            batches.push(shuffled.slice(i, i + size));
            i += size;
          }
          if (i < shuffled.length) batches.push(shuffled.slice(i));
          expect(applyInBatches(batches).status).toBe('delivered');
        },
      ),
    );
  });

  it('applies each event at most once across arrivals: in order, every move of the journey exactly once', () => {
    const events = delivered();
    const { moves } = applyInBatches(events.map((e) => [e]));
    expect(moves).toEqual(journey(events).map((m) => m.to));
  });

  it('never takes a step twice when an event dated before the one that moved the shipment arrives later', () => {
    // Picked up, out, failed, out again (the shipment moved there by ofd@5); then a return scan dated @4
    // arrives, which bends the journey away from ofd@5.
    const [pu, ofd, failed, , again] = [
      ev(1, 'picked_up'),
      ev(2, 'out_for_delivery'),
      ev(3, 'delivery_failed', { reason: 'consignee_absent' as CourierReason }),
      null,
      ev(5, 'out_for_delivery'),
    ];
    const late = ev(4, 'returning_to_sender');
    const { moves } = applyInBatches([[pu, ofd, failed], [again], [late]]);
    expect(moves).toEqual(['picked_up', 'out_for_delivery', 'delivery_failed', 'out_for_delivery']);
    expect(movesFrom('out_for_delivery', again.id, [pu, ofd, failed, again, late])).toEqual([]);
    // Later news still moves it on.
    const back = ev(9, 'returned', { isReturnLeg: true });
    expect(
      movesFrom('out_for_delivery', again.id, [pu, ofd, failed, again, late, back]).map((m) => m.to),
    ).toEqual(['returned']);
  });

  it('goes straight to where the events lead when something else moved the shipment (the pickup watch)', () => {
    const events = [ev(1, 'picked_up'), ev(2, 'in_transit')];
    expect(movesFrom('picked_up', null, events).map((m) => m.to)).toEqual(['in_transit']);
    expect(movesFrom('delivered', null, events)).toEqual([]);
  });
});

describe('returnReason: why a returned parcel came back', () => {
  const failed = (hour: number, reason: CourierReason) => ev(hour, 'delivery_failed', { reason });
  const back = (hour: number, status: CourierStatus, reason: CourierReason | null = null) =>
    ev(hour, status, { reason, isReturnLeg: true });

  it('is the last failure at the door before the end, over the return’s own reasons and the hub’s', () => {
    const end = back(9, 'returned');
    const events = [
      ev(1, 'picked_up'),
      failed(3, 'consignee_absent'),
      failed(5, 'consignee_refused'),
      failed(6, 'held_at_hub'),
      back(7, 'returning_to_sender', 'rts_initiated'),
      end,
      // After the end: not why it came back.
      failed(10, 'address_problem'),
    ];
    expect(returnReason(events, end)).toBe('consignee_refused');
    expect(returnReason([...events].reverse(), end)).toBe('consignee_refused');
  });

  it('is the last reason given when no attempt failed at the door, and null when none was', () => {
    const end = back(9, 'returned');
    expect(returnReason([ev(1, 'picked_up'), back(7, 'returning_to_sender', 'max_attempts'), end], end)).toBe(
      'max_attempts',
    );
    expect(returnReason([ev(1, 'picked_up'), back(7, 'returning_to_sender'), end], end)).toBeNull();
  });
});
