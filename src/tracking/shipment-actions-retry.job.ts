import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { RunnableJob } from 'src/common/runnable-job';
import { ShipmentActionsService } from './shipment-actions.service';

/** Trigger only: sends again the seller actions left pending by a sender that died. */
@Injectable()
export class ShipmentActionsRetryJob {
  constructor(private readonly actions: ShipmentActionsService) {}

  @Every(60_000)
  @RunnableJob('shipment-actions-retry')
  run(asOf?: Date): Promise<number> {
    return this.actions.resumeAbandoned(asOf);
  }
}
