import { Module } from '@nestjs/common';
import { AreasModule } from 'src/areas/areas.module';
import { SellersModule } from 'src/sellers/sellers.module';
import { DeliveryStatsRepository } from './delivery-stats.repository';
import { DeliveryStatsService } from './delivery-stats.service';
import { QuotesController } from './quotes.controller';
import { QuotesService } from './quotes.service';
import { ScoringService } from './scoring.service';

/** Which courier service should carry a shipment, and why: quotes, the model, and what it learns from. */
@Module({
  imports: [SellersModule, AreasModule],
  controllers: [QuotesController],
  providers: [DeliveryStatsRepository, DeliveryStatsService, ScoringService, QuotesService],
  exports: [DeliveryStatsService, ScoringService],
})
export class ScoringModule {}
