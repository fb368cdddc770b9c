import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { RunnableJob } from 'src/common/runnable-job';
import { LedgerService } from './ledger.service';

/** Trigger only: releases held money that is due (COD cash from pending to available after the hold). */
@Injectable()
export class LedgerHoldsJob {
  constructor(private readonly ledger: LedgerService) {}

  @Interval(60_000)
  @RunnableJob('ledger-holds')
  run(asOf?: Date): Promise<number> {
    return this.ledger.releaseDueHolds(asOf);
  }
}
