import { AppConfig } from 'config';
import { Client } from 'pg';
import supertest from 'supertest';
import { UploadSlots, UPLOADS_PER_CALLER } from 'src/common/upload-slots';
import { createOperator } from '../support/factories/operators';
import { sellerWithOrigin, TestSeller, validShipment } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

/** Waits (up to 10 s) for `done`, checked every 20 ms. */
async function until(done: () => boolean, what: string): Promise<void> {
  const giveUp = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > giveUp) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('large uploads at once (bulk imports, remittance reports)', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let slots: UploadSlots;
  let holder: Client;
  const sellers: { seller: TestSeller; origin: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    slots = t.app.get(UploadSlots);
    // Enough sellers, two uploads each, to take every slot of the instance, and one more.
    for (let i = 0; i <= Math.ceil(slots.inAll / UPLOADS_PER_CALLER); i += 1)
      sellers.push(await sellerWithOrigin(http, `Toko Unggah ${i}`));
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
  const shipmentsWith = async (reference: string) =>
    (
      await t.dataSource.query('SELECT count(*)::int AS n FROM shipments WHERE reference = $1', [reference])
    )[0].n as number;

  it('holds half the pool for uploads and two per caller, answering 429 past that, and lets every held one finish', async () => {
    expect(slots.inAll).toBe(Math.floor(t.app.get(AppConfig).database.poolSize / 2));
    expect(slots.taken).toBe(0);
    // Each held upload's key is inserted, uncommitted, by another connection: its claim waits on it,
    // inside the upload's slot, as a keyed import waits on its database work.
    await holder.query('BEGIN');
    const held: { who: (typeof sellers)[number]; reference: string; key: string }[] = [];
    for (let i = 0; i < slots.inAll; i += 1) {
      const who = sellers[Math.floor(i / UPLOADS_PER_CALLER)];
      const key = `held-${i}`;
      await holder.query(
        `INSERT INTO idempotency_keys (scope, key, request_hash, response_status, created_at, expires_at)
         VALUES ($1, $2, 'another request', 0, now(), now() + interval '1 day')`,
        [`seller:${who.seller.sellerId}`, key],
      );
      held.push({ who, reference: `HELD-${i}`, key });
    }
    // The last held upload's client leaves once it runs: its work holds the slot until it ends.
    const last = held.pop()!;
    const answers = held.map(({ who, reference, key }) => bulk(who, reference, key).then((r) => r));
    const controller = new AbortController();
    const left = fetch(`${t.url}/v1/shipments/bulk`, {
      method: 'POST',
      headers: { ...last.who.seller.auth, 'content-type': 'application/json', 'idempotency-key': last.key },
      body: JSON.stringify([validShipment(last.who.origin, last.reference)]),
      signal: controller.signal,
    }).catch((e: Error) => e.name);
    await until(() => slots.taken === slots.inAll, `${slots.inAll} uploads running`);
    controller.abort();
    expect(await left).toBe('AbortError');

    // The first seller's third upload: its own two are running.
    const mine = await bulk(sellers[0], 'MINE-3', 'mine-3').expect(429);
    expect(mine.body).toMatchObject({ code: 'UPLOADS_BUSY' });
    expect(mine.body.message).toContain(`You already have ${UPLOADS_PER_CALLER} uploads`);
    expect(mine.headers['retry-after']).toBe('5');
    // A seller with none running, while the instance's are all taken; and a finance user's report.
    const newcomer = sellers[sellers.length - 1];
    const other = await bulk(newcomer, 'OTHER-1').expect(429);
    expect(other.body.message).toMatch(/^Too many uploads are being processed at once/);
    const finance = await createOperator(t, http, 'finance');
    const report = await http
      .post('/v1/finance/remittances?courier=jne')
      .set(finance.auth)
      .set('content-type', 'text/csv')
      .send('CNOTE_NO;COD_AMOUNT;TGL_SETOR\n8800000000000001;150000;24/11/2026\n')
      .expect(429);
    expect(report.body).toMatchObject({ code: 'UPLOADS_BUSY' });
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
    // The upload whose client left ran to its end, and only then gave its slot back.
    await until(() => slots.taken === 0, 'every upload to end');
    expect(await shipmentsWith(last.reference)).toBe(1);
    await bulk(sellers[0], 'AFTER-1', 'after-1').expect(200);
    expect(await shipmentsWith('AFTER-1')).toBe(1);
  });

  it('gives a slot back when its upload fails', async () => {
    // Twice as many failures as there are slots, one after another: a slot kept by each would leave none.
    for (let i = 0; i < 2 * slots.inAll; i += 1) {
      const res = await http.post('/v1/shipments/bulk').set(sellers[0].seller.auth).send([]);
      expect(res.status).toBe(400);
    }
    expect(slots.taken).toBe(0);
    await bulk(sellers[0], 'AFTER-FAILURES', 'after-failures').expect(200);
  });
});
