import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { TextDecoder } from 'node:util';
import { type FieldProblem, UnsupportedMediaTypeError, ValidationFailedError } from './errors/app-error';
import { toErrorResponse } from './errors/http-error.filter';
import { BODY_LIMIT_BYTES, JSON_OR_CSV, LARGE_BODY_LIMIT_BYTES, PUSH_BODY_LIMIT_BYTES } from './body-limits';
import {
  inspectJson,
  MAX_BODY_FIELDS_IN_ALL,
  MAX_JSON_DEPTH,
  MAX_JSON_FIELDS_IN_ALL,
  MAX_ROWS_JSON_DEPTH,
  nestsDeeperThan,
  unlistedProblem,
  unsafeTextReason,
} from './hostile-input';

/**
 * Fastify route config (`@LargeUpload(rowsCheckedEach(max))`): the body is a list of at most `maxRows` rows
 * and unsafe text, nesting deeper than MAX_JSON_DEPTH or a field named `__proto__` or `constructor` in a row
 * is that row's own error (the other rows are still kept), so the edge checks only the whole list's width and
 * its depth against MAX_ROWS_JSON_DEPTH, and a list of too many rows is told so before its fields are counted.
 */
export const rowsCheckedEach = (maxRows: number) =>
  ({ rowsCheckedEach: true, maxRows, bodyLimitBytes: LARGE_BODY_LIMIT_BYTES }) as const;

/**
 * Fastify route config of a courier's report upload (`@LargeUpload(REPORT_UPLOAD)`): its larger body, read
 * as CSV only (a JSON string holding the report is refused, as any other type is).
 */
export const REPORT_UPLOAD = { bodyLimitBytes: LARGE_BODY_LIMIT_BYTES, csvOnly: true } as const;
const CSV_ONLY_TEXT = 'Send the report as text/csv (its header row first)';
const checksRowsEach = (request: FastifyRequest) =>
  (request.routeOptions.config as { rowsCheckedEach?: boolean } | undefined)?.rowsCheckedEach === true;
const csvOnly = (request: FastifyRequest) =>
  (request.routeOptions.config as { csvOnly?: boolean } | undefined)?.csvOnly === true;
/**
 * Whether the request's route takes a large upload (a bulk import, a report). Its config, not
 * routeOptions.bodyLimit: a path no route serves has the server's limit, the largest.
 */
export const takesLargeUpload = (request: FastifyRequest) =>
  (request.routeOptions.config as { bodyLimitBytes?: unknown } | undefined)?.bodyLimitBytes ===
  LARGE_BODY_LIMIT_BYTES;

type Done = (error: Error | null, body?: unknown) => void;

/** The `charset` parameter of a Content-Type header, lower-cased, or undefined. */
/**
 * Fastify route config (`@RouteConfig(RAW_BODY_KEPT)`): a push signed over its exact bytes (courier
 * webhooks). The bytes are kept as `request.rawBody`, and besides JSON any body type is read as bytes
 * (J&T pushes forms); the route verifies and decodes it itself.
 */
export const RAW_BODY_KEPT = { rawBodyKept: true, bodyLimitBytes: PUSH_BODY_LIMIT_BYTES } as const;

/** The exact bytes of a request's body, on RAW_BODY_KEPT routes. */
export function rawBodyOf(request: FastifyRequest): Buffer {
  return (request as FastifyRequest & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
}

const keepsRawBody = (request: FastifyRequest) =>
  (request.routeOptions.config as { rawBodyKept?: boolean } | undefined)?.rawBodyKept === true;

/** On a RAW_BODY_KEPT route, keeps the body's bytes for rawBodyOf (whatever its content type) and says so. */
function keptRaw(request: FastifyRequest, body: string | Buffer): boolean {
  if (!keepsRawBody(request)) return false;
  (request as FastifyRequest & { rawBody?: Buffer }).rawBody = body as Buffer;
  return true;
}

export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1].toLowerCase();
}

