import { randomUUID } from 'node:crypto';
import { Transactions } from 'src/database/transaction';
import { JobCatalogue } from 'src/operations/jobs/job-catalogue';
import { SellerNotifications } from 'src/sellers/notifications/seller-notifications.service';
import {
  ClaimedDelivery,
  WebhookDeliveriesRepository,
} from 'src/sellers/notifications/webhook-deliveries.repository';
import { signupSeller, subscribeWebhooks, TestSeller } from '../../support/factories/sellers';
import { startTestApp, TestApp } from '../../support/test-app';

const LEASE_MS = 70_000;

describe('the webhook outbox claim (real PostgreSQL)', () => {
  let t: TestApp;
  let repository: WebhookDeliveriesRepository;
  let tx: Transactions;

  beforeAll(async () => {
    t = await startTestApp();
    repository = t.app.get(WebhookDeliveriesRepository);
    tx = t.app.get(Transactions);
  });
  afterAll(() => t.close());

  async function sellerWithEvents(n: number): Promise<TestSeller> {
    const seller = await signupSeller(t.http());
    await subscribeWebhooks(t.http(), seller);
    const notifications = t.app.get(SellerNotifications);
    await tx.run(async () => {
      for (let i = 0; i < n; i += 1)
        await notifications.enqueue(seller.sellerId, 'shipment.status_changed', { i });
    });
    return seller;
  }

  /** A claim in its own transaction, as the worker makes it. */
  const claim = (limit: number, perSeller = 4, now = t.clock.now()) =>
    tx.run(() =>
      repository.claimDue(now, new Date(now.getTime() + LEASE_MS), randomUUID(), limit, perSeller),
    );
  const bySeller = (rows: ClaimedDelivery[]) => {
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.sellerId] = (counts[r.sellerId] ?? 0) + 1;
    return counts;
  };
  /** Gives every claim back, so the next test starts with nothing in flight. */
  const releaseAll = () =>
    t.dataSource.query(
      "UPDATE webhook_deliveries SET status = 'delivered', claimed_until = NULL, claim_token = NULL",
    );

  it('spreads a batch over sellers: a big backlog takes at most the per-seller limit, the others still get theirs', async () => {
    const big = await sellerWithEvents(50);
    const small = await sellerWithEvents(1);
    const other = await sellerWithEvents(2);

    // A batch smaller than the sellers waiting: each seller's earliest first.
    const first = await claim(3);
    expect(bySeller(first)).toEqual({ [big.sellerId]: 1, [small.sellerId]: 1, [other.sellerId]: 1 });

    const second = await claim(100);
    expect(bySeller(second)).toEqual({ [big.sellerId]: 3, [other.sellerId]: 1 });
    expect(second[0]).toMatchObject({
      webhookUrl: 'http://127.0.0.1:9/never-called',
      webhookSecret: /^whsec_/,
    });

    // Everyone is at the limit or empty: nothing more until claims end.
    expect(await claim(100)).toEqual([]);
    await releaseAll();
  });

  it('a claim abandoned by a dead worker counts no more once its lease has run out, and its rows are due again', async () => {
    const seller = await sellerWithEvents(6);
    const taken = await claim(100);
    expect(taken).toHaveLength(4);
    expect(await claim(100)).toEqual([]);

    const afterLease = new Date(t.clock.now().getTime() + LEASE_MS + 1000);
    const again = await claim(100, 4, afterLease);
    expect(again).toHaveLength(4);
    // The two never claimed come first (earliest due), then two of the abandoned ones.
    expect(again.filter((r) => taken.some((x) => x.id === r.id))).toHaveLength(2);
    // The old holder can no longer record its attempt: its token is not the claim's.
    const stale = taken.find((x) => again.some((r) => r.id === x.id))!;
    const record = {
      status: 'delivered' as const,
      attemptedAt: afterLease,
      windowStartedAt: afterLease,
      nextAttemptAt: null,
      responseCode: 200,
      error: null,
      now: afterLease,
    };
    expect(await repository.recordAttempt(stale.id, stale.claimToken, record)).toBe(false);
    const current = again.find((r) => r.id === stale.id)!;
    expect(await repository.recordAttempt(current.id, current.claimToken, record)).toBe(true);
    expect(bySeller(again)).toEqual({ [seller.sellerId]: 4 });
    await releaseAll();
  });

  it('many claims at once never put more than the per-seller limit in flight, nor take a row twice', async () => {
    const a = await sellerWithEvents(30);
    const b = await sellerWithEvents(30);
    const claims = await Promise.all(Array.from({ length: 8 }, () => claim(100, 3)));
    const all = claims.flat();
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    expect(bySeller(all)).toEqual({ [a.sellerId]: 3, [b.sellerId]: 3 });
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM webhook_deliveries WHERE claimed_until > $1',
      [t.clock.now()],
    );
    expect(n).toBe(6);
    await releaseAll();
  });

  it('finds due work by index, not by reading the table', async () => {
    const plan = await t.dataSource.transaction(async (m) => {
      await m.query('SET LOCAL enable_seqscan = off');
      const rows = await m.query<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN SELECT seller_id FROM webhook_deliveries WHERE status = 'pending' AND seller_id > $1
         ORDER BY seller_id LIMIT 1`,
        [randomUUID()],
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('idx_webhook_deliveries_due');
  });
});

describe('events written at commit (real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const outbox = (sellerId: string) =>
    t.dataSource.query<{ type: string; body: string }[]>(
      'SELECT type, body FROM webhook_deliveries WHERE seller_id = $1 ORDER BY created_at, id',
      [sellerId],
    );

  it('writes a transaction’s events once it ends, subscribed sellers only, each with its own body; none after a rollback', async () => {
    const http = t.http();
    const subscribed = await signupSeller(http);
    const quiet = await signupSeller(http, 'Toko Sepi');
    await subscribeWebhooks(http, subscribed);
    const notifications = t.app.get(SellerNotifications);
    const tx = t.app.get(Transactions);

    await tx.run(async () => {
      for (let i = 0; i < 3; i += 1) {
        await notifications.enqueueAtCommit(subscribed.sellerId, 'shipment.status_changed', { i });
        await notifications.enqueueAtCommit(quiet.sellerId, 'shipment.status_changed', { i });
      }
      // Deferred: nothing in the outbox until the transaction ends.
      expect(await outbox(subscribed.sellerId)).toEqual([]);
    });
    const written = await outbox(subscribed.sellerId);
    expect(written.map((w) => (JSON.parse(w.body) as { data: { i: number } }).data.i).sort()).toEqual([
      0, 1, 2,
    ]);
    expect(new Set(written.map((w) => (JSON.parse(w.body) as { id: string }).id)).size).toBe(3);
    expect(await outbox(quiet.sellerId)).toEqual([]);

    await expect(
      tx.run(async () => {
        await notifications.enqueueAtCommit(subscribed.sellerId, 'shipment.at_risk', { lost: true });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await outbox(subscribed.sellerId)).toHaveLength(3);

    // Outside a transaction: written at once.
    await notifications.enqueueAtCommit(subscribed.sellerId, 'shipment.at_risk', { alone: true });
    expect((await outbox(subscribed.sellerId)).map((w) => w.type)).toContain('shipment.at_risk');
  });
});

describe('the retention of finished deliveries (real PostgreSQL)', () => {
  const DAY_MS = 86_400_000;
  let t: TestApp;
  let repository: WebhookDeliveriesRepository;

  beforeAll(async () => {
    // A retention other than the default, and batches small enough that a run needs several.
    t = await startTestApp({ WEBHOOK_DELIVERY_RETENTION_DAYS: '7' }, undefined, {
      configure: (c) => {
        c.business.sellerWebhooks.cleanupBatch = 2;
      },
    });
    repository = t.app.get(WebhookDeliveriesRepository);
  });
  afterAll(() => t.close());

  /** `n` events of the seller, written and claimed now, as the worker would. */
  async function claimedEvents(seller: TestSeller, n: number): Promise<ClaimedDelivery[]> {
    const notifications = t.app.get(SellerNotifications);
    for (let i = 0; i < n; i += 1)
      await notifications.enqueue(seller.sellerId, 'shipment.status_changed', { i });
    const now = t.clock.now();
    return t.app.get(Transactions).run(() =>
      repository.claimDue(now, new Date(now.getTime() + LEASE_MS), randomUUID(), 100, 100, {
        only: [seller.sellerId],
      }),
    );
  }

  /** Records the delivery's attempt now: delivered, failed for good, or failed and due again in a year. */
  async function attempt(d: ClaimedDelivery, status: 'delivered' | 'failed' | 'pending'): Promise<void> {
    const now = t.clock.now();
    const recorded = await repository.recordAttempt(d.id, d.claimToken, {
      status,
      attemptedAt: now,
      windowStartedAt: now,
      nextAttemptAt: status === 'pending' ? new Date(now.getTime() + 365 * DAY_MS) : null,
      responseCode: status === 'delivered' ? 200 : 500,
      error: status === 'delivered' ? null : 'HTTP 500',
      now,
    });
    expect(recorded).toBe(true);
  }

  const remaining = async (sellerId: string) =>
    (
      await t.dataSource.query<{ id: string }[]>('SELECT id FROM webhook_deliveries WHERE seller_id = $1', [
        sellerId,
      ])
    )
      .map((r) => r.id)
      .sort();

  it('deletes finished deliveries past the retention in several batches, and keeps recent and pending ones of any age', async () => {
    const seller = await signupSeller(t.http());
    await subscribeWebhooks(t.http(), seller);

    // Eight days before the run: five delivered and one failed for good (six rows: three batches of two), one
    // failed and due again in a year, one failed for good that its seller will retry.
    const [d1, d2, d3, d4, d5, failed, retrying, retriedBySeller] = await claimedEvents(seller, 8);
    for (const d of [d1, d2, d3, d4, d5]) await attempt(d, 'delivered');
    await attempt(failed, 'failed');
    await attempt(retrying, 'pending');
    await attempt(retriedBySeller, 'failed');

    // Six days before the run: the retried one fails for good again, another is delivered; one is being sent
    // and one not yet tried.
    t.clock.advance(2 * DAY_MS);
    await t
      .http()
      .post(`/v1/webhook-deliveries/${retriedBySeller.id}/retry`)
      .set(seller.auth)
      .send()
      .expect(200);
    const both = await claimedEvents(seller, 1);
    expect(both.map((d) => d.id)).toContain(retriedBySeller.id);
    for (const d of both) await attempt(d, d.id === retriedBySeller.id ? 'failed' : 'delivered');
    const recent = both.find((d) => d.id !== retriedBySeller.id)!;
    const [inFlight] = await claimedEvents(seller, 1);
    await t.app.get(SellerNotifications).enqueue(seller.sellerId, 'shipment.status_changed', { later: true });
    const [{ id: neverTried }] = await t.dataSource.query<{ id: string }[]>(
      'SELECT id FROM webhook_deliveries WHERE seller_id = $1 AND attempts = 0 AND claimed_until IS NULL',
      [seller.sellerId],
    );

    t.clock.advance(6 * DAY_MS);
    const kept = [retrying.id, retriedBySeller.id, recent.id, inFlight.id, neverTried].sort();
    expect(await t.app.get(JobCatalogue).run('webhook-deliveries-cleanup')).toBe(6);
    expect(await remaining(seller.sellerId)).toEqual(kept);

    // The seller no longer sees a deleted delivery, nor can retry it.
    const list = await t.http().get('/v1/webhook-deliveries').set(seller.auth).expect(200);
    expect((list.body as { items: { id: string }[] }).items.map((i) => i.id).sort()).toEqual(kept);
    await t.http().post(`/v1/webhook-deliveries/${failed.id}/retry`).set(seller.auth).send().expect(404);

    // A year later, the pending ones are still there; the finished ones are gone.
    t.clock.advance(365 * DAY_MS);
    expect(await t.app.get(JobCatalogue).run('webhook-deliveries-cleanup')).toBe(2);
    expect(await remaining(seller.sellerId)).toEqual([retrying.id, inFlight.id, neverTried].sort());
  });

  it('finds old finished deliveries by index, not by reading the table', async () => {
    const plan = await t.dataSource.transaction(async (m) => {
      await m.query('SET LOCAL enable_seqscan = off');
      const rows = await m.query<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN SELECT id FROM webhook_deliveries
         WHERE status IN ('delivered', 'failed') AND last_attempt_at < $1
         ORDER BY last_attempt_at LIMIT 5000`,
        [t.clock.now()],
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('idx_webhook_deliveries_finished');
  });
});
