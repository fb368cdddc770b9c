import type { TrackingEvent } from 'src/couriers/courier-adapter';
import { cutText } from 'src/couriers/payload-text';

/** More events than any courier pushes at once (they push one, or a few). */
export const MAX_PUSH_EVENTS = 1000;

/** The longest each text of a pushed event may be: far beyond any courier's, short enough to index. */
const PUSHED_TEXT_LIMITS = { awb: 64, rawCode: 200, rawText: 2000, location: 500 } as const;

/**
 * No courier event is older than online tracking (parseWib refuses such years too). Only a push's newest
 * event is held to the replay window, so an older line's epoch or offset time could lie anywhere a
 * JavaScript date can, before what PostgreSQL stores (4713 BC): the insert failed and the push was a 500.
 */
const EARLIEST_EVENT = Date.UTC(2000, 0, 1);

/**
 * What a verified push holds that cannot be stored as it is, or null: the field (as Kirim reads a courier's
 * event: awb, rawCode, rawText, location, occurredAt, with the event's place in the push) and the problem.
 */
export function unfitPush(events: readonly TrackingEvent[]): { field: string; message: string } | null {
  if (events.length > MAX_PUSH_EVENTS)
    return { field: 'events', message: `holds more than ${MAX_PUSH_EVENTS} events` };
  for (const [i, e] of events.entries()) {
    const why = unfitEvent(e);
    if (why) return { field: `events[${i}].${why[0]}`, message: why[1] };
  }
  return null;
}

/**
 * A poll's events as they can be stored. A poll answer is not refused as a push is (nobody to tell, and the
 * rest of the batch is good): a text over its limit is cut (a courier's long note is still its note), and
 * an event whose AWB, code or time cannot be stored is left out and reported. One such line failed the whole
 * batch's insert (a code past the index's size, a time before 4713 BC) on every retry, so up to a claim's
 * worth of parcels stopped being followed.
 */
export function storablePolled(events: readonly TrackingEvent[]): {
  kept: TrackingEvent[];
  dropped: { awb: string; field: string; message: string }[];
} {
  const kept: TrackingEvent[] = [];
  const dropped: { awb: string; field: string; message: string }[] = [];
  for (const e of events) {
    const cut = {
      ...e,
      rawText: cutIfText(e.rawText, PUSHED_TEXT_LIMITS.rawText),
      location: cutIfText(e.location, PUSHED_TEXT_LIMITS.location),
    } as TrackingEvent;
    const why = unfitEvent(cut);
    if (why) dropped.push({ awb: String(e.awb).slice(0, 64), field: why[0], message: why[1] });
    else kept.push(cut);
  }
  return { kept, dropped };
}

/** Text cut to `max`; anything else as it is (unfitEvent then says what it is not). */
const cutIfText = <T>(value: T, max: number): T =>
  (typeof value === 'string' ? cutText(value, max) : value) as T;

function unfitEvent(e: TrackingEvent): [field: string, problem: string] | null {
  for (const [field, limit] of Object.entries(PUSHED_TEXT_LIMITS)) {
    const value: unknown = e[field as keyof typeof PUSHED_TEXT_LIMITS];
    if (value == null && field === 'location') continue;
    if (typeof value !== 'string') return [field, 'is not text'];
    if (value.length > limit) return [field, `is longer than ${limit} characters`];
  }
  if (!e.awb.trim()) return ['awb', 'is empty'];
  if (!(e.occurredAt instanceof Date) || Number.isNaN(e.occurredAt.getTime()))
    return ['occurredAt', 'is not a time'];
  if (e.occurredAt.getTime() < EARLIEST_EVENT) return ['occurredAt', 'is before 2000'];
  return null;
}
