import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ListenerGauge } from './listener-gauge';
import { OperationsController } from './operations.controller';

/** Liveness, readiness and metrics for operators and orchestrators. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [OperationsController],
  providers: [ListenerGauge],
})
export class OperationsModule {}
