import { LoginCountersCleanupJob } from 'src/auth/login-counters-cleanup.job';
import { IdempotencyCleanupJob } from 'src/common/idempotency/idempotency-cleanup.job';
import supertest from 'supertest';
import { createAddress, createShipment, signupSeller, validAddress } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

/** Polls `check` until it returns a value, or fails after `timeoutMs` (a deadline, not a timing assertion). */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('with JOBS_ENABLED=true the scheduled workers run on their own', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ JOBS_ENABLED: 'true' })));
  afterAll(() => t.close());

  it('the pickup worker books a requested pickup without anyone calling it', async () => {
    const http = t.http();
    const seller = await signupSeller(http);
    const { id: shipmentId } = await createShipment(http, seller);
    const accepted = await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [shipmentId] })
      .expect(202);

    const pickup = await eventually(async () => {
      const res = await http.get(`/v1/pickups/${accepted.body.id}`).set(seller.auth).expect(200);
      return res.body.status === 'done' ? res.body : undefined;
    }, 30_000);
    expect(pickup.shipments).toEqual([
      expect.objectContaining({
        shipmentId,
        status: 'booked',
        courier: expect.any(String),
        awb: expect.any(String),
      }),
    ]);
    const shipment = await http.get(`/v1/shipments/${shipmentId}`).set(seller.auth).expect(200);
    expect(shipment.body).toMatchObject({ status: 'booked', awb: pickup.shipments[0].awb });
  }, 60_000);
});

describe('clean-up jobs', () => {
  let t: TestApp;
  let http: supertest.Agent;
  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
  });
  afterAll(() => t.close());

  it('deletes expired idempotency keys and keeps live ones', async () => {
    const seller = await signupSeller(http);
    const create = (key: string) =>
      http
        .post('/v1/addresses')
        .set(seller.auth)
        .set('idempotency-key', key)
        .send(validAddress(key))
        .expect(201);
    await create('cleanup-old');
    t.clock.advance(25 * 3600_000); // past IDEMPOTENCY_TTL_HOURS (24)
    const live = await create('cleanup-live');
    const keys = async () =>
      (
        await t.dataSource.query<{ key: string }[]>(
          "SELECT key FROM idempotency_keys WHERE key LIKE 'cleanup-%' ORDER BY key",
        )
      ).map((r) => r.key);
    expect(await keys()).toEqual(['cleanup-live', 'cleanup-old']);

    expect(await t.app.get(IdempotencyCleanupJob).run()).toBeGreaterThanOrEqual(1);
    expect(await keys()).toEqual(['cleanup-live']);
    // The live key still replays its first answer.
    const replay = await create('cleanup-live');
    expect(replay.body.id).toBe(live.body.id);
  });

  it('deletes login counters older than a day and keeps the current ones', async () => {
    const seller = await signupSeller(http);
    await createAddress(http, seller);
    const failLogin = () =>
      http.post('/v1/auth/login').send({ email: seller.email, password: 'not the password' }).expect(401);
    await failLogin();
    // Login windows count real time (the app's SystemClock), not the service clock.
    const oldWindow = t.realClock.now();
    t.realClock.advance(25 * 3600_000);
    await failLogin();
    const counters = () =>
      t.dataSource.query<{ window_start: Date; hits: number }[]>(
        'SELECT window_start, hits FROM rate_limit_counters WHERE key = $1 ORDER BY window_start',
        [`login:fail:${seller.email}|127.0.0.1`],
      );
    expect(await counters()).toHaveLength(2);

    await t.app.get(LoginCountersCleanupJob).run();
    const left = await counters();
    expect(left).toHaveLength(1);
    expect(left[0].window_start.getTime()).toBeGreaterThan(oldWindow.getTime());
    // The current window still counts: one more failure is remembered in it.
    await failLogin();
    expect(await counters()).toEqual([{ window_start: left[0].window_start, hits: 2 }]);
  });
});
