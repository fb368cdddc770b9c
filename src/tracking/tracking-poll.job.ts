import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { RunnableJob } from 'src/common/runnable-job';
import { PollResult, TrackingPoller } from './tracking-poller.service';

/** Trigger only: due shipments are claimed in PostgreSQL, so every instance may run it. */
@Injectable()
export class TrackingPollJob {
  constructor(private readonly poller: TrackingPoller) {}

  @Every(30_000)
  @RunnableJob('tracking-poll')
  run(asOf?: Date): Promise<PollResult> {
    return this.poller.pollDue(asOf);
  }
}
