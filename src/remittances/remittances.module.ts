import { Module } from '@nestjs/common';
import { LedgerModule } from 'src/ledger/ledger.module';
import { SellersModule } from 'src/sellers/sellers.module';
import { ShipmentsModule } from 'src/shipments/shipments.module';
import { TrackingModule } from 'src/tracking/tracking.module';
import { RemittanceLateMatchJob } from './remittance-late-match.job';
import { RemittancesController } from './remittances.controller';
import { RemittancesRepository } from './remittances.repository';
import { RemittancesService } from './remittances.service';

/** Couriers' COD remittance reports, matched against delivered COD parcels and settled through the ledger. */
@Module({
  imports: [LedgerModule, SellersModule, ShipmentsModule, TrackingModule],
  controllers: [RemittancesController],
  providers: [RemittancesRepository, RemittancesService, RemittanceLateMatchJob],
  exports: [RemittancesService],
})
export class RemittancesModule {}
