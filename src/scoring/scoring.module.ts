import { Module } from '@nestjs/common';
import { DeliveryStatsRepository } from './delivery-stats.repository';
import { DeliveryStatsService } from './delivery-stats.service';

/** Which courier service should carry a shipment, and why: the model, its statistics, and (next) quotes. */
@Module({
  providers: [DeliveryStatsRepository, DeliveryStatsService],
  exports: [DeliveryStatsService],
})
export class ScoringModule {}
