import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorKind, FieldProblem } from './app-error';
import { asDatabaseUnavailable } from './database-unavailable';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  business_rule: 422,
  rate_limited: 429,
  unavailable: 503,
};

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'AUTH_UNAUTHENTICATED',
  403: 'AUTH_FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details: FieldProblem[];
  requestId: string;
}

function reasonPhrase(status: number): string {
  const name = HttpStatus[status];
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

/** Errors that Fastify itself raises before a route runs (bad JSON, wrong content type, body too large). */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
}

/**
 * Maps any thrown value to the error body of API.md. Client mistakes keep their message; anything
 * unexpected is a 500 whose details stay in the log (with the request id), never in the response.
 */
export function toErrorResponse(
  error: unknown,
  requestId: string,
): { status: number; body: ErrorBody; retryAfter?: number } {
  let status = 500;
  let code = 'INTERNAL';
  let message = 'An unexpected error occurred';
  let details: FieldProblem[] = [];
  let retryAfter: number | undefined;

  if (!(error instanceof AppError)) error = asDatabaseUnavailable(error) ?? error;
  if (error instanceof AppError) {
    status = STATUS_BY_KIND[error.kind];
    ({ code, message, details } = error);
    retryAfter = error.retryAfterSeconds;
  } else if (error instanceof HttpException) {
    status = error.getStatus();
    code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    const res = error.getResponse();
    const msg = typeof res === 'string' ? res : (res as { message?: unknown }).message;
    message = Array.isArray(msg) ? msg.join('; ') : typeof msg === 'string' ? msg : error.message;
    if (status === 404 && /^Cannot /.test(message)) message = 'No such route';
  } else if (isFastifyClientError(error)) {
    status = error.statusCode!;
    code = CODE_BY_STATUS[status] ?? 'BAD_REQUEST';
    message = error.message;
  }
  // A body Fastify could not parse is a validation failure of the field `body`.
  if (status === 400 && !details.length && code === 'BAD_REQUEST') {
    code = 'VALIDATION_FAILED';
    details = [{ field: 'body', message: /JSON/i.test(message) ? 'is not valid JSON' : message }];
  }
  if (status === 500) message = 'An unexpected error occurred';
  return {
    status,
    retryAfter,
    body: { statusCode: status, error: reasonPhrase(status), code, message, details, requestId },
  };
}

function isFastifyClientError(error: unknown): error is FastifyLikeError {
  const status = (error as FastifyLikeError | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export function requestIdOf(request: FastifyRequest): string {
  return String((request.raw as { id?: unknown }).id ?? request.id);
}

/** The single place where error kinds become HTTP statuses. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const { status, body, retryAfter } = toErrorResponse(error, requestIdOf(request));
    if (status >= 500) this.logger.error({ err: error, requestId: body.requestId }, 'request failed');
    if (retryAfter !== undefined)
      void reply.header('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
    void reply.status(status).send(body);
  }
}
