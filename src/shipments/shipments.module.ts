import { Module } from '@nestjs/common';
import { ParcelOwnership } from 'src/couriers/parcel-ownership';
import { ScoringModule } from 'src/scoring/scoring.module';
import { SellersModule } from 'src/sellers/sellers.module';
import { BulkImportService } from './bulk-import/bulk-import.service';
import { ParcelOwnershipRepository } from './parcel-ownership.repository';
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
    // The sandbox finds it by this token (couriers may not import shipments).
    { provide: ParcelOwnership, useClass: ParcelOwnershipRepository },
  ],
  exports: [ShipmentsService, PickupService],
})
export class ShipmentsModule {}
