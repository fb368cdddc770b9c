import { IncomingMessage, ServerResponse } from 'node:http';
import { Params } from 'nestjs-pino';
import { LogLevel } from 'config/env.schema';

const QUIET_ROUTES = new Set(['/health', '/health/ready', '/metrics']);

/**
 * Structured JSON logs with the request id on every line. Requests are logged by method, URL and
 * status only: no headers and no bodies, so credentials and passwords never reach the log.
 */
export function loggerParams(level: LogLevel): Params {
  return {
    pinoHttp: {
      level,
      genReqId: (req: IncomingMessage) => String((req as IncomingMessage & { id?: unknown }).id),
      serializers: {
        req: (req: { id: string; method: string; url: string; originalUrl?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.originalUrl ?? req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: {
        paths: ['*.password', '*.passwordHash', '*.accessToken', '*.key', '*.webhookSecret', '*.authorization', '*["x-api-key"]'],
        censor: '[redacted]',
      },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      // Behind Nest's middleware mount, req.url is relative; originalUrl is the path the client asked for.
      autoLogging: {
        ignore: (req: IncomingMessage) =>
          QUIET_ROUTES.has((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? ''),
      },
    },
  };
}