const UTF8 = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);
/** What a spreadsheet may save a CSV as, by the charset names senders use; WHATWG reads Latin-1 as Windows-1252. */
const CSV_CHARSETS = new Map<string, string>([
  ...[...UTF8].map((c) => [c, 'utf-8'] as [string, string]),
  ['iso-8859-1', 'windows-1252'],
  ['latin1', 'windows-1252'],
  ['latin-1', 'windows-1252'],
  ['windows-1252', 'windows-1252'],
  ['cp1252', 'windows-1252'],
  ['utf-16', 'utf-16le'],
  ['utf-16le', 'utf-16le'],
  ['utf-16be', 'utf-16be'],
]);

const decoders = new Map<string, TextDecoder>();

/**
 * Windows-1252's bytes 0x80–0x9F (the rest are Latin-1's): curly quotes, dashes, the euro sign; 0 where the
 * code page defines no character. Node 20.20's TextDecoder reads windows-1252 as plain Latin-1 (nodejs/node
 * #60888), which turns a spreadsheet's “quotes” into invisible control characters, so it is decoded here.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
];

function decodeWindows1252(body: Buffer, what: string): string {
  return body.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => {
    const code = WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80];
    if (!code) throw new ValidationFailedError([{ field: 'body', message: `is not valid ${what} text` }]);
    return String.fromCharCode(code);
  });
}

/** Strict decoding: a byte sequence that is not text in the declared charset is refused, never "repaired". */
function decode(body: Buffer, encoding: string, what: string): string {
  if (encoding === 'windows-1252') return decodeWindows1252(body, what);
  let decoder = decoders.get(encoding);
  if (!decoder) decoders.set(encoding, (decoder = new TextDecoder(encoding, { fatal: true })));
  try {
    return decoder.decode(body);
  } catch {
    throw new ValidationFailedError([{ field: 'body', message: `is not valid ${what} text` }]);
  }
}

const csvCharsetRefused = (charset: string) =>
  new UnsupportedMediaTypeError(
    `charset ${charset.slice(0, 40)} is not supported for CSV: send UTF-8 (UTF-16 and Windows-1252/Latin-1 are also read)`,
  );

/** The encoding of a CSV upload: its declared charset, else its byte-order mark, else UTF-8. */
function csvEncoding(body: Buffer, charset: string | undefined): string {
  if (charset) {
    const encoding = CSV_CHARSETS.get(charset);
    if (!encoding) throw csvCharsetRefused(charset);
    // "UTF-16" leaves the byte order to the BOM (RFC 2781); without one, ASCII text shows it by its zeros.
    if (charset === 'utf-16' && (body[0] === 0xfe ? body[1] === 0xff : body[0] === 0 && body[1] !== 0))
      return 'utf-16be';
    return encoding;
  }
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** The content codings of IANA's registry (compressions, encryption, dictionaries): none is a plain body. */
const CODINGS = new Set([
  'gzip',
  'x-gzip',
  'deflate',
  'br',
  'compress',
  'x-compress',
  'zstd',
  'aes128gcm',
  'dcb',
  'dcz',
  'exi',
  'pack200-gzip',
]);

/**
 * The 415 for a body sent in a content coding (gzip, br…): none is decoded, so such a body would be read as
 * the bytes it is coded into (a gzipped JSON "is not valid UTF-8") or, where the header lies, taken as plain.
 * Null for a plain body: no Content-Encoding, `identity`, or a token that names no coding (some clients send
 * `Content-Encoding: UTF-8` meaning the charset: their bodies are plain, and a courier's push cannot be asked
 * to change its headers).
 */
function codedBodyError(request: FastifyRequest): UnsupportedMediaTypeError | null {
  const coding = request.headers['content-encoding'];
  const codings = (Array.isArray(coding) ? coding.join(',') : (coding ?? ''))
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => CODINGS.has(c));
  if (!codings.length) return null;
  return new UnsupportedMediaTypeError(
    `Content-Encoding ${codings.join(', ').slice(0, 40)} is not supported: send the body uncompressed`,
  );
}

const UNREAD_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'TRACE']);

/** The media types a route reads (a push reads any): JSON, and CSV where a route takes it. */
const JSON_TYPE = 'application/json';
const CSV_TYPES: ReadonlySet<string> = new Set(['text/csv', 'application/csv']);

