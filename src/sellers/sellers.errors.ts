import {
  BusinessRuleError,
  ConflictError,
  NotFoundError,
  RateLimitedError,
  UnavailableError,
  ValidationFailedError,
} from 'src/common/errors/app-error';

/** `field`: the body field that named the address (none when it came in the path). */
export class AddressNotFoundError extends NotFoundError {
  constructor(field?: string) {
    super(
      'SELLERS_ADDRESS_NOT_FOUND',
      'No such pickup address',
      field ? [{ field, message: 'is not one of your pickup addresses' }] : [],
    );
  }
}

/** `field`: the body field that named the account (none when it came in the path). */
export class BankAccountNotFoundError extends NotFoundError {
  constructor(field?: string) {
    super(
      'SELLERS_BANK_ACCOUNT_NOT_FOUND',
      'No such bank account',
      field ? [{ field, message: 'is not one of your bank accounts' }] : [],
    );
  }
}

export class DuplicateBankAccountError extends ConflictError {
  constructor() {
    super('SELLERS_BANK_ACCOUNT_EXISTS', 'This bank account is already registered', [
      { field: 'accountNumber', message: 'is already registered for this bank' },
    ]);
  }
}

/** The webhook URL's shape is refused (scheme, credentials): a 400 naming `webhookUrl`. */
export class WebhookUrlInvalidError extends ValidationFailedError {
  constructor(problem: string) {
    super([{ field: 'webhookUrl', message: problem }], `webhookUrl ${problem}`);
  }
}

export class WebhookTargetForbiddenError extends BusinessRuleError {
  constructor(why: string) {
    super(
      'SELLERS_WEBHOOK_TARGET_FORBIDDEN',
      `webhookUrl points to ${why}; webhooks are sent to public internet addresses only`,
      [{ field: 'webhookUrl', message: `points to ${why}` }],
    );
  }
}

/** A host name that does not resolve to public internet addresses (none at all, or one not allowed). */
export class WebhookHostUnresolvableError extends BusinessRuleError {
  constructor(host: string) {
    super(
      'SELLERS_WEBHOOK_HOST_UNRESOLVABLE',
      `webhookUrl's host ${host} does not resolve to public internet addresses`,
      [{ field: 'webhookUrl', message: `host ${host} does not resolve to public internet addresses` }],
    );
  }
}

export class WebhookDnsUnavailableError extends UnavailableError {
  constructor() {
    super(
      'SELLERS_WEBHOOK_DNS_UNAVAILABLE',
      'The webhook host could not be looked up just now; try again',
      30,
    );
  }
}

/**
 * A seller's webhook URLs checked too often (each costs a DNS lookup on the instance's shared resolver): one
 * at a time, WEBHOOK_URL_CHECKS per WEBHOOK_URL_CHECK_WINDOW_SECONDS.
 */
export class WebhookUrlChecksRateLimitedError extends RateLimitedError {
  constructor(retryAfterSeconds: number, inFlight: boolean) {
    super(
      'SELLERS_WEBHOOK_URL_RATE_LIMITED',
      inFlight
        ? 'Another webhook URL of yours is being checked; send this one when it has answered'
        : 'Too many webhook URL changes in a short time; try again later',
      retryAfterSeconds,
    );
  }
}
