import supertest from 'supertest';
import { AppConfig } from 'config';
import type { CourierStatus } from 'src/couriers/courier-adapter';
import { periodContaining } from 'src/invoicing/invoice-period';
import { InvoicingService } from 'src/invoicing/invoicing.service';
import { LedgerService } from 'src/ledger/ledger.service';
import { runInvoicing } from '../support/factories/invoices';
import { startWithOperators } from '../support/factories/operators';
import { sellerWithOrigin, TestSeller } from '../support/factories/sellers';
import {
  bookPinned,
  pickedUpWithPush,
  PINNED,
  pushedMove,
  pushesApplied,
} from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';
import { lockAccount } from '../support/lock-race';
import { waitUntil } from '../support/wait';
import { Accounts } from 'src/ledger/ledger-accounts';
import { COD_FEE_KINDS } from 'src/invoicing/invoice-lines';
import type { QueryRunner } from 'typeorm';

type Auth = { auth: { authorization: string } };
interface Line {
  shipmentId: string;
  kind: string;
  amount: number;
}

/**
 * A COD parcel whose delivery its courier changes again and again, settled by finance in between: every real
 * change of its cash moves the seller's money once, and its COD fee on invoices once, whatever comes after.
 */
describe('COD parcels changed again after their settlement', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let admin: Auth;
  let finance: Auth;
  const sap = PINNED.find((p) => p.code === 'sap')!;

  beforeAll(async () => {
    ({ t, http, admin, finance } = await startWithOperators((c) => (c.business.money.codHoldDays = 2)));
  });
  afterAll(() => t.close());

  const newSeller = (name: string) => sellerWithOrigin(http, name);
  const pushed = async (seller: TestSeller, awb: string, to: CourierStatus, reason?: string) => {
    await pushedMove(t, http, { seller, admin }, sap.code, awb, to, reason);
    t.clock.advance(3600_000);
  };
  const runJob = (name: string) =>
    http.post(`/sandbox/jobs/${name}/run`).set(admin.auth).send({}).expect(200);
  const settle = (id: string, decision: 'release' | 'reverse') =>
    http
      .post(`/v1/finance/cod-discrepancies/${id}/settle`)
      .set(finance.auth)
      .send({ decision, reason: 'Keputusan keuangan' });
  const balance = async (seller: TestSeller) =>
    (await http.get('/v1/balance').set(seller.auth).expect(200)).body as {
      pending: number;
      available: number;
    };
  const shipmentOf = async (seller: TestSeller, id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body as {
      codCollected: boolean;
      charges: { codFee: number };
    };
  /** The shipment's COD postings by key (without the id), and its holds released, by count. */
  const postings = async (b: { id: string; awb: string }) =>
    Object.fromEntries(
      (
        await t.dataSource.query<{ key: string; n: number }[]>(
          `SELECT CASE WHEN type = 'hold_released' THEN 'hold-release' ELSE split_part(key, ':', 1) END AS key,
                  count(*)::int AS n
             FROM ledger_transactions
            WHERE key LIKE '%:' || $1 OR (type = 'hold_released' AND reference = $2)
            GROUP BY 1`,
          [b.id, b.awb],
        )
      ).map((r) => [r.key, r.n]),
    );
  const closePeriod = async () => {
    const rule = t.app.get(AppConfig).business.money.invoicing;
    const period = periodContaining(t.clock.now(), rule);
    const asOf = new Date(period.end.getTime() + (rule.closeGraceMinutes + 1) * 60_000);
    await runInvoicing(http, admin, asOf);
    expect((await runInvoicing(http, admin, asOf)).issued).toBe(0);
  };
  const codFeeLines = async (shipmentId: string) =>
    (
      await t.dataSource.query<Line[]>(
        `SELECT l.kind, l.amount::int AS amount FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
          WHERE l.shipment_id = $1 AND l.kind = ANY($2::text[]) ORDER BY i.period_start, l.id`,
        [shipmentId, COD_FEE_KINDS],
      )
    ).map((l) => [l.kind, l.amount]);
  const failedRuns = () => t.dataSource.query('SELECT error FROM invoice_runs WHERE error IS NOT NULL');
  const verified = async () => expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  /**
   * `work` starts a minute before the current period's end and waits on `lock`, held meanwhile by another
   * transaction, while the period ends and is invoiced (after its grace); then the lock is let go. What
   * `work` answered.
   */
  const heldPastClose = async <T>(
    lock: (q: QueryRunner) => Promise<unknown>,
    work: () => PromiseLike<T>,
    what: string,
  ): Promise<T> => {
    const rule = t.app.get(AppConfig).business.money.invoicing;
    const period = periodContaining(t.clock.now(), rule);
    t.clock.set(new Date(period.end.getTime() - 60_000));
    const q = t.dataSource.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      await lock(q);
      const answer = Promise.resolve(work());
      await waitUntil(
        async () =>
          (
            await t.dataSource.query<{ n: number }[]>(
              'SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted',
            )
          )[0].n > 0,
        what,
      );
      // Meanwhile the period ends and is invoiced: what waits is not committed, so not on that invoice.
      t.clock.set(new Date(period.end.getTime() + (rule.closeGraceMinutes + 1) * 60_000));
      await runInvoicing(http, admin, t.clock.now());
      await q.commitTransaction();
      return await answer;
    } finally {
      await q.release();
    }
  };

  it('reversed, delivered again, taken back again, delivered again: each change once, its fee once a kind', async () => {
    const s = await newSeller('Toko Siklus');
    const [b] = await bookPinned(t, http, s.seller, s.origin, [sap], { codAmount: 85_000 });
    await pushed(s.seller, b.awb, 'delivered');
    const fee = (await shipmentOf(s.seller, b.id)).charges.codFee;
    await closePeriod();
    await pushed(s.seller, b.awb, 'delivery_failed', 'consignee_absent');
    expect((await settle(b.id, 'reverse')).status).toBe(200);
    await closePeriod();
    await pushed(s.seller, b.awb, 'delivered');
    await closePeriod();
    await pushed(s.seller, b.awb, 'delivery_failed', 'consignee_absent');
    // Its second credit taken back is settled on its own: reversed once, the other decision refused.
    expect((await settle(b.id, 'reverse')).status).toBe(200);
    expect((await settle(b.id, 'reverse')).status).toBe(200);
    expect((await settle(b.id, 'release')).status).toBe(409);
    await closePeriod();
    // Reversed twice: no delivery credits it again.
    await pushed(s.seller, b.awb, 'delivered');
    await pushed(s.seller, b.awb, 'returned');
    await pushed(s.seller, b.awb, 'delivered');
    await closePeriod();
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');

    expect(await postings(b)).toEqual({
      'cod-credit': 1,
      'cod-credit-reversal': 1,
      'cod-credit-redelivered': 1,
      'cod-credit-redelivered-reversal': 1,
    });
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 0 });
    expect((await shipmentOf(s.seller, b.id)).codCollected).toBe(false);
    // Refunded once, charged again, and not refunded a second time (one line of each kind a parcel).
    expect(await codFeeLines(b.id)).toEqual([
      ['cod_fee', fee],
      ['cod_fee_refund', -fee],
      ['cod_fee_recharge', fee],
    ]);
    expect(await failedRuns()).toEqual([]);
    await verified();
  });

  it('released, delivered again, taken back again, delivered again: credited and released once', async () => {
    const s = await newSeller('Toko Lepas Ulang');
    const [b] = await bookPinned(t, http, s.seller, s.origin, [sap], { codAmount: 45_000 });
    await pushed(s.seller, b.awb, 'delivered');
    const fee = (await shipmentOf(s.seller, b.id)).charges.codFee;
    await pushed(s.seller, b.awb, 'delivery_failed', 'consignee_absent');
    expect((await settle(b.id, 'release')).status).toBe(200);
    await closePeriod();
    await pushed(s.seller, b.awb, 'delivered');
    await pushed(s.seller, b.awb, 'returned');
    expect((await settle(b.id, 'reverse')).status).toBe(409);
    await pushed(s.seller, b.awb, 'delivered');
    await closePeriod();
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    expect(await postings(b)).toEqual({ 'cod-credit': 1, 'hold-release': 1 });
    expect(await balance(s.seller)).toMatchObject({ pending: 0 });
    expect(await codFeeLines(b.id)).toEqual([['cod_fee', fee]]);
    expect(await failedRuns()).toEqual([]);
    await verified();
  });

  it('two instances invoicing two periods back to back while the cash changes: each adjustment once', async () => {
    const other = await startTestApp({}, t.db, { configure: (c) => (c.business.money.codHoldDays = 2) });
    try {
      const rule = t.app.get(AppConfig).business.money.invoicing;
      const s = await newSeller('Toko Paralel');
      const parcels = await bookPinned(t, http, s.seller, s.origin, [sap, sap, sap], { codAmount: 70_000 });
      for (const b of parcels) await pushed(s.seller, b.awb, 'delivered');
      const fee = (await shipmentOf(s.seller, parcels[0].id)).charges.codFee;
      for (const b of parcels) await pushed(s.seller, b.awb, 'delivery_failed', 'consignee_absent');
      await closePeriod();
      // Next period: all three reversed; the one after: two delivered again, one of them while both
      // instances invoice the two periods at once, and the third reversed stays so.
      for (const b of parcels) expect((await settle(b.id, 'reverse')).status).toBe(200);
      const second = periodContaining(t.clock.now(), rule);
      t.clock.set(new Date(second.end.getTime() + 3600_000));
      await pushed(s.seller, parcels[0].awb, 'delivered');
      const third = periodContaining(t.clock.now(), rule);
      t.clock.set(new Date(third.end.getTime() + (rule.closeGraceMinutes + 1) * 60_000));
      const asOf = t.clock.now();
      await Promise.all([
        t.app.get(InvoicingService).run(asOf),
        other.app.get(InvoicingService).run(asOf),
        pushedMove(t, http, { seller: s.seller, admin }, sap.code, parcels[1].awb, 'delivered'),
        t.app.get(InvoicingService).run(asOf),
      ]);
      await closePeriod();
      t.clock.advance(rule.periodDays * 86_400_000);
      await closePeriod();
      // Reversed and delivered again before the reversal's invoice: nothing to adjust.
      expect(await codFeeLines(parcels[0].id)).toEqual([['cod_fee', fee]]);
      // Delivered again while invoiced: refunded and charged again, or neither, but charged once in all.
      const redelivered = await codFeeLines(parcels[1].id);
      expect(redelivered.reduce((sum, [, amount]) => sum + Number(amount), 0)).toBe(fee);
      expect(new Set(redelivered.map(([kind]) => kind)).size).toBe(redelivered.length);
      expect(await codFeeLines(parcels[2].id)).toEqual([
        ['cod_fee', fee],
        ['cod_fee_refund', -fee],
      ]);
      expect(await failedRuns()).toEqual([]);
      await verified();
    } finally {
      await other.close();
    }
  });

  it('a reversal that waited on the courier’s receivable past its period’s invoice is refunded by the next', async () => {
    const s = await newSeller('Toko Tunggu');
    const [b, c] = await bookPinned(t, http, s.seller, s.origin, [sap, sap], { codAmount: 60_000 });
    await pushed(s.seller, b.awb, 'delivered');
    const fee = (await shipmentOf(s.seller, b.id)).charges.codFee;
    await pushed(s.seller, b.awb, 'delivery_failed', 'consignee_absent');
    await closePeriod();
    // Late in the next period (which charges a parcel of its own), finance reverses it while the tracker
    // holds the courier's receivable (crediting a long batch): the reversal waits there.
    await pushed(s.seller, c.awb, 'delivered');
    const answer = await heldPastClose(
      (q) => lockAccount(q, Accounts.courierCodReceivable('sap').code),
      () => settle(b.id, 'reverse'),
      'the reversal waits for the receivable',
    );
    expect(answer.status).toBe(200);
    expect((await shipmentOf(s.seller, b.id)).codCollected).toBe(false);
    t.clock.advance(3600_000);
    await closePeriod();
    expect(await codFeeLines(b.id)).toEqual([
      ['cod_fee', fee],
      ['cod_fee_refund', -fee],
    ]);
    await verified();
  });

  it('a delivery whose poll waited on its shipment past its period’s invoice is charged on the next', async () => {
    const rule = t.app.get(AppConfig).business.money.invoicing;
    // Early in a period of its own, so that its poll is due by the period's last minute.
    t.clock.set(new Date(periodContaining(t.clock.now(), rule).end.getTime() + 3600_000));
    const held = periodContaining(t.clock.now(), rule);
    const s = await newSeller('Toko Antre');
    const [b, c] = await bookPinned(t, http, s.seller, s.origin, [sap, sap], { codAmount: 60_000 });
    // The period charges a parcel of its own, so it has an invoice to miss the other from.
    await pushed(s.seller, c.awb, 'delivered');
    await http
      .post(`/sandbox/parcels/${b.awb}/advance`)
      .set(s.seller.auth)
      .send({ to: 'delivered' })
      .expect(200);
    // Its poll, in the period's last minute, records the delivery while another transaction holds the shipment
    // (a seller's action, another instance's long batch): the recording waits there.
    const polled = await heldPastClose(
      (q) => q.query('SELECT 1 FROM shipments WHERE id = $1 FOR UPDATE', [b.id]),
      () => runJob('tracking-poll'),
      'the poll waits for the shipment',
    );
    expect((polled.body as { result: { moved: number } }).result.moved).toBeGreaterThan(0);
    expect((await shipmentOf(s.seller, b.id)).codCollected).toBe(true);
    const next = periodContaining(t.clock.now(), rule);
    await closePeriod();
    const periodsOf = async (shipmentId: string) => {
      const lines = await t.dataSource.query<{ kind: string; period_start: Date }[]>(
        `SELECT l.kind, i.period_start FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
          WHERE l.shipment_id = $1 ORDER BY l.id`,
        [shipmentId],
      );
      expect(lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['shipping', 'cod_fee']));
      return [...new Set(lines.map((l) => l.period_start.toISOString()))];
    };
    expect(await periodsOf(c.id)).toEqual([held.start.toISOString()]);
    expect(await periodsOf(b.id)).toEqual([next.start.toISOString()]);
    await verified();
  });

  it.each([
    ['then with it', false],
    ['taken back, then with it', true],
  ])(
    'one push delivering without the cash, %s: credited once, its fee on its own invoice',
    async (_, failed) => {
      const s = await newSeller(`Toko Satu Dorongan ${failed ? 'Gagal' : 'Langsung'}`);
      const { booked, push } = await pickedUpWithPush(t, http, s.seller, s.origin, 'idexpress');
      const [line] = JSON.parse(push.body) as Record<string, unknown>[];
      const { codAmount } = (await http.get(`/v1/shipments/${booked.id}`).set(s.seller.auth).expect(200))
        .body as { codAmount: number };
      const at = Math.floor(t.clock.now().getTime() / 1000);
      const pod = (seconds: number, cash: string) => ({
        ...line,
        operationType: 'POD scan',
        lastOperationTime: seconds,
        codAmount: cash,
      });
      // The courier corrects its own line before Kirim has seen either: both come in one push.
      await http
        .post('/v1/webhooks/couriers/idexpress')
        .set(push.headers)
        .send(
          JSON.stringify([
            pod(at, '0'),
            // A failed attempt after the first line: the delivery taken back before the one with the cash.
            ...(failed
              ? [
                  { ...line, operationType: 'Delivery Scan', lastOperationTime: at + 200 },
                  { ...line, operationType: 'Problem On Shipment scan', lastOperationTime: at + 300 },
                ]
              : []),
            pod(at + 600, String(codAmount)),
          ]),
        )
        .expect(200);
      await pushesApplied(t);
      t.clock.advance(3600_000);
      expect((await shipmentOf(s.seller, booked.id)).codCollected).toBe(true);
      expect(await balance(s.seller)).toMatchObject({ pending: codAmount });
      expect(await postings(booked)).toEqual({ 'cod-credit': 1 });
      const fee = (await shipmentOf(s.seller, booked.id)).charges.codFee;
      await closePeriod();
      expect(await codFeeLines(booked.id)).toEqual([['cod_fee', fee]]);
      await verified();
    },
  );
});
