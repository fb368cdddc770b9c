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
