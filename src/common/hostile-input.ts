import type { FieldProblem } from './errors/app-error';

/** Deeper than any request Kirim takes (a bulk row's recipient is at depth 3); far below a stack overflow. */
export const MAX_JSON_DEPTH = 32;

/**
 * How deep a whole list of rows checked each (a bulk import) may nest: a row deeper than MAX_JSON_DEPTH is
 * that row's own error, but the body still passes walks that recurse once per level before any row is
 * looked at (the idempotency fingerprint), so it has a bound too, far below a stack overflow.
 */
export const MAX_ROWS_JSON_DEPTH = 256;

/**
 * Whether a parsed JSON value nests deeper than `limit` levels (the value itself is level 0, as inspectJson
 * counts). Walked with a list of its own, not by recursion, so no nesting a body can hold overflows the
 * stack; it stops at the first value too deep.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [v, depth] = pending.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * Fields one object may have, and fields a whole value may have: far above any request (a shipment has about
 * twenty; a bulk import of 5,000 rows about 125,000 in all). Checking unknown fields costs class-transformer
 * time that grows faster than the fields' number, so a body of a million unknown keys held the event loop for
 * tens of seconds before it was refused.
 */
export const MAX_JSON_FIELDS = 1000;
export const MAX_JSON_FIELDS_IN_ALL = 200_000;
/**
 * Fields a body may have in all on a route that does not check rows each (any but a bulk import): far above
 * any (a shipment has about twenty), and a bound on what an unknown field costs the full validation (a
 * login with 160,000 unknown fields: a quarter of a second of class-transformer, before the throttle).
 */
export const MAX_BODY_FIELDS_IN_ALL = 10_000;

/**
 * Problems one walk lists: a 10 MB body of NUL strings had a million, each with its path built, and its 400
 * listed them all (15 MB), work done before the request's credentials were even looked at. The rest are
 * counted in one more problem.
 */
export const MAX_LISTED_PROBLEMS = 100;

/**
 * Items one array may have: far above any request (a pickup names at most 500 shipments). Validators walk
 * every item, some more than once, so a body of 150,000 numbers held the event loop for seconds before the
 * route's own limit refused it.
 */
export const MAX_JSON_ITEMS = 10_000;

/** In a `u` regex a well-formed pair is one code point, so only a lone surrogate matches. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Text PostgreSQL and every later reader can hold: no NUL character (PostgreSQL refuses it in text) and
 * no lone UTF-16 surrogate (it cannot be encoded as UTF-8, so it would be silently replaced on the way).
 */
export function unsafeTextReason(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text (it has a lone surrogate)';
  return null;
}

// eslint-disable-next-line no-control-regex -- the NUL is what it looks for
const UNFIT_CHARACTER = /\u0000|\p{Cs}/gu;

/**
 * The text as PostgreSQL can keep it: each NUL and lone surrogate becomes U+FFFD, as a UTF-8 decoder shows
 * bytes it cannot read. For what Kirim must keep though it came unfit (a courier's signed push or poll
 * answer), where a request body's text is refused instead.
 */
export function storableText(text: string): string {
  return unsafeTextReason(text) ? text.replace(UNFIT_CHARACTER, '\uFFFD') : text;
}

/** How JSON.stringify writes a NUL or a lone surrogate (or a literal backslash before such text). */
const UNFIT_ESCAPE = /\\u0000|\\ud[89a-f]/i;

/** `value` as JSON PostgreSQL's jsonb takes: every string and key storable (jsonb refuses \u0000 and lone surrogates). */
export function storableJson(value: unknown): string {
  const json = JSON.stringify(value);
  // Walked again string by string only when that text shows one: a courier's answer seldom needs it.
  if (!UNFIT_ESCAPE.test(json)) return json;
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'string') return storableText(v);
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).some((k) => unsafeTextReason(k)))
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableText(k), x]));
    return v;
  });
}

