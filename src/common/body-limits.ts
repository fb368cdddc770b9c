/**
 * The largest body a route reads unless its config says otherwise (`bodyLimitBytes`). Reading and parsing
 * is done before anyone is signed in, on the event loop every request shares: 8 MB of JSON keys held it
 * for seconds. A megabyte parses in well under a tenth of that.
 */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/**
 * A bulk import (5,000 rows are well under it) or a courier's remittance report (which its service bounds
 * further: `maxReportBytes`, 2 MB by default). The largest body any route reads.
 */
export const LARGE_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
/** A courier push: one event or a few; a thousand of them are under it. */
export const PUSH_BODY_LIMIT_BYTES = 256 * 1024;

/** What a 413 says: every route's limit (Fastify's own error does not tell which route refused). */
export const BODY_LIMITS_TEXT =
  'The request body is larger than the route reads: 10 MB for a bulk import (a remittance report is taken up to 2 MB), 256 KB for a courier push, 1 MB for any other';

/** What a 415 says of a body in a type no route reads. */
export const JSON_OR_CSV =
  'Send the body as application/json (text/csv is read by POST /v1/shipments/bulk and POST /v1/finance/remittances)';
