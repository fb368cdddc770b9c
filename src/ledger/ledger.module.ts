import { Module } from '@nestjs/common';
import { LedgerController } from './ledger.controller';
import { LedgerHoldsJob } from './ledger-holds.job';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

/** Double-entry accounts, transactions, balances and holds; depends on no business module. */
@Module({
  controllers: [LedgerController],
  providers: [LedgerRepository, LedgerService, LedgerHoldsJob],
  exports: [LedgerService],
})
export class LedgerModule {}