/**
 * Every string (and object key) in a parsed JSON value that is not safe text, by dotted path (`recipient.name`,
 * `shipmentIds.0`); `tooDeep` is set when the value nests deeper than `maxDepth` (what lies below that depth
 * is not looked at; the rest is), and `tooWide` names the first object with more than MAX_JSON_FIELDS fields
 * or array with more than MAX_JSON_ITEMS items, or the whole value when it has more than
 * MAX_JSON_FIELDS_IN_ALL fields (nothing further is looked at after it).
 * The walk recurses at most `maxDepth` levels, so a hostile nesting cannot overflow the stack, and builds a
 * path only for a problem it reports (every request body passes here). `inherited` names each field whose
 * key is one every object inherits (`constructor`, `toString`, `hasOwnProperty`…): class-transformer
 * passes such a key over without a word, so no DTO's check of unknown fields sees it, and it was taken.
 * `problems` and `inherited` list MAX_LISTED_PROBLEMS between them; `unlisted` counts the rest (unlistedProblem).
 */
export function inspectJson(
  value: unknown,
  root = '',
  maxDepth = MAX_JSON_DEPTH,
  maxFieldsInAll = MAX_JSON_FIELDS_IN_ALL,
): {
  problems: FieldProblem[];
  inherited: FieldProblem[];
  unlisted: number;
  tooDeep: boolean;
  tooWide: FieldProblem | null;
} {
  const problems: FieldProblem[] = [];
  const inherited: FieldProblem[] = [];
  const path: string[] = root ? [root] : [];
  const at = (last?: string) => [...path, ...(last === undefined ? [] : [last])].join('.') || 'body';
  let unlisted = 0;
  /** Lists a problem (its path built only then) while fewer than MAX_LISTED_PROBLEMS are; counts the rest. */
  const note = (list: FieldProblem[], field: () => string, message: string) => {
    if (problems.length + inherited.length < MAX_LISTED_PROBLEMS) list.push({ field: field(), message });
    else unlisted += 1;
  };
  let tooWide: FieldProblem | null = null;
  let tooDeep = false;
  let fields = 0;
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') {
      const reason = unsafeTextReason(v);
      if (reason) note(problems, () => at(), reason);
      return true;
    }
    if (v === null || typeof v !== 'object') return true;
    // Not walked further, but its siblings are: a bulk import's deep row is that row's error, and the rows
    // after it must still be counted.
    if (depth >= maxDepth) {
      tooDeep = true;
      return true;
    }
    if (Array.isArray(v)) {
      if (v.length > MAX_JSON_ITEMS) {
        tooWide = { field: at(), message: `has more than ${MAX_JSON_ITEMS} items` };
        return false;
      }
      for (let i = 0; i < v.length; i += 1) {
        path.push(String(i));
        const ok = walk(v[i], depth + 1);
        path.pop();
        if (!ok) return false;
      }
      return true;
    }
    let own = 0;
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      own += 1;
      fields += 1;
      if (own > MAX_JSON_FIELDS || fields > maxFieldsInAll) {
        tooWide =
          own > MAX_JSON_FIELDS
            ? { field: at(), message: `has more than ${MAX_JSON_FIELDS} fields` }
            : { field: root || 'body', message: `has more than ${maxFieldsInAll} fields in all` };
        return false;
      }
      const reason = unsafeTextReason(key);
      if (reason) {
        note(problems, () => at(JSON.stringify(key).slice(1, -1)), `name ${reason}`);
        continue;
      }
      if (key in Object.prototype) note(inherited, () => at(key), `property ${key} should not exist`);
      path.push(key);
      const ok = walk((v as Record<string, unknown>)[key], depth + 1);
      path.pop();
      if (!ok) return false;
    }
    return true;
  };
  walk(value, 0);
  return { problems, inherited, unlisted, tooDeep: tooDeep && !tooWide, tooWide };
}

/** The problems inspectJson did not list, counted under `field` (what was walked: `body`, `query`, `row`). */
export function unlistedProblem(unlisted: number, field: string): FieldProblem[] {
  return unlisted ? [{ field, message: `and ${unlisted} more problems` }] : [];
}
