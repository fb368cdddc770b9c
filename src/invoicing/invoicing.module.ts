import { Module } from '@nestjs/common';
import { LedgerModule } from 'src/ledger/ledger.module';
import { SellersModule } from 'src/sellers/sellers.module';
import { ShipmentsModule } from 'src/shipments/shipments.module';
import { FinanceInvoicesController, InvoicesController } from './invoices.controller';
import { InvoicesRepository } from './invoices.repository';
import { InvoicingJob } from './invoicing.job';
import { InvoicingService } from './invoicing.service';

/** Biweekly invoices: issued from ended shipments, posted and settled through the ledger, exported. */
@Module({
  imports: [LedgerModule, ShipmentsModule, SellersModule],
  controllers: [InvoicesController, FinanceInvoicesController],
  providers: [InvoicesRepository, InvoicingService, InvoicingJob],
  exports: [InvoicingService],
})
export class InvoicingModule {}
