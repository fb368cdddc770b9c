import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { Clock } from 'src/common/clock';
import { RunnableJob } from 'src/common/runnable-job';
import { TrackedShipments } from 'src/shipments/tracked-shipments.service';
import { AlertsService } from './alerts.service';

/** Trigger only: resolves the alerts of shipments that ended without the tracker (a seller's cancel). */
@Injectable()
export class AlertsSweepJob {
  constructor(
    private readonly alerts: AlertsService,
    private readonly tracked: TrackedShipments,
    private readonly clock: Clock,
  ) {}

  @Every(300_000)
  @RunnableJob('alerts-sweep')
  run(asOf?: Date): Promise<number> {
    return this.alerts.sweepEnded((ids) => this.tracked.endedAmong(ids), asOf ?? this.clock.now());
  }
}
