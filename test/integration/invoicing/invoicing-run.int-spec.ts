import type supertest from 'supertest';
import { AppConfig } from 'config';
import { type InvoicePeriod, periodStartingOn, wibDay } from 'src/invoicing/invoice-period';
import { InvoicingService } from 'src/invoicing/invoicing.service';
import { ShipmentsService } from 'src/shipments/shipments.service';
import { moveEnd } from '../../support/factories/invoices';
import { endPinned } from '../../support/factories/money';
import { PINNED } from '../../support/factories/tracked';
import { createAddress, signupSeller, TestSeller } from '../../support/factories/sellers';
import { startTestApp, TestApp } from '../../support/test-app';

const jne = PINNED.find((p) => p.code === 'jne')!;
const MIDDAY = 5 * 86_400_000 + 5 * 3600_000;

/**
 * The invoicing job reads a closed period's sellers until it finds each of them invoiced, then never again
 * (a run revisited every period since the first charged shipment: 49 after two years). What it issues is
 * what reading every period issued: a failed issue, an interrupted run, a period found empty and a seller
 * whose shipments a test moves into it later included.
 */
describe('invoicing run: the periods it reads', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let invoicing: InvoicingService;
  let reads: jest.SpyInstance;
  const period = (startDate: string): InvoicePeriod =>
    periodStartingOn(startDate, t.app.get(AppConfig).business.money.invoicing)!;
  let p1: InvoicePeriod, p2: InvoicePeriod, p3: InvoicePeriod, p4: InvoicePeriod;
  let p5: InvoicePeriod, p6: InvoicePeriod, p7: InvoicePeriod;
  let a: TestSeller, b: TestSeller;

  /** A seller with one shipment delivered through the sandbox, its end moved into the period. */
  const sellerEndingIn = async (name: string, p: InvoicePeriod) => {
    const s = await signupSeller(http, name);
    const [ended] = await endPinned(t, http, s, (await createAddress(http, s)).id, [jne]);
    await moveEnd(t, [ended.id], new Date(p.start.getTime() + MIDDAY));
    return s;
  };
  /** Runs the job once the period has closed (15 minutes' grace, and five more); the periods it read. */
  const runAfter = async (p: InvoicePeriod) => {
    const asOf = new Date(p.end.getTime() + 20 * 60_000);
    if (t.clock.now() < asOf) t.clock.set(asOf);
    reads.mockClear();
    const result = await invoicing.run(asOf);
    const read = reads.mock.calls.map(([start]) => wibDay(start as Date));
    return { ...result, read };
  };
  const invoiced = async () =>
    (
      await t.dataSource.query<{ seller_id: string; period_start: Date }[]>(
        'SELECT seller_id, period_start FROM invoices ORDER BY period_start, seller_id',
      )
    ).map((r) => `${r.seller_id}@${wibDay(r.period_start)}`);
  const key = (s: TestSeller, p: InvoicePeriod) => `${s.sellerId}@${p.startDate}`;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    invoicing = t.app.get(InvoicingService);
    reads = jest.spyOn(t.app.get(ShipmentsService), 'sellersWithChargedEnded');
    [p1, p2, p3, p4, p5, p6, p7] = [
      '2026-11-09',
      '2026-11-23',
      '2026-12-07',
      '2026-12-21',
      '2027-01-04',
      '2027-01-18',
      '2027-02-01',
    ].map(period);
    a = await signupSeller(http, 'Toko Awal');
    b = await signupSeller(http, 'Toko Berdua');
    const ends: [TestSeller, InvoicePeriod][] = [
      [a, p1],
      [b, p1],
      [b, p2],
      [a, p3],
    ];
    for (const [s, p] of ends) {
      const [ended] = await endPinned(t, http, s, (await createAddress(http, s)).id, [jne]);
      await moveEnd(t, [ended.id], new Date(p.start.getTime() + MIDDAY));
    }
  });
  afterAll(async () => {
    reads.mockRestore();
    await t.close();
  });

  it('reads a period again only until every seller in it has its invoice: a failed issue is retried', async () => {
    // B's invoice for the second period is refused by the database until the test lets it through.
    await t.dataSource.query(`
      CREATE FUNCTION test_refuse_invoice() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER test_refuse_invoice BEFORE INSERT ON invoices FOR EACH ROW
         WHEN (NEW.period_start = '${p2.start.toISOString()}') EXECUTE FUNCTION test_refuse_invoice()`,
    );
    const first = await runAfter(p3);
    expect(first).toMatchObject({ periods: 3, issued: 3 });
    expect(first.read).toEqual([p1.startDate, p2.startDate, p3.startDate]);

    // The periods found invoiced are not read again (every run read all three); the failed one is.
    expect(await runAfter(p3)).toMatchObject({ periods: 1, issued: 0, read: [p2.startDate] });
    const failed = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM invoice_runs WHERE period_start = $1 AND error IS NOT NULL',
      [p2.start],
    );
    expect(failed).toEqual([{ n: 2 }]);

    await t.dataSource.query('DROP TRIGGER test_refuse_invoice ON invoices');
    expect(await runAfter(p3)).toMatchObject({ periods: 1, issued: 1, read: [p2.startDate] });
    expect(await runAfter(p3)).toMatchObject({ periods: 0, issued: 0, read: [] });
    expect(await invoiced()).toEqual([key(a, p1), key(b, p1), key(b, p2), key(a, p3)].sort(byPeriod));
  });

  it('reads a period found empty on every run: shipments moved into it later are invoiced there', async () => {
    expect(await runAfter(p5)).toMatchObject({ issued: 0, read: [p4.startDate, p5.startDate] });
    const late = await sellerEndingIn('Toko Susulan', p4);
    expect(await runAfter(p5)).toMatchObject({ issued: 1, read: [p4.startDate, p5.startDate] });
    expect(await runAfter(p5)).toMatchObject({ issued: 0, read: [p5.startDate] });
    expect(await invoiced()).toContain(key(late, p4));
  });

  it('after an interrupted run, reads the period until it finds every invoice issued, then marks it', async () => {
    // A run stopped after one of two sellers' invoices (no run row finished): the next issues the other.
    const [d, e] = [await sellerEndingIn('Toko Dulu', p6), await sellerEndingIn('Toko Enam', p6)];
    t.clock.set(new Date(p6.end.getTime() + 20 * 60_000));
    expect(await invoicing.issue(d.sellerId, p6, t.clock.now())).toBe(true);
    expect(await runAfter(p6)).toMatchObject({ periods: 1, issued: 1, read: [p5.startDate, p6.startDate] });
    expect(await runAfter(p6)).toMatchObject({ issued: 0, read: [p5.startDate] });

    // A run stopped after every invoice of the period, before its end was written: found so, and marked.
    const f = await sellerEndingIn('Toko Fajar', p7);
    t.clock.set(new Date(p7.end.getTime() + 20 * 60_000));
    expect(await invoicing.issue(f.sellerId, p7, t.clock.now())).toBe(true);
    expect(await runAfter(p7)).toMatchObject({ periods: 0, issued: 0, read: [p5.startDate, p7.startDate] });
    expect(await runAfter(p7)).toMatchObject({ periods: 0, issued: 0, read: [p5.startDate] });

    const mine = new Set(await invoiced());
    for (const k of [key(d, p6), key(e, p6), key(f, p7)]) expect(mine).toContain(k);
    const twice = await t.dataSource.query(
      'SELECT seller_id, period_start FROM invoices GROUP BY 1, 2 HAVING count(*) > 1',
    );
    expect(twice).toEqual([]);
  });
});

function byPeriod(x: string, y: string): number {
  const [sx, px] = x.split('@');
  const [sy, py] = y.split('@');
  return px === py ? (sx < sy ? -1 : 1) : px < py ? -1 : 1;
}
