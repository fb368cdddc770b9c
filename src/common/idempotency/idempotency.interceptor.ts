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
import { createHash, createHmac } from 'node:crypto';
import { from, lastValueFrom, Observable, throwError } from 'rxjs';
import { Transactions } from 'src/database/transaction';
import { ApiHeader } from '@nestjs/swagger';
import { AuthenticatedRequest } from '../auth/decorators';
import { ApiErrors } from '../openapi';
import { Clock } from '../clock';
import { resolvePhoneHashSalt } from '../jwt-secret';
import { ConflictError, ValidationFailedError } from '../errors/app-error';
import {
  IdempotencyClaim,
  IdempotencyRepository,
  IN_PROGRESS,
  requestInProgress,
} from './idempotency.repository';

export interface IdempotentOptions {
  /**
   * The request moves money out (a withdrawal): without a key, a client sending it again after a lost
   * answer would move it twice, so one is required (400 naming the header).
   */
  required?: boolean;
  /**
   * The response holds a secret shown only once (e.g. 'API key'): only the created `id` is stored, and a
   * replay answers 409 naming it instead of showing (or keeping) the secret again.
   */
  shownOnce?: string;
  /**
   * The handler calls a courier (or another slow party) and keeps its own transactions short: the key is
   * claimed in a transaction of its own (committed, with a lease of `leaseSeconds`), the handler runs
   * outside any transaction, and its answer is stored afterwards. Meanwhile a request with the same key
   * gets 409 IDEMPOTENCY_REQUEST_IN_PROGRESS (it does not wait); a failed request releases the key; a
   * request that died holding it leaves it to be taken over once the lease has run out.
   */
  outsideTransaction?: { leaseSeconds: (config: AppConfig) => number };
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
      required: options.required === true,
      description: `${options.required ? 'Required: this request moves money, and sent again without a key after a lost answer it would move it twice. ' : ''}${
        options.shownOnce
          ? `Repeating the request with the same key and body answers 409 naming the ${options.shownOnce} created (it is shown only once); another body gets 409. Kept at least 24 h. An error answer is not kept: the key is free again.`
          : 'Repeating the request with the same key and body replays the first answer; another body gets 409. Kept at least 24 h. An error answer is not kept: the key is free again, so the request may be sent again once what refused it has changed (a refused shipment action is still listed, as failed).'
      }`,
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

/** How long a request waits for another of this instance holding its key: the claim's own bound. */
const TURN_WAIT_MS = 15_000;

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  /**
   * Per scope and key, the last request of this instance in line for it. A request waits here for those
   * before it, holding no database connection: waiting in the claim instead holds one each, and a burst
   * of one key (15 at once) took the whole pool while the holder's handler waited for a connection of its
   * own, stalling every other request.
   */
  private readonly turns = new Map<string, Promise<void>>();
  /**
   * The request fingerprint's key, a server secret: a plain hash of a body kept a day in the database
   * (a backup, a replica) let anyone reading it guess the password in a POST /v1/users at hash speed.
   * Derived from PHONE_HASH_SALT, the server's secret that is never rotated (a rotation would turn replays
   * of keys stored before it into 409s).
   */
  private readonly fingerprintKey: Buffer;

