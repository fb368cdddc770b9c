import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Fixed-window counters in PostgreSQL, so every instance sees the same login attempts. */
@Injectable()
export class LoginThrottleRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds one hit to key's window and returns the window's hits so far. */
  async hit(key: string, windowStart: Date): Promise<number> {
    const [row] = await this.dataSource.query<{ hits: number }[]>(
      `INSERT INTO rate_limit_counters (key, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
       RETURNING hits`,
      [key, windowStart],
    );
    return row.hits;
  }

  /** Takes back one hit of key's window (a guess counted in advance that turned out right, or was refused). */
  async unhit(key: string, windowStart: Date): Promise<void> {
    await this.dataSource.query(
      'UPDATE rate_limit_counters SET hits = hits - 1 WHERE key = $1 AND window_start = $2 AND hits > 0',
      [key, windowStart],
    );
  }

  /** Deletes the counters of keys starting with `keyPrefix` whose window started before `cutoff`. */
  async deleteBefore(cutoff: Date, keyPrefix: string): Promise<void> {
    await this.dataSource.query(
      'DELETE FROM rate_limit_counters WHERE window_start < $1 AND starts_with(key, $2)',
      [cutoff, keyPrefix],
    );
  }
}
