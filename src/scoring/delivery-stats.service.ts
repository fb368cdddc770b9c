import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { createHmac } from 'node:crypto';
import { Clock } from 'src/common/clock';
import { resolvePhoneHashSalt } from 'src/common/jwt-secret';
import { COURIER_CODES, type CourierCode } from 'src/couriers/courier-adapter';
import { DEFERRED_ORDER, Transactions } from 'src/database/transaction';
import { TtlCache } from 'src/common/ttl-cache';
import { Estimate, estimate, OutcomeCounts, TRANSIT_BUCKETS } from './delivery-estimator';
import {
  DeliveryStatsRepository,
  RecipientCounts,
  StatsCounts,
  StatsIncrements,
  StatsLevel,
} from './delivery-stats.repository';
import { regencyOf } from 'src/areas/areas.service';

export interface LanePlace {
  city: string;
  province: string;
  /** The area directory's district ("32.73.01"); absent or null for places typed before the directory. */
  districtCode?: string | null;
}

export interface DeliveryOutcome {
  /** The business event's key: a shipment's outcome counts once, however often it is reported. */
  shipmentId: string;
  courier: CourierCode;
  service: string;
  origin: LanePlace;
  destination: LanePlace;
  /** E.164; only its salted hash is kept. */
  recipientPhone: string;
  /** Cash on delivery: learned apart from prepaid parcels (a buyer may refuse to pay at the door). */
  cod: boolean;
  /**
   * A delivered COD parcel: whether its courier took the cash. One delivered without it is learned as a
   * failure (not delivered and paid); the recipient's record counts it delivered (it was).
   */
  paid?: boolean;
  outcome: 'delivered' | 'returned' | 'lost';
  /** Failed delivery attempts before the outcome. */
  failedAttempts: number;
  /** Days from pickup to delivery (delivered parcels). */
  transitDays?: number;
}

export interface ServiceToEstimate {
  courier: CourierCode;
  service: string;
  /** The courier's promised transit days, used until there are enough observations. */
  promised: { min: number; max: number };
}

/** Phone hashes kept in memory (about 150 bytes each); past that the memo starts afresh. */
const PHONE_HASHES_KEPT = 50_000;

const norm = (text: string) => text.trim().replace(/\s+/g, ' ').toUpperCase();

/** Every courier's national statistics row: together, the level a courier with few outcomes is pulled toward. */
const EVERY_COURIER = COURIER_CODES.map((c) => ({ level: 'national' as const, key: c }));

/**
 * The statistics rows a parcel counts in: its lane, the courier in the destination regency (from any
 * origin; places with a district code), the destination province and the courier nationally. The lane is
 * origin regency → destination regency by their codes,
 * so however a city was typed ("Bandung", "Kota Bandung") one lane learns. Places without a district code
 * (rows typed before the area directory) fall back to the old name key; rows already counted under names
 * are left as they are and age out of relevance as new outcomes arrive under codes (names cannot be turned
 * back into codes reliably, and a wrong merge would teach the scoring a lane that does not exist).
 */
export function keysFor(
  courier: string,
  service: string,
  origin: LanePlace,
  destination: LanePlace,
): { level: StatsLevel; key: string }[] {
  const lane =
    origin.districtCode && destination.districtCode
      ? [courier, service, `R${regencyOf(origin.districtCode)}`, `R${regencyOf(destination.districtCode)}`]
      : [courier, service, origin.province, norm(origin.city), destination.province, norm(destination.city)];
  return [
    { level: 'lane', key: lane.join('|') },
    ...(destination.districtCode
      ? [{ level: 'area' as const, key: `${courier}|R${regencyOf(destination.districtCode)}` }]
      : []),
    { level: 'province', key: `${courier}|${destination.province}` },
    { level: 'national', key: courier },
  ];
}

/** The counts the transaction adds to one statistics row, made on first use. */
function statsRow(inc: StatsIncrements, level: StatsLevel, key: string) {
  const id = `${level}:${key}`;
  let row = inc.stats.get(id);
  if (!row) {
    row = {
      level,
      key,
      outcomes: 0,
      failures: 0,
      firstAttempt: 0,
      cod: { outcomes: 0, failures: 0, firstAttempt: 0 },
      histogram: new Array<number>(TRANSIT_BUCKETS).fill(0),
    };
    inc.stats.set(id, row);
  }
  return row;
}

/**
 * Kirim's record of how couriers actually deliver: the one entry point that records a finished
 * parcel, and the estimates courier scoring reads (lane success rate shrunk toward province and national
 * rates, transit-day percentiles, recipient history, pickup reliability).
 */
