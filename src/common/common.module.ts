import { Global, Module } from '@nestjs/common';
import { AppConfig } from 'config';
import { SandboxClock } from 'src/couriers/sandbox/sandbox-clock';
import { Clock, SystemClock } from './clock';
import { IdempotencyCleanupJob } from './idempotency/idempotency-cleanup.job';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyRepository } from './idempotency/idempotency.repository';

/** The shared mechanics every module may use: the clock and request idempotency. */
@Global()
@Module({
  providers: [
    // In sandbox mode the clock can be moved forward (POST /sandbox/clock); otherwise it is real time.
    {
      provide: Clock,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.couriers.sandboxMode ? new SandboxClock() : new SystemClock(),
    },
    IdempotencyRepository,
    IdempotencyCleanupJob,
    IdempotencyInterceptor,
  ],
  exports: [Clock, IdempotencyRepository, IdempotencyInterceptor],
})
export class CommonModule {}
