import { Injectable } from '@nestjs/common';
import { compareStrings } from 'src/common/sort-order';
import { queryPrepared } from 'src/database/prepared';
import { Transactions } from 'src/database/transaction';
import type { LevelCounts, OutcomeCounts } from './delivery-estimator';

export type StatsLevel = 'lane' | 'area' | 'province' | 'national';

export interface OutcomeRow {
  shipmentId: string;
  courier: string;
  service: string;
  outcome: 'delivered' | 'returned' | 'lost';
  failedAttempts: number;
  transitDays: number | null;
  recordedAt: Date;
  /** The statistics rows it is counted in, as `level:key`. */
  statsKeys: string[];
  /** A COD parcel: counted in its rows' COD counts too. */
  cod: boolean;
  /** A COD parcel delivered without its cash: counted a failure (not delivered and paid). */
  unpaid: boolean;
}

/** A statistics row: every outcome, and its COD outcomes apart (prepaid = every − COD). */
export interface StatsCounts extends OutcomeCounts {
  cod: LevelCounts;
}

/** A recipient's outcomes, and its COD outcomes apart. */
export interface RecipientCounts {
  outcomes: number;
  failures: number;
  cod: { outcomes: number; failures: number };
}

/** A recorded outcome whose failed attempts were raised: what it was counted as before. */
export interface RaisedOutcome {
  shipmentId: string;
  outcome: OutcomeRow['outcome'];
  /** Failed attempts it was recorded with. */
  was: number;
  /** Null for outcomes recorded before their rows were kept. */
  statsKeys: string[] | null;
  /** Whether it was counted as COD (null: recorded by the former code while the migration ran: prepaid). */
  cod: boolean | null;
  /** A COD delivery counted as a failure, its cash not taken (its first attempt never counted). */
  unpaid: boolean;
}

/** Counts to add to the statistics, gathered over a transaction (see DeliveryStatsService). */
export interface StatsIncrements {
  stats: Map<
    string,
    {
      level: StatsLevel;
      key: string;
      outcomes: number;
      failures: number;
      firstAttempt: number;
      cod: LevelCounts;
      histogram: number[];
    }
  >;
  recipients: Map<string, RecipientCounts>;
  pickups: Map<string, { attempts: number; failures: number }>;
}

/** The statistics courier scoring learns from: SQL increments and bulk reads. */
@Injectable()
export class DeliveryStatsRepository {
  constructor(private readonly tx: Transactions) {}

  /** Records the shipment's outcome once; false when it was recorded before (the caller then adds nothing). */
  async insertOutcome(o: OutcomeRow): Promise<boolean> {
    const rows = await this.tx.manager.query<unknown[]>(
      `INSERT INTO delivery_outcomes (shipment_id, courier, service, outcome, failed_attempts, transit_days,
         recorded_at, stats_keys, cod, unpaid)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (shipment_id) DO NOTHING RETURNING 1`,
      [
        o.shipmentId,
        o.courier,
        o.service,
        o.outcome,
        o.failedAttempts,
        o.transitDays,
        o.recordedAt,
        o.statsKeys,
        o.cod,
        o.unpaid,
      ],
    );
    return rows.length > 0;
  }

  /**
   * Raises the recorded failed attempts of these shipments' outcomes to the counts given, where lower
   * (locked, in the caller's transaction); the outcomes raised, with what they were recorded as.
   */
  async raiseFailedAttempts(
    raised: { shipmentId: string; failedAttempts: number }[],
  ): Promise<RaisedOutcome[]> {
    if (!raised.length) return [];
    const [rows] = await this.tx.manager.query<
      [
        {
          shipment_id: string;
          outcome: OutcomeRow['outcome'];
          was: number;
          stats_keys: string[] | null;
          cod: boolean | null;
          unpaid: boolean;
        }[],
        number,
      ]
    >(
      // The old count read FOR UPDATE: the latest committed one, which the update then changes.
      `WITH r AS (SELECT * FROM unnest($1::text[], $2::int[]) AS r(id, failed)),
       old AS (
         SELECT o.shipment_id, o.failed_attempts AS was, r.failed FROM delivery_outcomes o JOIN r ON r.id = o.shipment_id
         ORDER BY o.shipment_id FOR UPDATE OF o
       )
       UPDATE delivery_outcomes o SET failed_attempts = old.failed FROM old
       WHERE o.shipment_id = old.shipment_id AND old.was < old.failed
       RETURNING o.shipment_id, o.outcome, old.was, o.stats_keys, o.cod, o.unpaid`,
      [raised.map((r) => r.shipmentId), raised.map((r) => r.failedAttempts)],
    );
    return rows.map((r) => ({
      shipmentId: r.shipment_id,
      outcome: r.outcome,
      was: r.was,
      statsKeys: r.stats_keys,
      cod: r.cod,
      unpaid: r.unpaid,
    }));
  }

