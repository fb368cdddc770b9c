import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { randomUUID } from 'node:crypto';
import { Clock, SystemClock } from 'src/common/clock';
import { Page, paginate } from 'src/common/pagination';
import { Transactions } from 'src/database/transaction';
import { eventBody } from './seller-event';
import {
  ListWebhookDeliveriesQueryDto,
  WebhookDeliveryDto,
  WebhookTestResultDto,
} from './webhook-deliveries.dto';
import {
  WebhookDeliveryDeliveredError,
  WebhookDeliveryInFlightError,
  WebhookDeliveryNotFoundError,
  WebhookTestRateLimitedError,
  WebhookUrlMissingError,
} from './webhook-deliveries.errors';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookSender } from './webhook-sender.service';
import { OneAtATimeLimit } from 'src/common/one-at-a-time-limit';

export function deliveryView(d: WebhookDelivery): WebhookDeliveryDto {
  return {
    id: d.id,
    eventId: d.eventId,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    lastResponseCode: d.lastResponseCode,
    lastError: d.lastError,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
  };
}

/** Test events a seller may send in a minute. */
const TESTS_PER_MINUTE = 5;

/**
 * The seller's view of its webhook outbox: what was sent and how it went, retries, a test event, and how
 * long finished deliveries are kept.
 */
@Injectable()
export class WebhookDeliveriesService {
  /**
   * One test at a time per seller, at most TESTS_PER_MINUTE a minute of real time (on this instance): a test
   * skips the delivery queue's per-seller limit and holds its request while the receiver answers.
   */
  private readonly tests = new OneAtATimeLimit(TESTS_PER_MINUTE, 60_000, 10);

  constructor(
    private readonly repository: WebhookDeliveriesRepository,
    private readonly sender: WebhookSender,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly realTime: SystemClock,
    private readonly config: AppConfig,
  ) {}

  /** The seller's deliveries, newest first. @throws ValidationFailedError for a bad cursor */
  list(sellerId: string, q: ListWebhookDeliveriesQueryDto): Promise<Page<WebhookDeliveryDto>> {
    const qb = this.tx.manager
      .createQueryBuilder(WebhookDelivery, 'd')
      .where('d.sellerId = :sellerId', { sellerId });
    if (q.status) qb.andWhere('d.status = :status', { status: q.status });
    if (q.type) qb.andWhere('d.type = :type', { type: q.type });
    return paginate(qb, 'd', q, deliveryView);
  }

  /**
   * Makes a pending or failed delivery due now, with a fresh 24-hour retry window (and backoff).
   * @throws WebhookDeliveryNotFoundError SELLERS_WEBHOOK_DELIVERY_NOT_FOUND (also another seller's)
   * @throws WebhookDeliveryDeliveredError SELLERS_WEBHOOK_DELIVERY_DELIVERED (409)
   * @throws WebhookDeliveryInFlightError SELLERS_WEBHOOK_DELIVERY_IN_FLIGHT (409): a worker is sending it
   */
  async retry(sellerId: string, id: string): Promise<WebhookDeliveryDto> {
    return this.tx.run(async (m) => {
      const now = this.clock.now();
      if (!(await this.repository.retry(sellerId, id, now))) {
        const found = await m.findOneBy(WebhookDelivery, { id, sellerId });
        if (!found) throw new WebhookDeliveryNotFoundError();
        if (found.status === 'delivered') throw new WebhookDeliveryDeliveredError();
        throw new WebhookDeliveryInFlightError();
      }
      return deliveryView(await m.findOneByOrFail(WebhookDelivery, { id, sellerId }));
    });
  }

  /**
   * Deletes the deliveries that finished (delivered, or failed with no retry left) more than
   * WEBHOOK_DELIVERY_RETENTION_DAYS before `asOf` (default: now), `sellerWebhooks.cleanupBatch` rows per
   * statement until none is left, each statement its own transaction; pending ones, retrying or not, stay
   * whatever their age. A deleted delivery is no longer listed nor retried by its seller. Returns how many.
   */
  async deleteExpired(asOf?: Date): Promise<number> {
    const retentionMs = this.config.webhooks.retentionDays * 86_400_000;
    const cutoff = new Date((asOf ?? this.clock.now()).getTime() - retentionMs);
    const batch = this.config.business.sellerWebhooks.cleanupBatch;
    let deleted = 0;
    for (;;) {
      const n = await this.repository.deleteFinishedBefore(cutoff, batch);
      deleted += n;
      if (n < batch) return deleted;
    }
  }

  /**
   * Sends a `webhook.test` event now, through the same vetting, signing and recording as every event,
   * and answers how it went. Tried once: not delivered → `failed` at once (retry it by id).
   * @throws WebhookUrlMissingError SELLERS_WEBHOOK_URL_MISSING (422 naming webhookUrl)
   * @throws WebhookTestRateLimitedError SELLERS_WEBHOOK_TEST_RATE_LIMITED (429, Retry-After): see `tests`
   */
  async sendTest(sellerId: string): Promise<WebhookTestResultDto> {
    const turn = await this.tests.run(sellerId, this.realTime.now().getTime(), () =>
      this.sendTestEvent(sellerId),
    );
    if ('refused' in turn) throw new WebhookTestRateLimitedError(turn.refused.retryAfterSeconds);
    return turn.done;
  }

  private async sendTestEvent(sellerId: string): Promise<WebhookTestResultDto> {
    const now = this.clock.now();
    const eventId = randomUUID();
    const body = eventBody({
      id: eventId,
      type: 'webhook.test',
      createdAt: now.toISOString(),
      data: { sellerId, message: 'A test event from Kirim: your receiver is reachable.' },
    });
    // Committed before sending, so the delivery is listed whatever becomes of this request.
    const claimed = await this.tx.run(() =>
      this.repository.insertClaimed(
        { id: randomUUID(), eventId, sellerId, type: 'webhook.test', body, autoRetry: false, now },
        this.sender.leaseUntil(now),
        randomUUID(),
      ),
    );
    if (!claimed) throw new WebhookUrlMissingError();
    const outcome = await this.sender.deliver(claimed);
    return {
      deliveryId: claimed.id,
      status: outcome.status === 'delivered' ? 'delivered' : 'failed',
      responseCode: outcome.responseCode,
      error: outcome.error,
    };
  }
}
