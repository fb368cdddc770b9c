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
