import { AppConfig } from 'config';
import { createHmac, timingSafeEqual } from 'node:crypto';
import supertest from 'supertest';
import { Transactions } from 'src/database/transaction';
import type { SellerEventType } from 'src/sellers/notifications/seller-event';
import { SellerNotifications } from 'src/sellers/notifications/seller-notifications.service';
import { verifySignature } from 'src/sellers/notifications/webhook-signature';
import { WebhookDeliveriesRepository } from 'src/sellers/notifications/webhook-deliveries.repository';
import { WebhookSender } from 'src/sellers/notifications/webhook-sender.service';
import { PickupService } from 'src/shipments/pickup.service';
import { createOperator } from '../support/factories/operators';
import {
  createAddress,
  signupSeller,
  subscribeWebhooks,
  TestSeller,
  validShipment,
} from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { gate, ReceivedWebhook, WebhookReceiver } from '../support/webhook-receiver';

/**
 * The receiver's check written from the contract alone (API.md), not with Kirim's verifySignature:
 * `t=<unix>,v1=<hex hmac-sha256 of "t.body">`, keyed with the secret's text, t within 5 minutes.
 */
function independentlyVerified(secret: string, raw: Buffer, header: string, nowMs: number): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.concat([Buffer.from(`${match[1]}.`, 'utf8'), raw]))
    .digest();
  const fresh = Math.abs(nowMs / 1000 - Number(match[1])) <= 300;
  return fresh && timingSafeEqual(mac, Buffer.from(match[2], 'hex'));
}

