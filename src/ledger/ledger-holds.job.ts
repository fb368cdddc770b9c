import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { RunnableJob } from 'src/common/runnable-job';
import { LedgerService } from './ledger.service';

/** Trigger only: releases held money that is due (COD cash from pending to available after the hold). */
@Injectable()
export class LedgerHoldsJob {
  constructor(private readonly ledger: LedgerService) {}

  @Every(60_000)
  @RunnableJob('ledger-holds')
  run(asOf?: Date): Promise<number> {
    return this.ledger.releaseDueHolds(asOf);
  }
}
