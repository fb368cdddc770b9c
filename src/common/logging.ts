import type { FastifyInstance } from 'fastify';
import { Params } from 'nestjs-pino';
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { DestinationStream, Logger } from 'pino';
import { LogLevel } from 'config/env.schema';
import { asDatabaseUnavailable, DatabaseUnavailableError } from './errors/database-unavailable';
import { sanitizeLogArgs, scrubText, serializeError, urlForLog } from './log-redaction';

const QUIET_ROUTES = new Set(['/health', '/health/ready', '/metrics']);

/** The root logger (a provider of AppModule), for the request hooks. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Marks a request line: built from fixed fields with its URL already scrubbed, so it skips the sanitizer. */
const REQUEST_LINE = Symbol('request line');

/** The id of the request being served, for every log line written while serving it. */
const requestIds = new AsyncLocalStorage<string>();

/**
 * Structured JSON logs. Every line written while serving a request carries its id (`reqId`); requests
 * are logged by method, URL and status only: no headers and no bodies, so credentials and passwords never
 * reach the log. Everything logged passes one sanitizer (log-redaction.ts): sensitive keys at any depth,
 * errors without their SQL parameters or row values, phones and tokens cut out of messages.
 * `destination` defaults to stdout (tests pass their own to read what was logged).
 */
export function createRootLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      mixin: () => {
        const reqId = requestIds.getStore();
        return reqId === undefined ? {} : { reqId };
      },
      serializers: { err: serializeError },
      hooks: {
        logMethod(args, method) {
          const first: unknown = args[0];
          const quiet = jobFailureWhileDatabaseDown(first);
          if (quiet === 'drop') return;
          if (quiet) return method.apply(this, quiet as Parameters<typeof method>);
          // Every request writes one line: walking it generically was a noticeable share of a warm quote.
          if (typeof first === 'object' && first !== null && REQUEST_LINE in first) method.apply(this, args);
          else method.apply(this, sanitizeLogArgs(args) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** How often a scheduled job failing on an unreachable database is told: not every job every second. */
const JOB_FAILURE_EVERY_MS = 60_000;
let jobFailureToldAt = -Infinity;

/**
 * A scheduled job's failure (the scheduler logs each with its stack) while the database cannot be reached:
 * told once a minute in one line, the others dropped. With the database down every job failed every second
 * or so, a hundred stack traces in forty seconds. Anything else: undefined, logged as it is.
 */
function jobFailureWhileDatabaseDown(first: unknown): [object, string] | 'drop' | undefined {
  if (!first || typeof first !== 'object' || (first as { context?: unknown }).context !== 'Scheduler') return;
  const err = (first as { err?: unknown }).err;
  // Unreachable only: a deadlock or a serialization failure (busy, for a moment) is a job's own to tell.
  if (!(asDatabaseUnavailable(err) instanceof DatabaseUnavailableError)) return;
  const now = Date.now();
  if (now - jobFailureToldAt < JOB_FAILURE_EVERY_MS) return 'drop';
  jobFailureToldAt = now;
  const cause = err instanceof Error ? err.message : '';
  return [
    { context: 'Scheduler' },
    `scheduled jobs are failing: the database cannot be reached (${scrubText(cause)}); told once a minute while it lasts`,
  ];
}

/**
 * nestjs-pino for the application's loggers, over the given root. It mounts no middleware (Nest's
 * middleware layer on Fastify costs every request more than the logging itself): requests are logged by
 * Fastify hooks (`observeRequests`).
 */
export function loggerParams(root: Logger): Params {
  return { pinoHttp: { logger: root }, forRoutes: [] };
}

/** What is measured of every finished request (the metrics histogram). */
export type RequestMeasure = (
  method: string,
  route: string | undefined,
  status: number,
  seconds: number,
) => void;

/**
 * Every request's id is echoed in `x-request-id` and bound to its async context; its completion is
 * logged and measured. One hook at each end: every request runs them.
 */
export function observeRequests(fastify: FastifyInstance, root: Logger, measure: RequestMeasure): void {
  // Request lines hold fixed fields only (method, URL, status); only the URL can carry a secret or a phone.
  const log = root;
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    requestIds.run(String(request.id), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    measure(request.method, request.routeOptions.url, status, reply.elapsedTime / 1000);
    const url = request.url;
    if (!QUIET_ROUTES.has(url)) {
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (log.isLevelEnabled(level)) {
        log[level](
          {
            [REQUEST_LINE]: true,
            req: { id: request.id, method: request.method, url: urlForLog(url) },
            res: { statusCode: status },
            responseTime: Math.round(reply.elapsedTime * 10) / 10,
          },
          'request completed',
        );
      }
    }
    done();
  });
}
