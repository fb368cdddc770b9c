import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'config';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import { Clock } from 'src/common/clock';
import { MetricsService } from 'src/common/metrics.service';
import { TtlCache } from 'src/common/ttl-cache';
import { Transactions } from 'src/database/transaction';
import { nextAttemptAt, RetryPolicy } from './webhook-backoff';
import { ClaimedDelivery, WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import type { DeliveryStatus } from './webhook-delivery.entity';
import { SellerWebhookClient } from './seller-webhook.client';

export interface DeliveryOutcome {
  status: DeliveryStatus;
  responseCode: number | null;
  error: string | null;
}

/** What one worker run did. */
export interface SenderRunResult {
  attempted: number;
  delivered: number;
  /** Failed this time, due again later. */
  retrying: number;
  /** Out of retries: `failed`. */
  failed: number;
}

/**
 * The webhook outbox worker. A run claims due deliveries (the per-seller limit is enforced in the claim,
 * across instances) and sends each one concurrently from this instance's pool, so a slow or dead receiver
 * holds only its own deliveries: the run keeps claiming and starting others' while one hangs. Sellers
 * whose receiver failed lately are served one delivery at a time from at most half the pool, so however
 * many receivers hang (one person can sign up several shops), the others' webhooks still go out.
 */
@Injectable()
export class WebhookSender {
  private readonly logger = new Logger(WebhookSender.name);
  private readonly policy: RetryPolicy;
  /** Deliveries in flight in this instance, all runs together (WEBHOOK_CONCURRENCY bounds it). */
  private inFlight = 0;
  /** Sellers whose receiver failed their last attempt from this instance, until one answers 2xx. */
  private readonly struggling: TtlCache<string, true>;
  /** Of `inFlight`, the deliveries of struggling sellers (at most half of WEBHOOK_CONCURRENCY, at least one). */
  private inFlightStruggling = 0;
  private readonly attempts: Counter<'result'>;

  constructor(
    private readonly repository: WebhookDeliveriesRepository,
    private readonly client: SellerWebhookClient,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    const c = config.business.sellerWebhooks;
    this.policy = {
      baseMs: c.retryBaseSeconds * 1000,
      capMs: c.retryCapSeconds * 1000,
      windowMs: c.retryWindowHours * 3600_000,
    };
    this.struggling = new TtlCache(c.strugglingMinutes * 60_000);
    this.attempts = new Counter({
      name: 'kirim_seller_webhook_attempts_total',
      help: 'Seller webhook attempts by result: delivered, retrying (failed, due again) or failed (out of retries)',
      labelNames: ['result'] as const,
      registers: [metrics.registry],
    });
  }

  /** How long a claim lasts: the send's deadline (DNS included) plus a margin. */
  leaseUntil(now: Date): Date {
    const marginMs = this.config.business.sellerWebhooks.leaseMarginSeconds * 1000;
    return new Date(now.getTime() + this.config.webhooks.timeoutMs + marginMs);
  }

  /**
   * One worker run: claims due deliveries as long as this instance's pool has room and work is due (for up
   * to the run budget), sends them concurrently, claims again as sends finish, and returns once what it
   * started has finished. `asOf` claims what is due by then (default: now).
   */
  async runDue(asOf?: Date): Promise<SenderRunResult> {
    const result: SenderRunResult = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
    const until = performance.now() + this.config.business.sellerWebhooks.runBudgetMs;
    const running = new Set<Promise<void>>();
    let nothingDue = false;
    /** Sends finished so far: one that finished while a claim ran may have freed its seller's room. */
    let finished = 0;
    for (;;) {
      const room = this.config.webhooks.concurrency - this.inFlight;
      if (!nothingDue && room > 0 && performance.now() < until) {
        const before = finished;
        const batch = await this.claim(room, asOf);
        nothingDue = batch.length === 0 && finished === before;
        for (const { delivery, lane } of batch) {
          this.inFlight += 1;
          if (lane === 'struggling') this.inFlightStruggling += 1;
          const sending: Promise<void> = this.deliver(delivery)
            .then(
              (outcome) => {
                result.attempted += 1;
                result[outcome.status === 'pending' ? 'retrying' : outcome.status] += 1;
              },
              (e: unknown) => {
                // Left claimed: it is due again when the lease runs out.
                this.logger.error(
                  { err: e, delivery: delivery.id },
                  'sending a seller webhook failed unexpectedly',
                );
              },
            )
            .finally(() => {
              this.inFlight -= 1;
              if (lane === 'struggling') this.inFlightStruggling -= 1;
              finished += 1;
              running.delete(sending);
            });
          running.add(sending);
        }
        if (batch.length || !nothingDue) continue;
      }
      if (!running.size) break;
      // A send finished: its seller may have room again, so look for due work once more.
      await Promise.race(running);
      nothingDue = false;
    }
    return result;
  }

  /** Due deliveries for `room` places: other sellers' first, then struggling sellers' in their share. */
  private async claim(
    room: number,
    asOf?: Date,
  ): Promise<{ delivery: ClaimedDelivery; lane: 'healthy' | 'struggling' }[]> {
    const now = asOf ?? this.clock.now();
    const claimDue = (limit: number, perSeller: number, sellers: { only: string[] } | { except: string[] }) =>
      this.tx.run(() =>
        this.repository.claimDue(now, this.leaseUntil(now), randomUUID(), limit, perSeller, sellers),
      );
    const struggling = this.struggling.keys();
    const healthy = await claimDue(room, this.config.webhooks.perSellerConcurrency, { except: struggling });
    // At least one place: a pool of one (WEBHOOK_CONCURRENCY=1) has no half, and a seller whose receiver
    // failed would wait for its struggling mark to expire (an hour) instead of its backoff. Healthy sellers
    // are claimed first, so they still go before it.
    const share = this.strugglingShare() - this.inFlightStruggling;
    const slowRoom = Math.min(room - healthy.length, share);
    const slow = struggling.length && slowRoom > 0 ? await claimDue(slowRoom, 1, { only: struggling }) : [];
    return [
      ...healthy.map((delivery) => ({ delivery, lane: 'healthy' as const })),
      ...slow.map((delivery) => ({ delivery, lane: 'struggling' as const })),
    ];
  }

  /** Of WEBHOOK_CONCURRENCY, what struggling sellers may hold together: half, at least one. */
  private strugglingShare(): number {
    return Math.max(1, Math.floor(this.config.webhooks.concurrency / 2));
  }

  /**
   * Sends one claimed delivery and records the attempt: 2xx → delivered; otherwise due again after a
   * jittered backoff, or `failed` once the retry window (24 h from when the event was written, or the seller
   * asked for it again) is over, or at once for a test event.
   */
  async deliver(d: ClaimedDelivery): Promise<DeliveryOutcome> {
    const attemptedAt = this.clock.now();
    const attempt =
      d.webhookUrl && d.webhookSecret
        ? await this.client.send(d.webhookUrl, d.webhookSecret, d)
        : { delivered: false, responseCode: null, error: 'not sent: no webhook URL is configured' };
    const now = this.clock.now();
    const { windowStartedAt } = d;
    const next =
      attempt.delivered || !d.autoRetry
        ? null
        : nextAttemptAt(windowStartedAt, now, d.windowAttempts + 1, this.policy, Math.random);
    const status: DeliveryStatus = attempt.delivered ? 'delivered' : next ? 'pending' : 'failed';
    if (attempt.delivered) this.struggling.delete(d.sellerId);
    else this.struggling.set(d.sellerId, true);
    const recorded = await this.repository.recordAttempt(d.id, d.claimToken, {
      status,
      attemptedAt,
      windowStartedAt,
      nextAttemptAt: next,
      responseCode: attempt.responseCode,
      error: attempt.error,
      now,
    });
    if (!recorded)
      this.logger.warn({ delivery: d.id }, 'a seller webhook claim ran out before its attempt was recorded');
    this.attempts.inc({ result: status === 'pending' ? 'retrying' : status });
    return { status, responseCode: attempt.responseCode, error: attempt.error };
  }
}
