import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { errorCodes, FastifyReply, FastifyRequest } from 'fastify';
import { BODY_LIMITS_TEXT, JSON_OR_CSV } from '../body-limits';
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
  unsupported_media_type: 415,
  too_large: 413,
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
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  417: 'EXPECTATION_FAILED',
  431: 'HEADERS_TOO_LARGE',
};

/**
 * What to tell a client about the errors Fastify raises itself, by Fastify's code. Fastify's own texts echo
 * the URL or body back, or name Fastify; these say what was wrong and how to send it right.
 */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: BODY_LIMITS_TEXT,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: JSON_OR_CSV,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The body is not as long as its Content-Length header says',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The body is empty but its Content-Type says JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The body is not valid JSON',
  FST_ERR_BAD_URL: 'The URL is not valid (a malformed percent-encoding?)',
  FST_ERR_MAX_PARAM_LENGTH: 'A path segment of the URL is longer than 100 characters',
};

/** Fastify errors about the body: answered as a validation failure of the field `body`. */
const BODY_ERRORS = new Set([
  'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
  'FST_ERR_CTP_EMPTY_JSON_BODY',
  'FST_ERR_CTP_INVALID_JSON_BODY',
]);

/**
 * Nest hands errors Fastify raised while reading a request to the filter as an HttpException carrying only
 * Fastify's message: the code is found again from the message (the texts of fixed-message errors).
 */
const FASTIFY_CODE_BY_MESSAGE = new Map(
  Object.keys(FASTIFY_MESSAGES)
    .map((code) => errorCodes[code as keyof typeof errorCodes])
    .filter((E) => typeof E === 'function')
    .map(
      (E) =>
        [
          new (E as new () => Error & { code: string })().message,
          new (E as new () => Error & { code: string })().code,
        ] as const,
    ),
);

/** The contract's answer to one of Fastify's own errors. */
function fastifyProblem(
  fastifyCode: string,
  status: number,
): { code: string; message: string; details: FieldProblem[] } {
  const message = FASTIFY_MESSAGES[fastifyCode];
  if (BODY_ERRORS.has(fastifyCode)) {
    return {
      code: 'VALIDATION_FAILED',
      message: 'The request is invalid',
      details: [{ field: 'body', message: message.replace(/^The body /, '') }],
    };
  }
  return { code: CODE_BY_STATUS[status] ?? 'BAD_REQUEST', message, details: [] };
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details: FieldProblem[];
  requestId: string;
}

function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
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

  // A client error Fastify marked (4xx) is the client's, whatever socket code it carries: a client hanging
  // up mid-body is Node's "aborted" with ECONNRESET, which is no sign the database is away.
  if (!(error instanceof AppError) && !isFastifyClientError(error))
    error = asDatabaseUnavailable(error) ?? error;
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
    const fastifyCode = FASTIFY_CODE_BY_MESSAGE.get(message);
    if (fastifyCode) ({ code, message, details } = fastifyProblem(fastifyCode, status));
  } else if (isFastifyClientError(error)) {
    status = error.statusCode!;
    // Only the docs' static files answer a bare 403, for a path climbing out of them (`/docs/../x`): no
    // route, and not a question of the caller's role.
    if (status === 403) {
      status = 404;
      code = CODE_BY_STATUS[404];
      message = 'No such route';
    } else if (error.code && FASTIFY_MESSAGES[error.code])
      ({ code, message, details } = fastifyProblem(error.code, status));
    else {
      code = CODE_BY_STATUS[status] ?? 'BAD_REQUEST';
      message = error.message;
    }
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
  const raw = (request.raw as { id?: unknown }).id;
  return typeof raw === 'string' ? raw : request.id;
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
