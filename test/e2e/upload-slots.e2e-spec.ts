import { AppConfig } from 'config';
import { Client } from 'pg';
import supertest from 'supertest';
import { UploadSlots, UPLOADS_PER_CALLER } from 'src/common/upload-slots';
import { createOperator } from '../support/factories/operators';
import { sellerWithOrigin, TestSeller, validShipment } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

/** Waits (up to 5 s: a held claim gives up after 15) for `done`, checked every 20 ms. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const giveUp = Date.now() + 5_000;
  while (!(await done())) {
    if (Date.now() > giveUp) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A JNE report of one line (`awb`) no parcel of ours matches, dated before the test clock's day. */
const reportOf = (awb: string) => `CNOTE_NO;COD_AMOUNT;TGL_SETOR\n${awb};150000;01/11/2026\n`;

describe('large uploads at once (bulk imports, remittance reports)', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let slots: UploadSlots;
  let holder: Client;
  const sellers: { seller: TestSeller; origin: string }[] = [];
  let finance: { id: string; auth: { authorization: string } };
  let colleague: { id: string; auth: { authorization: string } };

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    slots = t.app.get(UploadSlots);
    // Enough sellers, two uploads each, to take every slot sellers may take, and one more.
    for (let i = 0; i <= Math.ceil(slots.forSellers / UPLOADS_PER_CALLER); i += 1)
      sellers.push(await sellerWithOrigin(http, `Toko Unggah ${i}`));
    finance = await createOperator(t, http, 'finance');
    colleague = await createOperator(t, http, 'finance');
    holder = new Client({ connectionString: t.db.url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    await t.close();
  });

  const bulk = (who: { seller: TestSeller; origin: string }, reference: string, key?: string) => {
    const req = http.post('/v1/shipments/bulk').set(who.seller.auth);
    if (key) void req.set('idempotency-key', key);
    return req.send([validShipment(who.origin, reference)]);
  };
  const report = (
    who: { auth: { authorization: string } },
    key?: string,
    courier = 'jne',
    awb = '8800000000000001',
  ) => {
    const req = http.post(`/v1/finance/remittances?courier=${courier}`).set(who.auth);
    if (key) void req.set('idempotency-key', key);
    return req.set('content-type', 'text/csv').send(reportOf(awb));
  };
  const shipmentsWith = async (reference: string) =>
    (
      await t.dataSource.query('SELECT count(*)::int AS n FROM shipments WHERE reference = $1', [reference])
    )[0].n as number;
  const remittances = async () =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM remittances'))[0].n as number;
  const server = () => t.app.getHttpServer();
  const connections = () =>
    new Promise<number>((resolve, reject) => server().getConnections((e, n) => (e ? reject(e) : resolve(n))));
  /** Inserts `key`'s claim, uncommitted, from another connection: a request with it waits in its slot. */
  const hold = (scope: string, key: string) =>
    holder.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, response_status, created_at, expires_at)
       VALUES ($1, $2, 'another request', 0, now(), now() + interval '1 day')`,
      [scope, key],
    );

  it('holds half the pool for uploads, two per account, the last slot for staff; 429 past that, and every held one finishes', async () => {
    expect(slots.inAll).toBe(Math.floor(t.app.get(AppConfig).database.poolSize / 2));
    expect(slots.forSellers).toBe(slots.inAll - 1);
    expect(slots.taken).toBe(0);
    const remittancesBefore = await remittances();
    await holder.query('BEGIN');
    const held: { who: (typeof sellers)[number]; reference: string; key: string }[] = [];
    for (let i = 0; i < slots.forSellers; i += 1) {
      const who = sellers[Math.floor(i / UPLOADS_PER_CALLER)];
      await hold(`seller:${who.seller.sellerId}`, `held-${i}`);
      held.push({ who, reference: `HELD-${i}`, key: `held-${i}` });
    }
    await hold(`user:${finance.id}`, 'held-report');
    // The last seller upload's client leaves once it runs: its work holds the slot until it ends.
    const last = held.pop()!;
    const answers = held.map(({ who, reference, key }) => bulk(who, reference, key).then((r) => r));
    const controller = new AbortController();
    const left = fetch(`${t.url}/v1/shipments/bulk`, {
      method: 'POST',
      headers: { ...last.who.seller.auth, 'content-type': 'application/json', 'idempotency-key': last.key },
      body: JSON.stringify([validShipment(last.who.origin, last.reference)]),
      signal: controller.signal,
    }).catch((e: Error) => e.name);
    await until(() => slots.taken === slots.forSellers, `${slots.forSellers} seller uploads running`);

    const open = await connections();
    controller.abort();
    expect(await left).toBe('AbortError');
    await until(async () => (await connections()) === open - 1, 'the server to see the client leave');
    expect(slots.taken).toBe(slots.forSellers);

    // The first seller's third upload: its own two are running.
    const mine = await bulk(sellers[0], 'MINE-3', 'mine-3').expect(429);
    expect(mine.body).toMatchObject({ code: 'UPLOADS_BUSY' });
    expect(mine.body.message).toContain(`Your account already has ${UPLOADS_PER_CALLER} uploads`);
    expect(mine.headers['retry-after']).toBe('5');
    // A seller with none running: sellers' slots are all taken, the last one is kept for staff.
    const newcomer = sellers[sellers.length - 1];
    const other = await bulk(newcomer, 'OTHER-1').expect(429);
    expect(other.body.message).toMatch(/^Too many uploads are being processed at once/);
    // Finance's report takes the kept slot; another finance user's then finds the instance full.
    const financeAnswer = report(finance, 'held-report').then((r) => r);
    await until(() => slots.taken === slots.inAll, 'the report to run');
    const full = await report(colleague).expect(429);
    expect(full.body).toMatchObject({ code: 'UPLOADS_BUSY' });
    // A made-up credential is refused before it could take a slot.
    await http
      .post('/v1/shipments/bulk')
      .set('authorization', 'Bearer made-up')
      .send([validShipment(newcomer.origin, 'FAKE-1')])
      .expect(401);
    expect(await shipmentsWith('MINE-3')).toBe(0);
    expect(await shipmentsWith('OTHER-1')).toBe(0);
    expect(slots.taken).toBe(slots.inAll);

    await holder.query('ROLLBACK');
    for (const [i, res] of (await Promise.all(answers)).entries()) {
      expect(res.status).toBe(200);
      expect(res.body.created).toHaveLength(1);
      expect(await shipmentsWith(held[i].reference)).toBe(1);
    }
    expect((await financeAnswer).status).toBe(201);
    expect(await remittances()).toBe(remittancesBefore + 1);
    // The upload whose client left ran to its end, and only then gave its slot back.
    await until(() => slots.taken === 0, 'every upload to end');
    expect(await shipmentsWith(last.reference)).toBe(1);
    await bulk(sellers[0], 'AFTER-1', 'after-1').expect(200);
    expect(await shipmentsWith('AFTER-1')).toBe(1);
  });

  it('gives a slot back when its upload fails: in the service, inside the idempotency transaction, or in validation', async () => {
    // Twice as many failures of each kind as there are slots, one after another: a slot kept by each
    // would leave none.
    for (let i = 0; i < 2 * slots.inAll; i += 1) {
      await http.post('/v1/shipments/bulk').set(sellers[0].seller.auth).send([]).expect(400);
      await http
        .post('/v1/shipments/bulk')
        .set(sellers[0].seller.auth)
        .set('idempotency-key', `fails-${i}`)
        .send({})
        .expect(400);
      await report(finance, undefined, 'nope').expect(400);
    }
    expect(slots.taken).toBe(0);
    await bulk(sellers[0], 'AFTER-FAILURES', 'after-failures').expect(200);
    await report(finance, 'after-failures', 'jne', '8800000000000002').expect(201);
  });
});
