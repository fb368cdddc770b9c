import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { scrubText } from './log-redaction';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Uses the caller's X-Request-Id when it is a sane token that holds nothing the log would cut out (a phone
 * number, an API key: the id is logged with every line), otherwise a new UUID.
 */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) && scrubText(given) === given
    ? given
    : randomUUID();
}
