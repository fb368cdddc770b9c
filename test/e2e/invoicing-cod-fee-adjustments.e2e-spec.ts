import { parse } from 'csv-parse/sync';
import supertest from 'supertest';
import { AppConfig } from 'config';
import type { CourierStatus } from 'src/couriers/courier-adapter';
import { periodContaining } from 'src/invoicing/invoice-period';
import { LedgerService } from 'src/ledger/ledger.service';
import { binaryBody, runInvoicing } from '../support/factories/invoices';
import { startWithOperators } from '../support/factories/operators';
import { sellerWithOrigin, TestSeller } from '../support/factories/sellers';
import { bookPinned, PINNED, pushedMove } from '../support/factories/tracked';
import { pdfTextRuns } from '../support/pdf-text';
import { TestApp } from '../support/test-app';
import { COD_FEE_KINDS } from 'src/invoicing/invoice-lines';

type Auth = { auth: { authorization: string } };
interface Line {
  shipmentId: string;
  awb: string;
  courier: string;
  kind: string;
  amount: number;
}
interface Invoice {
  id: string;
  number: string;
  periodStart: string;
  status: string;
  shippingTotal: number;
  codFeeTotal: number;
  returnFeeTotal: number;
  cashbackTotal: number;
  codFeeRefundTotal: number;
  total: number;
  paid: number;
  outstanding: number;
  lines: Line[];
}

/**
 * The COD fee follows the cash after the parcel's own invoice: finance reversing a delivery's COD credit (the
 * cash never collected) refunds on the next invoice a fee already invoiced, once; a reversed parcel delivered
 * with its cash after all has its fee charged again, so that over every invoice the fee is charged exactly
 * as often as the cash was collected, and the ledger agrees to the rupiah.
 */
