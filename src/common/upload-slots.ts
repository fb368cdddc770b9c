import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { from, lastValueFrom, Observable } from 'rxjs';
import { AuthenticatedRequest } from './auth/decorators';
import { RateLimitedError } from './errors/app-error';
import { ApiErrors } from './openapi';

/** Large uploads one caller (a seller, or a finance user) may have running at once on an instance. */
export const UPLOADS_PER_CALLER = 2;

/** What a refused upload is told to wait: an import of 5,000 rows takes a few seconds. */
const RETRY_AFTER_SECONDS = 5;

export class UploadsBusyError extends RateLimitedError {
  constructor(mine: boolean) {
    super(
      'UPLOADS_BUSY',
      mine
        ? `You already have ${UPLOADS_PER_CALLER} uploads being processed; send this one when one of them has answered`
        : 'Too many uploads are being processed at once; try again in a few seconds',
      RETRY_AFTER_SECONDS,
    );
  }
}

/**
 * Counts the large uploads running on this instance, in all and per caller (one for the whole instance:
 * a provider of CommonModule, while each module using the interceptor gets an interceptor of its own). A slot is taken before the
 * work starts and given back when the work has ended, whatever its answer and whether or not the client
 * still waits for it: the work is what holds a database connection (a keyed import runs in the
 * idempotency transaction) and the CPU.
 */
export class UploadSlots {
  private running = 0;
  private readonly byCaller = new Map<string, number>();

  constructor(
    readonly inAll: number,
    readonly perCaller: number,
  ) {}

  /** Half the database pool, the rest left to every other request. */
  static forPool(poolSize: number): UploadSlots {
    return new UploadSlots(Math.max(1, Math.floor(poolSize / 2)), UPLOADS_PER_CALLER);
  }

  /** Takes a slot for `caller`, or throws UploadsBusyError (429) when the caller's or the instance's are taken. */
  take(caller: string): void {
    const mine = this.byCaller.get(caller) ?? 0;
    if (mine >= this.perCaller) throw new UploadsBusyError(true);
    if (this.running >= this.inAll) throw new UploadsBusyError(false);
    this.running += 1;
    this.byCaller.set(caller, mine + 1);
  }

  giveBack(caller: string): void {
    const mine = this.byCaller.get(caller) ?? 0;
    if (mine <= 0) throw new Error(`an upload slot given back that ${caller} did not hold`);
    this.running -= 1;
    if (mine === 1) this.byCaller.delete(caller);
    else this.byCaller.set(caller, mine - 1);
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
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new Error('UploadSlotsInterceptor on a route without authentication');
    const caller = principal.sellerId ? `seller:${principal.sellerId}` : `user:${principal.userId}`;
    this.slots.take(caller);
    return from(this.run(next, caller));
  }

  // Given back when the handler's work settles, not when the answer is written or the client leaves.
  private async run(next: CallHandler, caller: string): Promise<unknown> {
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
 * before every other of the route's, wherever the decorator stands: outside `@Idempotent()`'s transaction.
 */
export const LargeUpload = (): MethodDecorator => (target, key, descriptor) => {
  const handler = descriptor.value as object;
  const others = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
  Reflect.defineMetadata(INTERCEPTORS_METADATA, [UploadSlotsInterceptor, ...others], handler);
  ApiErrors(429)(target, key, descriptor);
  return descriptor;
};