/**
 * Why a body this request is sending cannot be read, decided from its headers alone: a content coding, a
 * type its route does not read, or a charset it is not read in. Null when it can be read, or the request
 * sends no body, or names no type, or is a push (which takes any type, read by its courier's decoder) or
 * goes to a path no route serves.
 */
function unreadableBody(request: FastifyRequest): UnsupportedMediaTypeError | null {
  const h = request.headers;
  const length = Number(h['content-length'] ?? 0);
  const sends = h['transfer-encoding'] !== undefined || length > 0;
  // Fastify reads no body of these (none is parsed, whatever its type): nor is it judged here.
  if (!sends || request.is404 || UNREAD_METHODS.has(request.method)) return null;
  const coded = codedBodyError(request);
  if (coded) return coded;
  const contentType = h['content-type'];
  if (contentType === undefined || keepsRawBody(request)) return null;
  const type = contentType.split(';')[0].trim().toLowerCase();
  const charset = charsetOf(contentType);
  if (CSV_TYPES.has(type)) {
    // Which routes read CSV is the route's own to say (a JSON route's validation refuses a CSV string).
    return charset && !CSV_CHARSETS.has(charset) ? csvCharsetRefused(charset) : null;
  }
  if (type !== JSON_TYPE)
    return new UnsupportedMediaTypeError(csvOnly(request) ? CSV_ONLY_TEXT : JSON_OR_CSV);
  if (csvOnly(request)) return new UnsupportedMediaTypeError(CSV_ONLY_TEXT);
  if (charset && !UTF8.has(charset))
    return new UnsupportedMediaTypeError(
      `charset ${charset.slice(0, 40)} is not supported: JSON must be UTF-8`,
    );
  return null;
}

/**
 * Refuses a body that cannot be read (unreadableBody) before a byte of it is read: read first, a body in a
 * type no route takes cost the route's whole limit in memory (10 MB for an upload) before its 415. Added
 * after the large uploads' authentication, so that an upload's caller is known before its body is judged.
 * Refused, the connection is kept: Node reads the rest of the body past unparsed.
 */
export function refuseUnreadBodies(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    const refused = unreadableBody(request);
    if (refused) throw refused;
    return payload;
  });
}

/**
 * How requests are read before any route runs: JSON must be UTF-8 (RFC 8259) and is parsed with Fastify's
 * own poisoning-safe parser (a bulk import's rows are checked each instead); CSV is decoded by its charset; no other body type, and no compressed body, is
 * accepted (415). Then every
 * string of the parsed body, the query and the path parameters is checked for text PostgreSQL cannot hold,
 * and the body for hostile nesting, before validation could recurse into it.
 */
