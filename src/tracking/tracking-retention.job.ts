import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { RunnableJob } from 'src/common/runnable-job';
import { TrackingRetention } from './tracking-retention.service';

/** Triggers only: the retention of courier pushes and events' raw lines (every instance may run them). */
@Injectable()
export class TrackingRetentionJob {
  constructor(private readonly retention: TrackingRetention) {}

  @Every(3600_000)
  @RunnableJob('courier-pushes-cleanup')
  deletePushes(asOf?: Date): Promise<number> {
    return this.retention.deleteExpiredPushes(asOf);
  }

  @Every(3600_000)
  @RunnableJob('tracking-raw-cleanup')
  clearRaw(asOf?: Date): Promise<number> {
    return this.retention.clearExpiredRaw(asOf);
  }
}