@Injectable()
export class DeliveryStatsService {
  private readonly salt: string;
  /** Phone → its hash (the salt never changes): each poll's risk rules ask for every parcel's. */
  private readonly phoneHashes = new Map<string, string>();
  /** Quotes read these on every call; outcomes arrive one parcel at a time, so a few seconds' lag is fine. */
  private readonly countsCache: TtlCache<string, StatsCounts | null>;
  private readonly recipientsCache: TtlCache<string, RecipientCounts | null>;
  private readonly pickupsCache: TtlCache<'all', Map<string, { attempts: number; failures: number }>>;

  /** Moves whenever this instance records something, so rankings made from older figures are not reused. */
  generation = 0;
  /**
   * On a stepped sandbox clock, what a moment reads stays as it was first read until the clock moves (the
   * caches expire on the service clock; a write does not drop them): bookings made in parallel then see the
   * same figures whatever order they finish in, and a simulation replays alike.
   */
  private readonly dropOnWrite: boolean;

  constructor(
    private readonly repository: DeliveryStatsRepository,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.salt = resolvePhoneHashSalt(config);
    const ttl = config.business.caches.statistics * 1000;
    const stepped = config.couriers.sandboxClock === 'stepped';
    const now = stepped ? () => this.clock.now().getTime() : undefined;
    this.countsCache = new TtlCache(ttl, 100_000, now);
    this.recipientsCache = new TtlCache(ttl, 100_000, now);
    this.pickupsCache = new TtlCache(ttl, 1, now);
    this.dropOnWrite = !stepped;
  }

  /** Recipients are known only by this salted hash of their phone number. */
  phoneHash(phone: string): string {
    let hash = this.phoneHashes.get(phone);
    if (hash === undefined) {
      if (this.phoneHashes.size >= PHONE_HASHES_KEPT) this.phoneHashes.clear();
      hash = createHmac('sha256', this.salt).update(phone).digest('hex');
      this.phoneHashes.set(phone, hash);
    }
    return hash;
  }

  /**
   * Records a settled parcel (delivered, or returning, returned or lost: not delivered) into the lane,
   * area, province, national and recipient statistics, in one transaction. Idempotent by shipment id: a
   * repeat adds nothing.
   * @returns false when this shipment's outcome was already recorded.
   */
  async recordOutcome(o: DeliveryOutcome): Promise<boolean> {
    const keys = keysFor(o.courier, o.service, o.origin, o.destination);
    const phoneHash = this.phoneHash(o.recipientPhone);
    const unpaid = o.outcome === 'delivered' && o.cod && o.paid === false;
    const recorded = await this.tx.run(async () => {
      const first = await this.repository.insertOutcome({
        shipmentId: o.shipmentId,
        courier: o.courier,
        service: o.service,
        outcome: o.outcome,
        failedAttempts: o.failedAttempts,
        transitDays: o.transitDays ?? null,
        recordedAt: this.clock.now(),
        statsKeys: keys.map((k) => `${k.level}:${k.key}`),
        cod: o.cod,
        unpaid,
      });
      if (!first) return false;
      const undelivered = o.outcome !== 'delivered';
      const failed = undelivered || unpaid;
      const bucket =
        !undelivered && o.transitDays !== undefined
          ? Math.min(TRANSIT_BUCKETS - 1, Math.max(0, Math.round(o.transitDays)))
          : null;
      const inc = this.increments();
      for (const { level, key } of keys) {
        const row = statsRow(inc, level, key);
        for (const counts of o.cod ? [row, row.cod] : [row]) {
          counts.outcomes += 1;
          if (failed) counts.failures += 1;
          if (!failed && o.failedAttempts === 0) counts.firstAttempt += 1;
        }
        if (bucket !== null) row.histogram[bucket] += 1;
      }
      const recipient = inc.recipients.get(phoneHash) ?? {
        outcomes: 0,
        failures: 0,
        cod: { outcomes: 0, failures: 0 },
      };
      for (const counts of o.cod ? [recipient, recipient.cod] : [recipient]) {
        counts.outcomes += 1;
        if (undelivered) counts.failures += 1;
      }
      inc.recipients.set(phoneHash, recipient);
      return true;
    });
    if (this.dropOnWrite) {
      for (const k of keys) this.countsCache.delete(`${k.level}:${k.key}`);
      this.recipientsCache.delete(phoneHash);
    }
    this.generation += 1;
    return recorded;
  }

