import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { RunnableJob } from 'src/common/runnable-job';
import { PayoutRunResult, PayoutsService } from './payouts.service';

/** Trigger only: sends approved withdrawals and follows them until the provider settles them. */
@Injectable()
export class PayoutsJob {
  constructor(private readonly payouts: PayoutsService) {}

  @Interval(30_000)
  @RunnableJob('payouts')
  run(asOf?: Date): Promise<PayoutRunResult> {
    return this.payouts.runDue(asOf);
  }
}
