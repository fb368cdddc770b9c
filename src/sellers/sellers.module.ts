import { Module } from '@nestjs/common';
import { AuthModule } from 'src/auth/auth.module';
import { AddressesController } from './addresses.controller';
import { AddressesService } from './addresses.service';
import { BankAccountsController } from './bank-accounts.controller';
import { BankAccountsService } from './bank-accounts.service';
import { SellersController } from './sellers.controller';
import { SellersService } from './sellers.service';
import { WebhookTargetPolicy } from './webhook-target-policy';
import { SellerNotifications } from './notifications/seller-notifications.service';

@Module({
  imports: [AuthModule],
  controllers: [SellersController, AddressesController, BankAccountsController],
  providers: [
    SellersService,
    AddressesService,
    BankAccountsService,
    WebhookTargetPolicy,
    SellerNotifications,
  ],
  exports: [SellersService, AddressesService, BankAccountsService, WebhookTargetPolicy, SellerNotifications],
})
export class SellersModule {}