  /**
   * Corrects recorded outcomes to the failed attempts their shipments now show: a failed attempt the
   * courier reports after the delivery (a push that arrived late, a poll after it) means the delivery was
   * not at the first attempt, and the rows it was counted in take that back. Inside the caller's
   * transaction, with the shipments locked.
   */
  async correctFailedAttempts(shipments: { shipmentId: string; failedAttempts: number }[]): Promise<void> {
    const corrected = await this.tx.run(async () => {
      const raised = await this.repository.raiseFailedAttempts(shipments);
      // A delivery without its cash was counted a failure, never a first-attempt delivery: nothing to take back.
      const takenBack = raised.filter(
        (r) => r.outcome === 'delivered' && !r.unpaid && r.was === 0 && r.statsKeys,
      );
      if (!takenBack.length) return [];
      const inc = this.increments();
      for (const r of takenBack)
        for (const id of r.statsKeys!) {
          const at = id.indexOf(':');
          const row = statsRow(inc, id.slice(0, at) as StatsLevel, id.slice(at + 1));
          row.firstAttempt -= 1;
          // Null: recorded by an instance still on the former code during the migration, counted as prepaid.
          if (r.cod === true) row.cod.firstAttempt -= 1;
        }
      return takenBack.flatMap((r) => r.statsKeys!);
    });
    if (!corrected.length) return;
    if (this.dropOnWrite) for (const id of corrected) this.countsCache.delete(id);
    this.generation += 1;
  }

  /**
   * Corrects recorded COD deliveries to whether their cash was collected after all (`paid`): one whose
   * cash was found never collected becomes a failure in the rows it was counted in, one whose cash came
   * after all a success again (a first-attempt delivery counted as such again). Inside the caller's
   * transaction, the shipments locked. The rows are written just before it commits, with its other counts;
   * `now`: at once, for a transaction that locks ledger accounts next (the tracker's order is statistics
   * before the ledger: written at its commit, after the ledger, the two would wait on each other).
   */
  async correctPaid(shipmentIds: string[], paid: boolean, { now = false } = {}): Promise<void> {
    const changed = await this.tx.run(async () => {
      const rows = await this.repository.markUnpaid(shipmentIds, !paid);
      if (!rows.length) return [];
      const inc: StatsIncrements = now
        ? { stats: new Map(), recipients: new Map(), pickups: new Map() }
        : this.increments();
      const delta = paid ? -1 : 1;
      for (const r of rows)
        for (const id of r.statsKeys) {
          const at = id.indexOf(':');
          const row = statsRow(inc, id.slice(0, at) as StatsLevel, id.slice(at + 1));
          for (const counts of [row, row.cod]) {
            counts.failures += delta;
            if (r.failedAttempts === 0) counts.firstAttempt -= delta;
          }
        }
      if (now) await this.repository.addIncrements(inc);
      return rows.flatMap((r) => r.statsKeys);
    });
    if (!changed.length) return;
    if (this.dropOnWrite) for (const id of changed) this.countsCache.delete(id);
    this.generation += 1;
  }

  /** Records whether a booking or pickup with the courier succeeded (pickup reliability). */
  async recordPickupOutcome(courier: CourierCode, failed: boolean): Promise<void> {
    await this.tx.run(() => {
      const inc = this.increments();
      const counts = inc.pickups.get(courier) ?? { attempts: 0, failures: 0 };
      counts.attempts += 1;
      if (failed) counts.failures += 1;
      inc.pickups.set(courier, counts);
      return Promise.resolve();
    });
    if (this.dropOnWrite) this.pickupsCache.clear();
    this.generation += 1;
  }

  /**
   * The counts the open transaction adds to the statistics, written once just before it commits: a
   * batch of shipments ending in one transaction locks each shared row (a courier's national figures)
   * once and briefly, in the same order as every other transaction.
   */
  private increments(): StatsIncrements {
    const inc = this.tx.deferred<StatsIncrements>(
      this,
      () => ({ stats: new Map(), recipients: new Map(), pickups: new Map() }),
      (state) => this.repository.addIncrements(state),
      DEFERRED_ORDER.statistics,
    );
    if (!inc) throw new Error('statistics are only counted inside a transaction');
    return inc;
  }

  /**
   * A recipient's record (delivered or not) across every seller, by the salted hash of the phone: of its
   * COD parcels for a COD parcel, of its prepaid ones otherwise.
   */
  async recipientRecord(phone: string, cod: boolean): Promise<{ outcomes: number; failures: number } | null> {
    const record = await this.recipientByHash(this.phoneHash(phone));
    return record && recipientFor(record, cod);
  }

  /**
   * Reads the records of these recipients that are not cached, in one query, so the lookups that follow
   * (the tracker's risk rules for a batch of shipments) are answered from the cache.
   */
  async prefetchRecipients(phones: string[]): Promise<void> {
    const missing = [...new Set(phones.map((p) => this.phoneHash(p)))].filter(
      (h) => this.recipientsCache.get(h) === undefined,
    );
    if (!missing.length) return;
    const found = await this.repository.recipients(missing);
    for (const h of missing) this.recipientsCache.set(h, found.get(h) ?? null);
  }

