import type { CourierCode, TrackingEvent } from './courier-adapter';
import { CourierWebhookRejectedError } from './courier.errors';

/**
 * The one replay rule for courier pushes, shared by all five. None of them signs a timestamp of its own
 * (shared tokens and body signatures never expire), so the events' own times bound replays: a push none
 * of whose events lies within `maxAgeSeconds` of now — either side, clocks drift — is refused as stale, and
 * so is one with a time that cannot be read. A push of a whole history (JNE) passes by its fresh lines; its
 * older lines are stored once like any repeat. A line stamped far ahead beside fresh ones (a courier's
 * clock: ID Express's sample has a scan twelve hours ahead of the lines around it) no longer makes the
 * whole push stale: it was refused, the good lines with it, until real time caught up with that stamp.
 * @throws CourierWebhookRejectedError `stale`
 */
export function assertFreshPush(
  courier: CourierCode,
  events: Pick<TrackingEvent, 'occurredAt'>[],
  now: Date,
  maxAgeSeconds: number,
): void {
  const times = events.map((e) => e.occurredAt.getTime());
  if (!times.length || times.some(Number.isNaN)) throw new CourierWebhookRejectedError(courier, 'stale');
  if (!times.some((t) => Math.abs(now.getTime() - t) <= maxAgeSeconds * 1000))
    throw new CourierWebhookRejectedError(courier, 'stale');
}
