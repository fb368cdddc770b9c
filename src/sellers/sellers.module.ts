import { Module } from '@nestjs/common';
import { AreasModule } from 'src/areas/areas.module';
import { AuthModule } from 'src/auth/auth.module';
import { AddressesController } from './addresses.controller';
import { AddressesService } from './addresses.service';
import { BankAccountsController } from './bank-accounts.controller';
import { BankAccountsService } from './bank-accounts.service';
import { SellerNotifications } from './notifications/seller-notifications.service';
import { SellerWebhookClient } from './notifications/seller-webhook.client';
import { SellerWebhooksJob } from './notifications/seller-webhooks.job';
import { WebhookDeliveriesCleanupJob } from './notifications/webhook-deliveries-cleanup.job';
import { WebhookDeliveriesController } from './notifications/webhook-deliveries.controller';
import { WebhookDeliveriesRepository } from './notifications/webhook-deliveries.repository';
import { WebhookDeliveriesService } from './notifications/webhook-deliveries.service';
import { WebhookSender } from './notifications/webhook-sender.service';
import { SellersController } from './sellers.controller';
import { SellersService } from './sellers.service';
import { WebhookTargetPolicy } from './webhook-target-policy';

/**
 * Sellers and what other modules need of them: addresses, bank accounts, settings, and notifications (the
 * signed-webhook outbox: other modules call SellerNotifications.enqueue inside their transaction).
 */
@Module({
  imports: [AuthModule, AreasModule],
  controllers: [SellersController, AddressesController, BankAccountsController, WebhookDeliveriesController],
  providers: [
    SellersService,
    AddressesService,
    BankAccountsService,
    WebhookTargetPolicy,
    WebhookDeliveriesRepository,
    SellerNotifications,
    SellerWebhookClient,
    WebhookSender,
    WebhookDeliveriesService,
    SellerWebhooksJob,
    WebhookDeliveriesCleanupJob,
  ],
  exports: [SellersService, AddressesService, BankAccountsService, WebhookTargetPolicy, SellerNotifications],
})
export class SellersModule {}
