/**
 * What may reach a log line. One pass over everything logged (objects, errors, strings): values under
 * sensitive keys are replaced at any depth, errors keep only what diagnoses them (never a failed query's
 * parameters or the database's `detail`, which repeat the row's values), and phone numbers, API keys,
 * webhook secrets and JWTs are cut out of free text such as messages and stacks.
 */

export const REDACTED = '[redacted]';

/** Keys whose values never reach a log, compared lower-case without `-`/`_` (so `x-api-key` is `xapikey`). */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'proxyurl',
  'courierproxyurl',
  'cookie',
  'setcookie',
  'key',
  'xapikey',
  'xsandboxoperatortoken',
  'parameters',
  'accountname',
  'contactname',
  'recipientname',
]);
/** Any key ending so is sensitive too (`newPassword`, `webhookSecret`, `recipientPhone`, …). */
const SENSITIVE_SUFFIXES = [
  'password',
  'passwordhash',
  'secret',
  'token',
  'apikey',
  'phone',
  'accountnumber',
];

export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, '');
  return SENSITIVE_KEYS.has(k) || SENSITIVE_SUFFIXES.some((s) => k.endsWith(s));
}

/**
 * Each pattern takes time in proportion to the text, a hostile URL's included: where a match can begin at
 * many places of one run of characters (`eyJ-eyJ-…`, `a+a+a…`), the run is taken whole when it is no
 * secret (the second alternative, given back unchanged), rather than tried again from each of its places,
 * which took the square of its length (16 KB: up to 0.2 s a line).
 */
const TEXT_PATTERNS: [
  RegExp,
  (match: string, ...groups: (string | undefined)[]) => string,
  /** Text without this has no match: the pattern is not run (it takes every word of a log line). */
  needs?: string,
][] = [
  [/\bBearer\s+[^\s"',;]+/gi, () => 'Bearer [redacted]'],
  [/\beyJ(?:[\w-]+\.[\w-]+\.[\w-]*|[\w-]*)/g, (m) => (m.includes('.') ? '[jwt]' : m)],
  [/\bkirim_[\w-]{8,}/g, () => '[api-key]'],
  [/\bwhsec_[\w-]{8,}/g, () => '[secret]'],
  // Credentials inside a URL (a proxy's, a database's): scheme://user:password@host.
  [
    /\b([a-z][a-z0-9+.-]*)(:\/\/[^\s/@]+@)?/gi,
    (m, scheme, creds) => (creds ? `${scheme}://[redacted]@` : m),
    '://',
  ],
  // Indonesian mobile numbers as typed or stored: 08…, 628…, +62 8…, with spaces, dots or dashes.
  [/(?<![\w+-])(?:\+62|62|0)[\s.-]?8(?:[\s.-]?\d){7,12}(?!\w)/g, () => '[phone]'],
];

/** Whatever any pattern above needs: most log strings (routes, messages) have none and skip the rest. */
const MAYBE_SECRET = /\d\d|eyJ|kirim_|whsec_|bearer|:\/\/[^\s/]*@/i;

/** Free text with phone numbers, bearer tokens, JWTs, API keys and webhook secrets cut out. */
export function scrubText(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  let out = text;
  for (const [pattern, replacement, needs] of TEXT_PATTERNS)
    if (!needs || out.includes(needs)) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Percent-decoded (a `+` in a query as a space), run by run of escapes: one malformed escape elsewhere
 * (`%ZZ`, a cut `%E0`) leaves only itself as it is, not the whole text.
 */
function decoded(text: string, query: boolean): string {
  return (query ? text.replace(/\+/g, ' ') : text).replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      // Not UTF-8 as a whole (a cut `%E0` before the rest): its ASCII escapes still are (`%2B62%20812…`), and
      // a broken byte is a space, which no phone runs across.
      return run.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => {
        const byte = parseInt(hex, 16);
        return byte < 0x80 ? String.fromCharCode(byte) : ' ';
      });
    }
  });
}

/** A part of a URL scrubbed as typed and as decoded: a phone sent as `%2B62%20812…` is one too. */
function scrubUrlPart(text: string, query: boolean): string {
  const plain = decoded(text, query);
  const scrubbed = scrubText(plain);
  return scrubbed === plain ? scrubText(text) : scrubbed;
}

/** The free-text search's key however written: `q`, `Q`, `q[]`, `q%5B%5D`. */
const searchKey = (key: string) => decoded(key, true).toLowerCase().replace(/\[\]$/, '') === 'q';

/**
 * A request's URL as the log keeps it: scrubbed as scrubText does, also where percent-encoded, and a free-text
 * search (`q`: a buyer's name, phone or email as the seller typed it) without its value.
 */
export function urlForLog(url: string): string {
  const at = url.indexOf('?');
  const path = scrubUrlPart(at < 0 ? url : url.slice(0, at), false);
  if (at < 0) return path;
  const params = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return scrubUrlPart(pair, true);
      const key = pair.slice(0, eq);
      return searchKey(key) ? `${key}=[redacted]` : `${key}=${scrubUrlPart(pair.slice(eq + 1), true)}`;
    });
  return `${path}?${params.join('&')}`;
}

/** What an error keeps in the log: enough to find the cause, none of the data it was handling. */
const ERROR_FIELDS = ['code', 'kind', 'statusCode', 'constraint', 'table', 'column', 'schema', 'routine'];
const MAX_DEPTH = 8;

export interface LoggedError {
  type: string;
  message: string;
  stack?: string;
  cause?: unknown;
  [field: string]: unknown;
}

/** An Error as a plain object for the log (pino's `err` serializer; already serialized values pass through). */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const out: LoggedError = { type: error.constructor?.name || error.name, message: scrubText(error.message) };
  const fields = error as unknown as Record<string, unknown>;
  for (const f of ERROR_FIELDS) {
    const v = fields[f];
    if (typeof v === 'string' || typeof v === 'number') out[f] = typeof v === 'string' ? scrubText(v) : v;
  }
  if (error.stack) out.stack = scrubText(error.stack);
  if (error.cause !== undefined && depth < MAX_DEPTH) out.cause = sanitizeForLog(error.cause, depth + 1);
  if (error instanceof AggregateError && depth < MAX_DEPTH)
    out.errors = (error.errors as unknown[]).map((e) => sanitizeForLog(e, depth + 1));
  return out;
}

/** A copy of `value` that is safe to log (the original is never modified). */
export function sanitizeForLog(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return serializeError(value, depth);
  if (value instanceof Date) return value;
  if (seen.has(value) || depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => sanitizeForLog(v, depth + 1, seen));
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] =
      isSensitiveKey(k) && v !== null && v !== undefined ? REDACTED : sanitizeForLog(v, depth + 1, seen);
  }
  return out;
}

/**
 * The arguments of one pino call made safe: the merge object (or a bare Error, logged under `err` with its
 * message as the line's message) and every string argument.
 */
export function sanitizeLogArgs(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (first instanceof Error) {
    return [
      { err: serializeError(first) },
      ...(rest.length ? rest : [first.message]).map((a) => sanitizeForLog(a)),
    ];
  }
  return [sanitizeForLog(first), ...rest.map((a) => sanitizeForLog(a))];
}
