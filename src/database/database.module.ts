import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from 'config';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migrate';
import { DatabaseNotifications } from './notifications';
import { Transactions } from './transaction';

const DATABASE = Symbol('DATABASE');

interface OpenDatabase {
  dataSource: DataSource;
  /** Where the pool connects (DATABASE_URL or the embedded server's): the listener connects there too. */
  url: string;
  embedded?: EmbeddedDatabase;
}

/** Where a URL connects, without its credentials: host:port/db, or the socket when `host` names one. */
function describeUrl(url: string): string {
  const u = new URL(url);
  const socketDir = u.searchParams.get('host');
  return socketDir?.startsWith('/')
    ? `${socketDir}/.s.PGSQL.${u.port || 5432}${u.pathname}`
    : `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL when it is unset, then migrates. */
async function openDatabase(config: AppConfig): Promise<OpenDatabase> {
  const logger = new Logger('Database');
  let embedded: EmbeddedDatabase | undefined;
  let url = config.database.url;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.database.dataDir,
      port: config.database.embeddedPort,
      shareWithOwner: config.database.shareEmbedded,
      log: (m) => logger.debug(m),
      // Without its database the service is not alive: it stops (exit 1) so whatever runs it can start it
      // again, rather than answering /health while every request fails.
      onUnexpectedExit: (code, signal) => {
        logger.error(
          `the embedded PostgreSQL stopped unexpectedly (${signal ?? `exit code ${code}`}): stopping the service`,
        );
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      },
    });
    url = embedded.url;
    if (embedded.orphanStopped)
      logger.warn(
        `stopped the embedded PostgreSQL (process ${embedded.orphanStopped}) a crashed process left running`,
      );
    logger.log(
      `embedded PostgreSQL ${embedded.shared ? 'shared' : 'started'} on 127.0.0.1:${embedded.port}` +
        (embedded.socketDir ? ` and ${embedded.socketDir}` : ''),
    );
  }
  const dataSource = new DataSource(
    dataSourceOptions(url, config.database.poolSize, config.database.connectTimeoutMs),
  );
  try {
    await dataSource.initialize();
    logger.log(`connected to PostgreSQL at ${describeUrl(url)}`);
    if (config.database.runMigrations) {
      const ran = await runMigrations(dataSource);
      logger.log(
        ran.length ? `ran migrations: ${ran.map((m) => m.name).join(', ')}` : 'schema is up to date',
      );
    }
  } catch (e) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw e;
  }
  return { dataSource, url, embedded };
}

@Global()
@Module({
  providers: [
    { provide: DATABASE, inject: [AppConfig], useFactory: openDatabase },
    { provide: DataSource, inject: [DATABASE], useFactory: (db: OpenDatabase) => db.dataSource },
    Transactions,
    {
      provide: DatabaseNotifications,
      inject: [DATABASE, Transactions, AppConfig],
      useFactory: (db: OpenDatabase, tx: Transactions, config: AppConfig) =>
        new DatabaseNotifications(
          db.url,
          tx,
          config.database.connectTimeoutMs,
          config.database.listenerCheckMs,
        ),
    },
  ],
  exports: [DataSource, Transactions, DatabaseNotifications],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly db: OpenDatabase,
    private readonly notifications: DatabaseNotifications,
  ) {}

  /**
   * Stops listening first (a listener left open would see the server go and reconnect), then closes the
   * pool, then stops the embedded server (if this process started it).
   */
  async onApplicationShutdown(): Promise<void> {
    const logger = new Logger('Database');
    await this.notifications.close();
    let since = Date.now();
    if (this.db.dataSource.isInitialized) {
      await this.db.dataSource.destroy();
      logger.log(`connection pool closed in ${Date.now() - since} ms`);
    }
    if (this.db.embedded && !this.db.embedded.shared) {
      since = Date.now();
      logger.log('stopping the embedded PostgreSQL');
      await this.db.embedded.stop();
      logger.log(`embedded PostgreSQL stopped in ${Date.now() - since} ms`);
    }
  }
}
