import { DataSource } from 'typeorm';
import { dataSourceOptions } from 'src/database/data-source';
import { runMigrations } from 'src/database/migrate';
import { createTestDatabase, TestDatabase } from '../../support/test-db';

const KIRIM_TABLES = [
  'alerts',
  'api_keys',
  'area_districts',
  'area_provinces',
  'area_regencies',
  'bank_accounts',
  'booking_attempts',
  'courier_location_codes',
  'courier_location_sets',
  'delivery_outcomes',
  'delivery_stats',
  'idempotency_keys',
  'invoice_lines',
  'invoice_number_counters',
  'invoice_runs',
  'invoices',
  'pickup_addresses',
  'pickup_items',
  'pickups',
  'rate_limit_counters',
  'seller_settings',
  'sellers',
  'shipments',
  'users',
  'webhook_deliveries',
  'withdrawals',
];

async function tables(ds: DataSource): Promise<string[]> {
  const rows = await ds.query<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase(null); // empty, not the migrated template
    ds = new DataSource(dataSourceOptions(db.url, 2));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('run up on an empty database, down to nothing, and up again', async () => {
    expect(await tables(ds)).toEqual([]);
    const ran = await runMigrations(ds);
    expect(ran.length).toBeGreaterThan(0);
    expect(await tables(ds)).toEqual(expect.arrayContaining(KIRIM_TABLES));
    expect(await runMigrations(ds)).toEqual([]);

    for (let i = 0; i < ran.length; i += 1) await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables(ds)).toEqual([]);
    expect(await ds.query('SELECT count(*)::int AS n FROM migrations')).toEqual([{ n: 0 }]);

    expect((await runMigrations(ds)).length).toBe(ran.length);
    expect(await tables(ds)).toEqual(expect.arrayContaining(KIRIM_TABLES));
  });

  it('leave the schema exactly as the entities describe it (an entity change needs a migration)', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    // Foreign keys and CHECK constraints are kept in migrations only (relations never point back
    // across modules), so the schema builder's wish to drop them is not drift.
    const drift = pending.upQueries.map((q) => q.query).filter((q) => !/DROP CONSTRAINT "(fk|chk)_/.test(q));
    expect(drift).toEqual([]);
  });
});