  /**
   * Reads the statistics rows of these parcels' lanes (and every courier's national row) that are not
   * cached, in one query, so the estimates that follow for each parcel (the tracker's risk rules for a
   * batch) are answered from the cache instead of a read per parcel.
   */
  async prefetchLanes(
    parcels: { courier: string; service: string; origin: LanePlace; destination: LanePlace }[],
  ): Promise<void> {
    if (!parcels.length) return;
    await this.counts([
      ...parcels.flatMap((p) => keysFor(p.courier, p.service, p.origin, p.destination)),
      ...EVERY_COURIER,
    ]);
  }

  /** From the cache where fresh; a recipient with no record is cached as such (most have none). */
  private async recipientByHash(phoneHash: string): Promise<RecipientCounts | null> {
    const hit = this.recipientsCache.get(phoneHash);
    if (hit !== undefined) return hit;
    return this.recipientsCache.set(phoneHash, (await this.repository.recipient(phoneHash)) ?? null);
  }

  /**
   * Estimates for each candidate service of one shipment, from one read of the statistics: its chances from
   * the outcomes of parcels paid as it is (COD or prepaid), its transit days from every parcel's.
   */
  async estimates(
    shipment: { origin: LanePlace; destination: LanePlace; recipientPhone?: string; cod: boolean },
    services: ServiceToEstimate[],
  ): Promise<Estimate[]> {
    const keyed = services.map((s) => keysFor(s.courier, s.service, shipment.origin, shipment.destination));
    const phoneHash = shipment.recipientPhone ? this.phoneHash(shipment.recipientPhone) : undefined;
    const [counts, recipient, pickups] = await this.tx.all([
      () => this.counts([...keyed.flat(), ...EVERY_COURIER]),
      () => (phoneHash ? this.recipientByHash(phoneHash) : Promise.resolve(null)),
      () => this.pickupsCache.getOr('all', () => this.repository.pickups()),
    ] as const);
    const scoring = this.config.business.scoring;
    const allCouriers = { outcomes: 0, failures: 0, firstAttempt: 0 };
    const paid = (row: StatsCounts | undefined) => row && countsFor(row, shipment.cod);
    for (const k of EVERY_COURIER) {
      const c = paid(counts.get(`${k.level}:${k.key}`));
      allCouriers.outcomes += c?.outcomes ?? 0;
      allCouriers.failures += c?.failures ?? 0;
      allCouriers.firstAttempt += c?.firstAttempt ?? 0;
    }
    return services.map((s, i) => {
      const at = (level: StatsLevel) => {
        const k = keyed[i].find((x) => x.level === level);
        return k && paid(counts.get(`${k.level}:${k.key}`));
      };
      return estimate(
        {
          lane: at('lane'),
          area: at('area'),
          province: at('province'),
          national: at('national'),
          allCouriers,
          recipient: recipient ? recipientFor(recipient, shipment.cod) : undefined,
          pickup: pickups.get(s.courier),
        },
        scoring.priors[s.courier],
        s.promised,
        scoring,
      );
    });
  }

  /** Statistics rows by `level:key`, from the cache where fresh (a known absence is cached too). */
  private async counts(keys: { level: StatsLevel; key: string }[]): Promise<Map<string, StatsCounts>> {
    const result = new Map<string, StatsCounts>();
    const missing: { level: StatsLevel; key: string }[] = [];
    for (const k of keys) {
      const id = `${k.level}:${k.key}`;
      const hit = this.countsCache.get(id);
      if (hit === undefined) missing.push(k);
      else if (hit) result.set(id, hit);
    }
    if (missing.length) {
      const loaded = await this.repository.counts(missing);
      for (const k of missing) {
        const id = `${k.level}:${k.key}`;
        const row = loaded.get(id) ?? null;
        this.countsCache.set(id, row);
        if (row) result.set(id, row);
      }
    }
    return result;
  }
}

/** A statistics row's counts of parcels paid one way, with the transit days every parcel shares. */
function countsFor(row: StatsCounts, cod: boolean): OutcomeCounts {
  const of = cod
    ? row.cod
    : {
        outcomes: row.outcomes - row.cod.outcomes,
        failures: row.failures - row.cod.failures,
        firstAttempt: row.firstAttempt - row.cod.firstAttempt,
      };
  // Never below zero: a first attempt taken back from a row that had none is floored per column.
  return {
    outcomes: Math.max(0, of.outcomes),
    failures: Math.max(0, Math.min(of.failures, of.outcomes)),
    firstAttempt: Math.max(0, Math.min(of.firstAttempt, of.outcomes)),
    transitHistogram: row.transitHistogram,
  };
}

function recipientFor(r: RecipientCounts, cod: boolean): { outcomes: number; failures: number } {
  if (cod) return { outcomes: r.cod.outcomes, failures: r.cod.failures };
  const outcomes = Math.max(0, r.outcomes - r.cod.outcomes);
  return { outcomes, failures: Math.max(0, Math.min(outcomes, r.failures - r.cod.failures)) };
}
