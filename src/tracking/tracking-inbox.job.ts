import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { RunnableJob } from 'src/common/runnable-job';
import { TrackingService } from './tracking.service';

/** Trigger only: applies pushed courier events the webhook route stored (safety net for its own kick). */
@Injectable()
export class TrackingInboxJob {
  constructor(private readonly tracking: TrackingService) {}

  @Interval(5_000)
  @RunnableJob('tracking-inbox')
  run(asOf?: Date): Promise<number> {
    return this.tracking.applyPushed(asOf);
  }
}
