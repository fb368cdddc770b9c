import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { RunnableJob } from 'src/common/runnable-job';
import { TrackingService } from './tracking.service';

/** Trigger only: applies pushed courier events the webhook route stored (safety net for its own kick). */
@Injectable()
export class TrackingInboxJob {
  constructor(private readonly tracking: TrackingService) {}

  @Every(5_000)
  @RunnableJob('tracking-inbox')
  run(asOf?: Date): Promise<number> {
    return this.tracking.applyPushed(asOf);
  }
}
