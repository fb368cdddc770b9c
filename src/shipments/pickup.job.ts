import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { RunnableJob } from 'src/common/runnable-job';
import { PickupService } from './pickup.service';

/** Trigger only: the pickup outbox worker's work is claimed in PostgreSQL, so every instance may run it. */
@Injectable()
export class PickupJob {
  constructor(private readonly pickups: PickupService) {}

  @Every(1000)
  @RunnableJob('pickups')
  run(): Promise<number> {
    return this.pickups.drainDue();
  }
}
