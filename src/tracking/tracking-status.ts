import type { CourierCode, CourierReason, CourierStatus } from 'src/couriers/courier-adapter';
import { RETURN_LEG_IN_EVERY_LINE } from 'src/couriers/return-leg';
import { canTransition, type ShipmentStatus } from 'src/shipments/shipment-status';

/** A courier event as stored in the inbox. */
export interface StoredEvent {
  id: string;
  status: CourierStatus | null;
  reason: CourierReason | null;
  rawCode: string;
  rawText: string;
  occurredAt: Date;
  location: string | null;
  isReturnLeg: boolean;
  /** The courier's own word on the COD cash; null when its tracking says nothing about it. */
  codCollected: boolean | null;
  /** When Kirim stored it (absent where only the courier's history is at hand). */
  receivedAt?: Date;
}

/** A status move the events call for, with the event that causes it. */
export interface PlannedMove {
  to: ShipmentStatus;
  event: StoredEvent;
}

/**
 * The shipment status a courier event stands for (couriers/README.md §3): created and pickup_requested
 * are still `booked`; a courier's cancel before pickup is the pickup watch's to handle; an exception is
 * an overlay (a reason beside the status) unless the parcel is lost; a delivery on the return leg is
 * the return completing.
 */
export function shipmentStatusOf(
  e: Pick<StoredEvent, 'status' | 'isReturnLeg'> & { reason?: StoredEvent['reason'] },
): ShipmentStatus | null {
  switch (e.status) {
    case 'picked_up':
    case 'in_transit':
    case 'out_for_delivery':
    case 'delivery_failed':
    case 'returned':
      return e.status;
    case 'delivered':
      return e.isReturnLeg ? 'returned' : 'delivered';
    case 'returning_to_sender':
      return 'returning';
    case 'exception':
      return e.reason === 'lost' ? 'lost' : null;
    default:
      return null;
  }
}

