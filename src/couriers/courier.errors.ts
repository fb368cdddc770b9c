import { AppError } from 'src/common/errors/app-error';
import type { CourierCode } from './courier-adapter';
import { saysTimedOut } from './answer-words';

export type UnavailableCause =
  'timeout' | 'server_error' | 'rate_limited' | 'circuit_open' | 'bulkhead_full' | 'network';
export type RejectionCause =
  | 'bad_address'
  | 'unserviceable_route'
  | 'cod_not_allowed'
  | 'auth'
  | 'invalid_request'
  | 'duplicate'
  | 'not_found'
  | 'too_heavy';

/** A courier could not answer now; the same call may succeed later or at another courier. */
export class CourierUnavailableError extends AppError {
  readonly retriable = true;
  constructor(
    readonly courier: CourierCode,
    readonly reason: UnavailableCause,
    readonly rawCode: string,
    readonly rawMessage: string,
    retryAfterSeconds?: number,
  ) {
    super(
      'unavailable',
      'COURIER_UNAVAILABLE',
      `${courier} is unavailable (${reason}): ${rawMessage}`,
      [],
      retryAfterSeconds,
    );
  }
}

/** Network failures that happen before a request can reach the courier: no connection was ever made. */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'PROXY_REFUSED',
  'EPROTO',
]);

/**
 * Whether the courier may have acted on a call that failed so: its answer was lost, not the call refused
 * before the courier had it. A timeout; a connection broken once made (reset, a broken pipe, an answer cut
 * short, too large or undecodable: the request may have been read, even answered); a gateway in front of
 * the courier's own server that lost its answer (502, 504, 524), or a courier saying it timed out. A
 * connection never made (refused, a name not found, TLS or its certificate refused), our circuit or
 * bulkhead, a rate limit and another server error are not: the courier did not act. A caller of a call
 * that is no query (an order, a seller action) looks or says before treating it as not done.
 */
export function answerMayBeLost(e: CourierUnavailableError): boolean {
  if (e.reason === 'timeout') return true;
  // A gateway that lost the courier's answer (502, 504, Cloudflare's 524), or a courier saying its own
  // backend timed out: the request may have been acted on behind it.
  if (e.reason === 'server_error')
    return ['502', '504', '524'].includes(e.rawCode) || saysTimedOut(e.rawMessage);
  if (e.reason !== 'network') return false;
  // OpenSSL's verification codes (CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, …), Node's TLS ones.
  return !NEVER_SENT.has(e.rawCode) && !/CERT|TLS|SSL|^UNABLE_TO_/.test(e.rawCode);
}

/** The courier refused the request; sending it again will not help. */
export class CourierRejectedError extends AppError {
  readonly retriable = false;
  constructor(
    readonly courier: CourierCode,
    readonly reason: RejectionCause,
    readonly rawCode: string,
    readonly rawMessage: string,
  ) {
    super('business_rule', 'COURIER_REJECTED', `${courier} rejected the request (${reason}): ${rawMessage}`);
  }
}

/** A push that does not carry the courier's valid signature, or was replayed outside the time window. */
export class CourierWebhookRejectedError extends AppError {
  constructor(
    readonly courier: CourierCode,
    readonly why: 'unsigned' | 'forged' | 'stale',
  ) {
    super('unauthenticated', 'COURIER_WEBHOOK_REJECTED', `${courier} webhook rejected: ${why}`);
  }
}

/**
 * A push that holds what the courier's pushes do not (not its JSON, a field missing or of another type, an
 * overlong text): a 400 naming the field, so the courier's integrators can see what to fix. It was a 401
 * that said only "malformed", as if the signature were wrong. Nothing of it is stored.
 */
export class CourierWebhookMalformedError extends AppError {
  constructor(
    readonly courier: CourierCode,
    field: string,
    problem: string,
  ) {
    super(
      'validation',
      'COURIER_WEBHOOK_MALFORMED',
      `The ${courier} push is malformed: ${field} ${problem}`,
      [{ field, message: problem }],
    );
  }
}

/**
 * A malformed item of a push that is a list (`[1].waybillNo`, `[0]` for the item itself) or a lone object
 * (`waybillNo`, `body`): the field named as the courier sent it.
 */
export function malformedItem(
  courier: CourierCode,
  item: { list: boolean; index: number },
  field: string,
  problem: string,
): CourierWebhookMalformedError {
  const at = item.list ? `[${item.index}]` : '';
  return new CourierWebhookMalformedError(courier, [at, field].filter(Boolean).join('.') || 'body', problem);
}

export function isRetriable(e: unknown): e is CourierUnavailableError {
  return e instanceof CourierUnavailableError;
}

/**
 * A courier location file mapping fewer than half the districts the mapping in use maps: more likely a
 * sample or one province's file than the courier's coverage halved (every parcel to the other districts
 * would turn area_not_mapped). Loaded only when the operator says it is meant (`--shrink`).
 */
export class CourierLocationsShrinkError extends AppError {
  constructor(
    readonly courier: CourierCode,
    readonly districts: number,
    readonly inUse: { source: string; districts: number },
  ) {
    super(
      'business_rule',
      'COURIER_LOCATIONS_SHRINK',
      `it maps ${districts} districts; the ${inUse.source} mapping in use maps ${inUse.districts}, and ${courier} would stop carrying to the others (area_not_mapped)`,
    );
  }
}
