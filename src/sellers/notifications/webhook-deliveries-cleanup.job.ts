import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { RunnableJob } from 'src/common/runnable-job';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

/** Trigger only: deletes finished webhook deliveries past their retention (every instance may run it). */
@Injectable()
export class WebhookDeliveriesCleanupJob {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Every(3600_000)
  @RunnableJob('webhook-deliveries-cleanup')
  run(asOf?: Date): Promise<number> {
    return this.deliveries.deleteExpired(asOf);
  }
}
