import type { DataSource, MigrationInterface } from 'typeorm';

/**
 * Runs a landed migration down and up again over the database as it is: how a test shows what its `up`
 * does to rows written before it (a backfill), with today's code having written them.
 */
export async function rerunMigration(dataSource: DataSource, migration: MigrationInterface): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await migration.down(runner);
    await migration.up(runner);
  } finally {
    await runner.release();
  }
}
