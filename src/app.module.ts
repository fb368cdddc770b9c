import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig, ConfigModule } from 'config';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AreasModule } from './areas/areas.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { CouriersModule } from './couriers/couriers.module';
import { createRootLogger, loggerParams, ROOT_LOGGER } from './common/logging';
import { DatabaseModule } from './database/database.module';
import { InvoicingModule } from './invoicing/invoicing.module';
import { LedgerModule } from './ledger/ledger.module';
import { JobsModule } from './operations/jobs/jobs.module';
import { OperationsModule } from './operations/operations.module';
import { RemittancesModule } from './remittances/remittances.module';
import { ScoringModule } from './scoring/scoring.module';
import { SellersModule } from './sellers/sellers.module';
import { ShipmentsModule } from './shipments/shipments.module';
import { TrackingModule } from './tracking/tracking.module';
import { WithdrawalsModule } from './withdrawals/withdrawals.module';

@Module({})
export class AppModule {
  /** `logDestination`: where the logs go (stdout by default; tests read their own). */
  static forRoot(config: AppConfig, options: { logDestination?: DestinationStream } = {}): DynamicModule {
    const logger = createRootLogger(config.logLevel, options.logDestination);
    return {
      module: AppModule,
      providers: [{ provide: ROOT_LOGGER, useValue: logger }],
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(logger)),
        ...(config.jobsEnabled ? [ScheduleModule.forRoot()] : []),
        DatabaseModule,
        CommonModule,
        OperationsModule,
        AuthModule,
        AreasModule,
        SellersModule,
        CouriersModule.forRoot(config),
        ScoringModule,
        ShipmentsModule,
        LedgerModule,
        TrackingModule,
        InvoicingModule,
        RemittancesModule,
        WithdrawalsModule.forRoot(config),
        JobsModule.forRoot(config),
      ],
    };
  }
}
