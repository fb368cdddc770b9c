import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { RunnableJob } from 'src/common/runnable-job';
import { PickupWatch, PickupWatchResult } from './pickup-watch.service';

/** Trigger only: due checks are claimed in PostgreSQL, so every instance may run it. */
@Injectable()
export class PickupWatchJob {
  constructor(private readonly watch: PickupWatch) {}

  @Interval(60_000)
  @RunnableJob('pickup-watch')
  run(asOf?: Date): Promise<PickupWatchResult> {
    return this.watch.checkDue(asOf);
  }
}
