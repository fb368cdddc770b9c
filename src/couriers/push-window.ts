import type { CourierCode, TrackingEvent } from './courier-adapter';
import { CourierWebhookRejectedError } from './courier.errors';

/**
 * The one replay rule for courier pushes, shared by all five. None of them signs a timestamp of its own
 * (shared tokens and body signatures never expire), so the events' own times bound replays: a push whose
 * newest event lies more than `maxAgeSeconds` from now — either side, clocks drift — is refused as stale,
 * and so is one with a time that cannot be read. A push of a whole history (JNE) is judged by its newest
 * line; its older lines are stored once like any repeat.
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
  if (Math.abs(now.getTime() - Math.max(...times)) > maxAgeSeconds * 1000)
    throw new CourierWebhookRejectedError(courier, 'stale');
}
