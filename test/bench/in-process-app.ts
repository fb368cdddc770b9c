import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, loadConfig } from 'config';
import { createApp } from 'src/app-factory';
import supertest from 'supertest';
import { BENCH_ENV } from './harness';

export interface InProcessApp {
  app: NestFastifyApplication;
  /** Base URL of the listening app (127.0.0.1, a free port). */
  base: string;
  http: () => supertest.Agent;
  close(): Promise<void>;
}

/**
 * The app in the bench's own process, listening, with the bench environment: for benchmarks that drive a
 * service directly (the poller) or need the sandboxes' own objects (signed pushes). `configure` changes
 * the business settings (budgets) of a copy before the app starts, as the tests' startTestApp does.
 */
export async function startInProcessApp(
  databaseUrl: string,
  configure?: (config: AppConfig) => void,
  env: Record<string, string> = {},
): Promise<InProcessApp> {
  let config = loadConfig({ ...BENCH_ENV, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', ...env }, {});
  if (configure) {
    const copy = Object.assign(
      Object.create(Object.getPrototypeOf(config) as object) as AppConfig,
      structuredClone(config),
    );
    configure(copy);
    config = copy;
  }
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, base, http: () => supertest.agent(base), close: () => app.close() };
}
