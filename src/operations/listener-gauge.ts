import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from 'src/common/metrics.service';
import { DatabaseNotifications } from 'src/database/notifications';

/** kirim_database_listening: whether this instance hears notifications now (read at each scrape). */
@Injectable()
export class ListenerGauge {
  constructor(metrics: MetricsService, notifications: DatabaseNotifications) {
    new Gauge({
      name: 'kirim_database_listening',
      help: 'Whether the LISTEN connection is up (1) or not (0: auth caches bypassed, reconnecting)',
      registers: [metrics.registry],
      collect() {
        this.set(notifications.listening ? 1 : 0);
      },
    });
  }
}
