import type { Server } from 'node:net';
import 'reflect-metadata';
import { INestApplication, Logger as NestLogger, NestApplicationOptions } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfig, ConfigError, loadConfig } from 'config';
import { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { HttpErrorFilter } from './common/errors/http-error.filter';
import { completeOpenApi, ErrorBodyDto } from './common/openapi';
import { serveDashboard } from './common/dashboard-serving';
import { closeConnectionsAfterLastResponse } from './common/graceful-close';
import { keepValidationRules, VALIDATION_PIPE_OPTIONS } from './common/errors/validation';
import { observeRequests, ROOT_LOGGER } from './common/logging';
import { LARGE_BODY_LIMIT_BYTES } from './common/body-limits';
import {
  answerUnmetExpectations,
  answerHeaders,
  clientErrorHandler,
  frameworkErrors,
  guardRequestInput,
  limitBodyTime,
} from './common/http-edge';
import { requestIdFor } from './common/request-id';
import { startFailure } from './start-failure';
import { FastValidationPipe } from './common/validation-fast-path';
import { UndeclaredQueryInterceptor } from './common/undeclared-query';
import { resolveJwtSecret, resolvePhoneHashSalt } from './common/jwt-secret';
import { MetricsService } from './common/metrics.service';

export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: config.http.trustProxy,
    // The largest any route reads; each route's own is set as it is added (guardRequestInput).
    bodyLimit: LARGE_BODY_LIMIT_BYTES,
    // A request must have arrived whole by then: without it (Fastify's default is none) a client that
    // never finishes its body holds a connection for good.
    requestTimeout: config.http.requestTimeoutMs,
    frameworkErrors,
    clientErrorHandler,
    // Fastify 5.10's default ('idle') closes every connection on close(), cutting requests in flight
    // (fastify/fastify#6889). Node's own server.close() already drops idle keep-alive sockets and lets
    // in-flight requests finish, which graceful shutdown needs.
    forceCloseConnections: false,
    genReqId: (req: IncomingMessage) => {
      const id = requestIdFor(req);
      (req as IncomingMessage & { id?: string }).id = id;
      return id;
    },
  });
}

/**
 * How Nest creates the app (here and in the tests). Nest's own body parsers stay off: the request edge
 * (common/http-edge.ts) reads JSON and CSV itself, and nothing else.
 */
export const APP_OPTIONS: NestApplicationOptions = { bufferLogs: true, bodyParser: false };

/**
 * The OpenAPI document of the app's routes, as `/docs-json` serves it. Needs only the module graph, so it
 * can be built from an app created in preview mode (no database): the dashboard's API types come from it.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Kirim')
      .setDescription('COD logistics for Indonesian online sellers: couriers, pickups, tracking and money')
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
      .build(),
    { extraModels: [ErrorBodyDto] },
  );
  return completeOpenApi(document);
}

/** Everything between "Nest created the app" and "listening": shared by main and the tests. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  app.useLogger(app.get(Logger));
  // What was logged while the app was made, now through the service's logger (bootstrap makes it without
  // flushing on its own, so that a failure to start is told once, by bootstrap).
  app.flushLogs();
  keepValidationRules();
  app.useGlobalPipes(
    new FastValidationPipe(VALIDATION_PIPE_OPTIONS, app.get(AppConfig).http.validationFastPath),
  );
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalInterceptors(new UndeclaredQueryInterceptor(app.get(Reflector)));

  const fastify = app.getHttpAdapter().getInstance();
  guardRequestInput(fastify);
  limitBodyTime(fastify, app.get(AppConfig).http.requestTimeoutMs);
  answerHeaders(fastify);
  answerUnmetExpectations(fastify.server);
  closeConnectionsAfterLastResponse(fastify);
  const metrics = app.get(MetricsService);
  observeRequests(fastify, app.get(ROOT_LOGGER), (method, route, status, seconds) =>
    metrics.observeRequest(method, route, status, seconds),
  );

  await serveDashboard(fastify, app.get(AppConfig).http.dashboardDir, (message) =>
    app.get(Logger).warn(message, 'Dashboard'),
  );
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  await app.init();
}

/** Builds a configured (not yet listening) app for this configuration. */
export async function createApp(
  config: AppConfig,
  options: NestApplicationOptions = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    { ...APP_OPTIONS, ...options },
  );
  await configureApp(app);
  return app;
}

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
  const app = await createApp(config, { abortOnError: false, autoFlushLogs: false });
  // Graceful shutdown: stop accepting, finish in-flight requests, close the pool, stop the embedded
  // PostgreSQL, exit 0. A shutdown that takes longer than SHUTDOWN_GRACE_MS exits 1.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      const logger = app.get(Logger);
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
  app.get(Logger).log(`Kirim listening on http://${config.http.host}:${port} (docs at /docs)`, 'Bootstrap');
  for (const warning of productionWarnings(config)) app.get(Logger).warn(warning, 'Bootstrap');
}

if (require.main === module) void bootstrap();