  /**
   * Records whether these shipments' COD deliveries were paid after all (`unpaid`), where it changes; the
   * outcomes changed, with the rows they are counted in (those recorded before their rows were kept are
   * left as counted). In the caller's transaction.
   */
  async markUnpaid(
    shipmentIds: string[],
    unpaid: boolean,
  ): Promise<{ statsKeys: string[]; failedAttempts: number }[]> {
    if (!shipmentIds.length) return [];
    const [rows] = await this.tx.manager.query<[{ stats_keys: string[]; failed_attempts: number }[], number]>(
      `UPDATE delivery_outcomes SET unpaid = $2
        WHERE shipment_id = ANY($1::text[]) AND outcome = 'delivered' AND cod AND unpaid <> $2
          AND stats_keys IS NOT NULL
        RETURNING stats_keys, failed_attempts`,
      [shipmentIds, unpaid],
    );
    return rows.map((r) => ({ statsKeys: r.stats_keys, failedAttempts: r.failed_attempts }));
  }

  /**
   * Adds the counts of many outcomes at once: statistics rows (outcomes, failures, first attempts and the
   * transit histogram), recipients and pickups, each table in one statement and in key order, so
   * concurrent transactions lock the shared rows (a courier's national row) in the same order, briefly.
   * A row that only corrects counts (an outcome's first attempt taken back, its cash found collected or
   * not) changes an existing row, never makes one; a new row never starts below zero, and no count goes
   * below zero.
   */
  async addIncrements(inc: StatsIncrements): Promise<void> {
    const stats = [...inc.stats.values()].sort((a, b) =>
      compareStrings(`${a.level}:${a.key}`, `${b.level}:${b.key}`),
    );
    // A row taking a first attempt back (negative) that does not exist is made with none taken back.
    const existing = 'SELECT 1 FROM delivery_stats d WHERE d.level = v.level AND d.key = v.key';
    if (stats.length)
      await this.tx.manager.query(
        `INSERT INTO delivery_stats (level, key, outcomes, failures, first_attempt, cod_outcomes, cod_failures,
           cod_first_attempt, transit_histogram)
         SELECT v.level, v.key, v.outcomes,
           CASE WHEN v.failures >= 0 OR EXISTS (${existing}) THEN v.failures ELSE 0 END,
           CASE WHEN v.first_attempt >= 0 OR EXISTS (${existing}) THEN v.first_attempt ELSE 0 END,
           v.cod_outcomes,
           CASE WHEN v.cod_failures >= 0 OR EXISTS (${existing}) THEN v.cod_failures ELSE 0 END,
           CASE WHEN v.cod_first_attempt >= 0 OR EXISTS (${existing}) THEN v.cod_first_attempt ELSE 0 END,
           ARRAY(SELECT jsonb_array_elements_text(v.histogram)::int)
         FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[],
           $9::jsonb[])
           WITH ORDINALITY AS v(level, key, outcomes, failures, first_attempt, cod_outcomes, cod_failures,
             cod_first_attempt, histogram, n)
         WHERE v.outcomes > 0 OR EXISTS (${existing})
         ORDER BY v.n
         ON CONFLICT (level, key) DO UPDATE SET outcomes = delivery_stats.outcomes + EXCLUDED.outcomes,
           failures = GREATEST(0, delivery_stats.failures + EXCLUDED.failures),
           first_attempt = GREATEST(0, delivery_stats.first_attempt + EXCLUDED.first_attempt),
           cod_outcomes = delivery_stats.cod_outcomes + EXCLUDED.cod_outcomes,
           cod_failures = GREATEST(0, delivery_stats.cod_failures + EXCLUDED.cod_failures),
           cod_first_attempt = GREATEST(0, delivery_stats.cod_first_attempt + EXCLUDED.cod_first_attempt),
           transit_histogram = ARRAY(
             SELECT h.a + h.b FROM unnest(delivery_stats.transit_histogram, EXCLUDED.transit_histogram)
               WITH ORDINALITY AS h(a, b, i) ORDER BY h.i)`,
        [
          stats.map((r) => r.level),
          stats.map((r) => r.key),
          stats.map((r) => r.outcomes),
          stats.map((r) => r.failures),
          stats.map((r) => r.firstAttempt),
          stats.map((r) => r.cod.outcomes),
          stats.map((r) => r.cod.failures),
          stats.map((r) => r.cod.firstAttempt),
          stats.map((r) => JSON.stringify(r.histogram)),
        ],
      );
    const recipients = [...inc.recipients].sort(([a], [b]) => compareStrings(a, b));
    if (recipients.length)
      await this.tx.manager.query(
        `INSERT INTO recipient_stats (phone_hash, outcomes, failures, cod_outcomes, cod_failures)
         SELECT v.phone_hash, v.outcomes, v.failures, v.cod_outcomes, v.cod_failures
         FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[])
           WITH ORDINALITY AS v(phone_hash, outcomes, failures, cod_outcomes, cod_failures, n)
         ORDER BY v.n
         ON CONFLICT (phone_hash) DO UPDATE SET outcomes = recipient_stats.outcomes + EXCLUDED.outcomes,
           failures = recipient_stats.failures + EXCLUDED.failures,
           cod_outcomes = recipient_stats.cod_outcomes + EXCLUDED.cod_outcomes,
           cod_failures = recipient_stats.cod_failures + EXCLUDED.cod_failures`,
        [
          recipients.map(([h]) => h),
          recipients.map(([, r]) => r.outcomes),
          recipients.map(([, r]) => r.failures),
          recipients.map(([, r]) => r.cod.outcomes),
          recipients.map(([, r]) => r.cod.failures),
        ],
      );
    const pickups = [...inc.pickups].sort(([a], [b]) => compareStrings(a, b));
    if (pickups.length)
      await this.tx.manager.query(
        `INSERT INTO pickup_stats (courier, attempts, failures)
         SELECT v.courier, v.attempts, v.failures
         FROM unnest($1::text[], $2::int[], $3::int[]) WITH ORDINALITY AS v(courier, attempts, failures, n)
         ORDER BY v.n
         ON CONFLICT (courier) DO UPDATE SET attempts = pickup_stats.attempts + EXCLUDED.attempts,
           failures = pickup_stats.failures + EXCLUDED.failures`,
        [pickups.map(([c]) => c), pickups.map(([, p]) => p.attempts), pickups.map(([, p]) => p.failures)],
      );
  }