export function guardRequestInput(fastify: FastifyInstance): void {
  // A path no route serves answers 404 whatever its body: read up to the server's limit, never parsed.
  // Each route reads at most its own limit (routes are added after this, when the app is initialised).
  fastify.addHook('onRoute', (route) => {
    const config: unknown = route.config;
    const own = (config as { bodyLimitBytes?: unknown } | undefined)?.bodyLimitBytes;
    route.bodyLimit = typeof own === 'number' ? own : BODY_LIMIT_BYTES;
  });
  const json = fastify.getDefaultJsonParser('error', 'error');
  // A bulk import's rows are checked one by one (inspectJson names a `__proto__` or `constructor` field as
  // that row's error): refused here, one such row refused the whole file. JSON.parse makes such a key an own
  // field of the object it is in, never its prototype, and no row with one reaches class-transformer.
  const rowsJson = fastify.getDefaultJsonParser('ignore', 'ignore');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done: Done) => {
    if (request.is404) return done(null, undefined);
    // A push is read from its bytes by its courier's decoder, once its signature is checked: parsed here,
    // an unsigned push that was not JSON was answered 400, where the contract says unsigned is 401.
    // (A coding, a charset or a type the route does not read was refused before reading: refuseUnreadBodies.)
    if (keptRaw(request, body)) return done(null, undefined);
    let text: string;
    try {
      text = decode(body as Buffer, 'utf-8', 'UTF-8');
    } catch (e) {
      return done(e as Error);
    }
    const parse = checksRowsEach(request) ? rowsJson : json;
    void parse(request, text, (error: Error | null, value?: unknown) => {
      // Fastify's parser refuses `__proto__` (and `constructor.prototype`) keys as prototype poisoning but
      // says the JSON is invalid; when it is valid JSON, name the fields it refused.
      const poisoned = error ? poisonedFields(text) : null;
      if (poisoned) return done(new ValidationFailedError(poisoned));
      done(error, value);
    });
  });
  fastify.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { parseAs: 'buffer' },
    (request, body, done: Done) => {
      if (request.is404) return done(null, undefined);
      // A push sent as CSV is a push too (decoded here by its charset, its bytes were lost: 415 or 400).
      if (keptRaw(request, body)) return done(null, undefined);
      try {
        const buffer = body as Buffer;
        const encoding = csvEncoding(buffer, charsetOf(request.headers['content-type']));
        done(null, decode(buffer, encoding, encoding.toUpperCase()).replace(/^\uFEFF/, ''));
      } catch (e) {
        done(e as Error);
      }
    },
  );

  // Any other type (or none named): only a push reads it; refused before reading when the type is named.
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done: Done) => {
    if (request.is404) return done(null, undefined);
    const coded = codedBodyError(request);
    if (coded) return done(coded);
    if (!keptRaw(request, body))
      return done(new UnsupportedMediaTypeError(csvOnly(request) ? CSV_ONLY_TEXT : JSON_OR_CSV));
    done(null, undefined);
  });

  fastify.addHook('preValidation', (request, _reply, done) => {
    const problems = [];
    for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) {
      const reason = typeof value === 'string' ? unsafeTextReason(value) : null;
      if (reason) problems.push({ field: name, message: reason });
    }
    // The query parser reads a malformed escape (%FF, %zz, a cut-off UTF-8 sequence) as typed; the path's
    // router refuses one, and so does this.
    const mark = request.url.indexOf('?');
    if (mark >= 0 && !decodable(request.url.slice(mark + 1)))
      return done(new ValidationFailedError([{ field: 'query', message: 'has malformed percent-encoding' }]));
    const query = inspectJson(request.query);
    if (query.tooWide) return done(new ValidationFailedError([{ ...query.tooWide, field: 'query' }]));
    problems.push(...query.problems, ...unlistedProblem(query.unlisted, 'query'));
    const routeConfig = request.routeOptions.config as { rowsCheckedEach?: boolean; maxRows?: number };
    const rows = Array.isArray(request.body) ? request.body.length : 0;
    if (routeConfig.maxRows !== undefined && rows > routeConfig.maxRows)
      return done(
        new ValidationFailedError([
          { field: 'body', message: `has ${rows} rows; at most ${routeConfig.maxRows} per request` },
        ]),
      );
    const fieldsInAll = routeConfig.rowsCheckedEach ? MAX_JSON_FIELDS_IN_ALL : MAX_BODY_FIELDS_IN_ALL;
    const body = inspectJson(request.body, '', MAX_JSON_DEPTH, fieldsInAll);
    if (body.tooWide) return done(new ValidationFailedError([body.tooWide]));
    // A bulk import's row nesting too deep is that row's error (its rows are checked each, as bodies of
    // their own); the whole list is held only to the bound every walk of it can bear, checked without
    // recursion.
    const maxDepth = routeConfig.rowsCheckedEach ? MAX_ROWS_JSON_DEPTH : MAX_JSON_DEPTH;
    if (routeConfig.rowsCheckedEach ? nestsDeeperThan(request.body, maxDepth) : body.tooDeep) {
      return done(
        new ValidationFailedError([{ field: 'body', message: `nests deeper than ${maxDepth} levels` }]),
      );
    }
    // A courier's push is read by its route, after the signature is checked: an unsigned one is refused as
    // such (401), and a signed one's texts are kept with U+FFFD rather than lost to a 400 on every retry.
    // A key every object inherits (`constructor`, `toString`) is an unknown field the DTO's check never sees.
    if (!routeConfig.rowsCheckedEach && !keepsRawBody(request))
      problems.push(...body.problems, ...body.inherited, ...unlistedProblem(body.unlisted, 'body'));
    done(problems.length ? new ValidationFailedError(problems) : undefined);
  });
}

