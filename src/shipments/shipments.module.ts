import { Module } from '@nestjs/common';
import { AreasModule } from 'src/areas/areas.module';
import { ParcelOwnership } from 'src/couriers/parcel-ownership';
import { ScoringModule } from 'src/scoring/scoring.module';
import { SellersModule } from 'src/sellers/sellers.module';
import { BulkImportService } from './bulk-import/bulk-import.service';
import { CodDeliveries } from './cod-deliveries.service';
import { ParcelOwnershipRepository } from './parcel-ownership.repository';
import { PickupJob } from './pickup.job';
import { PickupWatch } from './pickup-watch.service';
import { PickupService } from './pickup.service';
import { PickupsController } from './pickups.controller';
import { PickupsRepository } from './pickups.repository';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';
import { ShipmentStateMachine } from './shipment-state-machine';
import { TrackedShipments } from './tracked-shipments.service';

/**
 * A shipment from creation to its end: validation, bulk import, the pickup outbox and its worker, the
 * pickup watch, and the one state machine every status change goes through.
 */
@Module({
  imports: [SellersModule, ScoringModule, AreasModule],
  controllers: [ShipmentsController, PickupsController],
  providers: [
    ShipmentsService,
    ShipmentsRepository,
    BulkImportService,
    PickupsRepository,
    PickupService,
    PickupJob,
    PickupWatch,
    ShipmentStateMachine,
    TrackedShipments,
    CodDeliveries,
    // The sandbox finds it by this token (couriers may not import shipments).
    { provide: ParcelOwnership, useClass: ParcelOwnershipRepository },
  ],
  exports: [
    ShipmentsService,
    PickupService,
    ShipmentStateMachine,
    TrackedShipments,
    PickupWatch,
    CodDeliveries,
  ],
})
export class ShipmentsModule {}
