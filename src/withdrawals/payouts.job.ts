import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { RunnableJob } from 'src/common/runnable-job';
import { PayoutRunResult, PayoutsService } from './payouts.service';

/** Trigger only: sends approved withdrawals and follows them until the provider settles them. */
@Injectable()
export class PayoutsJob {
  constructor(private readonly payouts: PayoutsService) {}

  @Every(30_000)
  @RunnableJob('payouts')
  run(asOf?: Date): Promise<PayoutRunResult> {
    return this.payouts.runDue(asOf);
  }
}
