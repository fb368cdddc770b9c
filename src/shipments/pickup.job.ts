import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { RunnableJob } from 'src/common/runnable-job';
import { PickupService } from './pickup.service';

/** Trigger only: the pickup outbox worker's work is claimed in PostgreSQL, so every instance may run it. */
@Injectable()
export class PickupJob {
  constructor(private readonly pickups: PickupService) {}

  @Interval(1000)
  @RunnableJob('pickups')
  run(): Promise<number> {
    return this.pickups.drainDue();
  }
}
