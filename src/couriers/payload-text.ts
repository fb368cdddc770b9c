/**
 * A pushed body's bytes as text, without the UTF-8 byte-order mark some couriers' HTTP stacks write first:
 * the JSON reader at the edge and the one for courier answers (courier-http.ts) drop it, and with it kept
 * every push of such a courier was refused as malformed.
 */
export function pushedText(rawBody: Buffer): string {
  return rawBody.toString('utf8').replace(/^\uFEFF/, '');
}

/**
 * A courier payload field as text: a string as it is, a finite number, boolean or bigint spelled out, and
 * anything else (absent, null, an object or an array) as `fallback`. Couriers send the same field as a
 * string in one answer and a number in the next, so both are read. A field of the wrong shape is treated
 * as absent: `String()` would turn it into "[object Object]", which then passes for a real code or name.
 */
export function payloadText(value: unknown, fallback = ''): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : fallback;
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return fallback;
  }
}

/**
 * A courier payload flag: true for a boolean true or its spellings as text or a digit ("true", "TRUE", 1,
 * "1", "yes", "y"), false for anything else given, undefined where the field is absent or blank. Couriers
 * document booleans and send text or digits too.
 */
export function payloadFlag(value: unknown): boolean | undefined {
  const text = payloadText(value).trim();
  return text ? /^(true|1|yes|y)$/i.test(text) : undefined;
}

/**
 * At most `max` UTF-16 units of `text` (a courier's field limit), never ending inside a character: an
 * emoji cut in half is a broken character, which a courier refuses (or chokes on) for that whole order.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  // A high surrogate left at the end has lost the half that followed it.
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** `text` on one line (runs of whitespace as one space, trimmed), cut as cutText does. */
export function cutLine(text: string, max: number): string {
  return cutText(text.replace(/\s+/g, ' ').trim(), max);
}

/**
 * The entries of a courier payload's list that are objects, as `T`: anything else there (a null, a
 * string, a number) is dropped. One malformed line must not lose a parcel's other events, nor fail the
 * poll of every parcel read with it. A list serialized by PHP comes as an object in two cases, both read
 * as the list: with one entry, the entry itself; with its keys not 0…n-1, keyed by index ("0", "1"…).
 * Anything else that is no list is an empty one.
 */
export function payloadRecords<T>(value: unknown): T[] {
  const isRecord = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(value)) return value.filter(isRecord) as T[];
  if (!isRecord(value)) return [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length && entries.every(([k]) => /^\d{1,9}$/.test(k)))
    return entries
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, v]) => v)
      .filter(isRecord) as T[];
  return entries.length ? [value as T] : [];
}
