import { UnavailableError } from './app-error';

/** How long a client is told to wait while the database is away; a restart or failover takes seconds. */
const RETRY_AFTER_SECONDS = 5;

/**
 * SQLSTATEs that mean "the server cannot serve now", not "this request is wrong": connection exceptions
 * (class 08), administrator or crash shutdown and start-up (57P01–57P03), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** Socket errors reaching the server (refused while it is down, reset when it goes, no route, no DNS). */
const UNAVAILABLE_SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * node-postgres and pg-pool raise these without a code: a connection lost mid-query, a connect or pool
 * acquire that timed out (DATABASE_CONNECT_TIMEOUT_MS), a client broken by an earlier connection error,
 * and the pool closed during shutdown.
 */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end)/;

interface DriverLikeError {
  code?: unknown;
  syscall?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function unavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as DriverLikeError & { isAxiosError?: unknown };
  if (e.isAxiosError) return false; // an HTTP call's socket error, not the database's
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATE.test(e.code) || UNAVAILABLE_SOCKET.has(e.code)))
    return true;
  // Over a Unix socket, a stopped server has removed its socket file: connect fails with ENOENT (only a
  // connect: a file missing elsewhere is not the database's doing).
  if (e.code === 'ENOENT' && e.syscall === 'connect') return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  // TypeORM wraps the driver's error (QueryFailedError.driverError); Node wraps one per address tried.
  const inner = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  return inner.some((i) => i !== error && unavailable(i, depth + 1));
}

export class DatabaseUnavailableError extends UnavailableError {
  constructor() {
    super('DATABASE_UNAVAILABLE', 'The database is unavailable; try again shortly', RETRY_AFTER_SECONDS);
  }
}

/**
 * A transaction PostgreSQL ended because another held what it needed while needing what it held (deadlock,
 * 40P01) or could not serialize it (40001): that transaction wrote nothing. Most routes run in one; the few
 * that commit steps of their own (a parcel action: recorded, then sent to the courier) may have done their
 * earlier steps, which the same request sent again finds done rather than doing twice.
 */
export class DatabaseBusyError extends UnavailableError {
  constructor() {
    super('DATABASE_BUSY', 'The request met another at the same moment and was stopped; send it again', 1);
  }
}

const BUSY_SQLSTATE = new Set(['40P01', '40001']);

function busy(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as DriverLikeError;
  if (typeof e.code === 'string' && BUSY_SQLSTATE.has(e.code)) return true;
  return [e.driverError, e.cause].some((i) => i !== error && busy(i, depth + 1));
}

/**
 * The one place where "the database is unreachable" (or, for a moment, busy) is recognised among whatever
 * the driver threw: such an error becomes DATABASE_UNAVAILABLE or DATABASE_BUSY (503 with Retry-After),
 * not a 500. Anything else: undefined.
 */
export function asDatabaseUnavailable(
  error: unknown,
): DatabaseUnavailableError | DatabaseBusyError | undefined {
  if (unavailable(error)) return new DatabaseUnavailableError();
  return busy(error) ? new DatabaseBusyError() : undefined;
}
