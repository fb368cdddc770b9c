import { Injectable } from '@nestjs/common';
import { queryPrepared } from 'src/database/prepared';
import { Transactions } from 'src/database/transaction';
import type { SellerEventType } from './seller-event';
import type { DeliveryStatus } from './webhook-delivery.entity';

/** A delivery a worker holds: what to send, where, and what the backoff needs to know. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  sellerId: string;
  type: SellerEventType;
  body: string;
  autoRetry: boolean;
  windowAttempts: number;
  /**
   * The retry window's start: when the event was written, or when the seller last asked for it again. Not
   * its first attempt: a seller's deliveries wait behind each other while its receiver fails, and a window
   * from each one's first attempt never let a backlog end.
   */
  windowStartedAt: Date;
  claimToken: string;
  /** The seller's settings now (a changed URL or rotated secret applies to the next attempt). */
  webhookUrl: string | null;
  webhookSecret: string | null;
}

export interface NewDelivery {
  id: string;
  eventId: string;
  sellerId: string;
  type: SellerEventType;
  body: string;
  autoRetry: boolean;
  now: Date;
}

export interface AttemptRecord {
  status: DeliveryStatus;
  attemptedAt: Date;
  /** The retry window's start (the attempt's own time when it is the window's first). */
  windowStartedAt: Date;
  /** Pending: when it is due again; otherwise ignored. */
  nextAttemptAt: Date | null;
  responseCode: number | null;
  error: string | null;
  now: Date;
}

interface ClaimedRow {
  id: string;
  event_id: string;
  seller_id: string;
  type: SellerEventType;
  body: string;
  auto_retry: boolean;
  window_attempts: number;
  window_started_at: Date;
  claim_token: string;
  webhook_url: string | null;
  webhook_secret: string | null;
}

const claimed = (r: ClaimedRow): ClaimedDelivery => ({
  id: r.id,
  eventId: r.event_id,
  sellerId: r.seller_id,
  type: r.type,
  body: r.body,
  autoRetry: r.auto_retry,
  windowAttempts: r.window_attempts,
  windowStartedAt: r.window_started_at,
  claimToken: r.claim_token,
  webhookUrl: r.webhook_url,
  webhookSecret: r.webhook_secret,
});

const CLAIMED_COLUMNS =
  'c.id, c.event_id, c.seller_id, c.type, c.body, c.auto_retry, c.window_attempts, ' +
  'coalesce(c.window_started_at, c.created_at) AS window_started_at, c.claim_token';

