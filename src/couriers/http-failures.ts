import type { CourierCode } from './courier-adapter';
import { CourierRejectedError, CourierUnavailableError, RejectionCause } from './courier.errors';
import { saysAuthRefused, saysNotFound, saysRateLimited, saysTryAgain } from './answer-words';

function retryAfterSeconds(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
}

/**
 * A call's failure as a typed courier failure: typed ones pass through, an abandoned call (the timeout's
 * abort) is a timeout, a socket failure is a network failure; anything else is not a transport failure
 * (returns null).
 */
export function transportFailure(
  courier: CourierCode,
  error: unknown,
): CourierUnavailableError | CourierRejectedError | null {
  if (error instanceof CourierUnavailableError || error instanceof CourierRejectedError) return error;
  if ((error as Error | undefined)?.name === 'AbortError')
    return new CourierUnavailableError(courier, 'timeout', 'ABORTED', 'the call was abandoned (timeout)');
  // Socket-level failures carry a system code (ECONNREFUSED, ECONNRESET, …); a bug in our code does not.
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return null;
  const message = (error as Error).message;
  return code === 'ETIMEDOUT' || code === 'ECONNABORTED'
    ? new CourierUnavailableError(courier, 'timeout', code, message)
    : new CourierUnavailableError(courier, 'network', code, message);
}

/** The typed failure an HTTP status means by itself (429, 5xx, 401/403), or null when the body must decide. */
export function statusFailure(
  courier: CourierCode,
  status: number,
  retryAfter: string | undefined,
  body: unknown,
): CourierUnavailableError | CourierRejectedError | null {
  // Most answers are not one of these: the body is only turned into text for those that are.
  if (status !== 429 && status < 500 && status !== 401 && status !== 403) return null;
  const text = (typeof body === 'string' ? body : JSON.stringify(body ?? '')).slice(0, 500);
  if (status === 429)
    return new CourierUnavailableError(courier, 'rate_limited', '429', text, retryAfterSeconds(retryAfter));
  if (status >= 500) return new CourierUnavailableError(courier, 'server_error', String(status), text);
  if (status === 401 || status === 403)
    return new CourierRejectedError(courier, 'auth', String(status), text);
  return null;
}

/** A permanent rejection with the courier's own code and message kept. */
export const rejected = (courier: CourierCode, cause: RejectionCause, rawCode: string, rawMessage: string) =>
  new CourierRejectedError(courier, cause, rawCode, rawMessage);

/**
 * An error body (HTTP 200 or a 4xx) whose words say the courier is busy, rate limiting or failing for now:
 * unavailable, so the call is tried again later, as after a 5xx or 429; null for any other text (a refusal,
 * an unknown airway bill, our credentials). Read as a refusal, a courier's "system busy, try again" failed a
 * booking for good and a tracking answer for the parcel.
 */
export function bodyUnavailable(
  courier: CourierCode,
  rawCode: string,
  text: string,
): CourierUnavailableError | null {
  if (!saysTryAgain(text) || saysNotFound(text) || saysAuthRefused(text)) return null;
  return new CourierUnavailableError(
    courier,
    saysRateLimited(text) ? 'rate_limited' : 'server_error',
    rawCode,
    text.slice(0, 500),
  );
}
