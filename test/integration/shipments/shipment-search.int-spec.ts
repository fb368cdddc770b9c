import { ShipmentsRepository } from 'src/shipments/shipments.repository';
import { createShipment, signupSeller } from '../../support/factories/sellers';
import { startTestApp, TestApp } from '../../support/test-app';

describe('searching a seller’s many shipments (real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('finds a reference, an airway bill, a name, a phone or the shipments at risk by their indexes, not by reading every shipment', async () => {
    const http = t.http();
    const seller = await signupSeller(http, 'Toko Besar');
    const first = await createShipment(http, seller, { reference: 'BESAR-0' });
    // 20,000 more of the seller's shipments, each its own reference, airway bill, recipient and phone.
    const varied: Record<string, string> = {
      id: 'gen_random_uuid()',
      reference: `'BESAR-' || g`,
      courier: `'jne'`,
      awb: `'JX' || lpad(g::text, 10, '0')`,
      recipient_name: `'Penerima ' || md5(g::text)`,
      recipient_phone: `'+62812' || lpad(g::text, 8, '0')`,
      created_at: 's.created_at - make_interval(mins => g)',
    };
    const columns = (
      await t.dataSource.query<{ name: string }[]>(
        `SELECT column_name AS name FROM information_schema.columns
          WHERE table_name = 'shipments' AND table_schema = current_schema() AND is_generated = 'NEVER'`,
      )
    ).map((c) => c.name);
    await t.dataSource.query(
      `INSERT INTO shipments (${columns.map((c) => `"${c}"`).join(', ')})
       SELECT ${columns.map((c) => varied[c] ?? `s."${c}"`).join(', ')}
         FROM shipments s, generate_series(1, 20000) g WHERE s.id = $1`,
      [first.id],
    );
    await t.dataSource.query('ANALYZE shipments');
    const repository = t.app.get(ShipmentsRepository);
    const plan = async (filters: Parameters<ShipmentsRepository['listQuery']>[1]) => {
      // As paginate reads a page: newest first, one more than the page.
      const [sql, params] = repository
        .listQuery(seller.sellerId, filters)
        .orderBy('s.createdAt', 'DESC')
        .addOrderBy('s.id', 'DESC')
        .take(51)
        .getQueryAndParameters();
      const rows = await t.dataSource.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql}`, params);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    // A phone typed as sellers type it: every part of the search, each by its index, none by a scan.
    const byPhone = await plan({ q: '0812-0001-2345' });
    for (const index of [
      'idx_shipments_reference_prefix',
      'idx_shipments_awb_prefix',
      'idx_shipments_recipient_name_trgm',
      'idx_shipments_seller_phone',
    ])
      expect(byPhone).toContain(index);
    expect(byPhone).not.toContain('Seq Scan');
    for (const q of ['besar-1234', 'jx00000123', 'a87ff679']) {
      const read = await plan({ q });
      expect(read).toContain('idx_shipments_reference_prefix');
      expect(read).not.toContain('Seq Scan');
    }
    // The few shipments at risk, by their own index, whatever else the list filters by.
    await t.dataSource.query(
      `UPDATE shipments SET risk = 'at_risk' WHERE reference IN ('BESAR-7', 'BESAR-8')`,
    );
    await t.dataSource.query('ANALYZE shipments');
    const atRisk = await plan({ risk: 'at_risk', courier: 'sap' });
    expect(atRisk).toContain('idx_shipments_seller_at_risk');
    expect(atRisk).not.toContain('Seq Scan');
    // And the answers are the seller's matches.
    const found = async (q: string) =>
      (
        (
          await http
            .get(`/v1/shipments?q=${encodeURIComponent(q)}`)
            .set(seller.auth)
            .expect(200)
        ).body.items as { reference: string }[]
      ).map((s) => s.reference);
    expect(await found('0812-0001-2345')).toEqual(['BESAR-12345']);
    expect(await found('jx0000012345')).toEqual(['BESAR-12345']);
    expect(await found('besar-1999')).toEqual(
      ['BESAR-1999', ...Array.from({ length: 10 }, (_, i) => `BESAR-1999${i}`)].sort(
        (a, b) => Number(a.slice(6)) - Number(b.slice(6)),
      ),
    );
  });
});
