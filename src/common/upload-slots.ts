import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { AuthenticatedRequest, ROLES_KEY } from './auth/decorators';
import type { Role } from './auth/principal';
import type { LARGE_BODY_LIMIT_BYTES } from './body-limits';
import { RateLimitedError } from './errors/app-error';
import { clientNetwork } from './ip-address';
import { ApiErrors } from './openapi';

/**
 * Large uploads one caller may have running at once on an instance: a seller (all its users and API keys
 * together: the pool is shared per tenant), or a Kirim staff user.
 */
export const UPLOADS_PER_CALLER = 2;

/** What a refused upload is told to wait: an import of 5,000 rows takes a few seconds. */
const RETRY_AFTER_SECONDS = 5;

export class UploadsBusyError extends RateLimitedError {
  constructor(mine: boolean) {
    super(
      'UPLOADS_BUSY',
      mine
        ? `Your account already has ${UPLOADS_PER_CALLER} uploads being processed; send this one when one of them has answered`
        : 'Too many uploads are being processed at once; try again in a few seconds',
      RETRY_AFTER_SECONDS,
    );
  }
}

/** Who an upload is counted against: a seller's whole account, or a staff user. */
export interface UploadCaller {
  key: string;
  seller: boolean;
}

/**
 * Counts the large uploads running on this instance, in all and per caller: one count for the instance (a
 * provider of CommonModule; each module using the interceptor gets an interceptor of its own). A slot is
 * taken before the work starts and given back when the work has ended, whatever its answer and whether or
 * not the client still waits for it: the work is what holds a database connection (a keyed import runs in
 * the idempotency transaction) and the CPU. Sellers together may not take the last slot when there are
 * two or more: a few accounts importing in a loop must not keep finance's remittance reports out.
 */
export class UploadSlots {
  private running = 0;
  private sellersRunning = 0;
  private readonly byCaller = new Map<string, number>();
  /** The slots sellers may take together. */
  readonly forSellers: number;

  constructor(
    readonly inAll: number,
    readonly perCaller: number,
  ) {
    this.forSellers = inAll > 1 ? inAll - 1 : inAll;
  }

  /** Half the database pool (at least one), the rest left to every other request. */
  static forPool(poolSize: number): UploadSlots {
    return new UploadSlots(Math.max(1, Math.floor(poolSize / 2)), UPLOADS_PER_CALLER);
  }

  /** Takes a slot for `caller`, or throws UploadsBusyError (429) when the caller's or the instance's are taken. */
  take(caller: UploadCaller): void {
    const mine = this.byCaller.get(caller.key) ?? 0;
    if (mine >= this.perCaller) throw new UploadsBusyError(true);
    if (this.running >= this.inAll || (caller.seller && this.sellersRunning >= this.forSellers))
      throw new UploadsBusyError(false);
    this.running += 1;
    if (caller.seller) this.sellersRunning += 1;
    this.byCaller.set(caller.key, mine + 1);
  }

  giveBack(caller: UploadCaller): void {
    const mine = this.byCaller.get(caller.key) ?? 0;
    if (mine <= 0) throw new Error(`an upload slot given back that ${caller.key} did not hold`);
    this.running -= 1;
    if (caller.seller) this.sellersRunning -= 1;
    if (mine === 1) this.byCaller.delete(caller.key);
    else this.byCaller.set(caller.key, mine - 1);
  }

  get taken(): number {
    return this.running;
  }
}

/**
 * Runs a large upload (a bulk import, a remittance report) only when a slot is free. Ten keyed imports at
 * once held every connection of the pool for their whole run, and every other request waited, then failed.
 * Half the pool is left to the rest. Runs after authentication (a guard), so a made-up credential takes no
 * slot.
 */
@Injectable()
export class UploadSlotsInterceptor implements NestInterceptor {
  constructor(private readonly slots: UploadSlots) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = request.principal;
    // A public route has no principal (none takes a large upload today): its uploads count by address.
    const caller: UploadCaller = principal
      ? principal.sellerId
        ? { key: `seller:${principal.sellerId}`, seller: true }
        : { key: `user:${principal.userId}`, seller: false }
      : { key: `ip:${clientNetwork(request.ip)}`, seller: true };
    this.slots.take(caller);
    return from(this.run(next, caller));
  }

  // Given back when the handler's work settles, not when the answer is written or the client leaves.
  private async run(next: CallHandler, caller: UploadCaller): Promise<unknown> {
    try {
      return await lastValueFrom(next.handle(), { defaultValue: undefined });
    } finally {
      this.slots.giveBack(caller);
    }
  }
}

/**
 * Marks a route taking a large upload: at most half the database pool of them run at once on an instance,
 * and UPLOADS_PER_CALLER per caller; past that, 429 UPLOADS_BUSY with Retry-After. Its interceptor runs
 * before every other of the method's, wherever the decorator stands (outside `@Idempotent()`'s
 * transaction); global and controller-wide interceptors still run before it. A replay of a keyed upload
 * takes a slot too: which key it bears is read inside. `bodyConfig` is the route's Fastify config (its body
 * limit, how its body is read), to which the route's roles are added: its caller's credential and role are
 * checked before the body is read (authenticateLargeUploads).
 */
export const LargeUpload =
  (bodyConfig: { readonly bodyLimitBytes: typeof LARGE_BODY_LIMIT_BYTES }): MethodDecorator =>
  (target, key, descriptor) => {
    const handler = descriptor.value as object;
    // Read when asked, not now: @Roles on the class (or above this one) is applied after this decorator.
    const largeUploadRoles = () =>
      (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, target.constructor)) as
        Role[] | undefined;
    RouteConfig({ ...bodyConfig, largeUploadRoles })(target, key, descriptor);
    const others = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
    Reflect.defineMetadata(INTERCEPTORS_METADATA, [UploadSlotsInterceptor, ...others], handler);
    ApiErrors(429)(target, key, descriptor);
    return descriptor;
  };

/**
 * The roles a large upload's route lets in (its @Roles, as the guard reads them), for the check before its
 * body is read; undefined on any other route, or one any signed-in caller may call.
 */
export function largeUploadRoles(request: FastifyRequest): readonly Role[] | undefined {
  const config = request.routeOptions.config as { largeUploadRoles?: () => Role[] | undefined } | undefined;
  return config?.largeUploadRoles?.();
}
