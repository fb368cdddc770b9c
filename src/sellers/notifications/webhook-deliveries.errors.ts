import {
  BusinessRuleError,
  InvalidStateError,
  NotFoundError,
  RateLimitedError,
} from 'src/common/errors/app-error';

export class WebhookDeliveryNotFoundError extends NotFoundError {
  constructor() {
    super('SELLERS_WEBHOOK_DELIVERY_NOT_FOUND', 'No such webhook delivery');
  }
}

export class WebhookDeliveryDeliveredError extends InvalidStateError {
  constructor() {
    super(
      'SELLERS_WEBHOOK_DELIVERY_DELIVERED',
      'This webhook was delivered already; a delivered event is not sent again',
    );
  }
}

export class WebhookDeliveryInFlightError extends InvalidStateError {
  constructor() {
    super(
      'SELLERS_WEBHOOK_DELIVERY_IN_FLIGHT',
      'This webhook is being sent right now; look at its outcome before retrying',
    );
  }
}

/** A test event needs somewhere to go: a 422 naming `webhookUrl`. */
export class WebhookUrlMissingError extends BusinessRuleError {
  constructor() {
    super('SELLERS_WEBHOOK_URL_MISSING', 'No webhook URL is configured; set one with PATCH /v1/settings', [
      { field: 'webhookUrl', message: 'is not set' },
    ]);
  }
}

/** Test events are sent one at a time per seller, and a few a minute: each holds a request up to 10 s. */
export class WebhookTestRateLimitedError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super(
      'SELLERS_WEBHOOK_TEST_RATE_LIMITED',
      'A test event is being sent, or several were sent in the last minute; try again shortly',
      retryAfterSeconds,
    );
  }
}