  constructor(
    private readonly tx: Transactions,
    private readonly repository: IdempotencyRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {
    this.fingerprintKey = createHash('sha256')
      .update('kirim idempotency fingerprint\u0000')
      .update(resolvePhoneHashSalt(config))
      .digest();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.headers['idempotency-key'];
    const options = this.reflector.get<IdempotentOptions | undefined>(
      IDEMPOTENT_OPTIONS,
      context.getHandler(),
    );
    if (key === undefined && options?.required)
      return throwError(
        () =>
          new ValidationFailedError([
            { field: 'Idempotency-Key', message: 'is required: this request moves money' },
          ]),
      );
    if (key === undefined) return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (options?.outsideTransaction)
      return from(
        this.leased(request, reply, key, next, options.outsideTransaction.leaseSeconds(this.config)),
      );
    return from(this.once(request, reply, key, next, options ?? {}));
  }

  /** The key, scope and request fingerprint of a request, or a 400 naming the header. */
  private identify(request: AuthenticatedRequest, key: string | string[]) {
    if (typeof key !== 'string' || !VALID_KEY.test(key)) {
      throw new ValidationFailedError([
        { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
      ]);
    }
    const principal = request.principal!;
    const scope = principal.sellerId ? `seller:${principal.sellerId}` : `user:${principal.userId}`;
    const text = `${request.method} ${request.url}\n${canonicalJson(request.body)}`;
    const fingerprint = createHmac('sha256', this.fingerprintKey).update(text).digest('hex');
    // Keys stored before fingerprints were keyed hold the plain hash, for IDEMPOTENCY_TTL_HOURS after the
    // upgrade: their retries still replay rather than being refused as another request (and sent again
    // under a new key: a second shipment, a second withdrawal). Nothing stores the plain hash any more.
    const formerFingerprint = createHash('sha256').update(text).digest('hex');
    return { key, scope, fingerprint, formerFingerprint };
  }

  /** Answers a claim that is not ours: 409 for another body or a request still running, else the replay. */
  private replayOrRefuse(reply: FastifyReply, claim: IdempotencyClaim): unknown {
    if (claim.kind === 'mismatch') {
      throw new ConflictError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with a different request body',
        [{ field: 'Idempotency-Key', message: 'was already used with a different request' }],
      );
    }
    if (claim.kind !== 'replay') throw new Error('an owned claim has nothing to replay');
    if (claim.status === IN_PROGRESS) {
      throw requestInProgress();
    }
    void reply.status(claim.status).header('idempotent-replayed', 'true');
    if (claim.body === null) return undefined;
    void reply.header('content-type', 'application/json; charset=utf-8');
    return claim.body;
  }

  /** `outsideTransaction` mode: claim (committed, leased), run without a transaction, then store or release. */
  private async leased(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    header: string | string[],
    next: CallHandler,
    leaseSeconds: number,
  ): Promise<unknown> {
    const { key, scope, fingerprint, formerFingerprint } = this.identify(request, header);
    const now = this.clock.now();
    // The lease is also the claim's token: only the request that set it stores or releases it.
    const lease = new Date(now.getTime() + leaseSeconds * 1000);
    // Committed at once (its statement is its own transaction), so the lease is seen by every instance.
    const claim = await this.repository.claim(scope, key, fingerprint, now, lease, formerFingerprint);
    if (claim.kind !== 'owner') return this.replayOrRefuse(reply, claim);
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (e) {
      await this.repository.release(scope, key, lease);
      throw e;
    }
    const expiresAt = new Date(this.clock.now().getTime() + this.config.idempotencyTtlHours * 3600_000);
    await this.repository.complete(
      scope,
      key,
      reply.statusCode,
      body === undefined ? null : JSON.stringify(body),
      { lease, expiresAt },
    );
    return body;
  }

  /** The whole request runs in the transaction that holds the key, so its writes and the stored response commit together. */
  private async once(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    header: string | string[],
    next: CallHandler,
    options: IdempotentOptions,
  ): Promise<unknown> {
    const { key, scope, fingerprint, formerFingerprint } = this.identify(request, header);
    return this.inTurn(`${scope}\n${key}`, () =>
      this.onceInTurn(reply, key, scope, { fingerprint, formerFingerprint }, next, options),
    );
  }

  /** Runs `work` once every request of this instance before it with this key has finished (or 409 after 15 s). */
  private async inTurn<T>(slot: string, work: () => Promise<T>): Promise<T> {
    const before = this.turns.get(slot);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before ? before.then(() => mine) : mine;
    this.turns.set(slot, tail);
    // Forgotten once the whole line up to this request is done: not when a request that gave up waiting
    // leaves while those before it still run.
    void tail.then(() => {
      if (this.turns.get(slot) === tail) this.turns.delete(slot);
    });
    try {
      if (before) await waitOrRefuse(before, TURN_WAIT_MS);
      return await work();
    } finally {
      release();
    }
  }

  private onceInTurn(
    reply: FastifyReply,
    key: string,
    scope: string,
    { fingerprint, formerFingerprint }: { fingerprint: string; formerFingerprint: string },
    next: CallHandler,
    options: IdempotentOptions,
  ): Promise<unknown> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.idempotencyTtlHours * 3600_000);
    return this.tx.run(async () => {
      const claim = await this.repository.claim(scope, key, fingerprint, now, expiresAt, formerFingerprint);
      if (claim.kind === 'replay' && claim.status !== IN_PROGRESS && options.shownOnce) {
        const { id } = (claim.body === null ? {} : JSON.parse(claim.body)) as { id?: string };
        const created = [options.shownOnce, id].filter(Boolean).join(' ');
        throw new ConflictError(
          'IDEMPOTENCY_ALREADY_CREATED',
          `This Idempotency-Key already created ${created}, which is shown only once`,
          [{ field: 'Idempotency-Key', message: `already created ${created}` }],
        );
      }
      if (claim.kind !== 'owner') return this.replayOrRefuse(reply, claim);
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

/** Waits for `ahead`, or answers 409 IDEMPOTENCY_REQUEST_IN_PROGRESS once `ms` have passed. */
async function waitOrRefuse(ahead: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
    timer.unref();
  });
  try {
    if ((await Promise.race([ahead, gaveUp])) === 'late') throw requestInProgress();
  } finally {
    clearTimeout(timer);
  }
}
