import supertest from 'supertest';
import { AppConfig } from 'config';
import { periodContaining } from 'src/invoicing/invoice-period';
import { Accounts, type AccountRef } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
import { verifySignature } from 'src/sellers/notifications/webhook-signature';
import { runInvoicing } from '../support/factories/invoices';
import { createOperator, startWithOperators } from '../support/factories/operators';
import { sellerWithOrigin, subscribeWebhooks, TestSeller, validShipment } from '../support/factories/sellers';
import { bookPinned, PINNED, pushedMove } from '../support/factories/tracked';
import { TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';
import { rerunMigration } from '../support/migration-rerun';
import { RemittanceLineResolutions1795500100000 } from '../../migrations/1795500100000-RemittanceLineResolutions';
import { BookingAttemptCarriedAfterAll1795500600000 } from '../../migrations/1795500600000-BookingAttemptCarriedAfterAll';

type Auth = { id?: string; auth: { authorization: string } };
interface Line {
  row: number;
  awb: string;
  amount: number;
  outcome: string;
  reason: string | null;
  shipmentId: string | null;
  resolution: string | null;
  resolutionNote: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

/**
 * Finance resolves a remittance line whose cash waits in suspense: refunded to the courier, kept as income,
 * or credited to the seller of the parcel it paid for — once per line, never crediting a parcel twice.
 */
describe('resolving remittance suspense', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let admin: Auth;
  let finance: Auth;
  let ledger: LedgerService;
  let receiver: WebhookReceiver;
  const sap = PINNED.find((p) => p.code === 'sap')!;

  beforeAll(async () => {
    ({ t, http, admin } = await startWithOperators((c) => (c.business.money.codHoldDays = 2)));
    finance = await createOperator(t, http, 'finance');
    ledger = t.app.get(LedgerService);
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });
  // Every resolution leaves the ledger whole, and a shipment remitted exactly when a live line settles it.
  afterEach(async () => {
    expect((await ledger.verify()).ok).toBe(true);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM shipments s
        WHERE s.cod_remitted <> EXISTS (
          SELECT 1 FROM remittance_lines l WHERE l.shipment_id = s.id AND l.outcome = 'matched' AND NOT l.voided)`,
    );
    expect(n).toBe(0);
  });

  const runJob = (name: string) =>
    http.post(`/sandbox/jobs/${name}/run`).set(admin.auth).send({}).expect(200);
  const today = () => t.clock.now().toISOString().slice(0, 10);
  const remit = (lines: string, courier = 'sap') =>
    http
      .post(`/v1/finance/remittances?courier=${courier}`)
      .set(finance.auth)
      .set('content-type', 'text/csv')
      .send(`awb,cod_amount,remitted_date\n${lines}`)
      .expect(201)
      .then((r) => r.body as { id: string; unmatched: object; matched: object; amountMismatches: object });
  const resolve = (id: string, row: number | string, body: object, who: Auth = finance) =>
    http.post(`/v1/finance/remittances/${id}/lines/${row}/resolve`).set(who.auth).send(body);
  const lines = async (id: string) =>
    (await http.get(`/v1/finance/remittances/${id}`).set(finance.auth).expect(200)).body as {
      lines: Line[];
      matched: { count: number; amount: number };
      unmatched: { count: number; amount: number };
      amountMismatches: { count: number; amount: number };
      duplicates: { count: number; amount: number };
    };
  const reconciliation = async () =>
    (await http.get('/v1/finance/reconciliation').query({ courier: 'sap' }).set(finance.auth).expect(200))
      .body as {
      unmatched: Line[];
      amountMismatches: Line[];
      duplicates: Line[];
      totals: Record<string, { count: number; amount: number }>;
      suspense: number;
    };
  const balanceOf = async (account: AccountRef) => (await ledger.balances([account])).get(account.code)!;
  const suspense = () => balanceOf(Accounts.platform('remittance_suspense'));
  const bank = () => balanceOf(Accounts.platform('bank'));
  const otherIncome = () => balanceOf(Accounts.platform('other_income'));
  const receivable = (courier = 'sap') => balanceOf(Accounts.courierCodReceivable(courier));
  const sellerBalance = async (seller: TestSeller) =>
    (await http.get('/v1/balance').set(seller.auth).expect(200)).body as {
      pending: number;
      available: number;
    };
  const postings = async (key: string) =>
    (
      await t.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM ledger_transactions WHERE key = $1',
        [key],
      )
    )[0].n;
  const pushed = (seller: TestSeller, awb: string, to: string, reason?: string) =>
    pushedMove(t, http, { seller, admin }, sap.code, awb, to, reason);
  /** A SAP COD parcel delivered (its cash credited to the seller's pending) an hour ago. */
  const delivered = async (s: { seller: TestSeller; origin: string }, codAmount: number) => {
    const [b] = await bookPinned(t, http, s.seller, s.origin, [sap], { codAmount });
    await pushed(s.seller, b.awb, 'delivered');
    t.clock.advance(3600_000);
    return b;
  };
  /** Delivered, its delivery taken back, and its COD credit reversed by finance (the cash found uncollected). */
  const reversed = async (s: { seller: TestSeller; origin: string }, codAmount: number) => {
    const b = await delivered(s, codAmount);
    await pushed(s.seller, b.awb, 'delivery_failed', 'consignee_absent');
    await http
      .post(`/v1/finance/cod-discrepancies/${b.id}/settle`)
      .set(finance.auth)
      .send({ decision: 'reverse', reason: 'Uang COD tidak diterima' })
      .expect(200);
    return b;
  };

  /** Runs invoicing once the period the clock is in is over: that period's invoices are issued. */
  const closePeriod = async () => {
    const rule = t.app.get(AppConfig).business.money.invoicing;
    const period = periodContaining(t.clock.now(), rule);
    await runInvoicing(http, admin, new Date(period.end.getTime() + (rule.closeGraceMinutes + 1) * 60_000));
    return period;
  };
  interface Invoice {
    codFeeTotal: number;
    codFeeRefundTotal: number;
    shippingTotal: number;
    total: number;
    lines: { shipmentId: string; awb: string; courier: string; kind: string; amount: number }[];
  }
  /** The seller's invoice of the period, with its lines; null when it has none. */
  const invoiceOf = async (seller: TestSeller, period: { start: Date }): Promise<Invoice | null> => {
    const items = (await http.get('/v1/invoices?limit=500').set(seller.auth).expect(200)).body.items as {
      id: string;
      periodStart: string;
    }[];
    const found = items.find((i) => i.periodStart === period.start.toISOString());
    if (!found) return null;
    return (await http.get(`/v1/invoices/${found.id}`).set(seller.auth).expect(200)).body as Invoice;
  };
  const linesOf = (invoice: Invoice | null, shipmentId: string) =>
    (invoice?.lines ?? []).filter((l) => l.shipmentId === shipmentId).map((l) => [l.kind, l.amount]);
  /**
   * The `shipment.status_changed` events about shipment `id` that the seller's receiver got, oldest first
   * (the webhook worker run until nothing is pending), each signature checked.
   */
  const toldAbout = async (seller: TestSeller, secret: string, id: string) => {
    for (let i = 0; i < 100; i += 1) {
      await runJob('seller-webhooks');
      const pending = await http
        .get('/v1/webhook-deliveries?status=pending&limit=1')
        .set(seller.auth)
        .expect(200);
      if (!pending.body.items.length) break;
    }
    const told: Record<string, unknown>[] = [];
    for (const r of receiver.received) {
      const body = JSON.parse(r.rawBody.toString('utf8')) as { type: string; data: Record<string, unknown> };
      if (body.type !== 'shipment.status_changed' || body.data.shipmentId !== id) continue;
      expect(verifySignature(secret, r.rawBody, r.signature, t.realClock.now()).valid).toBe(true);
      told.push(body.data);
    }
    return told;
  };
  const shipmentOf = async (seller: TestSeller, id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body as {
      codCollected: boolean;
      charges: { shipping: number; codFee: number; cashback: number } | null;
    };

  it('the resolutions migration reverts and runs again while no line is resolved', async () => {
    await rerunMigration(t.dataSource, new RemittanceLineResolutions1795500100000());
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'idx_remittance_lines_exceptions' AND indexdef LIKE '%resolution IS NULL%'",
    );
    expect(n).toBe(1);
  });

  it('the carried-after-all migration reverts and runs again', async () => {
    await rerunMigration(t.dataSource, new BookingAttemptCarriedAfterAll1795500600000());
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'idx_booking_attempts_delivered_recorded'",
    );
    expect(n).toBe(1);
  });

  it('refund_courier: the cash leaves suspense and the bank once; the line says how, why, who and when', async () => {
    const awb = `SAPX${Date.now()}`;
    const report = await remit(`${awb},64000,${today()}\n`);
    expect(report.unmatched).toEqual({ count: 1, amount: 64_000 });
    const [s0, b0] = [await suspense(), await bank()];
    const before = await reconciliation();
    expect(before.unmatched.map((l) => l.awb)).toContain(awb);

    const res = await resolve(report.id, 1, {
      resolution: 'refund_courier',
      note: '  AWB bukan milik Kirim; dikembalikan ke SAP  ',
    }).expect(200);
    expect(res.body).toMatchObject({
      remittanceId: report.id,
      row: 1,
      awb,
      outcome: 'unmatched',
      reason: 'unknown_awb',
      resolution: 'refund_courier',
      resolutionNote: 'AWB bukan milik Kirim; dikembalikan ke SAP',
      resolvedBy: finance.id,
      resolvedAt: t.clock.now().toISOString(),
    });
    expect(await suspense()).toBe(s0 - 64_000);
    expect(await bank()).toBe(b0 - 64_000);
    expect(await postings(`remittance-resolution:${report.id}:1`)).toBe(1);
    expect((await lines(report.id)).lines[0]).toMatchObject({
      resolution: 'refund_courier',
      resolvedBy: finance.id,
    });

    // Out of the exceptions and their totals; the suspense the reconciliation reports follows the ledger.
    const after = await reconciliation();
    expect(after.unmatched.map((l) => l.awb)).not.toContain(awb);
    expect(after.totals.unmatched).toEqual({
      count: before.totals.unmatched.count - 1,
      amount: before.totals.unmatched.amount - 64_000,
    });
    expect(after.suspense).toBe(before.suspense - 64_000);

    // Again (a retry, or another finance user): refused, nothing posted twice.
    const again = await resolve(report.id, 1, { resolution: 'write_off', note: 'lagi' }).expect(409);
    expect(again.body).toMatchObject({
      code: 'REMITTANCE_LINE_ALREADY_RESOLVED',
      details: [expect.objectContaining({ field: 'resolution' })],
    });
    await resolve(report.id, 1, { resolution: 'refund_courier', note: 'lagi' }, admin).expect(409);
    expect(await suspense()).toBe(s0 - 64_000);
    expect(await bank()).toBe(b0 - 64_000);
  });

  it('write_off: a mismatched amount is kept as other income, out of suspense; the trial balance agrees', async () => {
    const s = await sellerWithOrigin(http, 'Toko Selisih');
    const b = await delivered(s, 80_000);
    const report = await remit(`${b.awb},85000,${today()}\n`);
    expect(report.amountMismatches).toEqual({ count: 1, amount: 85_000 });
    const [s0, i0, r0] = [await suspense(), await otherIncome(), await receivable()];

    await resolve(report.id, 1, { resolution: 'write_off', note: 'Selisih tidak diklaim kurir' }).expect(200);
    expect(await suspense()).toBe(s0 - 85_000);
    expect(await otherIncome()).toBe(i0 + 85_000);
    // The parcel is still owed by the courier: keeping the cash settles nothing.
    expect(await receivable()).toBe(r0);
    expect((await reconciliation()).amountMismatches.map((l) => l.awb)).not.toContain(b.awb);
    const trial = (await http.get('/v1/finance/ledger/trial-balance').set(finance.auth).expect(200)).body as {
      balanced: boolean;
      accounts: { code: string; balance: number }[];
    };
    expect(trial.balanced).toBe(true);
    expect(trial.accounts.find((a) => a.code === 'platform:other_income')?.balance).toBe(i0 + 85_000);
  });

  it('credit_seller: a reversed credit whose cash the courier remitted credits the seller once; the line settles the parcel', async () => {
    const s = await sellerWithOrigin(http, 'Toko Kredit Balik');
    const secret = await subscribeWebhooks(http, s.seller, receiver.url('/kredit-balik'));
    const b = await reversed(s, 70_000);
    // Told again only of a credit: a delivery again, or finance's (from and status both delivered).
    const credited = async () =>
      (await toldAbout(s.seller, secret, b.id)).filter((d) => d.from === 'delivered' && d.codCollected);
    expect(await credited()).toEqual([]);
    const report = await remit(`${b.awb},70000,${today()}\n`);
    expect((await lines(report.id)).lines[0]).toMatchObject({ outcome: 'unmatched', reason: 'cod_reversed' });
    expect(await sellerBalance(s.seller)).toMatchObject({ pending: 0, available: 0 });
    const [s0, r0] = [await suspense(), await receivable()];

    const res = await resolve(report.id, 1, {
      resolution: 'credit_seller',
      shipmentId: b.id,
      note: 'Kurir membuktikan uang COD diterima pembeli',
    }).expect(200);
    expect(res.body).toMatchObject({
      outcome: 'matched',
      reason: null,
      shipmentId: b.id,
      resolution: 'credit_seller',
      resolvedBy: finance.id,
    });
    // Suspense to the seller, by way of the courier's receivable (credited, then settled by the line).
    expect(await suspense()).toBe(s0 - 70_000);
    expect(await receivable()).toBe(r0);
    expect(await sellerBalance(s.seller)).toMatchObject({ pending: 70_000 });
    expect(await postings(`cod-credit-redelivered:${b.id}`)).toBe(1);
    // The seller is told at once, as a delivery again tells it: its cash was collected and is credited now.
    const view = (await http.get(`/v1/shipments/${b.id}`).set(s.seller.auth).expect(200)).body;
    expect(await credited()).toEqual([
      {
        shipmentId: b.id,
        reference: view.reference,
        from: 'delivered',
        status: 'delivered',
        reason: view.reason,
        courier: 'sap',
        awb: b.awb,
        at: res.body.resolvedAt,
        codCollected: true,
      },
    ]);
    // Resolving the line again is refused, and tells nothing.
    await resolve(report.id, 1, { resolution: 'credit_seller', shipmentId: b.id, note: 'lagi' }).expect(409);
    expect(await credited()).toHaveLength(1);
    expect(await lines(report.id)).toMatchObject({
      matched: { count: 1, amount: 70_000 },
      unmatched: { count: 0, amount: 0 },
    });
    // Its hold ends as a delivery's credit would.
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    expect(await sellerBalance(s.seller)).toMatchObject({ pending: 0, available: 70_000 });

    // The courier then reports it delivered again: the tracker credits nothing more.
    await pushed(s.seller, b.awb, 'delivered');
    expect(await postings(`cod-credit-redelivered:${b.id}`)).toBe(1);
    expect(await sellerBalance(s.seller)).toMatchObject({ pending: 0, available: 70_000 });
    // And the courier remitting it again is a duplicate, its cash in suspense.
    const again = await remit(`${b.awb},70000,${today()}\n`);
    expect((await lines(again.id)).lines[0]).toMatchObject({ outcome: 'duplicate' });
    // Nor can finance credit it a second time from that line.
    const twice = await resolve(again.id, 1, {
      resolution: 'credit_seller',
      shipmentId: b.id,
      note: 'lagi',
    }).expect(409);
    expect(twice.body).toMatchObject({
      code: 'REMITTANCE_RESOLUTION_ALREADY_CREDITED',
      details: [expect.objectContaining({ field: 'shipmentId' })],
    });
    expect(await sellerBalance(s.seller)).toMatchObject({ pending: 0, available: 70_000 });
    // Neither the courier's delivery after the credit nor the refused second credit told the seller again.
    expect(await credited()).toHaveLength(1);
  });

  it('credit_seller: the COD fee refunded when the credit was reversed is charged again, as a delivery again charges it', async () => {
    const s = await sellerWithOrigin(http, 'Toko Biaya COD Balik');
    const b = await delivered(s, 90_000);
    const { codFee } = (await shipmentOf(s.seller, b.id)).charges!;
    expect(codFee).toBeGreaterThan(0);
    const charged = await closePeriod();
    expect(linesOf(await invoiceOf(s.seller, charged), b.id)).toContainEqual(['cod_fee', codFee]);

    // Next period: the delivery is taken back and finance reverses its credit: that period's invoice refunds the fee.
    t.clock.advance(3600_000);
    await pushed(s.seller, b.awb, 'delivery_failed', 'consignee_absent');
    await http
      .post(`/v1/finance/cod-discrepancies/${b.id}/settle`)
      .set(finance.auth)
      .send({ decision: 'reverse', reason: 'Uang COD tidak diterima' })
      .expect(200);
    expect((await shipmentOf(s.seller, b.id)).codCollected).toBe(false);
    const refunded = await closePeriod();
    expect(linesOf(await invoiceOf(s.seller, refunded), b.id)).toEqual([['cod_fee_refund', -codFee]]);

    // The period after: the courier remits the cash after all and finance credits the seller from the line.
    t.clock.advance(3600_000);
    const report = await remit(`${b.awb},90000,${today()}\n`);
    await resolve(report.id, 1, {
      resolution: 'credit_seller',
      shipmentId: b.id,
      note: 'Kurir membuktikan uang COD diterima pembeli',
    }).expect(200);
    expect((await shipmentOf(s.seller, b.id)).codCollected).toBe(true);
    const recharged = await closePeriod();
    const invoice = await invoiceOf(s.seller, recharged);
    expect(linesOf(invoice, b.id)).toEqual([['cod_fee_recharge', codFee]]);
    expect(invoice).toMatchObject({
      codFeeTotal: codFee,
      codFeeRefundTotal: 0,
      shippingTotal: 0,
      total: codFee,
    });
    // Over every invoice the fee is charged once, as the cash was collected once; the ledger says the same.
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(recharged.start);
    const [posted] = await t.dataSource.query<{ amount: string }[]>(
      `SELECT e.amount FROM ledger_entries e JOIN ledger_transactions x ON x.id = e.transaction_id
        WHERE x.key = $1 AND e.account_code = $2`,
      [`invoice:${s.seller.sellerId}:${day}`, 'platform:shipping_fee_income'],
    );
    expect(Number(posted.amount)).toBe(-codFee);
  });

  it('credit_seller: a parcel Kirim re-booked away that its first courier delivered anyway, once the re-booking is cancelled', async () => {
    const { seller, origin } = await sellerWithOrigin(http, 'Toko Pindah Kurir');
    const secret = await subscribeWebhooks(http, seller, receiver.url('/pindah-kurir'));
    const created = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({ ...validShipment(origin, 'RB-SUSPENSE-1'), codAmount: 150_000 })
      .expect(201);
    const id = created.body.id as string;
    await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [id] })
      .expect(202);
    await runJob('pickups');
    const first = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    await http
      .post(`/sandbox/parcels/${first.awb}/script`)
      .set(seller.auth)
      .send({ script: 'pickup_missed' })
      .expect(200);
    t.clock.advance(25 * 3600_000);
    await runJob('tracking-poll');
    await runJob('pickups');
    const now = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    expect(now.courier.code).not.toBe(first.courier.code);
    const old = first.courier.code as string;

    // The first courier carried it after all, and remits its cash under the old bill.
    const report = await remit(`${first.awb},150000,${today()}\n`, old);
    expect((await lines(report.id)).lines[0]).toMatchObject({ outcome: 'unmatched', reason: 'unknown_awb' });
    const body = { resolution: 'credit_seller', shipmentId: id, note: 'Paket diantar kurir lama' };
    const booked = await resolve(report.id, 1, body).expect(422);
    expect(booked.body).toMatchObject({
      code: 'REMITTANCE_RESOLUTION_NOT_THE_PARCEL',
      details: [
        expect.objectContaining({ field: 'shipmentId', message: expect.stringMatching(/cancel it first/) }),
      ],
    });

    await http.post(`/v1/shipments/${id}/cancel`).set(seller.auth).send({});
    expect((await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body.status).toBe(
      'cancelled',
    );
    const [s0, r0] = [await suspense(), await receivable(old)];
    const collected = async () => (await toldAbout(seller, secret, id)).filter((d) => d.codCollected);
    expect(await collected()).toEqual([]);
    const resolved = await resolve(report.id, 1, body).expect(200);
    expect(await sellerBalance(seller)).toMatchObject({ pending: 150_000 });
    expect(await suspense()).toBe(s0 - 150_000);
    expect(await receivable(old)).toBe(r0);
    expect(await postings(`cod-credit:${id}`)).toBe(1);

    // The shipment stays cancelled, but says its cash was collected and credited, and which booking carried it.
    const at = resolved.body.resolvedAt as string;
    const cancelled = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      codCollected: true,
      courier: now.courier,
      awb: now.awb,
      carriedByEarlierBooking: {
        courier: old,
        service: first.courier.service,
        awb: first.awb,
        recordedAt: at,
        charges: first.charges,
      },
    });
    const listed = (
      await http.get('/v1/shipments').query({ status: 'cancelled' }).set(seller.auth).expect(200)
    ).body.items.find((i: { id: string }) => i.id === id);
    expect(listed).toMatchObject({ status: 'cancelled', codCollected: true });
    // The seller is told once, at the credit: still cancelled, the cash collected, by that booking.
    const told = {
      shipmentId: id,
      reference: 'RB-SUSPENSE-1',
      from: 'cancelled',
      status: 'cancelled',
      reason: 'cancelled_by_seller',
      courier: now.courier.code,
      awb: now.awb,
      at,
      codCollected: true,
      carriedByEarlierBooking: { courier: old, service: first.courier.service, awb: first.awb },
    };
    expect(await collected()).toEqual([told]);
    // The same request again is refused and tells nothing more.
    expect((await resolve(report.id, 1, body).expect(409)).body.code).toBe(
      'REMITTANCE_LINE_ALREADY_RESOLVED',
    );
    expect(await collected()).toEqual([told]);

    // The first courier carried it: its invoice charges that booking's shipping and COD fee less its cashback,
    // as quoted when it was booked, under its airway bill.
    const quoted = first.charges as { shipping: number; codFee: number; cashback: number };
    expect(quoted.shipping).toBeGreaterThan(0);
    expect(quoted.codFee).toBeGreaterThan(0);
    const period = await closePeriod();
    const invoice = (await invoiceOf(seller, period))!;
    expect(invoice).not.toBeNull();
    expect(invoice.lines.filter((l) => l.shipmentId === id)).toEqual(
      [
        ['shipping', quoted.shipping],
        ['cod_fee', quoted.codFee],
        ...(quoted.cashback > 0 ? [['cashback', -quoted.cashback]] : []),
      ].map(([kind, amount]) => expect.objectContaining({ kind, amount, awb: first.awb, courier: old })),
    );
    const owed = quoted.shipping + quoted.codFee - quoted.cashback;
    expect(invoice).toMatchObject({
      shippingTotal: quoted.shipping,
      codFeeTotal: quoted.codFee,
      total: owed,
    });
    // Settled from the COD cash it was credited, once that is available.
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    expect(await sellerBalance(seller)).toMatchObject({ pending: 0, available: 150_000 - owed });
  });

  it('credit_seller: a parcel cancelled on its own booking that the courier carried and remitted anyway', async () => {
    const { seller, origin } = await sellerWithOrigin(http, 'Toko Batal Telat');
    const [b] = await bookPinned(t, http, seller, origin, [sap], { codAmount: 120_000 });
    await http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).send({}).expect(200);
    const booked = (await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body;
    expect(booked).toMatchObject({ status: 'cancelled', awb: b.awb, codCollected: false });

    // The cancel came too late: SAP's driver took the parcel, delivered it and remits its cash.
    const report = await remit(`${b.awb},120000,${today()}\n`);
    expect((await lines(report.id)).lines[0]).toMatchObject({ outcome: 'unmatched' });
    const [s0, r0] = [await suspense(), await receivable()];
    const body = { resolution: 'credit_seller', shipmentId: b.id, note: 'Kurir tetap mengantar' };
    const resolved = await resolve(report.id, 1, body).expect(200);
    expect(await sellerBalance(seller)).toMatchObject({ pending: 120_000 });
    expect(await suspense()).toBe(s0 - 120_000);
    expect(await receivable()).toBe(r0);
    expect(await postings(`cod-credit:${b.id}`)).toBe(1);
    expect((await lines(report.id)).lines[0]).toMatchObject({ outcome: 'matched', shipmentId: b.id });
    const after = (await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body;
    expect(after).toMatchObject({
      status: 'cancelled',
      codCollected: true,
      carriedByEarlierBooking: {
        courier: 'sap',
        awb: b.awb,
        recordedAt: resolved.body.resolvedAt,
        charges: booked.charges,
      },
    });
    // The same line again, or another line of the same bill, credits nothing more.
    expect((await resolve(report.id, 1, body).expect(409)).body.code).toBe(
      'REMITTANCE_LINE_ALREADY_RESOLVED',
    );
    const again = await remit(`${b.awb},120000,${today()}\nSAPLAIN${Date.now()},1000,${today()}\n`);
    expect((await resolve(again.id, 1, body).expect(409)).body.code).toBe(
      'REMITTANCE_RESOLUTION_ALREADY_CREDITED',
    );
    expect(await postings(`cod-credit:${b.id}`)).toBe(1);

    // Its invoice charges that booking once, as quoted.
    const quoted = booked.charges as { shipping: number; codFee: number; cashback: number };
    const period = await closePeriod();
    expect(linesOf(await invoiceOf(seller, period), b.id)).toEqual([
      ['shipping', quoted.shipping],
      ['cod_fee', quoted.codFee],
      ...(quoted.cashback > 0 ? [['cashback', -quoted.cashback]] : []),
    ]);
  });

  it('credit_seller refuses a shipment that is not the line’s parcel, another amount, or an unknown one; nothing posted', async () => {
    const s = await sellerWithOrigin(http, 'Toko Tolak');
    const b = await delivered(s, 45_000);
    const other = await delivered(s, 50_000);
    const mismatch = await remit(`${b.awb},40000,${today()}\n`);
    const unknown = await remit(`SAPNONE${Date.now()},50000,${today()}\n`);
    const s0 = await suspense();
    const note = 'uji';

    const differs = await resolve(mismatch.id, 1, { resolution: 'credit_seller', shipmentId: b.id, note });
    expect(differs.status).toBe(422);
    expect(differs.body).toMatchObject({
      code: 'REMITTANCE_RESOLUTION_AMOUNT_DIFFERS',
      details: [expect.objectContaining({ field: 'shipmentId' })],
    });
    // Another AWB than the line's (a parcel the courier never carried under that bill).
    const notIt = await resolve(unknown.id, 1, { resolution: 'credit_seller', shipmentId: other.id, note });
    expect(notIt.status).toBe(422);
    expect(notIt.body).toMatchObject({
      code: 'REMITTANCE_RESOLUTION_NOT_THE_PARCEL',
      details: [expect.objectContaining({ field: 'shipmentId' })],
    });
    const none = await resolve(unknown.id, 1, {
      resolution: 'credit_seller',
      shipmentId: '6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60',
      note,
    }).expect(404);
    expect(none.body.details).toEqual([expect.objectContaining({ field: 'shipmentId' })]);

    // Bad bodies name the field.
    const field = async (body: object) =>
      ((await resolve(unknown.id, 1, body).expect(400)).body.details as { field: string }[]).map(
        (d) => d.field,
      );
    expect(await field({ resolution: 'credit_seller', note })).toEqual(['shipmentId']);
    expect(await field({ resolution: 'refund_courier', note, shipmentId: other.id })).toEqual(['shipmentId']);
    expect(await field({ resolution: 'burn', note })).toEqual(['resolution']);
    expect(await field({ resolution: 'write_off' })).toEqual(['note']);
    expect(await field({ resolution: 'write_off', note: '   ' })).toEqual(['note']);
    expect(await field({ resolution: 'write_off', note, extra: 1 })).toEqual(['extra']);

    expect(await suspense()).toBe(s0);
    expect(await sellerBalance(s.seller)).toMatchObject({ pending: 95_000 });
    expect((await lines(unknown.id)).lines[0].resolution).toBeNull();
  });

  it('two finance users resolving one line at once: one wins, the other gets 409, the cash moves once', async () => {
    // The same resolution (each saw the line unresolved) and two different ones: either way one line, one posting.
    for (const [mine, theirs] of [
      ['refund_courier', 'refund_courier'],
      ['refund_courier', 'write_off'],
    ]) {
      const report = await remit(`SAPRACE${Date.now()},33000,${today()}\n`);
      const [s0, b0, i0] = [await suspense(), await bank(), await otherIncome()];
      const results = await Promise.all([
        resolve(report.id, 1, { resolution: mine, note: 'pertama' }, finance),
        resolve(report.id, 1, { resolution: theirs, note: 'kedua' }, admin),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409)!.body as { code: string };
      expect(loser.code).toBe('REMITTANCE_LINE_ALREADY_RESOLVED');
      const won = results.find((r) => r.status === 200)!.body as Line;
      expect(await suspense()).toBe(s0 - 33_000);
      const refunded = won.resolution === 'refund_courier';
      expect(await bank()).toBe(refunded ? b0 - 33_000 : b0);
      expect(await otherIncome()).toBe(refunded ? i0 : i0 + 33_000);
      expect(await postings(`remittance-resolution:${report.id}:1`)).toBe(1);
      // The line keeps the winner's resolution, note and name.
      expect((await lines(report.id)).lines[0]).toMatchObject({
        resolution: won.resolution,
        resolutionNote: won.resolutionNote,
        resolvedBy: won.resolvedBy,
      });
    }
  });

  it('a voided report’s lines cannot be resolved, and a report with resolved lines cannot be voided', async () => {
    const a = await remit(`SAPVOIDA${Date.now()},21000,${today()}\nSAPVOIDB${Date.now()},22000,${today()}\n`);
    await resolve(a.id, 2, { resolution: 'refund_courier', note: 'dikembalikan' }).expect(200);
    const s0 = await suspense();
    const refused = await http
      .post(`/v1/finance/remittances/${a.id}/void`)
      .set(finance.auth)
      .send({ reason: 'salah kurir' })
      .expect(409);
    expect(refused.body.code).toBe('REMITTANCE_HAS_RESOLVED_LINES');
    expect(await suspense()).toBe(s0);
    expect(
      (await http.get(`/v1/finance/remittances/${a.id}`).set(finance.auth).expect(200)).body.voidedAt,
    ).toBeNull();

    const b = await remit(`SAPVOIDC${Date.now()},23000,${today()}\n`);
    await http
      .post(`/v1/finance/remittances/${b.id}/void`)
      .set(finance.auth)
      .send({ reason: 'salah' })
      .expect(200);
    const s1 = await suspense();
    const voided = await resolve(b.id, 1, { resolution: 'write_off', note: 'x' }).expect(409);
    expect(voided.body.code).toBe('REMITTANCE_ALREADY_VOIDED');
    expect(await suspense()).toBe(s1);
  });

  it('a refunded line is not decided again by the late match when its parcel is later delivered', async () => {
    const s = await sellerWithOrigin(http, 'Toko Setor Dulu');
    const [b] = await bookPinned(t, http, s.seller, s.origin, [sap], { codAmount: 60_000 });
    const report = await remit(`${b.awb},60000,${today()}\n`);
    expect((await lines(report.id)).lines[0]).toMatchObject({
      outcome: 'unmatched',
      reason: 'not_delivered_cod',
    });
    await resolve(report.id, 1, { resolution: 'refund_courier', note: 'Kurir minta dikembalikan' }).expect(
      200,
    );
    const s0 = await suspense();

    await pushed(s.seller, b.awb, 'delivered');
    const r0 = await receivable();
    await runJob('remittance-late-matches');
    // Its cash left with the refund: the parcel stays owed by the courier, suspense untouched.
    expect((await lines(report.id)).lines[0]).toMatchObject({
      outcome: 'unmatched',
      resolution: 'refund_courier',
    });
    expect(await suspense()).toBe(s0);
    expect(await receivable()).toBe(r0);
  });

  it('answers 404 for an unknown report or line, 409 for a matched line, and refuses sellers and anonymous callers', async () => {
    const s = await sellerWithOrigin(http, 'Toko Akses');
    const b = await delivered(s, 30_000);
    const report = await remit(`${b.awb},30000,${today()}\n`);
    const body = { resolution: 'write_off', note: 'uji' };
    const matched = await resolve(report.id, 1, body).expect(409);
    expect(matched.body.code).toBe('REMITTANCE_LINE_NOT_IN_SUSPENSE');
    expect((await resolve(report.id, 2, body).expect(404)).body.code).toBe('REMITTANCE_LINE_NOT_FOUND');
    await resolve(report.id, 'abc', body).expect(404);
    await resolve(report.id, 0, body).expect(404);
    expect((await resolve('6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60', 1, body).expect(404)).body.code).toBe(
      'REMITTANCE_NOT_FOUND',
    );
    await resolve(report.id, 1, body, { auth: s.seller.auth }).expect(403);
    await http.post(`/v1/finance/remittances/${report.id}/lines/1/resolve`).send(body).expect(401);
  });

  it('the resolutions migration is not reverted over resolved lines (their postings stay in the ledger)', async () => {
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM remittance_lines WHERE resolution IS NOT NULL',
    );
    expect(n).toBeGreaterThan(0);
    await expect(rerunMigration(t.dataSource, new RemittanceLineResolutions1795500100000())).rejects.toThrow(
      /cannot be reverted/,
    );
  });
});
