import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { TEMPLATE_DATABASE } from './test-db';

/**
 * Starts one throw-away PostgreSQL for the whole run and migrates the template database that every
 * test file clones. Durability is switched off: nothing here must survive a crash.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kirim-test-'));
  // As root the server runs as "postgres", which must be able to enter the folder.
  chmodSync(dataDir, 0o755);
  const pg = await startEmbeddedPostgres({
    dataDir,
    database: TEMPLATE_DATABASE,
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '400' },
  });
  const dataSource = new DataSource({ ...dataSourceOptions(pg.url, 1), entities: [] });
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
  process.env.KIRIM_TEST_PG_URL = pg.url;
  (globalThis as { kirimTestPostgres?: unknown }).kirimTestPostgres = { pg, dataDir };
}
