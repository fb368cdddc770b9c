import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { RunnableJob } from 'src/common/runnable-job';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

/** Trigger only: deletes finished webhook deliveries past their retention (every instance may run it). */
@Injectable()
export class WebhookDeliveriesCleanupJob {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Interval(3600_000)
  @RunnableJob('webhook-deliveries-cleanup')
  run(asOf?: Date): Promise<number> {
    return this.deliveries.deleteExpired(asOf);
  }
}
