import { DataSource, Migration, MigrationExecutor } from 'typeorm';
import { withAdvisoryLock } from './locks';

/**
 * Runs pending migrations, each in its own transaction, under an advisory lock so that several
 * instances starting together migrate once. Lock and migrations share one connection.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    return await withAdvisoryLock(runner.manager, 'kirim:migrations', () => {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      return executor.executePendingMigrations();
    });
  } finally {
    await runner.release();
  }
}