interface Delivery {
  id: string;
  eventId: string;
  type: string;
  status: string;
  attempts: number;
  lastResponseCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('seller webhooks: outbox, signatures, retries, isolation between sellers', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let receiver: WebhookReceiver;
  let notifications: SellerNotifications;
  let sender: WebhookSender;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    receiver = await WebhookReceiver.start();
    notifications = t.app.get(SellerNotifications);
    sender = t.app.get(WebhookSender);
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  /** A seller whose webhooks go to `path` on the shared receiver (or `url`); returns it with its secret. */
  async function subscribed(
    path: string,
    url = receiver.url(path),
  ): Promise<TestSeller & { secret: string }> {
    const seller = await signupSeller(http, `Toko ${path}`);
    return { ...seller, secret: await subscribeWebhooks(http, seller, url) };
  }

  /** What a module does: the event written inside its own transaction. */
  const enqueue = (sellerId: string, type: SellerEventType, data: Record<string, unknown>) =>
    t.app.get(Transactions).run(() => notifications.enqueue(sellerId, type, data));

  async function deliveries(seller: TestSeller, query = ''): Promise<Delivery[]> {
    const res = await http.get(`/v1/webhook-deliveries?limit=500${query}`).set(seller.auth).expect(200);
    return res.body.items as Delivery[];
  }

  const advance = (ms: number) => {
    t.clock.advance(ms);
    t.realClock.advance(ms);
  };

  it('delivers events written in a transaction, signed so the receiver can verify them; a tampered body fails', async () => {
    const seller = await subscribed('/signed');
    const ids = await t.app.get(Transactions).run(async () => [
      await notifications.enqueue(seller.sellerId, 'shipment.status_changed', {
        shipmentId: 'ship-1',
        status: 'delivered',
        note: 'Diterima oleh Budi ✓',
      }),
      await notifications.enqueue(seller.sellerId, 'shipment.at_risk', { shipmentId: 'ship-1', rule: 'x' }),
    ]);
    expect(ids).toEqual([expect.any(String), expect.any(String)]);
    // Nothing is sent at enqueue: only the worker sends.
    expect(receiver.received.filter((r) => r.path === '/signed')).toEqual([]);

    expect(await sender.runDue()).toMatchObject({ attempted: 2, delivered: 2 });
    const got = receiver.received.filter((r) => r.path === '/signed');
    expect(got.map((r) => r.eventId).sort()).toEqual([...ids].sort());
    for (const r of got) {
      const body = JSON.parse(r.rawBody.toString('utf8')) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['id', 'type', 'createdAt', 'data']);
      expect(body).toMatchObject({ id: r.eventId, type: r.type, createdAt: t.clock.now().toISOString() });
      expect(verifySignature(seller.secret, r.rawBody, r.signature, t.realClock.now())).toEqual({
        valid: true,
        timestamp: Math.floor(t.realClock.now().getTime() / 1000),
      });
      expect(independentlyVerified(seller.secret, r.rawBody, r.signature, t.realClock.now().getTime())).toBe(
        true,
      );
      // One byte changed, or another seller's secret: refused by both.
      const tampered = Buffer.from(r.rawBody.toString('utf8').replace('ship-1', 'ship-2'), 'utf8');
      expect(verifySignature(seller.secret, tampered, r.signature, t.realClock.now()).valid).toBe(false);
      expect(independentlyVerified(seller.secret, tampered, r.signature, t.realClock.now().getTime())).toBe(
        false,
      );
      expect(verifySignature('whsec_other', r.rawBody, r.signature, t.realClock.now()).valid).toBe(false);
    }
    const status = got.find((r) => r.type === 'shipment.status_changed')!;
    expect(JSON.parse(status.rawBody.toString('utf8')).data).toEqual({
      shipmentId: 'ship-1',
      status: 'delivered',
      note: 'Diterima oleh Budi ✓',
    });

    const listed = await deliveries(seller);
    expect(listed).toHaveLength(2);
    for (const d of listed) {
      expect(d).toMatchObject({
        status: 'delivered',
        attempts: 1,
        lastResponseCode: 200,
        lastError: null,
        nextAttemptAt: null,
        deliveredAt: t.clock.now().toISOString(),
      });
    }
    const metrics = await http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/kirim_seller_webhook_attempts_total\{result="delivered"\} [1-9]/);
    // Delivered is final: later runs send nothing more.
    advance(HOUR);
    await sender.runDue();
    expect(receiver.received.filter((r) => r.path === '/signed')).toHaveLength(2);
  });

  it('writes nothing when the enclosing transaction rolls back, or when the seller has no webhook URL', async () => {
    const seller = await subscribed('/rollback');
    let eventId: string | null = null;
    await expect(
      t.app.get(Transactions).run(async () => {
        eventId = await notifications.enqueue(seller.sellerId, 'shipment.status_changed', { n: 1 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(eventId).toEqual(expect.any(String));
    const rows = await t.dataSource.query('SELECT id FROM webhook_deliveries WHERE event_id = $1', [eventId]);
    expect(rows).toEqual([]);
    expect(await deliveries(seller)).toEqual([]);

    const quiet = await signupSeller(http, 'Toko Tanpa Webhook');
    expect(await enqueue(quiet.sellerId, 'shipment.status_changed', { n: 1 })).toBeNull();
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM webhook_deliveries WHERE seller_id = $1',
      [quiet.sellerId],
    );
    expect(n).toBe(0);
    await sender.runDue();
    expect(receiver.received.filter((r) => r.path === '/rollback')).toEqual([]);
  });

  it('a receiver down for 10 minutes of sandbox time (503, then refusing connections) gets every event once when back', async () => {
    const own = await WebhookReceiver.start();
    try {
      const seller = await subscribed('/outage', own.url('/outage'));
      const ids: string[] = [];
      for (let i = 0; i < 6; i += 1)
        ids.push((await enqueue(seller.sellerId, 'shipment.status_changed', { i }))!);

      own.behaviour = () => ({ status: 503, body: 'maintenance' });
      for (let elapsed = 0; elapsed < 5 * MINUTE; elapsed += 15_000) {
        await sender.runDue();
        advance(15_000);
      }
      expect(own.received.length).toBeGreaterThanOrEqual(6);
      expect(own.received.every((r) => r.answered === 503)).toBe(true);
      await own.stop();
      for (let elapsed = 0; elapsed < 5 * MINUTE; elapsed += 15_000) {
        await sender.runDue();
        advance(15_000);
      }
      const down = await deliveries(seller);
      expect(down.map((d) => d.status)).toEqual(Array(6).fill('pending'));
      expect(down.every((d) => d.attempts >= 2)).toBe(true);
      expect(down.some((d) => /ECONNREFUSED/.test(d.lastError ?? ''))).toBe(true);

      await own.restart();
      own.behaviour = () => 200;
      for (let i = 0; i < 120; i += 1) {
        if ((await deliveries(seller)).every((d) => d.status === 'delivered')) break;
        await sender.runDue();
        advance(MINUTE);
      }
      // More runs afterwards send nothing again.
      for (let i = 0; i < 3; i += 1) {
        advance(HOUR);
        await sender.runDue();
      }
      expect(ids.map((id) => own.deliveredCount(id))).toEqual(Array(6).fill(1));
      const after = await deliveries(seller);
      expect(after.map((d) => d.status)).toEqual(Array(6).fill('delivered'));

      // Every attempt of an event carried the same bytes, each with a signature over its own fresh t.
      for (const id of ids) {
        const attempts = own.received.filter((r) => r.eventId === id);
        expect(attempts.length).toBeGreaterThanOrEqual(2);
        expect(new Set(attempts.map((a) => a.rawBody.toString('base64'))).size).toBe(1);
        const ts = attempts.map((a) => /t=(\d+)/.exec(a.signature)![1]);
        expect(new Set(ts).size).toBe(ts.length);
        // Each signed over its own t (checked as the receiver would have, when it arrived).
        expect(
          attempts.every((a, i) =>
            independentlyVerified(seller.secret, a.rawBody, a.signature, Number(ts[i]) * 1000),
          ),
        ).toBe(true);
      }
    } finally {
      await own.stop().catch(() => undefined);
    }
  }, 120_000);

  it('a hanging receiver of seller A delays neither seller B nor A beyond its own limit, in the same worker run', async () => {
    const hung = gate();
    receiver.behaviour = async (r: ReceivedWebhook) => {
      if (r.path === '/hanging') await hung.wait;
      return 200;
    };
    try {
      const a = await subscribed('/hanging');
      const b = await subscribed('/prompt');
      // A's events are older: a worker serving sellers in order would reach B only after A.
      for (let i = 0; i < 6; i += 1) await enqueue(a.sellerId, 'shipment.status_changed', { i });
      const bEvent = await enqueue(b.sellerId, 'shipment.at_risk', { shipmentId: 'b-1' });

      const run = sender.runDue();
      await waitUntil(
        async () => receiver.deliveredCount(bEvent!) === 1 && (await deliveries(b))[0].status === 'delivered',
        'seller B’s event is delivered',
      );
      // Meanwhile A's receiver holds the requests it got: four (the per-seller limit), none answered.
      await waitUntil(() => receiver.openAt('/hanging') === 4, 'A’s receiver holds four requests');
      expect(receiver.received.filter((r) => r.path === '/hanging' && r.answered === undefined)).toHaveLength(
        4,
      );
      expect((await deliveries(a)).filter((d) => d.status === 'delivered')).toEqual([]);

      hung.release();
      expect(await run).toEqual({ attempted: 7, delivered: 7, retrying: 0, failed: 0 });
      expect(receiver.maxOpen.get('/hanging')).toBe(4);
      expect((await deliveries(a)).map((d) => d.status)).toEqual(Array(6).fill('delivered'));
    } finally {
      hung.release();
      receiver.behaviour = () => 200;
    }
  });

  it('sellers whose receivers failed go one delivery at a time in half the pool: eight hanging shops leave others room', async () => {
    const { concurrency, perSellerConcurrency } = t.app.get(AppConfig).webhooks;
    // Enough shops that, at the per-seller limit, their hanging receivers would hold the whole pool.
    const count = Math.ceil(concurrency / perSellerConcurrency);
    const dead = await Promise.all(Array.from({ length: count }, (_, i) => subscribed(`/dead-${i}`)));
    receiver.behaviour = (r) => (r.path.startsWith('/dead-') ? { status: 500, body: 'down' } : 200);
    for (const s of dead) await enqueue(s.sellerId, 'shipment.status_changed', { first: true });
    await sender.runDue();
    // They failed, and now hang, each with its retry and five more events due.
    const hung = gate();
    receiver.behaviour = async (r: ReceivedWebhook) => {
      if (r.path.startsWith('/dead-')) await hung.wait;
      return 200;
    };
    try {
      advance(HOUR);
      for (const s of dead)
        for (let i = 0; i < 5; i += 1) await enqueue(s.sellerId, 'shipment.status_changed', { i });
      const other = await subscribed('/healthy');
      const event = await enqueue(other.sellerId, 'shipment.at_risk', { shipmentId: 'h-1' });
      const run = sender.runDue();
      await waitUntil(() => receiver.deliveredCount(event!) === 1, 'the healthy shop’s event is delivered');
      const open = () => dead.map((_, i) => receiver.openAt(`/dead-${i}`));
      await waitUntil(() => open().every((n) => n === 1), 'each hanging shop holds one request');
      expect(open().reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(Math.floor(concurrency / 2));
      hung.release();
      await run;
      // Answering again, they are served at their full limit.
      for (const s of dead) expect((await deliveries(s)).every((d) => d.status === 'delivered')).toBe(true);
    } finally {
      hung.release();
      receiver.behaviour = () => 200;
    }
  });

  it('a run ends only when nothing is due: sends that finish while a claim finds no room are followed by another claim', async () => {
    const seller = await subscribed('/room');
    for (let i = 0; i < 8; i += 1) await enqueue(seller.sellerId, 'shipment.status_changed', { i });
    const held = gate();
    receiver.behaviour = async (r: ReceivedWebhook) => {
      if (r.path === '/room') await held.wait;
      return 200;
    };
    const repository = t.app.get(WebhookDeliveriesRepository);
    const claimDue = repository.claimDue.bind(repository);
    const inFlight = () => (sender as unknown as { inFlight: number }).inFlight;
    let claims = 0;
    // The second claim runs while the seller's first four sends are held at the receiver (no room); they
    // are let go and finish before it answers: the room freed meanwhile must be looked at again.
    const spy = jest.spyOn(repository, 'claimDue').mockImplementation(async (...args) => {
      claims += 1;
      const rows = await claimDue(...args);
      if (claims === 2) {
        expect(rows).toEqual([]);
        held.release();
        await waitUntil(() => inFlight() === 0, 'the first four sends finished');
      }
      return rows;
    });
    try {
      expect(await sender.runDue()).toEqual({ attempted: 8, delivered: 8, retrying: 0, failed: 0 });
    } finally {
      held.release();
      spy.mockRestore();
      receiver.behaviour = () => 200;
    }
    expect((await deliveries(seller)).map((d) => d.status)).toEqual(Array(8).fill('delivered'));
  });

  it('after 24 hours of failures the delivery is failed; the retry route makes it due again with a new window', async () => {
    const seller = await subscribed('/broken');
    // The answer is long and echoes the secret: only a short, scrubbed piece may be kept.
    receiver.behaviour = (r) =>
      r.path === '/broken' ? { status: 500, body: `oops ${seller.secret} ${'x'.repeat(5000)}` } : 200;
    const eventId = await enqueue(seller.sellerId, 'invoice.issued', { invoiceId: 'inv-1' });
    const firstAttempt = t.clock.now().getTime();
    let delivery!: Delivery;
    for (let i = 0; i < 40; i += 1) {
      await sender.runDue();
      [delivery] = await deliveries(seller);
      if (delivery.status !== 'pending') break;
      advance(HOUR); // never less than the backoff's cap: every step finds it due
    }
    expect(delivery).toMatchObject({
      eventId,
      status: 'failed',
      lastResponseCode: 500,
      nextAttemptAt: null,
      deliveredAt: null,
    });
    expect(delivery.attempts).toBeGreaterThanOrEqual(24);
    expect(delivery.lastError).toMatch(/^answered 500: oops \[secret\] x+…$/);
    expect(delivery.lastError!.length).toBeLessThan(260);
    expect(delivery.lastError).not.toContain(seller.secret);
    const attempts = receiver.received.filter((r) => r.path === '/broken');
    expect(attempts).toHaveLength(delivery.attempts);
    // Tried until 24 hours after the first attempt, and no longer.
    expect(t.clock.now().getTime() - firstAttempt).toBeGreaterThanOrEqual(24 * HOUR);
    advance(HOUR);
    await sender.runDue();
    expect(receiver.received.filter((r) => r.path === '/broken')).toHaveLength(attempts.length);

    // Retry: due now, a fresh window (the next failure waits at most the base delay, not the cap).
    const retried = await http
      .post(`/v1/webhook-deliveries/${delivery.id}/retry`)
      .set(seller.auth)
      .expect(200);
    expect(retried.body).toMatchObject({
      id: delivery.id,
      status: 'pending',
      nextAttemptAt: t.clock.now().toISOString(),
    });
    await sender.runDue();
    [delivery] = await deliveries(seller);
    expect(delivery.status).toBe('pending');
    expect(Date.parse(delivery.nextAttemptAt!) - t.clock.now().getTime()).toBeLessThanOrEqual(10_000);

    receiver.behaviour = () => 200;
    advance(10_000);
    await sender.runDue();
    [delivery] = await deliveries(seller);
    expect(delivery).toMatchObject({ status: 'delivered', lastResponseCode: 200, lastError: null });
    expect(receiver.deliveredCount(eventId!)).toBe(1);

    const again = await http.post(`/v1/webhook-deliveries/${delivery.id}/retry`).set(seller.auth).expect(409);
    expect(again.body.code).toBe('SELLERS_WEBHOOK_DELIVERY_DELIVERED');
    const other = await signupSeller(http, 'Toko Lain');
    const foreign = await http
      .post(`/v1/webhook-deliveries/${delivery.id}/retry`)
      .set(other.auth)
      .expect(404);
    expect(foreign.body.code).toBe('SELLERS_WEBHOOK_DELIVERY_NOT_FOUND');
  }, 120_000);

  it('counts an event’s retry window from when it was written, not its first attempt: a backlog a failing receiver left ends', async () => {
    const seller = await subscribed('/late-first');
    receiver.behaviour = (r) => (r.path === '/late-first' ? 500 : 200);
    try {
      // Written, then not tried for a day and more (the seller's deliveries went one at a time behind others).
      const eventId = await enqueue(seller.sellerId, 'invoice.issued', { invoiceId: 'inv-late' });
      advance(25 * HOUR);
      await sender.runDue();
      const [delivery] = await deliveries(seller);
      expect(delivery).toMatchObject({ eventId, status: 'failed', attempts: 1, nextAttemptAt: null });
      // The retry route still gives it a fresh window of its own.
      await http.post(`/v1/webhook-deliveries/${delivery.id}/retry`).set(seller.auth).expect(200);
      await sender.runDue();
      expect((await deliveries(seller))[0]).toMatchObject({ status: 'pending', attempts: 2 });
    } finally {
      receiver.behaviour = () => 200;
    }
  });

  it('keeps no piece of the secret from an answer that echoes it across the read’s cut or stops partway through it', async () => {
    const seller = await subscribed('/echo');
    const max = t.app.get(AppConfig).business.sellerWebhooks.responseSnippetChars;
    const start = seller.secret.slice(0, 30);
    const answers = [
      // The first piece ends 30 characters into the secret, just past where reading could stop.
      [`${'x'.repeat(max + 1 - 30)}${start}`, `${seller.secret.slice(30)} tail`],
      [`oops ${start}`],
    ];
    for (const body of answers) {
      receiver.behaviour = (r) => (r.path === '/echo' ? { status: 500, body } : 200);
      const res = await http.post('/v1/settings/webhook/test').set(seller.auth).expect(200);
      expect(res.body.error).toContain('[secret]');
      expect(res.body.error).not.toContain(seller.secret.slice(0, 10));
      const [last] = await deliveries(seller);
      expect(last.lastError).not.toContain(seller.secret.slice(0, 10));
      advance(MINUTE); // the test route's own pace
    }
    receiver.behaviour = () => 200;
  });

  it('refuses to retry a delivery a worker is sending right now', async () => {
    const hung = gate();
    receiver.behaviour = async (r) => {
      if (r.path === '/busy') await hung.wait;
      return 200;
    };
    try {
      const seller = await subscribed('/busy');
      await enqueue(seller.sellerId, 'withdrawal.updated', { withdrawalId: 'w-1' });
      const run = sender.runDue();
      await waitUntil(() => receiver.openAt('/busy') === 1, 'the receiver holds the request');
      const [d] = await deliveries(seller);
      const res = await http.post(`/v1/webhook-deliveries/${d.id}/retry`).set(seller.auth).expect(409);
      expect(res.body.code).toBe('SELLERS_WEBHOOK_DELIVERY_IN_FLIGHT');
      hung.release();
      await run;
      expect((await deliveries(seller))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    } finally {
      hung.release();
      receiver.behaviour = () => 200;
    }
  });

  it('vets the target before every attempt: a name now resolving to a forbidden address fails that attempt', async () => {
    t.dns.set('toko-e.example.id', ['127.0.0.1']);
    const seller = await subscribed('/moving', receiver.url('/moving', 'toko-e.example.id'));
    const first = await enqueue(seller.sellerId, 'shipment.status_changed', { n: 1 });
    await sender.runDue();
    expect(receiver.deliveredCount(first!)).toBe(1);

    t.dns.set('toko-e.example.id', ['169.254.169.254']);
    const second = await enqueue(seller.sellerId, 'shipment.status_changed', { n: 2 });
    await sender.runDue();
    const d = (await deliveries(seller)).find((x) => x.eventId === second)!;
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastResponseCode: null });
    // Said as a name that does not resolve: a name's private or metadata address is not told apart.
    expect(d.lastError).toBe(
      "not sent: webhookUrl's host toko-e.example.id does not resolve to public internet addresses",
    );
    expect(receiver.received.filter((r) => r.eventId === second)).toEqual([]);

    const test = await http.post('/v1/settings/webhook/test').set(seller.auth).expect(200);
    expect(test.body).toMatchObject({ status: 'failed', responseCode: null });
    expect(test.body.error).toBe(d.lastError);
    t.dns.set('toko-e.example.id', ['127.0.0.1']);
  });

  it('sends a test event on request and answers how it went; with no webhook URL, 422 naming webhookUrl', async () => {
    const none = await signupSeller(http, 'Toko Belum Siap');
    const missing = await http.post('/v1/settings/webhook/test').set(none.auth).expect(422);
    expect(missing.body).toMatchObject({
      code: 'SELLERS_WEBHOOK_URL_MISSING',
      details: [{ field: 'webhookUrl', message: expect.any(String) }],
    });

    const seller = await subscribed('/test-event');
    const ok = await http.post('/v1/settings/webhook/test').set(seller.auth).expect(200);
    expect(ok.body).toEqual({
      deliveryId: expect.any(String),
      status: 'delivered',
      responseCode: 200,
      error: null,
    });
    const [got] = receiver.received.filter((r) => r.path === '/test-event');
    expect(got.type).toBe('webhook.test');
    expect(verifySignature(seller.secret, got.rawBody, got.signature, t.realClock.now()).valid).toBe(true);
    expect(JSON.parse(got.rawBody.toString('utf8'))).toMatchObject({
      type: 'webhook.test',
      data: { sellerId: seller.sellerId },
    });

    // Staff and API keys may test too (nothing secret is shown).
    advance(1000);
    const key = (await http.post('/v1/api-keys').set(seller.auth).send({ name: 'shop' }).expect(201)).body
      .key;
    await http
      .post('/v1/settings/webhook/test')
      .set({ 'x-api-key': key as string })
      .expect(200);

    receiver.behaviour = (r) => (r.path === '/test-event' ? { status: 500, body: 'rusak' } : 200);
    try {
      advance(1000);
      const bad = await http.post('/v1/settings/webhook/test').set(seller.auth).expect(200);
      expect(bad.body).toMatchObject({ status: 'failed', responseCode: 500, error: 'answered 500: rusak' });
      // Tried once: the worker does not send a test event again by itself.
      const sent = () => receiver.received.filter((r) => r.path === '/test-event').length;
      const before = sent();
      advance(HOUR);
      await sender.runDue();
      expect(sent()).toBe(before);
      const listed = await deliveries(seller, '&type=webhook.test');
      expect(listed.map((d) => [d.id === bad.body.deliveryId, d.status])).toEqual([
        [true, 'failed'],
        [false, 'delivered'],
        [false, 'delivered'],
      ]);
    } finally {
      receiver.behaviour = () => 200;
    }
  });

  it('sends one test event at a time per seller and a few a minute: more is 429 with Retry-After', async () => {
    const seller = await subscribed('/test-limit');
    const held = gate();
    receiver.behaviour = async (r) => {
      if (r.path === '/test-limit') await held.wait;
      return 200;
    };
    try {
      const first = http
        .post('/v1/settings/webhook/test')
        .set(seller.auth)
        .then((r) => r);
      await waitUntil(() => receiver.received.some((r) => r.path === '/test-limit'), 'the test event held');
      const meanwhile = await http.post('/v1/settings/webhook/test').set(seller.auth).expect(429);
      expect(meanwhile.body.code).toBe('SELLERS_WEBHOOK_TEST_RATE_LIMITED');
      expect(Number(meanwhile.headers['retry-after'])).toBeGreaterThan(0);
      // Another seller's test is not held by this one.
      const other = await subscribed('/test-limit-other');
      await http.post('/v1/settings/webhook/test').set(other.auth).expect(200);
      held.release();
      expect((await first).status).toBe(200);
    } finally {
      receiver.behaviour = () => 200;
    }
    // Four more make five in the minute; the sixth waits until the first is a minute old.
    for (let i = 0; i < 4; i += 1) await http.post('/v1/settings/webhook/test').set(seller.auth).expect(200);
    const sixth = await http.post('/v1/settings/webhook/test').set(seller.auth).expect(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(60);
    t.realClock.advance(61_000);
    await http.post('/v1/settings/webhook/test').set(seller.auth).expect(200);
  });

  it('lists deliveries newest first, filtered by status and type, in pages; bad filters are 400 naming them', async () => {
    const seller = await subscribed('/listing');
    const types: SellerEventType[] = ['shipment.status_changed', 'shipment.at_risk', 'invoice.issued'];
    for (const type of types) {
      await enqueue(seller.sellerId, type, {});
      advance(1000);
    }
    await sender.runDue();
    await enqueue(seller.sellerId, 'withdrawal.updated', {});

    expect((await deliveries(seller)).map((d) => d.type)).toEqual([
      'withdrawal.updated',
      'invoice.issued',
      'shipment.at_risk',
      'shipment.status_changed',
    ]);
    expect((await deliveries(seller, '&status=pending')).map((d) => d.type)).toEqual(['withdrawal.updated']);
    expect((await deliveries(seller, '&status=delivered&type=shipment.at_risk')).map((d) => d.type)).toEqual([
      'shipment.at_risk',
    ]);
    // Any letter case, as the shipment and finance lists read their filters.
    expect((await deliveries(seller, '&status=DELIVERED&type=Shipment.At_Risk')).map((d) => d.type)).toEqual([
      'shipment.at_risk',
    ]);
    const page1 = await http.get('/v1/webhook-deliveries?limit=3').set(seller.auth).expect(200);
    expect(page1.body.items).toHaveLength(3);
    const page2 = await http
      .get(`/v1/webhook-deliveries?limit=3&cursor=${page1.body.nextCursor as string}`)
      .set(seller.auth)
      .expect(200);
    expect(page2.body).toMatchObject({ items: [{ type: 'shipment.status_changed' }], nextCursor: null });

    for (const [query, field] of [
      ['status=sent', 'status'],
      ['type=order.created', 'type'],
      ['limit=0', 'limit'],
    ]) {
      const res = await http.get(`/v1/webhook-deliveries?${query}`).set(seller.auth).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
    }
  });
});

describe('seller webhooks across instances and with timeouts', () => {
  let t: TestApp;
  let second: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_TIMEOUT_MS: '300' });
    second = await startTestApp({ WEBHOOK_TIMEOUT_MS: '300' }, t.db);
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await second.close();
    await t.close();
  });

  async function subscribed(path: string): Promise<TestSeller> {
    const seller = await signupSeller(t.http(), `Toko ${path}`);
    await subscribeWebhooks(t.http(), seller, receiver.url(path));
    return seller;
  }

  it('two instances running the worker at once: each event delivered exactly once, never over the per-seller limit', async () => {
    const seller = await subscribed('/busy-seller');
    const other = await subscribed('/other-seller');
    const ids: string[] = [];
    const tx = t.app.get(Transactions);
    const notifications = t.app.get(SellerNotifications);
    for (let i = 0; i < 24; i += 1)
      ids.push(
        (await tx.run(() => notifications.enqueue(seller.sellerId, 'shipment.status_changed', { i })))!,
      );
    for (let i = 0; i < 4; i += 1)
      ids.push((await tx.run(() => notifications.enqueue(other.sellerId, 'shipment.at_risk', { i })))!);
    // Each request is held until four are open at that seller's receiver (or briefly, for the last few),
    // so a worker that sent more than four at once would be seen.
    const waiting = new Map<string, (() => void)[]>();
    receiver.behaviour = async (r) => {
      const list = waiting.get(r.path) ?? [];
      waiting.set(r.path, list);
      await new Promise<void>((resolve) => {
        list.push(resolve);
        if (receiver.openAt(r.path) >= 4) list.splice(0).forEach((release) => release());
        else setTimeout(resolve, 150);
      });
      return 200;
    };

    const a = t.app.get(WebhookSender);
    const b = second.app.get(WebhookSender);
    let delivered = 0;
    // Runs stop claiming after their budget: run them again until everything is through.
    for (let round = 0; round < 10 && delivered < 28; round += 1) {
      const results = await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
      delivered += results.reduce((n, r) => n + r.delivered, 0);
    }
    expect(delivered).toBe(28);
    expect(ids.map((id) => receiver.received.filter((r) => r.eventId === id).length)).toEqual(
      Array(28).fill(1),
    );
    expect(receiver.maxOpen.get('/busy-seller')).toBe(4);
    expect(receiver.maxOpen.get('/other-seller')).toBeLessThanOrEqual(4);
  });

  it('a receiver that does not answer within WEBHOOK_TIMEOUT_MS fails that attempt, and is retried', async () => {
    const seller = await subscribed('/silent');
    const hung = gate();
    receiver.behaviour = async (r) => {
      if (r.path === '/silent') await hung.wait;
      return 200;
    };
    try {
      const eventId = await t.app
        .get(Transactions)
        .run(() => t.app.get(SellerNotifications).enqueue(seller.sellerId, 'shipment.status_changed', {}));
      expect(await t.app.get(WebhookSender).runDue()).toMatchObject({ attempted: 1, retrying: 1 });
      const [d] = (await t.http().get('/v1/webhook-deliveries').set(seller.auth).expect(200)).body.items;
      expect(d).toMatchObject({
        eventId,
        status: 'pending',
        attempts: 1,
        lastError: 'no answer within 300 ms',
      });
    } finally {
      hung.release();
      receiver.behaviour = () => 200;
    }
  });
});

