import { COURIER_STATUSES, type CourierStatus, type TrackingEvent } from 'src/couriers/courier-adapter';

const HOUR = 3600_000;

/**
 * When the courier must have picked a booked parcel up by: `slaHours` after booking, or after the start
 * of the requested pickup day (Asia/Jakarta, UTC+7 all year) when that day is later.
 */
export function pickupDeadline(bookedAt: Date, pickupDate: string | null, slaHours: number): Date {
  const dayStarts = pickupDate ? Date.parse(`${pickupDate}T00:00:00+07:00`) : Number.NaN;
  const from = Number.isNaN(dayStarts) ? bookedAt.getTime() : Math.max(bookedAt.getTime(), dayStarts);
  return new Date(from + slaHours * HOUR);
}

/** When to ask the courier next: every `everyMs`, and at the deadline itself. */
export function nextPickupCheck(now: Date, deadline: Date, everyMs: number): Date {
  return new Date(Math.max(now.getTime() + 1000, Math.min(deadline.getTime(), now.getTime() + everyMs)));
}

/** Statuses a courier reports only once it holds the parcel: all but the ones before a handover. */
const BEFORE_HANDOVER: readonly CourierStatus[] = ['created', 'pickup_requested', 'cancelled'];
const HANDED_OVER: ReadonlySet<CourierStatus> = new Set(
  COURIER_STATUSES.filter((s) => !BEFORE_HANDOVER.includes(s)),
);

/**
 * Whether the event shows its courier holding the parcel: any status past the booking (a pickup-failure scan,
 * which some couriers report as an exception, is not a handover).
 */
export const isHandover = (e: Pick<TrackingEvent, 'status' | 'reason'>): boolean =>
  e.status !== null && HANDED_OVER.has(e.status) && e.reason !== 'pickup_failed';

export type PickupState =
  | { state: 'picked_up'; event: TrackingEvent }
  | { state: 'cancelled_by_courier'; event: TrackingEvent }
  /** No pickup yet; `event` is the courier's latest word (a failed pickup scan, say), if any. */
  | { state: 'waiting'; event?: TrackingEvent };

/**
 * What a booked parcel's courier history says about its pickup. A pickup-failure scan (some couriers
 * report it as an exception, some as a pending pickup) is not a handover.
 */
export function pickupState(events: TrackingEvent[]): PickupState {
  let latest: TrackingEvent | undefined;
  for (const e of events) {
    if (isHandover(e)) return { state: 'picked_up', event: e };
    if (!latest || e.occurredAt >= latest.occurredAt) latest = e;
  }
  const cancelled = events.find((e) => e.status === 'cancelled');
  if (cancelled) return { state: 'cancelled_by_courier', event: cancelled };
  return latest ? { state: 'waiting', event: latest } : { state: 'waiting' };
}
