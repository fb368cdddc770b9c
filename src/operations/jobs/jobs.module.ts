import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from 'config';
import { JobCatalogue } from './job-catalogue';
import { SandboxJobsController } from './sandbox-jobs.controller';

/** The catalogue of runnable jobs; in sandbox mode, the route that runs one now. */
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: JobsModule,
      imports: [DiscoveryModule],
      controllers: config.couriers.sandboxMode ? [SandboxJobsController] : [],
      providers: [JobCatalogue],
      exports: [JobCatalogue],
    };
  }
}
