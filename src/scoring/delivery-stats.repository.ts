import { Injectable } from '@nestjs/common';
import { Transactions } from 'src/database/transaction';
import type { OutcomeCounts } from './delivery-estimator';

export type StatsLevel = 'lane' | 'province' | 'national';

export interface OutcomeRow {
  shipmentId: string;
  courier: string;
  service: string;
  outcome: 'delivered' | 'returned' | 'lost';
  failedAttempts: number;
  transitDays: number | null;
  recordedAt: Date;
}

/** The statistics courier scoring learns from: SQL increments and bulk reads. */
@Injectable()
export class DeliveryStatsRepository {
  constructor(private readonly tx: Transactions) {}

  /** Records the shipment's outcome once; false when it was recorded before (the caller then adds nothing). */
  async insertOutcome(o: OutcomeRow): Promise<boolean> {
    const rows = await this.tx.manager.query<unknown[]>(
      `INSERT INTO delivery_outcomes (shipment_id, courier, service, outcome, failed_attempts, transit_days, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (shipment_id) DO NOTHING RETURNING 1`,
      [o.shipmentId, o.courier, o.service, o.outcome, o.failedAttempts, o.transitDays, o.recordedAt],
    );
    return rows.length > 0;
  }

  /** Adds one outcome to each (level, key) row; `transitBucket` counts a delivery in the histogram. */
  async addOutcome(
    keys: { level: StatsLevel; key: string }[],
    failed: boolean,
    firstAttempt: boolean,
    transitBucket: number | null,
  ): Promise<void> {
    for (const { level, key } of keys) {
      await this.tx.manager.query(
        `INSERT INTO delivery_stats (level, key, outcomes, failures, first_attempt)
         VALUES ($1, $2, 1, $3, $4)
         ON CONFLICT (level, key) DO UPDATE SET outcomes = delivery_stats.outcomes + 1,
           failures = delivery_stats.failures + EXCLUDED.failures, first_attempt = delivery_stats.first_attempt + EXCLUDED.first_attempt`,
        [level, key, failed ? 1 : 0, firstAttempt ? 1 : 0],
      );
      if (transitBucket !== null) {
        await this.tx.manager.query(
          'UPDATE delivery_stats SET transit_histogram[$3] = transit_histogram[$3] + 1 WHERE level = $1 AND key = $2',
          [level, key, transitBucket + 1],
        );
      }
    }
  }

  async addRecipientOutcome(phoneHash: string, failed: boolean): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO recipient_stats (phone_hash, outcomes, failures) VALUES ($1, 1, $2)
       ON CONFLICT (phone_hash) DO UPDATE SET outcomes = recipient_stats.outcomes + 1, failures = recipient_stats.failures + EXCLUDED.failures`,
      [phoneHash, failed ? 1 : 0],
    );
  }

  async addPickupOutcome(courier: string, failed: boolean): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO pickup_stats (courier, attempts, failures) VALUES ($1, 1, $2)
       ON CONFLICT (courier) DO UPDATE SET attempts = pickup_stats.attempts + 1, failures = pickup_stats.failures + EXCLUDED.failures`,
      [courier, failed ? 1 : 0],
    );
  }

  /** Every requested (level, key) row in one round trip; absent keys are simply missing from the map. */
  async counts(keys: { level: StatsLevel; key: string }[]): Promise<Map<string, OutcomeCounts>> {
    if (!keys.length) return new Map();
    const rows = await this.tx.manager.query<
      {
        level: string;
        key: string;
        outcomes: number;
        failures: number;
        first_attempt: number;
        transit_histogram: number[];
      }[]
    >(
      `SELECT s.level, s.key, s.outcomes, s.failures, s.first_attempt, s.transit_histogram
       FROM delivery_stats s JOIN unnest($1::text[], $2::text[]) AS k(level, key) ON s.level = k.level AND s.key = k.key`,
      [keys.map((k) => k.level), keys.map((k) => k.key)],
    );
    return new Map(
      rows.map((r) => [
        `${r.level}:${r.key}`,
        {
          outcomes: r.outcomes,
          failures: r.failures,
          firstAttempt: r.first_attempt,
          transitHistogram: r.transit_histogram,
        },
      ]),
    );
  }

  async recipient(phoneHash: string): Promise<{ outcomes: number; failures: number } | undefined> {
    const rows = await this.tx.manager.query<{ outcomes: number; failures: number }[]>(
      'SELECT outcomes, failures FROM recipient_stats WHERE phone_hash = $1',
      [phoneHash],
    );
    return rows[0];
  }

  /** The records of these recipients that exist, by phone hash (one read for a batch). */
  async recipients(phoneHashes: string[]): Promise<Map<string, { outcomes: number; failures: number }>> {
    const rows = await this.tx.manager.query<{ phone_hash: string; outcomes: number; failures: number }[]>(
      'SELECT phone_hash, outcomes, failures FROM recipient_stats WHERE phone_hash = ANY($1::text[])',
      [phoneHashes],
    );
    return new Map(rows.map((r) => [r.phone_hash, { outcomes: r.outcomes, failures: r.failures }]));
  }

  async pickups(): Promise<Map<string, { attempts: number; failures: number }>> {
    const rows = await this.tx.manager.query<{ courier: string; attempts: number; failures: number }[]>(
      'SELECT courier, attempts, failures FROM pickup_stats',
    );
    return new Map(rows.map((r) => [r.courier, { attempts: r.attempts, failures: r.failures }]));
  }
}