/**
 * The fields of a body Fastify's parser refused as prototype poisoning, each named (`recipient.__proto__`,
 * `constructor`), or null when the text is not JSON at all. Parsed again by JSON.parse, which keeps such a
 * key as an own field (never the object's prototype), only to be named.
 */
function poisonedFields(text: string): FieldProblem[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const { inherited, unlisted } = inspectJson(value);
  return inherited.length
    ? [...inherited, ...unlistedProblem(unlisted, 'body')]
    : [{ field: 'body', message: 'must not have a field named __proto__ or constructor.prototype' }];
}

/** Whether a query string's percent-escapes are well formed and spell UTF-8. */
function decodable(query: string): boolean {
  if (!query.includes('%')) return true;
  try {
    decodeURIComponent(query);
    return true;
  } catch {
    return false;
  }
}

/**
 * Errors Fastify's router raises before any route or hook (a malformed percent-encoding, an overlong path
 * segment), answered in the contract's error body like every other error.
 */
export function frameworkErrors(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorResponse(error, String(request.id));
  void reply.status(status).header('x-request-id', body.requestId).send(body);
}

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'The request headers (URL included) are larger than the 16 KB limit'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request was not received in time'],
};

/**
 * A request's body must have arrived whole within `ms` of its headers, or the client gets 408 and the
 * connection is closed. Node's own request timeout (set too) is checked only every 30 seconds or so, and a
 * client sending a body a byte at a time, or never finishing it, held its connection open for minutes.
 */
export function limitBodyTime(fastify: FastifyInstance, ms: number): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw;
    if (raw.complete) return done();
    const timer = setTimeout(() => {
      if (raw.complete || raw.socket.destroyed) return;
      // Answered already (a route that never read the body): the late body only ends the connection.
      if (reply.raw.headersSent) return void raw.socket.destroy();
      clientErrorHandler(
        Object.assign(new Error('body not received in time'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }),
        raw.socket,
      );
    }, ms);
    timer.unref();
    const stop = () => clearTimeout(timer);
    raw.once('end', stop);
    raw.once('close', stop);
    done();
  });
}

/** Paths whose answers are a person's data or secrets (a webhook secret, a new API key, an invoice). */
const PRIVATE_ANSWERS = /^\/(v1|sandbox)\//;
/** The API's interactive docs: a page of its own, never to be framed by another site. */
const DOCS_PAGE = /^\/docs(\/|$|\?)/;

/**
 * Headers every answer carries: no content-type sniffing anywhere; the API's answers kept by no cache
 * (shared or the browser's) unless a route says otherwise; the docs page not framed by another site. The
 * dashboard's own files set theirs where they are served.
 */
export function answerHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!reply.hasHeader('x-content-type-options')) void reply.header('x-content-type-options', 'nosniff');
    if (PRIVATE_ANSWERS.test(request.url)) {
      if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    } else if (DOCS_PAGE.test(request.url)) {
      void reply.header('x-frame-options', 'DENY');
      void reply.header('content-security-policy', "frame-ancestors 'none'");
      void reply.header('referrer-policy', 'no-referrer');
    }
    done(null, payload);
  });
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers or URL over 16 KB, not HTTP at
 * all): answered on the socket in the contract's error body, with a fresh request id.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'The request is not valid HTTP'];
  const { body } = toErrorResponse({ statusCode: status, code: error.code, message }, randomUUID());
  const text = JSON.stringify({ ...body, message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${body.error}\r\nContent-Type: application/json; charset=utf-8\r\nx-request-id: ${body.requestId}\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}

/**
 * An `Expect` other than 100-continue, which Node's HTTP server answers before Fastify sees the request
 * (a bare 417 with no body), answered in the contract's error body instead. (CONNECT is left to Node, which
 * closes the connection: Kirim is no proxy, and a listener would have to write on a socket Node has let go.)
 */
export function answerUnmetExpectations(server: Server): void {
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const expect = String(request.headers.expect ?? '').slice(0, 40);
    const { body } = toErrorResponse(
      { statusCode: 417, message: `Expect: ${expect} is not supported (only 100-continue)` },
      randomUUID(),
    );
    const text = JSON.stringify(body);
    response.writeHead(417, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'x-request-id': body.requestId,
      connection: 'close',
    });
    response.end(text);
  });
}
