import { AppError } from 'src/common/errors/app-error';
import type { CourierCode } from './courier-adapter';

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
    readonly why: 'unsigned' | 'forged' | 'stale' | 'malformed',
  ) {
    super('unauthenticated', 'COURIER_WEBHOOK_REJECTED', `${courier} webhook rejected: ${why}`);
  }
}

export function isRetriable(e: unknown): e is CourierUnavailableError {
  return e instanceof CourierUnavailableError;
}
