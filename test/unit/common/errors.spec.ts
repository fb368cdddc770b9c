import { BadRequestException, NotFoundException } from '@nestjs/common';
import fc from 'fast-check';
import {
  BusinessRuleError,
  ConflictError,
  ForbiddenError,
  RateLimitedError,
  UnavailableError,
  ValidationFailedError,
} from 'src/common/errors/app-error';
import { asDatabaseUnavailable } from 'src/common/errors/database-unavailable';
import { toErrorResponse } from 'src/common/errors/http-error.filter';
import { canonicalJson } from 'src/common/idempotency/idempotency.interceptor';

describe('toErrorResponse', () => {
  it.each([
    [new ValidationFailedError([{ field: 'a', message: 'm' }]), 400, 'VALIDATION_FAILED'],
    [new ForbiddenError(), 403, 'AUTH_FORBIDDEN'],
    [new ConflictError('X_CONFLICT', 'c'), 409, 'X_CONFLICT'],
    [new BusinessRuleError('LEDGER_INSUFFICIENT_FUNDS', 'b'), 422, 'LEDGER_INSUFFICIENT_FUNDS'],
    [new RateLimitedError('AUTH_RATE_LIMITED', 'r', 30), 429, 'AUTH_RATE_LIMITED'],
    [new UnavailableError('COURIERS_UNAVAILABLE', 'u'), 503, 'COURIERS_UNAVAILABLE'],
    [new NotFoundException('Cannot GET /x'), 404, 'NOT_FOUND'],
  ])('%s → %i %s', (error, status, code) => {
    const r = toErrorResponse(error, 'req-1');
    expect([r.status, r.body.code, r.body.statusCode, r.body.requestId]).toEqual([
      status,
      code,
      status,
      'req-1',
    ]);
  });

  it('hides the message of anything unexpected', () => {
    const r = toErrorResponse(new Error('password=hunter2 leaked in a stack'), 'req-2');
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain('hunter2');
    expect(r.body).toMatchObject({ error: 'Internal Server Error', code: 'INTERNAL' });
  });

  it('names the body when it could not be parsed', () => {
    const r = toErrorResponse(
      new BadRequestException("Body is not valid JSON but content-type is set to 'application/json'"),
      'req-3',
    );
    expect(r.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'is not valid JSON' }],
    });
  });

  it('passes a rate limit’s retry-after on', () => {
    expect(toErrorResponse(new RateLimitedError('AUTH_RATE_LIMITED', 'r', 12.2), 'x').retryAfter).toBe(12.2);
  });
});

describe('database unavailability (one classification for every driver error)', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  // TypeORM's QueryFailedError copies the driver error's fields and keeps it as driverError.
  const queryFailed = (driverError: Error) =>
    Object.assign(new Error(driverError.message), { name: 'QueryFailedError', driverError });

  it.each([
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['every address refused', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])],
    ['connection reset', withCode('ECONNRESET')],
    [
      'no socket file (a stopped server, over its Unix socket)',
      Object.assign(withCode('ENOENT', 'connect ENOENT /data/socket/.s.PGSQL.5432'), { syscall: 'connect' }),
    ],
    ['admin shutdown', queryFailed(withCode('57P01', 'terminating connection due to administrator command'))],
    ['server starting up', withCode('57P03', 'the database system is starting up')],
    ['connection failure', withCode('08006')],
    ['too many connections', withCode('53300')],
    ['lost mid-query', new Error('Connection terminated unexpectedly')],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['pool acquire timeout', new Error('timeout exceeded when trying to connect')],
    ['pool closed', new Error('Cannot use a pool after calling end on the pool')],
    ['wrapped as a cause', new Error('query failed', { cause: withCode('ECONNREFUSED') })],
  ])('%s → 503 DATABASE_UNAVAILABLE with Retry-After', (_, error) => {
    expect(asDatabaseUnavailable(error)).toBeInstanceOf(UnavailableError);
    const r = toErrorResponse(error, 'req-db');
    expect(r).toMatchObject({
      status: 503,
      retryAfter: 5,
      body: { statusCode: 503, error: 'Service Unavailable', code: 'DATABASE_UNAVAILABLE', details: [] },
    });
  });

  it.each([
    ['a deadlock', queryFailed(withCode('40P01', 'deadlock detected'))],
    ['a serialization failure', queryFailed(withCode('40001'))],
  ])('%s → 503 DATABASE_BUSY: nothing was written, send it again', (_, error) => {
    expect(toErrorResponse(error, 'req-db')).toMatchObject({
      status: 503,
      retryAfter: 1,
      body: { statusCode: 503, code: 'DATABASE_BUSY', details: [] },
    });
  });

  it.each([
    ['a unique violation', queryFailed(withCode('23505', 'duplicate key value'))],
    ['a syntax error', queryFailed(withCode('42601'))],
    ['a courier call refused', Object.assign(withCode('ECONNREFUSED'), { isAxiosError: true })],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['a file missing (not a connect)', Object.assign(withCode('ENOENT'), { syscall: 'open' })],
  ])('%s stays a 500', (_, error) => {
    expect(asDatabaseUnavailable(error)).toBeUndefined();
    expect(toErrorResponse(error, 'req-db').status).toBe(500);
  });

  it('a client that hung up mid-body (Node’s "aborted", ECONNRESET, which Fastify marks 400) is the client’s, not the database’s', () => {
    const aborted = Object.assign(withCode('ECONNRESET', 'aborted'), { statusCode: 400 });
    expect(toErrorResponse(aborted, 'req-abort')).toMatchObject({
      status: 400,
      body: { statusCode: 400, code: 'BAD_REQUEST', message: 'aborted' },
    });
  });

  it('never loops on an error that is its own cause', () => {
    const e = new Error('odd') as Error & { cause?: unknown };
    e.cause = e;
    expect(asDatabaseUnavailable(e)).toBeUndefined();
  });
});

describe('canonicalJson', () => {
  it('does not depend on key order, and differs when a value differs', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        return canonicalJson(obj) === canonicalJson(reversed);
      }),
    );
    expect(canonicalJson({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(
      canonicalJson({ b: [1, { d: 3, c: 2 }], a: 1 }),
    );
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });
});
