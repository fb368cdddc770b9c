import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from 'config';
import { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, Observable } from 'rxjs';
import { Transactions } from 'src/database/transaction';
import { ApiHeader } from '@nestjs/swagger';
import { AuthenticatedRequest } from '../auth/decorators';
import { ApiErrors } from '../openapi';
import { Clock } from '../clock';
import { ConflictError, ValidationFailedError } from '../errors/app-error';
import { IdempotencyRepository } from './idempotency.repository';

export interface IdempotentOptions {
  /**
   * The response holds a secret shown only once (e.g. 'API key'): only the created `id` is stored, and a
   * replay answers 409 naming it instead of showing (or keeping) the secret again.
   */
  shownOnce?: string;
}

const IDEMPOTENT_OPTIONS = 'kirim:idempotent-options';

/**
 * Marks a creating POST: with an Idempotency-Key header, the same key and body replay the first
 * response, another body gets 409, and concurrent requests with one key execute once. Only these routes
 * carry the interceptor (an interceptor chain costs every request that has one).
 */
export const Idempotent = (options: IdempotentOptions = {}) =>
  applyDecorators(
    SetMetadata(IDEMPOTENT_OPTIONS, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: options.shownOnce
        ? `Repeating the request with the same key and body answers 409 naming the ${options.shownOnce} created (it is shown only once); another body gets 409. Kept at least 24 h.`
        : 'Repeating the request with the same key and body replays the first answer; another body gets 409. Kept at least 24 h.',
      schema: { type: 'string', maxLength: 255 },
    }),
    ApiErrors(409),
  );

const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

/** JSON with object keys sorted, so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly tx: Transactions,
    private readonly repository: IdempotencyRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.headers['idempotency-key'];
    if (key === undefined) return next.handle();
    const options = this.reflector.get<IdempotentOptions | undefined>(
      IDEMPOTENT_OPTIONS,
      context.getHandler(),
    );
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.once(request, reply, key, next, options ?? {}));
  }

  /** The whole request runs in the transaction that holds the key, so its writes and the stored response commit together. */
  private async once(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    key: string | string[],
    next: CallHandler,
    options: IdempotentOptions,
  ): Promise<unknown> {
    if (typeof key !== 'string' || !VALID_KEY.test(key)) {
      throw new ValidationFailedError([
        { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
      ]);
    }
    const principal = request.principal!;
    const scope = principal.sellerId ? `seller:${principal.sellerId}` : `user:${principal.userId}`;
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${canonicalJson(request.body)}`)
      .digest('hex');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.idempotencyTtlHours * 3600_000);
    return this.tx.run(async () => {
      const claim = await this.repository.claim(scope, key, fingerprint, now, expiresAt);
      if (claim.kind === 'mismatch') {
        throw new ConflictError(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used with a different request body',
          [{ field: 'Idempotency-Key', message: 'was already used with a different request' }],
        );
      }
      if (claim.kind === 'replay' && options.shownOnce) {
        const { id } = (claim.body === null ? {} : JSON.parse(claim.body)) as { id?: string };
        const created = [options.shownOnce, id].filter(Boolean).join(' ');
        throw new ConflictError(
          'IDEMPOTENCY_ALREADY_CREATED',
          `This Idempotency-Key already created ${created}, which is shown only once`,
          [{ field: 'Idempotency-Key', message: `already created ${created}` }],
        );
      }
      if (claim.kind === 'replay') {
        void reply.status(claim.status).header('idempotent-replayed', 'true');
        if (claim.body === null) return undefined;
        void reply.header('content-type', 'application/json; charset=utf-8');
        return claim.body;
      }
      const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      // A secret shown once is never stored: only the id, for the 409 a replay gets.
      const stored = options.shownOnce ? { id: (body as { id?: unknown } | undefined)?.id } : body;
      await this.repository.complete(
        scope,
        key,
        reply.statusCode,
        stored === undefined ? null : JSON.stringify(stored),
      );
      return body;
    });
  }
}
