import { EntityManager } from 'typeorm';
import { Transactions } from 'src/database/transaction';
import type { MatchedLine } from 'src/remittances/remittance-matching';
import { RemittancesRepository } from 'src/remittances/remittances.repository';
import { RemittancesService } from 'src/remittances/remittances.service';
import { CodRemitted1795491500000 } from '../../../migrations/1795491500000-CodRemitted';
import { createOperator } from '../../support/factories/operators';
import { storedRemittance } from '../../support/factories/remittances';
import { createShipment, signupSeller } from '../../support/factories/sellers';
import { startTestApp, TestApp } from '../../support/test-app';

describe('the reconciliation’s overdue parcels (real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reads the overdue list and its totals from the parcels not remitted, not from every delivered COD parcel', async () => {
    const http = t.http();
    const first = await createShipment(http, await signupSeller(http, 'Toko Lama'));
    // The statements as the service sends them, for every courier and for one.
    const query = jest.spyOn(EntityManager.prototype, 'query');
    let calls: typeof query.mock.calls;
    try {
      const service = t.app.get(RemittancesService);
      await service.reconciliation({});
      await service.reconciliation({ courier: 'jne', limit: 10 });
    } finally {
      calls = [...query.mock.calls];
      query.mockRestore();
    }
    const statements = calls.filter(([text]) => /FROM shipments/.test(text));
    expect(statements).toHaveLength(4);
    // Planned over two years of 40,000 delivered COD parcels, all but one in a thousand remitted, in a
    // transaction rolled back.
    const plans = await t.dataSource
      .transaction(async (m) => {
        const varied: Record<string, string> = {
          id: 'gen_random_uuid()',
          reference: `'LAMA-' || g`,
          status: `'delivered'`,
          cod_amount: '50000',
          cod_collected: 'true',
          cod_remitted: 'g % 1000 <> 0',
          courier: `(ARRAY['jne', 'jnt', 'sap', 'ninja', 'idexpress'])[1 + g % 5]`,
          awb: `'LM' || lpad(g::text, 10, '0')`,
          ended_at: `now() - interval '730 days' + g * interval '730 days' / 40000`,
        };
        const columns = (
          await m.query<{ name: string }[]>(
            `SELECT column_name AS name FROM information_schema.columns
              WHERE table_name = 'shipments' AND table_schema = current_schema() AND is_generated = 'NEVER'`,
          )
        ).map((c) => c.name);
        await m.query(
          `INSERT INTO shipments (${columns.map((c) => `"${c}"`).join(', ')})
           SELECT ${columns.map((c) => varied[c] ?? `s."${c}"`).join(', ')}
             FROM shipments s, generate_series(1, 40000) g WHERE s.id = $1`,
          [first.id],
        );
        await m.query('ANALYZE shipments');
        const explain = async ([text, params]: (typeof calls)[number]) =>
          (await m.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${text}`, params))
            .map((r) => r['QUERY PLAN'])
            .join('\n');
        const out: string[] = [];
        for (const s of statements) out.push(await explain(s));
        throw Object.assign(new Error('rolled back'), { plans: out });
      })
      .catch((e: { plans?: string[] }) => {
        if (!e.plans) throw e;
        return e.plans;
      });
    for (const plan of plans) {
      expect(plan).toMatch(/idx_shipments_cod_unremitted on shipments/);
      expect(plan).not.toMatch(/Seq Scan on shipments/);
    }
  });

  it('marks as remitted, when migrating, the parcels a line of a report not voided settles, and no other', async () => {
    const http = t.http();
    const seller = await signupSeller(http, 'Toko Migrasi');
    const [settled, voided, owed] = [
      await createShipment(http, seller, { reference: 'MIG-1' }),
      await createShipment(http, seller, { reference: 'MIG-2' }),
      await createShipment(http, seller, { reference: 'MIG-3' }),
    ];
    const uploadedBy = (await createOperator(t, http, 'finance')).id;
    const repository = t.app.get(RemittancesRepository);
    const store = async (shipmentId: string, awb: string) => {
      const lines: MatchedLine[] = [
        {
          row: 1,
          awb,
          amount: 150_000,
          remittedOn: '2026-12-01',
          outcome: 'matched',
          reason: null,
          shipmentId,
          expectedAmount: 150_000,
          deliveredAt: new Date('2026-11-28T03:00:00Z'),
        },
      ];
      return storedRemittance(t, lines, uploadedBy);
    };
    await store(settled.id, 'MIG-AWB-1');
    const mistaken = await store(voided.id, 'MIG-AWB-2');
    await t.app
      .get(Transactions)
      .run(() => repository.void(mistaken, uploadedBy, 'salah kurir', t.clock.now()));
    // Lines written before shipments kept the mark: the migration reads it from them.
    await t.dataSource.query('UPDATE shipments SET cod_remitted = false WHERE id = ANY($1::uuid[])', [
      [settled.id, voided.id, owed.id],
    ]);
    const runner = t.dataSource.createQueryRunner();
    try {
      await new CodRemitted1795491500000().up(runner);
    } finally {
      await runner.release();
    }
    const rows = await t.dataSource.query<{ id: string; cod_remitted: boolean }[]>(
      'SELECT id, cod_remitted FROM shipments WHERE id = ANY($1::uuid[])',
      [[settled.id, voided.id, owed.id]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.cod_remitted]))).toEqual({
      [settled.id]: true,
      [voided.id]: false,
      [owed.id]: false,
    });
  });
});
