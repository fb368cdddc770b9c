import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { Clock } from 'src/common/clock';
import { TrackingEventsRepository } from './tracking-events.repository';

const DAY_MS = 86_400_000;

/**
 * How long what couriers sent is kept as it came. Nothing Kirim answers or decides reads a push's body or an
 * event's raw line (the API, alerts, statistics, finance and the unmapped-codes list read the normalized
 * columns, `raw_code` and `raw_text` among them): both are audit, so both end, the normalized events stay.
 */
@Injectable()
export class TrackingRetention {
  constructor(
    private readonly events: TrackingEventsRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Deletes the courier pushes received more than COURIER_PUSH_RETENTION_DAYS before `asOf` (default: now),
   * `tracking.cleanupBatch` rows per statement until none is left, each statement its own transaction. A push
   * with an event still in the inbox is kept whatever its age; the events themselves are never deleted (their
   * `push_id` may then name a push no longer kept). Returns how many.
   */
  deleteExpiredPushes(asOf?: Date): Promise<number> {
    return this.inBatches(this.config.tracking.pushRetentionDays, asOf, (cutoff, batch) =>
      this.events.deletePushesBefore(cutoff, batch),
    );
  }

  /**
   * Clears the raw line of the applied courier events received more than TRACKING_RAW_RETENTION_DAYS before
   * `asOf` (default: now), `tracking.cleanupBatch` rows per statement until none is left, each statement its
   * own transaction; the event row itself (status, reason, codes, times, COD, proof) stays. Events still in the
   * inbox keep theirs. Returns how many.
   */
  clearExpiredRaw(asOf?: Date): Promise<number> {
    return this.inBatches(this.config.tracking.rawRetentionDays, asOf, (cutoff, batch) =>
      this.events.clearRawBefore(cutoff, batch),
    );
  }

  private async inBatches(
    days: number,
    asOf: Date | undefined,
    step: (cutoff: Date, batch: number) => Promise<number>,
  ): Promise<number> {
    const cutoff = new Date((asOf ?? this.clock.now()).getTime() - days * DAY_MS);
    const batch = this.config.business.tracking.cleanupBatch;
    let done = 0;
    for (;;) {
      const n = await step(cutoff, batch);
      done += n;
      if (n < batch) return done;
    }
  }
}
