import { instantOf, windowEndOf } from 'src/common/wib';
import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { checkTimeRange } from 'src/common/time-range';
import { ValidationFailedError } from 'src/common/errors/app-error';
import { ShipmentsService } from 'src/shipments/shipments.service';
import { AlertsService } from './alerts.service';
import { MonitoringDto, MonitoringQueryDto } from './tracking.dto';

const DAY = 86_400_000;
/** The longest window one request may ask for. */
const MAX_WINDOW_DAYS = 366;

/** The seller's numbers the dashboard shows: shipments by status, open alerts, how each courier does. */
@Injectable()
export class MonitoringService {
  constructor(
    private readonly shipments: ShipmentsService,
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
  ) {}

  /** @throws ValidationFailedError VALIDATION_FAILED (400) naming `from` for an empty or too long window */
  async figures(sellerId: string, q: MonitoringQueryDto): Promise<MonitoringDto> {
    const to = q.to ? windowEndOf(q.to) : this.clock.now();
    const from = q.from ? instantOf(q.from) : new Date(to.getTime() - 30 * DAY);
    checkTimeRange(from, to);
    if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY)
      throw new ValidationFailedError([
        { field: 'from', message: `must be at most ${MAX_WINDOW_DAYS} days before \`to\`` },
      ]);
    const [shipments, openAlertsByRule] = await Promise.all([
      this.shipments.monitoring(sellerId, from, to),
      this.alerts.openByRule(sellerId),
    ]);
    return { from: from.toISOString(), to: to.toISOString(), ...shipments, openAlertsByRule };
  }
}
