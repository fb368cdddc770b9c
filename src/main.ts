import type { Server } from 'node:net';
import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { AppConfig, ConfigError, loadConfig } from 'config';
import { resolveJwtSecret, resolvePhoneHashSalt } from './common/jwt-secret';
import { startFailure } from './start-failure';

/**
 * The service's start. The app (app-factory: Nest, TypeORM, every module) is loaded once the settings are
 * valid: a start refused for a setting says so in a fraction of the second that loading it takes.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, for the start-up time
const appFactory = () => require('./app-factory') as typeof import('./app-factory');

/**
 * What a production start runs on that is meant for development, said at every start: a mistyped variable
 * (DATABSE_URL) or a forgotten courier's credentials otherwise turn a production deploy into a sandbox one
 * without a word.
 */
export function productionWarnings(config: AppConfig): string[] {
  if (config.env !== 'production') return [];
  const warnings: string[] = [];
  if (!config.database.url)
    warnings.push(
      `NODE_ENV=production on the embedded PostgreSQL in ${config.database.dataDir}: set DATABASE_URL for a managed database`,
    );
  const sandboxed = Object.entries(config.couriers.credentials)
    .filter(([, credentials]) => credentials === null)
    .map(([code]) => code);
  if (sandboxed.length)
    warnings.push(
      `NODE_ENV=production with couriers in sandbox mode (${sandboxed.join(', ')}): no parcel of theirs reaches the courier; set their credentials (README: Configuration)`,
    );
  if (!config.payouts.provider)
    warnings.push(
      'NODE_ENV=production with the sandbox payout provider: no withdrawal reaches a bank; set PAYOUT_PROVIDER_URL',
    );
  return warnings;
}

async function bootstrap(): Promise<void> {
  let config: AppConfig | undefined;
  try {
    config = loadConfig();
    // Generated secrets are read (or made) now: one that is unusable stops the start here, naming it.
    resolveJwtSecret(config);
    resolvePhoneHashSalt(config);
    await serve(config);
  } catch (e) {
    // A setting that is wrong, or a failure an operator caused, is said naming the setting (exit 78).
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78);
    }
    const said = config && startFailure(e, config);
    if (said) {
      process.stderr.write(`Kirim failed to start: ${said}\n`);
      process.exit(78);
    }
    // Anything else is told with its stack and what was logged while starting (held until now), the
    // database's own lines among them at LOG_LEVEL=debug.
    NestLogger.flush();
    process.stderr.write(
      `Kirim failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(1);
  }
}

/** Makes the app for `config`, with its graceful shutdown, and listens. */
async function serve(config: AppConfig): Promise<void> {
  // A failure to start is bootstrap's to tell (startFailure), not Nest's: it printed a stack instead.
  const { createApp, appLogger } = appFactory();
  const app = await createApp(config, { abortOnError: false, autoFlushLogs: false });
  // Graceful shutdown: stop accepting, finish in-flight requests, close the pool, stop the embedded
  // PostgreSQL, exit 0. A shutdown that takes longer than SHUTDOWN_GRACE_MS exits 1.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      const logger = appLogger(app);
      const since = Date.now();
      logger.log(`${signal} received: shutting down`, 'Bootstrap');
      setTimeout(() => {
        // The log lines before this one say which step was still running.
        process.stderr.write(
          `shutdown did not finish within SHUTDOWN_GRACE_MS (${config.http.shutdownGraceMs} ms): exiting 1\n`,
        );
        process.exit(1);
      }, config.http.shutdownGraceMs).unref();
      app.close().then(
        () => {
          logger.log(`shut down in ${Date.now() - since} ms`, 'Bootstrap');
          // 1 when the shutdown was the service's own answer to a failure (its embedded database gone).
          process.exit(process.exitCode === 1 ? 1 : 0);
        },
        (e: unknown) => {
          process.stderr.write(
            `shutdown failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
          );
          process.exit(1);
        },
      );
    });
  }
  try {
    await app.listen({ port: config.http.port, host: config.http.host });
  } catch (e) {
    await app.close().catch(() => undefined);
    throw e;
  }
  // The port bound, not the one asked for: PORT=0 lets the system choose (tests, several instances).
  const bound = (app.getHttpServer() as Server).address();
  const port = bound && typeof bound === 'object' ? bound.port : config.http.port;
  appLogger(app).log(`Kirim listening on http://${config.http.host}:${port} (docs at /docs)`, 'Bootstrap');
  for (const warning of productionWarnings(config)) appLogger(app).warn(warning, 'Bootstrap');
}

if (require.main === module) void bootstrap();
