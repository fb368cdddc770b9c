import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { unreadableUrl } from '../../config/database-url';
import { SnakeNamingStrategy } from './naming.strategy';

/** The project root: the repository when run from TypeScript, `dist/` when compiled. */
const ROOT = join(__dirname, '..', '..');

/** One set of DataSource options, shared by the app, the migration runner, the tests and the TypeORM CLI. */
export function dataSourceOptions(url: string, poolSize = 10, connectTimeoutMs = 5000): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [join(ROOT, 'src/**/*.entity.{ts,js}')],
    migrations: [join(ROOT, 'migrations/*.{ts,js}')],
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // Without a timeout, a request waits forever for a server that does not answer or a pool that stays
    // full; with one it fails, and the error filter answers 503 DATABASE_UNAVAILABLE.
    // Idle connections are kept five minutes (pg-pool closes them after 10 s by default): the jobs' bursts
    // would otherwise open new ones each time, paying for the backend's start, the password exchange and
    // cold catalogue caches again. TCP keep-alive finds one that died silently; all are renewed hourly.
    extra: {
      max: poolSize,
      application_name: 'kirim',
      connectionTimeoutMillis: connectTimeoutMs,
      idleTimeoutMillis: 300_000,
      keepAlive: true,
      maxLifetimeSeconds: 3600,
    },
  };
}

/**
 * For the TypeORM CLI (`npm run migration:generate`): needs DATABASE_URL. Made when this file loads (the
 * service and its CLI load it too), so a DATABASE_URL that cannot be read is left to the service's
 * configuration to name, instead of failing every command on loading.
 */
const cliUrl = process.env.DATABASE_URL ?? 'postgres://localhost/kirim';
export default new DataSource(
  dataSourceOptions(unreadableUrl(cliUrl) ? 'postgres://localhost/kirim' : cliUrl),
);