describe('with WEBHOOK_CONCURRENCY=1, a pool of one', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_CONCURRENCY: '1' });
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('still retries a seller whose receiver failed once its backoff is over, after the healthy sellers’ work', async () => {
    const http = t.http();
    const sender = t.app.get(WebhookSender);
    const enqueue = (sellerId: string, type: SellerEventType) =>
      t.app.get(Transactions).run(() => t.app.get(SellerNotifications).enqueue(sellerId, type, {}));
    const flaky = await signupSeller(http, 'Toko Sekali Gagal');
    await subscribeWebhooks(http, flaky, receiver.url('/flaky'));
    receiver.behaviour = (r) => (r.path === '/flaky' ? { status: 503, body: 'restarting' } : 200);
    const eventId = await enqueue(flaky.sellerId, 'shipment.status_changed');
    expect(await sender.runDue()).toMatchObject({ attempted: 1, retrying: 1 });

    // Back up; a healthy seller has work due too. Past the backoff (at most 10 s after one failure).
    receiver.behaviour = () => 200;
    const healthy = await signupSeller(http, 'Toko Sehat');
    await subscribeWebhooks(http, healthy, receiver.url('/healthy'));
    const other = await enqueue(healthy.sellerId, 'invoice.issued');
    t.clock.advance(MINUTE);
    t.realClock.advance(MINUTE);
    // A pool of one has no half for the failing seller: before, its retry waited for the struggling mark
    // to expire (an hour of real time), whatever the backoff said.
    expect(await sender.runDue()).toMatchObject({ attempted: 2, delivered: 2 });
    expect(receiver.deliveredCount(other!)).toBe(1);
    expect(receiver.deliveredCount(eventId!)).toBe(1);
    const order = receiver.received.filter((r) => r.eventId === other || r.eventId === eventId);
    // The healthy seller's event went first; the failing seller's retry when the pool was free again.
    expect(order.map((r) => r.eventId)).toEqual([eventId, other, eventId]);
    const [d] = (await http.get('/v1/webhook-deliveries').set(flaky.auth).expect(200)).body.items;
    expect(d).toMatchObject({ eventId, status: 'delivered', attempts: 2 });
  });
});

