import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Clock, SystemClock } from './clock';
import { IdempotencyCleanupJob } from './idempotency/idempotency-cleanup.job';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyRepository } from './idempotency/idempotency.repository';

/** The shared mechanics every module may use: the clock and request idempotency. */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    IdempotencyRepository,
    IdempotencyCleanupJob,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [Clock],
})
export class CommonModule {}
