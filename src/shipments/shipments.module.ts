import { Module } from '@nestjs/common';
import { ScoringModule } from 'src/scoring/scoring.module';
import { SellersModule } from 'src/sellers/sellers.module';
import { BulkImportService } from './bulk-import/bulk-import.service';
import { PickupJob } from './pickup.job';
import { PickupService } from './pickup.service';
import { PickupsController } from './pickups.controller';
import { PickupsRepository } from './pickups.repository';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsService } from './shipments.service';

/** A shipment from creation to handover (pickups and the booking worker arrive next). */
@Module({
  imports: [SellersModule, ScoringModule],
  controllers: [ShipmentsController, PickupsController],
  providers: [ShipmentsService, BulkImportService, PickupsRepository, PickupService, PickupJob],
  exports: [ShipmentsService, PickupService],
})
export class ShipmentsModule {}