describe('with JOBS_ENABLED=true the webhook worker runs on its own', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    t = await startTestApp({ JOBS_ENABLED: 'true' });
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('delivers an enqueued event without anyone running the job', async () => {
    const seller = await signupSeller(t.http(), 'Toko Otomatis');
    await subscribeWebhooks(t.http(), seller, receiver.url('/auto'));
    const eventId = await t.app
      .get(Transactions)
      .run(() => t.app.get(SellerNotifications).enqueue(seller.sellerId, 'shipment.status_changed', {}));
    await waitUntil(
      () => receiver.deliveredCount(eventId!) === 1,
      'the scheduled worker delivers it',
      30_000,
    );
  });
});

describe('a tracked journey tells the seller every status change', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    t = await startTestApp();
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('one signed shipment.status_changed per transition, each event once', async () => {
    const http = t.http();
    const seller = await signupSeller(http, 'Toko Dipantau');
    const secret = await subscribeWebhooks(http, seller, receiver.url('/journey'));
    const admin = await createOperator(t, http, 'admin');
    const origin = (await createAddress(http, seller)).id;
    const created = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({ ...validShipment(origin), courier: { code: 'jne', service: 'REG' } })
      .expect(201);
    const id = created.body.id as string;
    await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [id] })
      .expect(202);
    while ((await t.app.get(PickupService).processDue(50)) > 0);
    const awb = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body.awb as string;
    await http.post(`/sandbox/parcels/${awb}/script`).set(seller.auth).send({ script: 'happy' }).expect(200);
    for (let i = 0; i < 40; i += 1) {
      t.clock.advance(2 * HOUR);
      await http.post('/sandbox/jobs/tracking-poll/run').set(admin.auth).send({}).expect(200);
    }
    expect((await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body.status).toBe(
      'delivered',
    );
    await http.post('/sandbox/jobs/seller-webhooks/run').set(admin.auth).send({}).expect(200);

    const moves = await t.dataSource.query<{ from_status: string; to_status: string }[]>(
      // The pickup request's own answer says "booking": every move after it is pushed.
      "SELECT from_status, to_status FROM shipment_transitions WHERE shipment_id = $1 AND cause <> 'pickup_request'",
      [id],
    );
    expect(moves.map((m) => m.to_status)).toEqual(expect.arrayContaining(['picked_up', 'delivered']));
    const got = receiver.received.filter((r) => r.path === '/journey');
    const bodies = got.map(
      (r) =>
        JSON.parse(r.rawBody.toString('utf8')) as {
          id: string;
          type: string;
          data: { shipmentId: string; from: string; status: string; codCollected: boolean | null };
        },
    );
    const pairs = (list: [string, string][]) => list.map(([from, to]) => `${from} → ${to}`).sort();
    expect(bodies.every((b) => b.type === 'shipment.status_changed' && b.data.shipmentId === id)).toBe(true);
    expect(pairs(bodies.map((b) => [b.data.from, b.data.status]))).toEqual(
      pairs(moves.map((m) => [m.from_status, m.to_status])),
    );
    expect(new Set(bodies.map((b) => b.id)).size).toBe(bodies.length);
    // The delivery says the courier took the COD cash; no other move speaks of it.
    expect(bodies.map((b) => [b.data.status, b.data.codCollected])).toEqual(
      bodies.map((b) => [b.data.status, b.data.status === 'delivered' ? true : null]),
    );
    expect(bodies.some((b) => b.data.status === 'delivered')).toBe(true);
    for (const r of got)
      expect(verifySignature(secret, r.rawBody, r.signature, t.realClock.now()).valid).toBe(true);
  }, 120_000);
});
