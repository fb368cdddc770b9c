/**
 * The app itself: Nest, Fastify and every module, made and configured for a configuration. Shared by the
 * service's start (main.ts, which loads it only once its settings are valid), the tests, the bench, the
 * simulator and the CLI.
 */
import 'reflect-metadata';
import { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from 'config';
import { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { DatabaseNotifications } from './database/notifications';
import { HttpErrorFilter } from './common/errors/http-error.filter';
import { completeOpenApi, ErrorBodyDto } from './common/openapi';
import { serveDashboard } from './common/dashboard-serving';
import { closeConnectionsAfterLastResponse } from './common/graceful-close';
import { keepValidationRules, VALIDATION_PIPE_OPTIONS } from './common/errors/validation';
import { observeRequests, ROOT_LOGGER } from './common/logging';
import { AuthGuard } from './auth/auth.guard';
import { authenticateLargeUploads } from './auth/large-upload-authentication';
import { BODY_LIMIT_BYTES } from './common/body-limits';
import {
  answerUnmetExpectations,
  answerHeaders,
  clientErrorHandler,
  frameworkErrors,
  guardRequestInput,
  refuseUnreadBodies,
  limitBodyTime,
} from './common/http-edge';
import { requestIdFor } from './common/request-id';
import { FastValidationPipe } from './common/validation-fast-path';
import { UndeclaredQueryInterceptor } from './common/undeclared-query';
import { MetricsService } from './common/metrics.service';

export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: config.http.trustProxy,
    // What a path no route serves reads (not parsed: guardRequestInput); each route's own limit, a large
    // upload's too, is set as it is added.
    bodyLimit: BODY_LIMIT_BYTES,
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
  authenticateLargeUploads(fastify, app.get(AuthGuard));
  refuseUnreadBodies(fastify);
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
  // Built on the first request for it, not at every start: a fifth of what starting the app costs.
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  await app.init();
  // Only a serving app listens (a CLI command answers no request, so keeps no cache to evict).
  await app.get(DatabaseNotifications).start();
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

/** The service's logger (pino, as configured), for what its start and shutdown say. */
export function appLogger(app: INestApplication): Logger {
  return app.get(Logger);
}