  /**
   * Every requested (level, key) row in one round trip; absent keys are simply missing from the map. The
   * levels and the keys go as two lists, which the primary key's index answers whatever the table's size
   * (a join with the unnested pairs was planned as a scan of the whole table, one per quote); rows of a
   * level and a key that were not asked for together are dropped here.
   */
  async counts(keys: { level: StatsLevel; key: string }[]): Promise<Map<string, StatsCounts>> {
    if (!keys.length) return new Map();
    const wanted = new Set(keys.map((k) => `${k.level}:${k.key}`));
    const rows = await queryPrepared<{
      level: string;
      key: string;
      outcomes: number;
      failures: number;
      first_attempt: number;
      cod_outcomes: number;
      cod_failures: number;
      cod_first_attempt: number;
      transit_histogram: number[];
    }>(
      this.tx.manager,
      'stats_counts_cod',
      `SELECT level, key, outcomes, failures, first_attempt, cod_outcomes, cod_failures, cod_first_attempt,
              transit_histogram
       FROM delivery_stats WHERE level = ANY($1::text[]) AND key = ANY($2::text[])`,
      [[...new Set(keys.map((k) => k.level))], [...new Set(keys.map((k) => k.key))]],
    );
    return new Map(
      rows
        .filter((r) => wanted.has(`${r.level}:${r.key}`))
        .map((r) => [
          `${r.level}:${r.key}`,
          {
            outcomes: r.outcomes,
            failures: r.failures,
            firstAttempt: r.first_attempt,
            cod: { outcomes: r.cod_outcomes, failures: r.cod_failures, firstAttempt: r.cod_first_attempt },
            transitHistogram: r.transit_histogram,
          },
        ]),
    );
  }

  async recipient(phoneHash: string): Promise<RecipientCounts | undefined> {
    const rows = await queryPrepared<RecipientRow>(
      this.tx.manager,
      'recipient_stats_one_cod',
      `SELECT ${RECIPIENT_COLUMNS} FROM recipient_stats WHERE phone_hash = $1`,
      [phoneHash],
    );
    return rows[0] && recipientCounts(rows[0]);
  }

  /** The records of these recipients that exist, by phone hash (one read for a batch). */
  async recipients(phoneHashes: string[]): Promise<Map<string, RecipientCounts>> {
    const rows = await this.tx.manager.query<(RecipientRow & { phone_hash: string })[]>(
      `SELECT phone_hash, ${RECIPIENT_COLUMNS} FROM recipient_stats WHERE phone_hash = ANY($1::text[])`,
      [phoneHashes],
    );
    return new Map(rows.map((r) => [r.phone_hash, recipientCounts(r)]));
  }

  async pickups(): Promise<Map<string, { attempts: number; failures: number }>> {
    const rows = await queryPrepared<{ courier: string; attempts: number; failures: number }>(
      this.tx.manager,
      'pickup_stats_all',
      'SELECT courier, attempts, failures FROM pickup_stats',
      [],
    );
    return new Map(rows.map((r) => [r.courier, { attempts: r.attempts, failures: r.failures }]));
  }
}

const RECIPIENT_COLUMNS = 'outcomes, failures, cod_outcomes, cod_failures';
interface RecipientRow {
  outcomes: number;
  failures: number;
  cod_outcomes: number;
  cod_failures: number;
}
const recipientCounts = (r: RecipientRow): RecipientCounts => ({
  outcomes: r.outcomes,
  failures: r.failures,
  cod: { outcomes: r.cod_outcomes, failures: r.cod_failures },
});
