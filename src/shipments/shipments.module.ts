import { Module } from '@nestjs/common';
import { ScoringModule } from 'src/scoring/scoring.module';
import { SellersModule } from 'src/sellers/sellers.module';
import { BulkImportService } from './bulk-import/bulk-import.service';
import { PickupJob } from './pickup.job';
import { PickupWatchJob } from './pickup-watch.job';
import { PickupWatch } from './pickup-watch.service';
import { PickupService } from './pickup.service';
import { PickupsController } from './pickups.controller';
import { PickupsRepository } from './pickups.repository';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';

/** A shipment from creation to handover: validation, bulk import, the pickup outbox, its worker and the pickup watch. */
@Module({
  imports: [SellersModule, ScoringModule],
  controllers: [ShipmentsController, PickupsController],
  providers: [
    ShipmentsService,
    ShipmentsRepository,
    BulkImportService,
    PickupsRepository,
    PickupService,
    PickupJob,
    PickupWatch,
    PickupWatchJob,
  ],
  exports: [ShipmentsService, PickupService],
})
export class ShipmentsModule {}
