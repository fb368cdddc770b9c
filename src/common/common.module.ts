import { Global, Module } from '@nestjs/common';
import { AppConfig } from 'config';
import { Clock, MovableClock, SystemClock } from './clock';
import { IdempotencyCleanupJob } from './idempotency/idempotency-cleanup.job';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { MetricsService } from './metrics.service';
import { UploadSlots } from './upload-slots';

/**
 * The shared mechanics every module may use: the clock, request idempotency, the metrics registry and the
 * count of large uploads running.
 */
@Global()
@Module({
  providers: [
    // In sandbox mode the clock can be moved forward (POST /sandbox/clock); otherwise it is real time.
    {
      provide: Clock,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.couriers.sandboxMode ? new MovableClock() : new SystemClock(),
    },
    // Real time, whatever the sandbox clock says: rate-limit windows must not move with it.
    { provide: SystemClock, useValue: new SystemClock() },
    IdempotencyRepository,
    IdempotencyCleanupJob,
    IdempotencyInterceptor,
    MetricsService,
    // One count of the large uploads running for the whole instance.
    {
      provide: UploadSlots,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => UploadSlots.forPool(config.database.poolSize),
    },
  ],
  exports: [Clock, SystemClock, IdempotencyRepository, IdempotencyInterceptor, MetricsService, UploadSlots],
})
export class CommonModule {}
