import supertest from 'supertest';
import type { CourierStatus } from 'src/couriers/courier-adapter';
import { Accounts } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
import { CodSettlements1795491000000 } from '../../migrations/1795491000000-CodSettlements';
import { createOperator } from '../support/factories/operators';
import { createAddress, signupSeller, subscribeWebhooks, TestSeller } from '../support/factories/sellers';
import { bookPinned, PINNED, pushedMove } from '../support/factories/tracked';
import { rerunMigration } from '../support/migration-rerun';
import { startTestApp, TestApp } from '../support/test-app';

type Auth = { auth: { authorization: string } };

/**
 * A COD settlement beside the courier's remittance of the same parcel (a reviewer's findings): the cash is
 * taken out of the courier's receivable once, whichever comes first, and the remittance paths lock the
 * parcels before the ledger, as the tracker does.
 */
describe('a COD settlement and the courier’s remittance of the same parcel', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let admin: Auth;
  let finance: Auth;
  const sap = PINNED.find((p) => p.code === 'sap')!;

  beforeAll(async () => {
    t = await startTestApp({}, undefined, { configure: (c) => (c.business.money.codHoldDays = 2) });
    http = t.http();
    admin = await createOperator(t, http, 'admin');
    finance = await createOperator(t, http, 'finance');
  });
  afterAll(() => t.close());

  const newSeller = async (name: string) => {
    const seller = await signupSeller(http, name);
    await subscribeWebhooks(http, seller);
    return { seller, origin: (await createAddress(http, seller)).id };
  };
  const pushed = (seller: TestSeller, awb: string, to: CourierStatus) =>
    pushedMove(t, http, { seller, admin }, sap.code, awb, to);
  const delivered = async (s: { seller: TestSeller; origin: string }, codAmount: number) => {
    const [b] = await bookPinned(t, http, s.seller, s.origin, [sap], { codAmount });
    await pushed(s.seller, b.awb, 'delivered');
    t.clock.advance(3600_000);
    return b;
  };
  const receivable = async () => {
    const account = Accounts.courierCodReceivable('sap');
    return (await t.app.get(LedgerService).balances([account])).get(account.code)!;
  };
  const settle = (id: string, body: object) =>
    http.post(`/v1/finance/cod-discrepancies/${id}/settle`).set(finance.auth).send(body);
  const remit = (lines: string) =>
    http
      .post('/v1/finance/remittances?courier=sap')
      .set(finance.auth)
      .set('content-type', 'text/csv')
      .send(`awb,cod_amount,remitted_date\n${lines}`);
  const today = () => t.clock.now().toISOString().slice(0, 10);

  it('refuses to reverse a credit whose cash the courier remitted (409), taking nothing twice', async () => {
    const s = await newSeller('Toko Setor');
    const b = await delivered(s, 90_000);
    const before = await receivable();
    expect((await remit(`${b.awb},90000,${today()}\n`).expect(201)).body.matched).toEqual({
      count: 1,
      amount: 90_000,
    });
    await pushed(s.seller, b.awb, 'returned');
    const res = await settle(b.id, { decision: 'reverse', reason: 'uang tidak diterima' }).expect(409);
    expect(res.body).toMatchObject({
      code: 'COD_SETTLEMENT_ALREADY_REMITTED',
      details: [expect.objectContaining({ field: 'decision' })],
    });
    expect(await receivable()).toBe(before - 90_000);
    // Collected after all: releasing it is what is left, and it is taken.
    await settle(b.id, { decision: 'release', reason: 'kurir sudah setor' }).expect(200);
    expect(await receivable()).toBe(before - 90_000);
    expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  });

  it('a reversal and an upload of the parcel’s line at once: one of them takes the cash, once', async () => {
    const s = await newSeller('Toko Balap');
    for (let i = 0; i < 4; i += 1) {
      const amount = 10_000 + i;
      const b = await delivered(s, amount);
      await pushed(s.seller, b.awb, 'returned');
      const before = await receivable();
      const [settled, uploaded] = await Promise.all([
        settle(b.id, { decision: 'reverse', reason: 'x' }),
        remit(`${b.awb},${amount},${today()}\n`),
      ]);
      expect(uploaded.status).toBe(201);
      const [line] = (
        await http.get(`/v1/finance/remittances/${uploaded.body.id}`).set(finance.auth).expect(200)
      ).body.lines as { outcome: string; reason: string | null }[];
      // Reversed first: the line waits in suspense. Remitted first: the reversal is refused.
      expect(
        settled.status === 200
          ? [line.outcome, line.reason]
          : [settled.status, settled.body.code, line.outcome],
      ).toEqual(
        settled.status === 200
          ? ['unmatched', 'cod_reversed']
          : [409, 'COD_SETTLEMENT_ALREADY_REMITTED', 'matched'],
      );
      expect(await receivable()).toBe(before - amount);
    }
    expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  });

  it('a late match waits for a parcel the tracker holds, rather than deadlocking with it', async () => {
    const seller = await signupSeller(http, 'Toko Kunci');
    const origin = (await createAddress(http, seller)).id;
    const [b] = await bookPinned(t, http, seller, origin, [sap], { codAmount: 33_000 });
    const up = await remit(`${b.awb},33000,${today()}\n`).expect(201);
    expect(up.body.unmatched.count).toBe(1);
    await pushedMove(t, http, { seller, admin }, sap.code, b.awb, 'delivered');
    const code = Accounts.courierCodReceivable('sap').code;
    // As the tracker does: the shipment's row, then (a COD credit) the courier's receivable.
    const q = t.dataSource.createQueryRunner();
    await q.connect();
    let trackerError: string | null = null;
    try {
      await q.startTransaction();
      await q.query('SELECT id FROM shipments WHERE id = $1 FOR UPDATE', [b.id]);
      const job = http.post('/sandbox/jobs/remittance-late-matches/run').set(admin.auth).send({});
      const answered = job.then((r) => r);
      // The job reaches the parcel's row meanwhile (it waits there, holding nothing the tracker needs).
      await new Promise((r) => setTimeout(r, 1500));
      try {
        await q.query('UPDATE ledger_accounts SET updated_at = updated_at WHERE code = $1', [code]);
        await q.commitTransaction();
      } catch (e) {
        trackerError = (e as Error).message;
        await q.rollbackTransaction();
      }
      expect(trackerError).toBeNull();
      expect((await answered).status).toBe(200);
    } finally {
      await q.release();
    }
    const lines = (await http.get(`/v1/finance/remittances/${up.body.id}`).set(finance.auth).expect(200)).body
      .lines as { outcome: string }[];
    expect(lines.map((l) => l.outcome)).toEqual(['matched']);
  });

  it('reverts the settlements migration over a line refused for a reversed credit, and runs it again', async () => {
    const s = await newSeller('Toko Migrasi');
    const b = await delivered(s, 40_000);
    await pushed(s.seller, b.awb, 'returned');
    await settle(b.id, { decision: 'reverse', reason: 'uang tidak diterima' }).expect(200);
    await remit(`${b.awb},40000,${today()}\n`).expect(201);
    const reasons = () =>
      t.dataSource.query<{ reason: string }[]>(
        "SELECT reason FROM remittance_lines WHERE awb = $1 AND outcome = 'unmatched'",
        [b.awb],
      );
    expect(await reasons()).toEqual([{ reason: 'cod_reversed' }]);
    await rerunMigration(t.dataSource, new CodSettlements1795491000000());
    // Down made it what it was before reversals existed; up does not make it a reversal again.
    expect(await reasons()).toEqual([{ reason: 'not_delivered_cod' }]);
  });
});
