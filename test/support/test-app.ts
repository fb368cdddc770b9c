import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppConfig, loadConfig } from 'config';
import { AppModule } from 'src/app.module';
import { Clock, SystemClock } from 'src/common/clock';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { APP_OPTIONS, createFastifyAdapter, configureApp } from 'src/app-factory';
import type { DestinationStream } from 'pino';
import supertest from 'supertest';
import { DataSource } from 'typeorm';
import { TestDnsServer } from './dns-server';
import { FakeClock } from './fake-clock';
import { createTestDatabase, TestDatabase } from './test-db';

export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  /** Base URL of the listening app (real HTTP on 127.0.0.1). */
  url: string;
  http: () => supertest.Agent;
  db: TestDatabase;
  dataSource: DataSource;
  clock: FakeClock;
  /** What the app takes for real time (rate-limit windows); moving `clock` leaves it where it is. */
  realClock: FakeClock;
  /** The DNS server webhook hosts are resolved with (example hosts → public addresses; changeable). */
  dns: TestDnsServer;
  close(): Promise<void>;
}

/** Test settings: real PostgreSQL (a fresh clone), no background jobs, quiet logs, cheaper password hashing. */
export function testEnv(databaseUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: TEST_JWT_SECRET,
    JOBS_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    PASSWORD_HASH_MEMORY_KIB: '4096',
    LOGIN_RATE_LIMIT_PER_IP: '100000',
    SIGNUP_RATE_LIMIT: '100000',
    USER_CREATE_RATE_LIMIT: '100000',
    ...overrides,
  };
}

/**
 * Lifts every courier's tracking budget out of the way (4 at once, 60,000 a minute), for tests not about the
 * budgets: at a courier's real budget, polling a few hundred parcels waits in real time.
 */
export function unthrottledTracking(config: AppConfig): void {
  for (const code of Object.keys(config.business.tracking.budgets) as CourierCode[])
    config.business.tracking.budgets[code] = { concurrency: 4, perMinute: 60_000 };
}

/**
 * The whole app on its own database, listening on a free port. `options.logDestination` receives the root
 * logger's lines (set LOG_LEVEL too: tests log nothing by default); `options.configure` changes the
 * business settings before the app starts.
 */
export async function startTestApp(
  overrides: Record<string, string> = {},
  db?: TestDatabase,
  options: { logDestination?: DestinationStream; configure?: (config: AppConfig) => void } = {},
): Promise<TestApp> {
  const database = db ?? (await createTestDatabase());
  const dns = await TestDnsServer.start();
  let config = loadConfig(testEnv(database.url, { WEBHOOK_DNS_SERVERS: dns.address, ...overrides }), {});
  if (options.configure) {
    // Business settings are not environment: a test that needs others changes a copy here.
    const copy = Object.assign(
      Object.create(Object.getPrototypeOf(config) as object) as AppConfig,
      structuredClone(config),
    );
    options.configure(copy);
    config = copy;
  }
  const clock = new FakeClock();
  const realClock = new FakeClock();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config, options)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .overrideProvider(SystemClock)
    .useValue(realClock)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createFastifyAdapter(config),
    APP_OPTIONS,
  );
  await configureApp(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    url,
    http: () => supertest.agent(url),
    db: database,
    dataSource: app.get(DataSource),
    clock,
    realClock,
    dns,
    close: async () => {
      await app.close();
      await dns.close();
      if (!db) await database.drop();
    },
  };
}
