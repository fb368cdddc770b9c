import { createHmac, randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { wibDay } from 'src/invoicing/invoice-period';
import { parse } from 'csv-parse/sync';
import { InvoicingService } from 'src/invoicing/invoicing.service';
import { LedgerService } from 'src/ledger/ledger.service';
import { SandboxControl } from 'src/couriers/sandbox/sandbox-control.service';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { sandboxSecret } from 'src/couriers/sandbox/courier-sandbox';
import { AppConfig } from 'config';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import { endPinned, EndedShipment } from '../support/factories/money';
import { bookPinned, PINNED, pushesApplied } from '../support/factories/tracked';
import { binaryBody, moveEnd, runInvoicing } from '../support/factories/invoices';
import { createOperator } from '../support/factories/operators';
import { createAddress, signupSeller, subscribeWebhooks, TestSeller } from '../support/factories/sellers';
import { pdfPageCount, pdfTextRuns } from '../support/pdf-text';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

type Auth = { auth: { authorization: string } };
interface Charges {
  shipping: number;
  codFee: number;
  cashback: number;
  returnFee: number;
}
interface Line {
  shipmentId: string;
  awb: string;
  courier: string;
  kind: string;
  amount: number;
}

const pinned = (code: string) => PINNED.find((p) => p.code === code)!;
const DAY = 86_400_000;

describe('invoices: one per seller and period, posted, settled from available, exported', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let a: TestSeller;
  let b: TestSeller;
  let originA: string;
  let originB: string;
  let admin: Auth;
  let finance: Auth;
  /** Seller A's first invoice (the period the fake clock starts in: 26 Okt – 8 Nov 2026 WIB). */
  let first: { id: string; number: string; total: number; periodStart: string };

  beforeAll(async () => {
    t = await startTestApp({}, undefined, {
      configure: (c) => {
        c.business.money.codHoldDays = 1;
        // Exports read in batches of 2 lines: every invoice's lines cross a batch.
        c.business.money.invoicing.exportBatch = 2;
      },
    });
    http = t.http();
    a = await signupSeller(http, 'Toko Batik Sari');
    b = await signupSeller(http, 'Warung Kopi Bejo');
    originA = (await createAddress(http, a)).id;
    originB = (await createAddress(http, b)).id;
    admin = await createOperator(t, http, 'admin');
    finance = await createOperator(t, http, 'finance');
    await subscribeWebhooks(http, a, 'http://127.0.0.1:9/hook');
  });
  afterAll(() => t.close());

  const charges = async (s: TestSeller, id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(s.auth).expect(200)).body.charges as Charges;
  const balances = (s: TestSeller) => t.app.get(LedgerService).sellerBalances(s.sellerId);
  const invoicesOf = async (s: TestSeller) =>
    (await http.get('/v1/invoices?limit=500').set(s.auth).expect(200)).body.items as {
      id: string;
      number: string;
      periodStart: string;
      periodStartDate: string;
      status: string;
      total: number;
      paid: number;
      outstanding: number;
    }[];
  const releaseHolds = async () => {
    t.clock.advance(2 * DAY);
    await http.post('/sandbox/jobs/ledger-holds/run').set(admin.auth).send({}).expect(200);
  };
  /** The lines a shipment should have, from its charges (the test's own reckoning). */
  const expectedLines = async (s: TestSeller, e: EndedShipment, cod: boolean): Promise<Line[]> => {
    const c = await charges(s, e.id);
    const line = (kind: string, amount: number) => ({
      shipmentId: e.id,
      awb: e.awb,
      courier: e.courier,
      kind,
      amount,
    });
    return [
      line('shipping', c.shipping),
      ...(e.status === 'delivered' && cod ? [line('cod_fee', c.codFee)] : []),
      ...(e.status === 'returned' ? [line('return_fee', c.returnFee)] : []),
      line('cashback', -c.cashback),
    ];
  };

  it('issues once, however often the job runs; the total is the ledger’s to the rupiah; settles what is available', async () => {
    const [smallCod] = await endPinned(t, http, a, originA, [pinned('jne')], {
      overrides: { codAmount: 5000 },
    });
    const [prepaid] = await endPinned(t, http, a, originA, [pinned('jnt')], { overrides: { codAmount: 0 } });
    const [returned] = await endPinned(t, http, a, originA, [pinned('sap')], { to: 'returned' });
    await releaseHolds(); // the small COD (Rp 5.000) is available before the invoice
    expect((await balances(a)).available).toBe(5000);

    const lines = [
      ...(await expectedLines(a, smallCod, true)),
      ...(await expectedLines(a, prepaid, false)),
      ...(await expectedLines(a, returned, false)),
    ];
    for (const l of lines) expect(l.amount === 0 || Number.isNaN(l.amount)).toBe(false);
    const total = lines.reduce((s, l) => s + l.amount, 0);
    expect(total).toBeGreaterThan(5000);

    const asOf = new Date(Math.max(t.clock.now().getTime(), Date.parse('2026-11-09T00:00:00Z')));
    t.clock.set(asOf);
    const runs = [await runInvoicing(http, admin, asOf), await runInvoicing(http, admin, asOf)];
    expect(runs.map((r) => r.issued)).toEqual([1, 0]);

    const mine = await invoicesOf(a);
    expect(mine).toHaveLength(1);
    const invoice = (await http.get(`/v1/invoices/${mine[0].id}`).set(a.auth).expect(200)).body;
    expect(invoice).toMatchObject({
      number: expect.stringMatching(/^INV\/2026\/11\/\d{6}$/),
      periodStart: '2026-10-25T17:00:00.000Z',
      periodEnd: '2026-11-08T17:00:00.000Z',
      periodStartDate: '2026-10-26',
      periodLastDate: '2026-11-08',
      status: 'partially_paid',
      total,
      paid: 5000,
      outstanding: total - 5000,
    });
    expect([...invoice.lines].sort(byLine)).toEqual([...lines].sort(byLine));
    const sum = (kind: string) => lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.amount, 0);
    expect(invoice.shippingTotal).toBe(sum('shipping'));
    expect(invoice.codFeeTotal).toBe(sum('cod_fee'));
    expect(invoice.returnFeeTotal).toBe(sum('return_fee'));
    expect(invoice.cashbackTotal).toBe(-sum('cashback'));
    first = { id: invoice.id, number: invoice.number, total, periodStart: invoice.periodStart };

    // The ledger: what the seller owes for the period is the invoice's total, to the rupiah.
    const entries = (await http.get('/v1/ledger/entries?limit=500').set(a.auth).expect(200)).body.items as {
      type: string;
      account: string;
      amount: number;
      reference: string;
    }[];
    const issued = entries.filter((e) => e.type === 'invoice_issued');
    expect(issued).toEqual([
      expect.objectContaining({ account: 'invoice_receivable', amount: total, reference: invoice.number }),
    ]);
    const settled = entries.filter((e) => e.type === 'invoice_settled');
    expect(settled.map((e) => [e.account, e.amount]).sort()).toEqual([
      ['available', -5000],
      ['invoice_receivable', -5000],
    ]);
    const [posted] = await t.dataSource.query<{ seller: string; income: string; cashback: string }[]>(
      `SELECT sum(e.amount) FILTER (WHERE e.seller_id = $1) AS seller,
              sum(e.amount) FILTER (WHERE e.account_code = 'platform:shipping_fee_income') AS income,
              sum(e.amount) FILTER (WHERE e.account_code = 'platform:cashback_expense') AS cashback
         FROM ledger_entries e JOIN ledger_transactions x ON x.id = e.transaction_id WHERE x.key = $2`,
      [a.sellerId, `invoice:${a.sellerId}:2026-10-26`],
    );
    expect(Number(posted.seller)).toBe(total);
    expect(-Number(posted.income)).toBe(invoice.shippingTotal + invoice.codFeeTotal + invoice.returnFeeTotal);
    expect(Number(posted.cashback)).toBe(invoice.cashbackTotal);
    expect(await balances(a)).toMatchObject({ available: 0, invoiceReceivable: total - 5000 });

    // The seller is told (one event, however often the job ran).
    const events = (await http.get('/v1/webhook-deliveries?type=invoice.issued').set(a.auth).expect(200)).body
      .items as unknown[];
    expect(events).toHaveLength(1);
    expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  });

  it('settles the rest automatically from a later COD release: partially_paid → paid', async () => {
    await endPinned(t, http, a, originA, [pinned('jne')], { overrides: { codAmount: 200_000 } });
    await releaseHolds();
    const invoice = (await http.get(`/v1/invoices/${first.id}`).set(a.auth).expect(200)).body;
    expect(invoice).toMatchObject({ status: 'paid', paid: first.total, outstanding: 0 });
    const after = await balances(a);
    expect(after.available).toBe(200_000 - (first.total - 5000));
    expect(after.invoiceReceivable).toBe(0);
    const keys = await t.dataSource.query<{ key: string }[]>(
      "SELECT key FROM ledger_transactions WHERE type = 'invoice_settled' AND seller_id = $1 ORDER BY created_at",
      [a.sellerId],
    );
    expect(keys.map((k) => k.key)).toEqual([
      `invoice-settlement:${first.id}:0`,
      `invoice-settlement:${first.id}:5000`,
    ]);
    expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  });

  it('puts a parcel that ended at 23:59:59 Jakarta time on that period’s invoice and one at 00:00:00 on the next', async () => {
    const [late, early] = await endPinned(t, http, b, originB, [pinned('ninja'), pinned('idexpress')]);
    await moveEnd(t, [late.id], new Date('2026-12-20T23:59:59+07:00'));
    await moveEnd(t, [early.id], new Date('2026-12-21T00:00:00+07:00'));
    const asOf = new Date('2027-01-04T01:00:00+07:00');
    expect((await runInvoicing(http, admin, asOf)).issued).toBeGreaterThanOrEqual(2);
    const mine = await invoicesOf(b);
    const byPeriod = new Map(mine.map((i) => [i.periodStartDate, i]));
    const linesOf = async (date: string) =>
      (
        (
          await http
            .get(`/v1/invoices/${byPeriod.get(date)!.id}`)
            .set(b.auth)
            .expect(200)
        ).body.lines as Line[]
      )
        .map((l) => l.shipmentId)
        .filter((id, i, all) => all.indexOf(id) === i);
    expect(await linesOf('2026-12-07')).toEqual([late.id]);
    expect(await linesOf('2026-12-21')).toEqual([early.id]);
    expect(byPeriod.get('2026-12-21')!.number).toMatch(/^INV\/2027\/01\/\d{6}$/);
  });

  it('invoices an outcome reported late on the next invoice, never on none; a period waits out its grace', async () => {
    const c = await signupSeller(http, 'Toko Telat');
    const origin = (await createAddress(http, c)).id;
    const [onTime, late] = await endPinned(t, http, c, origin, [pinned('jne'), pinned('sap')]);
    // Delivered (courier's time) and recorded in the period of 1 Mar 2027; the other delivered in that
    // period too, but its delivery reached Kirim only after that period's invoice was issued.
    await moveEnd(t, [onTime.id, late.id], new Date('2027-03-03T10:00:00+07:00'));
    await t.dataSource.query('UPDATE shipments SET outcome_recorded_at = $2 WHERE id = $1', [
      late.id,
      new Date('2027-03-20T09:00:00+07:00'),
    ]);
    const periodEnd = new Date('2027-03-15T00:00:00+07:00');
    await runInvoicing(http, admin, periodEnd);
    expect((await invoicesOf(c)).map((i) => i.periodStartDate)).toEqual([]);
    await runInvoicing(http, admin, new Date(periodEnd.getTime() + 15 * 60_000));
    await runInvoicing(http, admin, new Date('2027-03-29T01:00:00+07:00'));
    const mine = await invoicesOf(c);
    const shipmentsOn = async (id: string) => [
      ...new Set(
        ((await http.get(`/v1/invoices/${id}`).set(c.auth).expect(200)).body.lines as Line[]).map(
          (l) => l.shipmentId,
        ),
      ),
    ];
    const byPeriod = new Map(mine.map((i) => [i.periodStartDate, i.id]));
    expect([...byPeriod.keys()].sort()).toEqual(['2027-03-01', '2027-03-15']);
    expect(await shipmentsOn(byPeriod.get('2027-03-01')!)).toEqual([onTime.id]);
    expect(await shipmentsOn(byPeriod.get('2027-03-15')!)).toEqual([late.id]);
  });

  it('issues each seller’s invoice once when two instances run the job at the same moment', async () => {
    const other = await startTestApp({}, t.db, { configure: (c) => (c.business.money.codHoldDays = 1) });
    try {
      const sellers = await Promise.all(
        ['Toko Satu', 'Toko Dua', 'Toko Tiga'].map((n) => signupSeller(http, n)),
      );
      for (const s of sellers) {
        const origin = (await createAddress(http, s)).id;
        const ended = await endPinned(t, http, s, origin, [pinned('jne'), pinned('jnt')]);
        await moveEnd(t, [ended[0].id], new Date('2027-01-10T12:00:00+07:00'));
        await moveEnd(t, [ended[1].id], new Date('2027-01-20T12:00:00+07:00'));
      }
      const asOf = new Date('2027-02-01T01:00:00+07:00');
      const runs = await Promise.all([
        t.app.get(InvoicingService).run(asOf),
        other.app.get(InvoicingService).run(asOf),
        t.app.get(InvoicingService).run(asOf),
        other.app.get(InvoicingService).run(asOf),
      ]);
      // Two periods (4 Jan and 18 Jan) for each of the three sellers, and nothing twice.
      expect(runs.reduce((s, r) => s + r.issued, 0)).toBe(6);
      const rows = await t.dataSource.query<{ seller_id: string; period_start: Date; n: number }[]>(
        `SELECT seller_id, period_start, count(*)::int AS n FROM invoices WHERE seller_id = ANY($1::uuid[])
          GROUP BY seller_id, period_start`,
        [sellers.map((s) => s.sellerId)],
      );
      expect(rows).toHaveLength(6);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      const failed = await t.dataSource.query('SELECT * FROM invoice_runs WHERE error IS NOT NULL');
      expect(failed).toEqual([]);
      // Issued now (a run as of a past moment only chooses the periods): numbered in the month of issue,
      // one after another, none repeated.
      const month = wibDay(t.clock.now()).slice(0, 7).replace('-', '/');
      const numbers = (
        await t.dataSource.query<{ number: string }[]>(
          'SELECT number FROM invoices WHERE seller_id = ANY($1::uuid[]) ORDER BY number',
          [sellers.map((s) => s.sellerId)],
        )
      ).map((r) => r.number);
      expect(numbers.every((n) => n.startsWith(`INV/${month}/`))).toBe(true);
      const sequence = numbers.map((n) => Number(n.slice(-6)));
      expect(sequence).toEqual(sequence.map((_, i) => sequence[0] + i));
      expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
      expect((await runInvoicing(http, admin, asOf)).issued).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('issues a run as of a past moment now: the periods over by then, each invoice dated, numbered and posted at the run', async () => {
    const c = await signupSeller(http, 'Toko Kemarin');
    const origin = (await createAddress(http, c)).id;
    const [ended] = await endPinned(t, http, c, origin, [pinned('jne')]);
    await moveEnd(t, [ended.id], new Date('2027-04-14T10:00:00+07:00'));
    // Finance runs, a month after the period of 12 Apr 2027 ended, as of just after its end.
    const clock = await http.post('/sandbox/clock').set(admin.auth).send({ advanceHours: 0 }).expect(200);
    const hours = (Date.parse('2027-05-20T10:00:00+07:00') - Date.parse(clock.body.now as string)) / 3600_000;
    await http.post('/sandbox/clock').set(admin.auth).send({ advanceHours: hours }).expect(200);
    const now = t.clock.now().toISOString();
    const asOf = new Date('2027-04-26T01:00:00+07:00').toISOString();
    const run = await http.post('/v1/finance/invoicing/run').set(finance.auth).send({ asOf }).expect(200);
    expect(run.body).toMatchObject({ asOf, issued: 1 });
    const [invoice, ...more] = (await invoicesOf(c)) as unknown as { number: string; issuedAt: string }[];
    expect(more).toEqual([]);
    expect(invoice).toMatchObject({ periodStartDate: '2027-04-12', issuedAt: now });
    expect(invoice.number).toMatch(/^INV\/2027\/05\/\d{6}$/);
    const entries = (await http.get('/v1/ledger/entries?limit=100').set(c.auth).expect(200)).body.items as {
      type: string;
      at: string;
    }[];
    const invoiced = entries.filter((e) => e.type.startsWith('invoice'));
    expect(invoiced.length).toBeGreaterThan(0);
    expect(invoiced.every((e) => e.at === now)).toBe(true);
    expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  });

  it('exports the seller’s invoice as CSV and as an Indonesian PDF; another seller gets 404', async () => {
    const csv = await http.get(`/v1/invoices/${first.id}/csv`).set(a.auth).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain(`${first.number.replace(/\//g, '-')}.csv`);
    const rows = parse<Record<string, string>>(csv.text, { columns: true, bom: true });
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.every((r) => r.invoice_number === first.number && r.seller_id === a.sellerId)).toBe(true);
    // Whose it is by name too, as the seller signed up (a spreadsheet reader has no seller ids in mind).
    expect(new Set(rows.map((r) => r.seller_name))).toEqual(new Set(['Toko Batik Sari']));
    expect(rows.reduce((s, r) => s + Number(r.amount), 0)).toBe(first.total);

    const pdf = await http
      .get(`/v1/invoices/${first.id}/pdf`)
      .set(a.auth)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const body = pdf.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfTextRuns(body);
    expect(text).toEqual(
      expect.arrayContaining([
        'INVOICE / TAGIHAN',
        'Toko Batik Sari',
        first.number,
        '26 Okt 2026 – 8 Nov 2026',
        'Total tagihan',
        `Rp ${first.total.toLocaleString('id-ID')}`,
        'Sisa tagihan',
        'Rp 0',
        'Ongkos kirim',
        'Biaya COD',
        'Biaya retur',
        'Cashback',
      ]),
    );

    for (const path of [
      `/v1/invoices/${first.id}`,
      `/v1/invoices/${first.id}/csv`,
      `/v1/invoices/${first.id}/pdf`,
    ])
      expect((await http.get(path).set(b.auth).expect(404)).body.code).toBe('INVOICING_NOT_FOUND');
    expect((await invoicesOf(b)).map((i) => i.id)).not.toContain(first.id);
  });

  it('leads every invoice CSV with a UTF-8 byte-order mark, so Excel shows a shop named in any script as named', async () => {
    // As the shop might have signed up; set directly since no route renames a seller.
    const named = 'Toko Café Ñoño 🍰';
    await t.dataSource.query('UPDATE sellers SET name = $2 WHERE id = $1', [a.sellerId, named]);
    try {
      for (const [path, who] of [
        [`/v1/invoices/${first.id}/csv`, a.auth],
        ['/v1/finance/invoices/export?periodStart=2026-10-26&format=csv', finance.auth],
      ] as const) {
        const res = await http.get(path).set(who).buffer(true).parse(binaryBody).expect(200);
        expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
        const bytes = res.body as Buffer;
        // Before, the file began with the header row itself: Excel read it as Windows-1252.
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const text = bytes.subarray(3).toString('utf8');
        expect(text.startsWith('invoice_number,seller_id,seller_name,')).toBe(true);
        const rows = parse<Record<string, string>>(text, { columns: true });
        expect(new Set(rows.map((r) => r.seller_name))).toEqual(new Set([named]));
      }
    } finally {
      await t.dataSource.query('UPDATE sellers SET name = $2 WHERE id = $1', [a.sellerId, 'Toko Batik Sari']);
    }
  });

  it('takes the export format in any letter case', async () => {
    // Before, `PDF` and `Csv` were a 400, unlike GET /v1/shipments's filters.
    for (const [format, type] of [
      ['PDF', 'application/pdf'],
      ['%20Csv%20', 'text/csv; charset=utf-8'],
    ] as const) {
      const res = await http
        .get(`/v1/finance/invoices/export?periodStart=2026-10-26&format=${format}`)
        .set(finance.auth)
        .buffer(true)
        .parse(binaryBody)
        .expect(200);
      expect(res.headers['content-type']).toBe(type);
    }
  });

  it('gives finance a period across sellers with totals, as CSV and as a PDF with a section per seller', async () => {
    const list = (await http.get('/v1/finance/invoices?periodStart=2026-12-07').set(finance.auth).expect(200))
      .body;
    const ids = (list.items as { sellerId: string }[]).map((i) => i.sellerId);
    expect(ids).toContain(b.sellerId);
    // Whose each invoice is, by name.
    expect(list.items.find((i: { sellerId: string }) => i.sellerId === b.sellerId).sellerName).toBe(
      'Warung Kopi Bejo',
    );
    expect(list.totals.total).toBe(
      (list.items as { total: number }[]).reduce((s: number, i) => s + i.total, 0),
    );
    expect(list.totals.invoices).toBe(list.items.length);
    // The same period named by its first instant, as invoices show it.
    const byInstant = await http
      .get(`/v1/finance/invoices?periodStart=${encodeURIComponent('2026-12-06T17:00:00.000Z')}`)
      .set(finance.auth)
      .expect(200);
    expect(byInstant.body.totals).toEqual(list.totals);
    // Also with Jakarta's offset, or as Jakarta's wall clock (no offset): the same first instant.
    for (const named of ['2026-12-07T00:00:00+07:00', '2026-12-07T00:00:00.000+0700', '2026-12-07T00:00'])
      expect(
        (
          await http
            .get(`/v1/finance/invoices?periodStart=${encodeURIComponent(named)}`)
            .set(finance.auth)
            .expect(200)
        ).body.totals,
      ).toEqual(list.totals);
    // Midnight elsewhere is not when the period starts.
    const offside = await http
      .get(`/v1/finance/invoices?periodStart=${encodeURIComponent('2026-12-07T00:00:00+08:00')}`)
      .set(finance.auth)
      .expect(400);
    expect(offside.body.details[0].field).toBe('periodStart');

    // Paged one by one, each invoice once; a cursor names an invoice of the period it pages, or it is a 400.
    const pages: string[] = [];
    let cursor: string | null = null;
    let pageOne = '';
    do {
      const page = (
        await http
          .get(`/v1/finance/invoices?periodStart=2027-01-18&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
          .set(finance.auth)
          .expect(200)
      ).body as { items: { id: string }[]; nextCursor: string | null };
      pages.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pageOne ||= cursor ?? '';
    } while (cursor);
    expect(pages).toHaveLength(3);
    expect(new Set(pages).size).toBe(3);
    const [order] = JSON.parse(Buffer.from(pageOne, 'base64url').toString()) as [string, string];
    const unknown = Buffer.from(JSON.stringify([order, randomUUID()])).toString('base64url');
    for (const [period, bad] of [
      ['2027-01-04', pageOne],
      ['2027-01-18', unknown],
    ]) {
      const res = await http
        .get(`/v1/finance/invoices?periodStart=${period}&cursor=${bad}`)
        .set(finance.auth)
        .expect(400);
      expect(res.body.details).toEqual([{ field: 'cursor', message: 'is not a valid cursor' }]);
    }

    const csv = await http
      .get('/v1/finance/invoices/export?periodStart=2026-10-26&format=csv')
      .set(finance.auth)
      .expect(200);
    const rows = parse<Record<string, string>>(csv.text, { columns: true, bom: true });
    expect(new Set(rows.map((r) => r.invoice_number))).toEqual(new Set([first.number]));
    expect(rows.reduce((s, r) => s + Number(r.amount), 0)).toBe(first.total);

    // Three invoices whose lines were numbered in turns, as invoices issued at once number them: the export
    // still lists invoice after invoice, each whole (read by line number, one issued first but committed
    // last could be passed over).
    await t.dataSource.query(
      `WITH gone AS (
         DELETE FROM invoice_lines l USING invoices i
          WHERE i.id = l.invoice_id AND i.period_start = '2027-01-17T17:00:00Z'
         RETURNING l.*, i.number
       )
       INSERT INTO invoice_lines (id, invoice_id, period_start, shipment_id, awb, courier, kind, amount)
       OVERRIDING SYSTEM VALUE
       SELECT 1000000 + 10 * row_number() OVER (PARTITION BY invoice_id ORDER BY id DESC)
                + dense_rank() OVER (ORDER BY number DESC),
              invoice_id, period_start, shipment_id, awb, courier, kind, amount
         FROM gone`,
    );
    const issued = (
      await http.get('/v1/finance/invoices?periodStart=2027-01-18&limit=100').set(finance.auth).expect(200)
    ).body.items as { number: string; total: number }[];
    const periodCsv = parse<Record<string, string>>(
      (
        await http
          .get('/v1/finance/invoices/export?periodStart=2027-01-18&format=csv')
          .set(finance.auth)
          .expect(200)
      ).text,
      { columns: true, bom: true },
    );
    const numbers = periodCsv.map((r) => r.invoice_number);
    expect([...new Set(numbers)]).toEqual(issued.map((i) => i.number).sort());
    expect(numbers).toEqual([...numbers].sort());
    for (const invoice of issued)
      expect(
        periodCsv
          .filter((r) => r.invoice_number === invoice.number)
          .reduce((sum, r) => sum + Number(r.amount), 0),
      ).toBe(invoice.total);

    const pdf = await http
      .get('/v1/finance/invoices/export?periodStart=2027-01-18&format=pdf')
      .set(finance.auth)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    const text = pdfTextRuns(pdf.body as Buffer);
    expect(text).toEqual(expect.arrayContaining(['Toko Satu', 'Toko Dua', 'Toko Tiga']));
    expect(text.filter((r) => r === 'INVOICE / TAGIHAN')).toHaveLength(3);
    expect(pdfPageCount(pdf.body as Buffer)).toBeGreaterThanOrEqual(3);

    for (const bad of ['2026-12-08', '2026-02-30', 'besok', '2026-12-07T00:00:00.000Z', '9999-12-27']) {
      const res = await http
        .get(`/v1/finance/invoices/export?periodStart=${encodeURIComponent(bad)}`)
        .set(finance.auth)
        .expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'periodStart' })]);
    }
    await http.get('/v1/finance/invoices?periodStart=2026-12-07').set(a.auth).expect(403);

    // The periods finance picks from: newest first from the one now is in, each with its invoice count.
    const periods = (await http.get('/v1/finance/invoicing/periods?limit=40').set(finance.auth).expect(200))
      .body.items as {
      startDate: string;
      lastDate: string;
      periodStart: string;
      ended: boolean;
      invoices: number;
    }[];
    expect(periods).toHaveLength(40);
    const now = t.clock.now();
    expect(periods[0].ended).toBe(false);
    expect(new Date(`${periods[0].startDate}T00:00:00+07:00`).getTime()).toBeLessThanOrEqual(now.getTime());
    expect(periods.slice(1).every((p) => p.ended)).toBe(true);
    for (const [i, p] of periods.slice(1).entries())
      expect(Date.parse(`${p.lastDate}T00:00:00Z`) + 86_400_000).toBe(
        Date.parse(`${periods[i].startDate}T00:00:00Z`),
      );
    // Each period's count is its invoices' (the test moved the clock back: some periods are issued early).
    expect(periods.some((p) => p.invoices > 0)).toBe(true);
    for (const p of periods.slice(0, 4)) {
      const of = await http
        .get(`/v1/finance/invoices?periodStart=${p.startDate}`)
        .set(finance.auth)
        .expect(200);
      expect(p.invoices).toBe(of.body.totals.invoices);
      expect(p.periodStart).toBe(of.body.periodStart);
    }
    for (const limit of ['0', '101', 'semua'])
      await http.get(`/v1/finance/invoicing/periods?limit=${limit}`).set(finance.auth).expect(400);
    await http.get('/v1/finance/invoicing/periods').set(a.auth).expect(403);
    await http.post('/v1/finance/invoicing/run').set(finance.auth).send({}).expect(200);
    await http.post('/v1/finance/invoicing/run').set(finance.auth).send({ asOf: 'kemarin' }).expect(400);
    // A moment not reached yet is taken as now: a period is invoiced once it is over, never before (what
    // ends in it later would be on no invoice). The run just made issued all that is over; this issues none.
    const invoicesBefore = await t.dataSource.query('SELECT count(*)::int AS n FROM invoices');
    const early = await http
      .post('/v1/finance/invoicing/run')
      .set(finance.auth)
      .send({ asOf: '2099-01-01T00:00:00Z' })
      .expect(200);
    expect(early.body).toEqual({ asOf: t.clock.now().toISOString(), periods: 0, issued: 0 });
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM invoices')).toEqual(invoicesBefore);
  });
});

function byLine(x: Line, y: Line): number {
  return `${x.shipmentId}${x.kind}` < `${y.shipmentId}${y.kind}` ? -1 : 1;
}

describe('invoices: deliveries as couriers really report them', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let admin: Auth;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    admin = await createOperator(t, http, 'admin');
  });
  afterAll(() => t.close());

  it('puts a delivery a slow poll records after its period was invoiced on the next invoice, stamped when recorded', async () => {
    const seller = await signupSeller(http, 'Toko Lambat');
    const origin = (await createAddress(http, seller)).id;
    const [early] = await endPinned(t, http, seller, origin, [pinned('jne')]);
    const [late] = await bookPinned(t, http, seller, origin, [pinned('jne')], { codAmount: 150_000 });
    // The period of 26 Okt – 8 Nov 2026 (Jakarta) ends at 17:00Z; the parcel is delivered a minute before.
    const periodEnd = new Date('2026-11-08T17:00:00Z');
    t.clock.set(new Date(periodEnd.getTime() - 60_000));
    await http
      .post(`/sandbox/parcels/${late.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'delivered' })
      .expect(200);
    // A poll pass begins then and waits on a slow courier while the period closes and is invoiced.
    await t.app.get(SandboxControl).setFaults('jne', { latencyMs: 1500 });
    const jne = t.app.get(CourierSandboxes).get('jne')!;
    const pass = t.app.get(TrackingPoller).pollDue();
    await waitUntil(() => jne.inFlight > 0, 'the poll is at the courier');
    const invoicedAt = new Date(periodEnd.getTime() + 20 * 60_000);
    t.clock.set(invoicedAt);
    const closing = await runInvoicing(http, admin, invoicedAt);
    await pass;
    expect(closing).toMatchObject({ periods: 1, issued: 1 });
    await t.app.get(SandboxControl).setFaults('jne', { latencyMs: 0 });
    expect((await http.get(`/v1/shipments/${late.id}`).set(seller.auth).expect(200)).body.status).toBe(
      'delivered',
    );
    const [recorded] = await t.dataSource.query<{ at: Date }[]>(
      'SELECT outcome_recorded_at AS at FROM shipments WHERE id = $1',
      [late.id],
    );
    expect(recorded.at.toISOString()).toBe(invoicedAt.toISOString());

    expect(await runInvoicing(http, admin, new Date('2026-11-22T17:20:00Z'))).toMatchObject({
      periods: 1,
      issued: 1,
    });
    const invoices = (await http.get('/v1/invoices').set(seller.auth).expect(200)).body.items as {
      id: string;
      periodStartDate: string;
    }[];
    const shipmentsOf = new Map<string, string[]>();
    for (const i of invoices) {
      const lines = (await http.get(`/v1/invoices/${i.id}`).set(seller.auth).expect(200)).body
        .lines as Line[];
      shipmentsOf.set(i.periodStartDate, [...new Set(lines.map((l) => l.shipmentId))]);
    }
    expect(Object.fromEntries(shipmentsOf)).toEqual({ '2026-10-26': [early.id], '2026-11-09': [late.id] });
    // Charged once is kept by the database too: the same line on another invoice is refused.
    await expect(
      t.dataSource.query(
        `INSERT INTO invoice_lines (invoice_id, period_start, shipment_id, awb, courier, kind, amount)
         SELECT invoice_id, period_start, shipment_id, awb, courier, kind, amount FROM invoice_lines
          WHERE shipment_id = $1 AND kind = 'shipping'`,
        [early.id],
      ),
    ).rejects.toThrow(/uq_invoice_lines_shipment_kind/);
  });

  it('charges no COD fee for a COD parcel the courier delivered without taking the cash (nor credits the seller)', async () => {
    const seller = await signupSeller(http, 'Toko Tanpa Tunai');
    const origin = (await createAddress(http, seller)).id;
    const [b] = await bookPinned(t, http, seller, origin, [pinned('ninja')], { codAmount: 150_000 });
    await http
      .post(`/sandbox/parcels/${b.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'delivered' })
      .expect(200);
    // Ninja's push for the delivery, saying the cash was not collected, signed as Ninja signs (ninja.md §4).
    const push = (await t.app.get(CourierSandboxes).get('ninja')!.webhookFor(b.awb))!;
    const delivered = JSON.parse(push.body) as { delivery_information: Record<string, unknown> };
    delivered.delivery_information = {
      ...delivered.delivery_information,
      cod_collected: false,
      cod_amount: 0,
    };
    const body = JSON.stringify(delivered);
    const secret = sandboxSecret(
      TEST_JWT_SECRET,
      t.app.get(AppConfig).couriers.sandboxSeed,
      'ninja',
      'client_secret',
    );
    await http
      .post('/v1/webhooks/couriers/ninja')
      .set({
        'content-type': 'application/json',
        'x-ninjavan-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
      })
      .send(body)
      .expect(200);
    await http.post('/sandbox/jobs/tracking-inbox/run').set(admin.auth).send({}).expect(200);
    await pushesApplied(t);
    const shipment = (await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body as {
      status: string;
      codCollected: boolean;
      charges: Charges;
    };
    expect(shipment).toMatchObject({ status: 'delivered', codCollected: false });
    // The scoring learns it as no success: not delivered and paid.
    expect(
      await t.dataSource.query('SELECT outcome, cod, unpaid FROM delivery_outcomes WHERE shipment_id = $1', [
        b.id,
      ]),
    ).toEqual([{ outcome: 'delivered', cod: true, unpaid: true }]);
    expect(shipment.charges.codFee).toBeGreaterThan(0);
    expect(await t.app.get(LedgerService).sellerBalances(seller.sellerId)).toMatchObject({
      pending: 0,
      available: 0,
    });

    const periodEnd = new Date('2026-12-06T17:00:00Z');
    expect(t.clock.now().getTime()).toBeLessThan(periodEnd.getTime());
    await runInvoicing(http, admin, new Date(periodEnd.getTime() + 20 * 60_000));
    const [invoice] = (await http.get('/v1/invoices').set(seller.auth).expect(200)).body.items as {
      id: string;
    }[];
    const lines = (await http.get(`/v1/invoices/${invoice.id}`).set(seller.auth).expect(200)).body
      .lines as Line[];
    expect(lines.map((l) => [l.shipmentId, l.kind])).toEqual(
      [['shipping'], ...(shipment.charges.cashback > 0 ? [['cashback']] : [])].map(([kind]) => [b.id, kind]),
    );
  });
});