/** The webhook outbox in SQL: inserts in the caller's transaction, claims with a lease, attempts, retries. */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * Writes, in the current transaction and in their order, the deliveries whose sellers have a webhook URL
   * (one statement however many); the others are not written. How many were written.
   */
  async insertIfSubscribed(ds: NewDelivery[]): Promise<number> {
    if (!ds.length) return 0;
    const inserted = await queryPrepared<{ id: string }>(
      this.tx.manager,
      'webhook_deliveries_insert',
      `INSERT INTO webhook_deliveries (id, event_id, seller_id, type, body, status, auto_retry, attempts, window_attempts,
         next_attempt_at, created_at, updated_at)
       SELECT d.id, d.event_id, d.seller_id, d.type, d.body, 'pending', d.auto_retry, 0, 0, d.at, d.at, d.at
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::boolean[], $7::timestamptz[])
                WITH ORDINALITY AS d(id, event_id, seller_id, type, body, auto_retry, at, n)
         JOIN seller_settings s ON s.seller_id = d.seller_id AND s.webhook_url IS NOT NULL
        ORDER BY d.n
       RETURNING id`,
      [
        ds.map((d) => d.id),
        ds.map((d) => d.eventId),
        ds.map((d) => d.sellerId),
        ds.map((d) => d.type),
        ds.map((d) => d.body),
        ds.map((d) => d.autoRetry),
        ds.map((d) => d.now),
      ],
    );
    return inserted.length;
  }

  /**
   * Writes a delivery already claimed by the caller until `leaseUntil` (a test event sent at once), or
   * nothing when the seller has no webhook URL (null).
   */
  async insertClaimed(d: NewDelivery, leaseUntil: Date, token: string): Promise<ClaimedDelivery | null> {
    const rows = await this.tx.manager.query<ClaimedRow[]>(
      `WITH s AS (
         SELECT seller_id, webhook_url, webhook_secret FROM seller_settings WHERE seller_id = $3 AND webhook_url IS NOT NULL
       ), c AS (
         INSERT INTO webhook_deliveries (id, event_id, seller_id, type, body, status, auto_retry, attempts, window_attempts,
           next_attempt_at, claimed_until, claim_token, created_at, updated_at)
         SELECT $1, $2, $3, $4, $5, 'pending', $6, 0, 0, $8, $8, $9, $7, $7 FROM s
         RETURNING *
       )
       SELECT ${CLAIMED_COLUMNS}, s.webhook_url, s.webhook_secret FROM c JOIN s ON s.seller_id = c.seller_id`,
      [d.id, d.eventId, d.sellerId, d.type, d.body, d.autoRetry, d.now, leaseUntil, token],
    );
    return rows.length ? claimed(rows[0]) : null;
  }

  /**
   * Claims up to `limit` due deliveries, at most `perSeller` in flight per seller counting every worker's
   * live claims, spread over sellers (each seller's earliest first, then each one's second, …) so one
   * seller's backlog never fills a batch. Must run in its own transaction:
   * 1. sellers with due work and room are picked by walking the pending index seller by seller (cost grows
   *    with sellers waiting, not with one seller's backlog), and each is locked for this transaction with
   *    a try-advisory lock: a seller another worker is claiming right now is skipped, not waited for;
   * 2. a second statement (a fresh snapshot, so every claim committed before the lock is seen) counts
   *    each locked seller's live claims and takes only the rows that fit, FOR UPDATE SKIP LOCKED.
   * A claim pushes `next_attempt_at` to the lease's end: a worker that dies leaves its rows due again then.
   */
  async claimDue(
    now: Date,
    leaseUntil: Date,
    token: string,
    limit: number,
    perSeller: number,
    /** Only these sellers' deliveries (`only`), or any but these (`except`). */
    which: { only: string[] } | { except: string[] } = { except: [] },
  ): Promise<ClaimedDelivery[]> {
    const m = this.tx.manager;
    const sellers = await m.query<{ seller_id: string }[]>(
      `WITH RECURSIVE pending AS (
         (SELECT seller_id FROM webhook_deliveries WHERE status = 'pending' ORDER BY seller_id LIMIT 1)
         UNION ALL
         SELECT (SELECT w.seller_id FROM webhook_deliveries w
                 WHERE w.status = 'pending' AND w.seller_id > p.seller_id ORDER BY w.seller_id LIMIT 1)
         FROM pending p WHERE p.seller_id IS NOT NULL
       ), candidates AS MATERIALIZED (
         SELECT p.seller_id FROM pending p
         CROSS JOIN LATERAL (
           SELECT w.next_attempt_at FROM webhook_deliveries w
           WHERE w.status = 'pending' AND w.seller_id = p.seller_id ORDER BY w.next_attempt_at LIMIT 1
         ) earliest
         WHERE p.seller_id IS NOT NULL AND earliest.next_attempt_at <= $1
           AND (SELECT count(*) FROM webhook_deliveries b WHERE b.seller_id = p.seller_id AND b.claimed_until > $1) < $2
           AND ($4::uuid[] IS NULL OR p.seller_id = ANY($4::uuid[])) AND NOT (p.seller_id = ANY($5::uuid[]))
         ORDER BY earliest.next_attempt_at LIMIT $3
       )
       SELECT seller_id FROM candidates
       WHERE pg_try_advisory_xact_lock(hashtext('kirim:seller-webhooks'), hashtext(seller_id::text))`,
      [now, perSeller, limit, 'only' in which ? which.only : null, 'except' in which ? which.except : []],
    );
    if (!sellers.length) return [];
    const rows = await m.query<ClaimedRow[]>(
      `WITH busy AS (
         SELECT seller_id, count(*)::int AS n FROM webhook_deliveries
         WHERE seller_id = ANY($1::uuid[]) AND claimed_until > $2 GROUP BY seller_id
       ), ranked AS (
         SELECT w.id, w.next_attempt_at,
           row_number() OVER (PARTITION BY w.seller_id ORDER BY w.next_attempt_at, w.id) AS rn
         FROM unnest($1::uuid[]) AS s(seller_id)
         CROSS JOIN LATERAL (
           SELECT d.id, d.seller_id, d.next_attempt_at FROM webhook_deliveries d
           WHERE d.status = 'pending' AND d.seller_id = s.seller_id AND d.next_attempt_at <= $2
           ORDER BY d.next_attempt_at, d.id
           LIMIT greatest(0, $3 - coalesce((SELECT busy.n FROM busy WHERE busy.seller_id = s.seller_id), 0))
         ) w
       ), chosen AS (
         SELECT id FROM ranked ORDER BY rn, next_attempt_at, id LIMIT $4
       ), locked AS (
         SELECT d.id FROM webhook_deliveries d
         WHERE d.id IN (SELECT id FROM chosen) AND d.status = 'pending' AND d.next_attempt_at <= $2
         FOR UPDATE SKIP LOCKED
       ), c AS (
         UPDATE webhook_deliveries d SET claimed_until = $5, next_attempt_at = $5, claim_token = $6, updated_at = $2
         FROM locked WHERE d.id = locked.id
         RETURNING d.*
       )
       SELECT ${CLAIMED_COLUMNS}, s.webhook_url, s.webhook_secret
       FROM c JOIN seller_settings s ON s.seller_id = c.seller_id`,
      [sellers.map((s) => s.seller_id), now, perSeller, limit, leaseUntil, token],
    );
    return rows.map(claimed);
  }

  /**
   * Records an attempt and releases the claim, only for the claim's holder. False when the claim was lost
   * (its lease ran out and another worker took the delivery, or the seller asked for a retry meanwhile).
   */
  async recordAttempt(id: string, token: string, a: AttemptRecord): Promise<boolean> {
    const [, n] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE webhook_deliveries SET status = $3::text, attempts = attempts + 1, window_attempts = window_attempts + 1,
         window_started_at = $5, next_attempt_at = coalesce($6::timestamptz, $4::timestamptz),
         last_response_code = $7, last_error = $8, last_attempt_at = $4::timestamptz,
         delivered_at = CASE WHEN $3::text = 'delivered' THEN $4::timestamptz END,
         claimed_until = NULL, claim_token = NULL, updated_at = $9
       WHERE id = $1 AND claim_token = $2`,
      [
        id,
        token,
        a.status,
        a.attemptedAt,
        a.windowStartedAt,
        a.nextAttemptAt,
        a.responseCode,
        a.error,
        a.now,
      ],
    );
    return n === 1;
  }

  /**
   * Deletes up to `limit` finished deliveries (delivered, or failed with no retry left) whose last attempt
   * was before `cutoff`, oldest first, in one statement of its own; returns how many. A finished row is last
   * written by the attempt that finished it, so `last_attempt_at` is when it finished; a failed one a seller
   * retries is pending again and kept. SKIP LOCKED: a row a seller's retry holds is left to the next run.
   */
  async deleteFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    const [, n] = await this.tx.manager.query<[unknown, number]>(
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT id FROM webhook_deliveries
         WHERE status IN ('delivered', 'failed') AND last_attempt_at < $1
         ORDER BY last_attempt_at LIMIT $2
         FOR UPDATE SKIP LOCKED
       )`,
      [cutoff, limit],
    );
    return n;
  }

  /**
   * Makes a pending or failed delivery of the seller due at `now` with a fresh retry window. False when
   * there is no such delivery, it is delivered, or a worker is sending it right now.
   */
  async retry(sellerId: string, id: string, now: Date): Promise<boolean> {
    const [, n] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $3, window_started_at = $3,
         window_attempts = 0, claimed_until = NULL, claim_token = NULL, updated_at = $3
       WHERE id = $1 AND seller_id = $2 AND status <> 'delivered' AND (claimed_until IS NULL OR claimed_until <= $3)`,
      [id, sellerId, now],
    );
    return n === 1;
  }
}
