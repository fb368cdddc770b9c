import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { RunnableJob } from 'src/common/runnable-job';
import { SenderRunResult, WebhookSender } from './webhook-sender.service';

/** Trigger only: deliveries are claimed in PostgreSQL, so every instance may run it (and runs may overlap). */
@Injectable()
export class SellerWebhooksJob {
  constructor(private readonly sender: WebhookSender) {}

  @Every(2000)
  @RunnableJob('seller-webhooks')
  run(asOf?: Date): Promise<SenderRunResult> {
    return this.sender.runDue(asOf);
  }
}
