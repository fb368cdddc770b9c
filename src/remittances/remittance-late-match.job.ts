import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { RunnableJob } from 'src/common/runnable-job';
import { RemittancesService } from './remittances.service';

/**
 * Trigger only: decides again the remittance lines that came before Kirim knew their parcel delivered.
 * Under each courier's lock, so every instance may run it.
 */
@Injectable()
export class RemittanceLateMatchJob {
  constructor(private readonly remittances: RemittancesService) {}

  @Every(15 * 60_000)
  @RunnableJob('remittance-late-matches')
  run(): Promise<{ matched: number; redecided: number }> {
    return this.remittances.matchLate();
  }
}
