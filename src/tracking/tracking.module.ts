import { Module } from '@nestjs/common';
import { LedgerModule } from 'src/ledger/ledger.module';
import { SellersModule } from 'src/sellers/sellers.module';
import { ShipmentsModule } from 'src/shipments/shipments.module';
import { AlertsController } from './alerts.controller';
import { AlertsSweepJob } from './alerts-sweep.job';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { CodCreditPosting } from './cod-credit-posting';
import { CodSettlementsController } from './cod-settlements.controller';
import { CodSettlementsRepository } from './cod-settlements.repository';
import { CodSettlements } from './cod-settlements.service';
import { CourierWebhooksController } from './courier-webhooks.controller';
import { CourierWebhooks } from './courier-webhooks.service';
import { ShipmentActionsController } from './shipment-actions.controller';
import { ShipmentActionsRepository } from './shipment-actions.repository';
import { ShipmentActionsRetryJob } from './shipment-actions-retry.job';
import { ShipmentActionsService } from './shipment-actions.service';
import { TrackingController } from './tracking.controller';
import { TrackingEventsRepository } from './tracking-events.repository';
import { TrackingInboxJob } from './tracking-inbox.job';
import { TrackingPollJob } from './tracking-poll.job';
import { TrackingPoller } from './tracking-poller.service';
import { TrackingRetentionJob } from './tracking-retention.job';
import { TrackingRetention } from './tracking-retention.service';
import { TrackingService } from './tracking.service';
import { TrackingViews } from './tracking-views.service';
import { MonitoringService } from './monitoring.service';

/** Every parcel followed to its end: polls and pushes, the inbox, status moves, risk, alerts, seller actions. */
@Module({
  imports: [ShipmentsModule, SellersModule, LedgerModule],
  controllers: [
    TrackingController,
    CourierWebhooksController,
    AlertsController,
    ShipmentActionsController,
    CodSettlementsController,
  ],
  providers: [
    TrackingEventsRepository,
    TrackingService,
    CodCreditPosting,
    CodSettlements,
    CodSettlementsRepository,
    TrackingPoller,
    TrackingPollJob,
    TrackingInboxJob,
    AlertsSweepJob,
    CourierWebhooks,
    TrackingViews,
    MonitoringService,
    AlertsService,
    AlertsRepository,
    ShipmentActionsService,
    ShipmentActionsRepository,
    ShipmentActionsRetryJob,
    TrackingRetention,
    TrackingRetentionJob,
  ],
  exports: [TrackingService, AlertsService, CodCreditPosting],
})
export class TrackingModule {}