/** Time order; events at the same instant in the order a journey takes them (never by arrival). */
const RANK: Record<ShipmentStatus, number> = {
  ready: 0,
  booking: 0,
  booking_failed: 0,
  booked: 1,
  picked_up: 2,
  in_transit: 3,
  out_for_delivery: 4,
  delivery_failed: 5,
  returning: 6,
  delivered: 7,
  returned: 7,
  lost: 7,
  cancelled: 7,
};
export function journeyOrder(a: StoredEvent, b: StoredEvent): number {
  const t = a.occurredAt.getTime() - b.occurredAt.getTime();
  if (t) return t;
  const ra = RANK[shipmentStatusOf(a) ?? 'booked'];
  const rb = RANK[shipmentStatusOf(b) ?? 'booked'];
  if (ra !== rb) return ra - rb;
  return a.rawCode < b.rawCode ? -1 : a.rawCode > b.rawCode ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** How a courier's lines are read beyond the transition table. */
export interface JourneyReading {
  /**
   * A forward-leg delivery after the return began is the buyer's delivery (the return called off): only for
   * couriers whose every line says its leg (RETURN_LEG_IN_EVERY_LINE). Otherwise such a line may be the
   * return's end read without the lines before it, and moves nothing.
   */
  deliveryEndsReturn: boolean;
}

const NO_DELIVERY_AFTER_RETURN: JourneyReading = { deliveryEndsReturn: false };

/** How the courier's lines are read: a delivery after the return began ends it only where lines say their leg. */
export const journeyReadingOf = (courier: string): JourneyReading => ({
  deliveryEndsReturn: RETURN_LEG_IN_EVERY_LINE.has(courier as CourierCode),
});

/** A line that moves a parcel onto its way back (returning) or ends it there (returned), as the journey reads it. */
export const isBackward = (e: Parameters<typeof shipmentStatusOf>[0]) => {
  const to = shipmentStatusOf(e);
  return to === 'returning' || to === 'returned';
};

/** Whether the courier's line may move a shipment `from` → `to` (the table, as the courier's lines are read). */
function mayMove(from: ShipmentStatus, to: ShipmentStatus, reading: JourneyReading): boolean {
  if (from === 'returning' && to === 'delivered' && !reading.deliveryEndsReturn) return false;
  return canTransition(from, to);
}

/**
 * The journey all of a booking's events describe, folded in time order from `booked` through the
 * forward-only transition table: a stale or repeated event that would move the parcel back is ignored.
 * The same events give the same journey whatever order they arrived in.
 */
export function journey(
  events: readonly StoredEvent[],
  reading: JourneyReading = NO_DELIVERY_AFTER_RETURN,
): PlannedMove[] {
  const path: PlannedMove[] = [];
  let state: ShipmentStatus = 'booked';
  for (const event of [...events].sort(journeyOrder)) {
    const to = shipmentStatusOf(event);
    if (!to || to === state || !mayMove(state, to, reading)) continue;
    path.push({ to, event });
    state = to;
  }
  return path;
}

/**
 * The moves that take a shipment in status `current` to where its events say it is: the journey's steps
 * after the one that put it there (`causeEventId`, the event of its last move); if that event is off the
 * journey now, those after it in time; else (no event moved it) after the last time the journey stood
 * where the shipment stands, or — when the shipment got where it is by other means (the pickup watch) —
 * straight to the journey's end if the table allows. Never backwards, never a step twice.
 */
export function movesFrom(
  current: ShipmentStatus,
  causeEventId: string | null,
  events: readonly StoredEvent[],
  reading: JourneyReading = NO_DELIVERY_AFTER_RETURN,
): PlannedMove[] {
  const path = journey(events, reading);
  if (!path.length) return [];
  let from = causeEventId ? path.findIndex((p) => p.event.id === causeEventId && p.to === current) : -1;
  const cause = from === -1 && causeEventId ? events.find((e) => e.id === causeEventId) : undefined;
  if (cause) {
    // The event that moved it is off the journey now (one dated before it arrived late and bent the
    // path): only what happened after that event may move it further. Replaying the steps before it
    // would make moves a second time (a failed attempt counted twice).
    return walk(
      current,
      path.filter((p) => journeyOrder(p.event, cause) > 0),
      reading,
    );
  }
  if (from === -1 && current !== 'booked') {
    for (let i = path.length - 1; i >= 0; i -= 1)
      if (path[i].to === current) {
        from = i;
        break;
      }
    if (from === -1) {
      const end = path[path.length - 1];
      return end.to !== current && mayMove(current, end.to, reading) ? [end] : [];
    }
  }
  return walk(current, path.slice(from + 1), reading);
}

/** The steps that can be taken from `current`, in order, skipping those the table does not allow then. */
function walk(
  current: ShipmentStatus,
  steps: readonly PlannedMove[],
  reading: JourneyReading,
): PlannedMove[] {
  const moves: PlannedMove[] = [];
  let state = current;
  for (const step of steps) {
    if (!mayMove(state, step.to, reading)) continue;
    moves.push(step);
    state = step.to;
  }
  return moves;
}

/** Failures on the courier's side (the parcel held, sent astray, broken, lost): no attempt at the door. */
export const COURIER_SIDE_REASONS: ReadonlySet<CourierReason> = new Set([
  'held_at_hub',
  'misroute',
  'damaged',
  'lost',
]);

/**
 * Why a parcel came back, for a `returned` caused by `end` (whose own event seldom says): the reason of the
 * last failure at the door before it, else of the last event before it that gave one (the return's start,
 * "max attempts"), else null. The shipment's reason is what its causing event says, and a returned parcel
 * otherwise ended with none.
 */
export function returnReason(events: readonly StoredEvent[], end: StoredEvent): CourierReason | null {
  const before = [...events].sort(journeyOrder).filter((e) => e !== end && journeyOrder(e, end) <= 0);
  const said = before.filter((e) => e.reason);
  const atDoor = said.filter(
    (e) => shipmentStatusOf(e) === 'delivery_failed' && !COURIER_SIDE_REASONS.has(e.reason!),
  );
  return (atDoor.at(-1) ?? said.at(-1))?.reason ?? null;
}

/**
 * A failure scanned again this soon after the first of its visit, with no dispatch scan between, is the
 * same knock on the door written twice (a reason corrected, a note added): one attempt. A courier's next
 * run at the door comes hours later, usually the next day.
 */
export const SAME_VISIT_MS = 60 * 60_000;

/**
 * Delivery runs and failed attempts as the whole journey tells them (not as the moves happened to be
 * made: events that arrive late still count). A failure or delivery no dispatch scan announced is a run;
 * so is a failure at the door a visit later than the last (SAME_VISIT_MS), though the status stood at
 * delivery_failed (couriers do not always scan a new run): the risk rules count attempts so too.
 */
export function deliveryAttempts(
  events: readonly StoredEvent[],
  reading: JourneyReading = NO_DELIVERY_AFTER_RETURN,
): { attempts: number; failed: number } {
  let attempts = 0;
  let failed = 0;
  let state: ShipmentStatus = 'booked';
  let lastFailureAt: number | null = null;
  for (const event of [...events].sort(journeyOrder)) {
    const to = shipmentStatusOf(event);
    if (to === 'delivery_failed' && state === 'delivery_failed') {
      const at = event.occurredAt.getTime();
      const anotherVisit = lastFailureAt === null || at - lastFailureAt >= SAME_VISIT_MS;
      if (anotherVisit && !(event.reason && COURIER_SIDE_REASONS.has(event.reason))) {
        attempts += 1;
        failed += 1;
        lastFailureAt = at;
      }
      continue;
    }
    // As journey() folds them: a stale or repeated event that would move the parcel back is no step.
    if (!to || to === state || !mayMove(state, to, reading)) continue;
    if (to === 'out_for_delivery') attempts += 1;
    if (to === 'delivery_failed' || to === 'delivered') {
      if (state !== 'out_for_delivery') attempts += 1;
      if (to === 'delivery_failed') {
        failed += 1;
        lastFailureAt = event.occurredAt.getTime();
      }
    }
    state = to;
  }
  return { attempts, failed };
}

/**
 * Whether an event can be this booking's: not stored before the booking that gave the parcel its airway
 * bill began (`since`; null: unknown, all can), nor saying it happened more than `slackMs` before it. The
 * others stay stored as the courier sent them, but move nothing: an airway bill seen before (reused, or
 * pushed before it was issued, which a forger who guesses the next number could do) must not deliver,
 * credit or time this parcel.
 */
export function isBookingEvent(e: StoredEvent, since: Date | null, slackMs: number): boolean {
  if (!since) return true;
  const from = since.getTime();
  return (!e.receivedAt || e.receivedAt.getTime() >= from) && e.occurredAt.getTime() >= from - slackMs;
}