describe('COD fee of a parcel whose COD credit was reversed: refunded once, charged again once', () => {
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
  const pushed = (seller: TestSeller, awb: string, to: CourierStatus, reason?: string) =>
    pushedMove(t, http, { seller, admin }, sap.code, awb, to, reason);
  /** A SAP COD parcel delivered with its cash (credited to pending) an hour ago; its COD fee (rupiah). */
  const delivered = async (s: { seller: TestSeller; origin: string }, codAmount: number) => {
    const [b] = await bookPinned(t, http, s.seller, s.origin, [sap], { codAmount });
    await pushed(s.seller, b.awb, 'delivered');
    t.clock.advance(3600_000);
    const shipment = (await http.get(`/v1/shipments/${b.id}`).set(s.seller.auth).expect(200)).body as {
      charges: { codFee: number };
      codCollected: boolean;
    };
    expect(shipment.codCollected).toBe(true);
    expect(shipment.charges.codFee).toBeGreaterThan(0);
    return { ...b, codFee: shipment.charges.codFee };
  };
  /** The courier takes the delivery back (a failed attempt after it): its credit is withheld, an alert opens. */
  const takeBack = async (seller: TestSeller, awb: string) => {
    await pushed(seller, awb, 'delivery_failed', 'consignee_absent');
    t.clock.advance(3600_000);
  };
  const reverse = async (id: string) => {
    await http
      .post(`/v1/finance/cod-discrepancies/${id}/settle`)
      .set(finance.auth)
      .send({ decision: 'reverse', reason: 'Uang COD tidak pernah diterima kurir' })
      .expect(200);
    t.clock.advance(3600_000);
  };
  const deliverAgain = async (seller: TestSeller, awb: string) => {
    await pushed(seller, awb, 'delivered');
    t.clock.advance(3600_000);
  };
  const codCollected = async (seller: TestSeller, id: string) =>
    ((await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body as { codCollected: boolean })
      .codCollected;

  /** Runs invoicing once the period the clock is in is over: that period's invoices are issued. */
  const closePeriod = async () => {
    const rule = t.app.get(AppConfig).business.money.invoicing;
    const period = periodContaining(t.clock.now(), rule);
    const asOf = new Date(period.end.getTime() + (rule.closeGraceMinutes + 1) * 60_000);
    const run = await runInvoicing(http, admin, asOf);
    // Again: nothing more is issued.
    expect((await runInvoicing(http, admin, asOf)).issued).toBe(0);
    return { period, run };
  };
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
  /** The COD fee lines of a shipment on every invoice of the seller, oldest invoice first. */
  const codFeeLines = async (seller: TestSeller, shipmentId: string) => {
    const items = (await http.get('/v1/invoices?limit=500').set(seller.auth).expect(200)).body.items as {
      id: string;
    }[];
    const lines: Line[] = [];
    for (const i of [...items].reverse()) {
      const invoice = (await http.get(`/v1/invoices/${i.id}`).set(seller.auth).expect(200)).body as Invoice;
      lines.push(
        ...invoice.lines.filter(
          (l) => l.shipmentId === shipmentId && (COD_FEE_KINDS as readonly string[]).includes(l.kind),
        ),
      );
    }
    return lines.map((l) => [l.kind, l.amount]);
  };
  const sum = (lines: Line[]) => lines.reduce((s, l) => s + l.amount, 0);
  /** What the invoice's posting did to each account, debit-positive (rupiah). */
  const posting = async (seller: TestSeller, period: { start: Date }) => {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(period.start);
    const rows = await t.dataSource.query<{ account_code: string; amount: string }[]>(
      `SELECT e.account_code, e.amount FROM ledger_entries e JOIN ledger_transactions x ON x.id = e.transaction_id
        WHERE x.key = $1`,
      [`invoice:${seller.sellerId}:${day}`],
    );
    return Object.fromEntries(
      rows.map((r) => [r.account_code.replace(seller.sellerId, 'S'), Number(r.amount)]),
    );
  };
  const verified = async () => expect((await t.app.get(LedgerService).verify()).ok).toBe(true);

  it('charged on its invoice, reversed after: the next invoice refunds it once, named by its AWB, in its lines, CSV, PDF and ledger', async () => {
    const s = await newSeller('Toko Refund');
    const b = await delivered(s, 95_000);
    await takeBack(s.seller, b.awb);
    const first = await closePeriod();
    const charged = (await invoiceOf(s.seller, first.period))!;
    expect(charged.lines.filter((l) => l.shipmentId === b.id && l.kind === 'cod_fee')).toEqual([
      { shipmentId: b.id, awb: b.awb, courier: 'sap', kind: 'cod_fee', amount: b.codFee },
    ]);

    await reverse(b.id);
    expect(await codCollected(s.seller, b.id)).toBe(false);
    // The next period also charges a parcel of its own.
    const c = await delivered(s, 40_000);
    const second = await closePeriod();
    const invoice = (await invoiceOf(s.seller, second.period))!;
    expect(invoice.lines.filter((l) => l.shipmentId === b.id)).toEqual([
      { shipmentId: b.id, awb: b.awb, courier: 'sap', kind: 'cod_fee_refund', amount: -b.codFee },
    ]);
    expect(invoice.lines.filter((l) => l.shipmentId === c.id).map((l) => l.kind)).toEqual([
      'shipping',
      'cod_fee',
      'cashback',
    ]);
    expect(invoice).toMatchObject({
      codFeeRefundTotal: b.codFee,
      codFeeTotal: c.codFee,
      total: sum(invoice.lines),
    });
    expect(invoice.total).toBe(
      invoice.shippingTotal +
        invoice.codFeeTotal +
        invoice.returnFeeTotal -
        invoice.cashbackTotal -
        invoice.codFeeRefundTotal,
    );
    // In the ledger: the seller owes the total, fee income is what was charged less what was refunded.
    expect(await posting(s.seller, second.period)).toEqual({
      'seller:S:invoice_receivable': invoice.total,
      'platform:cashback_expense': invoice.cashbackTotal,
      'platform:shipping_fee_income': -(
        invoice.shippingTotal +
        invoice.codFeeTotal -
        invoice.codFeeRefundTotal
      ),
    });

    // The exports list the refund with its AWB.
    const csv = await http.get(`/v1/invoices/${invoice.id}/csv`).set(s.seller.auth).expect(200);
    const rows = parse<Record<string, string>>(csv.text, { columns: true, bom: true });
    expect(rows.filter((r) => r.shipment_id === b.id)).toEqual([
      expect.objectContaining({ awb: b.awb, kind: 'cod_fee_refund', amount: String(-b.codFee) }),
    ]);
    expect(rows.reduce((n, r) => n + Number(r.amount), 0)).toBe(invoice.total);
    const pdf = await http
      .get(`/v1/invoices/${invoice.id}/pdf`)
      .set(s.seller.auth)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    const text = pdfTextRuns(pdf.body as Buffer);
    expect(text).toEqual(
      expect.arrayContaining([b.awb, 'Refund biaya COD', `-Rp ${b.codFee.toLocaleString('id-ID')}`]),
    );
    const finance_ = await http
      .get('/v1/finance/invoices')
      .query({ periodStart: second.period.start.toISOString() })
      .set(finance.auth)
      .expect(200);
    expect(finance_.body.totals.codFeeRefundTotal).toBeGreaterThanOrEqual(b.codFee);

    // Refunded once: later invoices leave it be.
    await delivered(s, 30_000);
    const third = await closePeriod();
    expect((await invoiceOf(s.seller, third.period))!.lines.filter((l) => l.shipmentId === b.id)).toEqual([]);
    expect(await codFeeLines(s.seller, b.id)).toEqual([
      ['cod_fee', b.codFee],
      ['cod_fee_refund', -b.codFee],
    ]);
    await verified();
  });

  it('reversed before its invoice: the fee is never charged, and nothing is refunded later', async () => {
    const s = await newSeller('Toko Belum Tagih');
    const b = await delivered(s, 70_000);
    await takeBack(s.seller, b.awb);
    await reverse(b.id);
    const first = await closePeriod();
    expect(
      (await invoiceOf(s.seller, first.period))!.lines
        .filter((l) => l.shipmentId === b.id)
        .map((l) => l.kind),
    ).toEqual(['shipping', 'cashback']);
    await delivered(s, 30_000);
    await closePeriod();
    expect(await codFeeLines(s.seller, b.id)).toEqual([]);
    await verified();
  });

  it('refunded, then delivered with its cash after all: charged again once; a refund alone is a credit to the seller', async () => {
    const s = await newSeller('Toko Antar Lagi');
    const b = await delivered(s, 80_000);
    await takeBack(s.seller, b.awb);
    await closePeriod();
    await reverse(b.id);

    // Nothing else in the period: the invoice only refunds, so Kirim owes the seller and credits it.
    const refunding = await closePeriod();
    const credit = (await invoiceOf(s.seller, refunding.period))!;
    expect(credit).toMatchObject({
      lines: [{ shipmentId: b.id, awb: b.awb, courier: 'sap', kind: 'cod_fee_refund', amount: -b.codFee }],
      codFeeRefundTotal: b.codFee,
      total: -b.codFee,
      status: 'paid',
      paid: 0,
      outstanding: 0,
    });
    expect(await posting(s.seller, refunding.period)).toEqual({
      'seller:S:available': -b.codFee,
      'platform:shipping_fee_income': b.codFee,
    });
    await verified();

    await deliverAgain(s.seller, b.awb);
    expect(await codCollected(s.seller, b.id)).toBe(true);
    const recharging = await closePeriod();
    expect((await invoiceOf(s.seller, recharging.period))!.lines).toEqual([
      { shipmentId: b.id, awb: b.awb, courier: 'sap', kind: 'cod_fee_recharge', amount: b.codFee },
    ]);
    await delivered(s, 20_000);
    await closePeriod();
    expect(await codFeeLines(s.seller, b.id)).toEqual([
      ['cod_fee', b.codFee],
      ['cod_fee_refund', -b.codFee],
      ['cod_fee_recharge', b.codFee],
    ]);
    await verified();
  });

  it('reversed before its invoice, delivered with its cash after it: the next invoice charges the fee never charged', async () => {
    const s = await newSeller('Toko Tagih Susulan');
    const b = await delivered(s, 60_000);
    await takeBack(s.seller, b.awb);
    await reverse(b.id);
    await closePeriod();
    await deliverAgain(s.seller, b.awb);
    const next = await closePeriod();
    expect((await invoiceOf(s.seller, next.period))!.lines).toEqual([
      { shipmentId: b.id, awb: b.awb, courier: 'sap', kind: 'cod_fee', amount: b.codFee },
    ]);
    await delivered(s, 20_000);
    await closePeriod();
    expect(await codFeeLines(s.seller, b.id)).toEqual([['cod_fee', b.codFee]]);
    await verified();
  });

  it('charged, then reversed and delivered again before the next invoice: charged once, nothing to adjust', async () => {
    const s = await newSeller('Toko Bolak Balik');
    const b = await delivered(s, 65_000);
    await takeBack(s.seller, b.awb);
    await closePeriod();
    await reverse(b.id);
    await deliverAgain(s.seller, b.awb);
    const c = await delivered(s, 25_000);
    const next = await closePeriod();
    const invoice = (await invoiceOf(s.seller, next.period))!;
    expect(invoice.lines.filter((l) => l.shipmentId === b.id)).toEqual([]);
    expect(invoice.lines.filter((l) => l.shipmentId === c.id).length).toBeGreaterThan(0);
    expect(await codFeeLines(s.seller, b.id)).toEqual([['cod_fee', b.codFee]]);
    await verified();
  });

  it('reversed and delivered again before its invoice: charged once, on it', async () => {
    const s = await newSeller('Toko Sekali');
    const b = await delivered(s, 55_000);
    await takeBack(s.seller, b.awb);
    await reverse(b.id);
    await deliverAgain(s.seller, b.awb);
    await closePeriod();
    await delivered(s, 20_000);
    await closePeriod();
    expect(await codFeeLines(s.seller, b.id)).toEqual([['cod_fee', b.codFee]]);
    await verified();
  });
});
