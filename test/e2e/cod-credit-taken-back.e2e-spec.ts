import supertest from 'supertest';
import type { CourierStatus } from 'src/couriers/courier-adapter';
import { LedgerService } from 'src/ledger/ledger.service';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import { addBankAccount } from '../support/factories/money';
import { createOperator } from '../support/factories/operators';
import { createAddress, signupSeller, TestSeller } from '../support/factories/sellers';
import { bookPinned, PINNED, pushedMove } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The COD credit of a delivery its courier takes back (`delivery_contradicted`) stays in the seller's
 * pending past its hold, so it cannot be withdrawn, and finance sees it; delivered again, it is released
 * by the next run of the `ledger-holds` job. An ordinary delivery's credit is released as before.
 */
describe('COD credit of a delivery taken back', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let admin: { auth: { authorization: string } };
  let finance: { auth: { authorization: string } };
  let origin: string;
  let bankAccountId: string;
  const sap = PINNED.find((p) => p.code === 'sap')!;

  beforeAll(async () => {
    t = await startTestApp({}, undefined, { configure: (c) => (c.business.money.codHoldDays = 2) });
    http = t.http();
    seller = await signupSeller(http);
    admin = await createOperator(t, http, 'admin');
    finance = await createOperator(t, http, 'finance');
    origin = (await createAddress(http, seller)).id;
    bankAccountId = await addBankAccount(http, seller);
  });
  afterAll(() => t.close());

  const runJob = (name: string) =>
    http.post(`/sandbox/jobs/${name}/run`).set(admin.auth).send({}).expect(200);
  const pushed = (awb: string, to: CourierStatus, reason?: string) =>
    pushedMove(t, http, { seller, admin }, sap.code, awb, to, reason);
  const book = async (codAmount: number) =>
    (await bookPinned(t, http, seller, origin, [sap], { codAmount }))[0];
  const balance = async () =>
    (await http.get('/v1/balance').set(seller.auth).expect(200)).body as {
      pending: number;
      available: number;
      withdrawable: number;
    };
  const openTakenBack = async () =>
    (
      (
        await http
          .get('/v1/alerts')
          .query({ state: 'open', rule: 'delivery_contradicted' })
          .set(seller.auth)
          .expect(200)
      ).body.items as { shipmentId: string }[]
    )
      .map((a) => a.shipmentId)
      .sort();
  const discrepancies = async () =>
    (await http.get('/v1/ops/cod-discrepancies').set(finance.auth).expect(200)).body.items as {
      shipmentId: string;
      kind: string;
    }[];

  it('keeps it pending past the hold, not withdrawable, listed for finance; delivered again, the next run releases it', async () => {
    const failedThenDelivered = await book(120_000);
    const returned = await book(95_000);
    const ordinary = await book(150_000);
    for (const b of [failedThenDelivered, returned, ordinary]) await pushed(b.awb, 'delivered');
    expect(await balance()).toEqual(expect.objectContaining({ pending: 365_000, available: 0 }));

    // An hour later the courier's lines take two deliveries back: a failed attempt, and a return.
    t.clock.advance(3600_000);
    await pushed(failedThenDelivered.awb, 'delivery_failed', 'consignee_absent');
    await pushed(returned.awb, 'returned');
    expect(await openTakenBack()).toEqual([failedThenDelivered.id, returned.id].sort());

    // Past the hold: only the ordinary delivery's cash becomes available, however often the job runs.
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    await runJob('ledger-holds');
    expect(await balance()).toEqual(
      expect.objectContaining({ pending: 215_000, available: 150_000, withdrawable: 150_000 }),
    );
    const refused = await http
      .post('/v1/withdrawals')
      .set(seller.auth)
      .set('Idempotency-Key', `taken-back-${seller.sellerId}`)
      .send({ amount: 150_001, bankAccountId })
      .expect(422);
    expect(refused.body.code).toBe('WITHDRAWAL_INSUFFICIENT_FUNDS');

    const listed = (await discrepancies()).filter((d) =>
      [failedThenDelivered.id, returned.id, ordinary.id].includes(d.shipmentId),
    );
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          shipmentId: failedThenDelivered.id,
          sellerId: seller.sellerId,
          awb: failedThenDelivered.awb,
          courier: 'sap',
          codAmount: 120_000,
          kind: 'taken_back',
          heldAmount: 120_000,
        }),
        expect.objectContaining({ shipmentId: returned.id, kind: 'taken_back', heldAmount: 95_000 }),
      ]),
    );
    expect(listed).toHaveLength(2);

    // The courier delivers it after all: the alert resolves, and the next run releases its cash.
    t.clock.advance(3600_000);
    await pushed(failedThenDelivered.awb, 'delivered');
    expect(await openTakenBack()).toEqual([returned.id]);
    expect((await balance()).available).toBe(150_000);
    await runJob('ledger-holds');
    expect(await balance()).toEqual(
      expect.objectContaining({ pending: 95_000, available: 270_000, withdrawable: 270_000 }),
    );
    expect((await discrepancies()).map((d) => d.shipmentId)).not.toContain(failedThenDelivered.id);
    // Each credit and each release posted once, balanced.
    const releases = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ledger_transactions WHERE type = 'hold_released' AND seller_id = $1`,
      [seller.sellerId],
    );
    expect(releases[0].n).toBe(2);
    expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  });

  it('withholds the credit when one poll brings the delivery and its taking back together', async () => {
    const before = await balance();
    const b = await book(80_000);
    t.clock.advance(3600_000);
    await http
      .post(`/sandbox/parcels/${b.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'delivered' })
      .expect(200);
    // Taken back an hour later, before Kirim polls the parcel.
    t.clock.advance(3600_000);
    await http
      .post(`/sandbox/parcels/${b.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'delivery_failed', reason: 'consignee_absent' })
      .expect(200);
    const status = async () =>
      (await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body.status as string;
    for (let round = 0; round < 12 && (await status()) !== 'delivered'; round += 1) {
      t.clock.advance(2 * 3600_000);
      await t.app.get(TrackingPoller).pollDue();
    }
    expect(await status()).toBe('delivered');
    expect(await openTakenBack()).toContain(b.id);
    expect(await balance()).toEqual(
      expect.objectContaining({ pending: before.pending + 80_000, available: before.available }),
    );

    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    expect(await balance()).toEqual(
      expect.objectContaining({ pending: before.pending + 80_000, available: before.available }),
    );
    expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  });
});
