/**
 * What Kirim expects of a courier service on a lane, from its own delivery outcomes, pure. Thin data is
 * shrunk toward the level above (empirical-Bayes pseudo-outcomes): lane → the courier in the destination
 * regency (from any origin: the last mile is where COD parcels fail) → destination province → courier
 * nationally → every courier nationally → the configured prior. A recipient's own record then moves that
 * recipient's risk.
 *
 * A parcel fails only after its first attempt has not delivered it, so its chance of failing is
 * P(first attempt fails) × P(not delivered | first attempt failed), and each factor is learned on its own.
 * First attempts fail several times as often as parcels do, so the first factor tells couriers apart on a
 * few dozen parcels where the failures alone would need hundreds. The second depends mostly on the
 * recipient and on the courier's re-attempts, varies less from place to place, and is shrunk harder
 * (`shrinkageAfterFailedAttempt`). On logged outcomes of eight seeded worlds this cut the error of the
 * estimated differences between couriers by about a third against learning the failure rate alone.
 */

export const TRANSIT_BUCKETS = 31;

export interface OutcomeCounts {
  outcomes: number;
  /** Not delivered and paid (returned or lost). */
  failures: number;
  /** Delivered at the first attempt. */
  firstAttempt: number;
  /** Delivered parcels by transit days (index = days, the last bucket is "30 or more"). */
  transitHistogram: number[];
}

/** What each level's factors are learned from. */
export type LevelCounts = Pick<OutcomeCounts, 'outcomes' | 'failures' | 'firstAttempt'>;

export interface Evidence {
  lane?: OutcomeCounts;
  /** The courier's parcels to the destination regency, from every origin. */
  area?: OutcomeCounts;
  province?: OutcomeCounts;
  national?: OutcomeCounts;
  /**
   * Every courier's parcels nationally. A courier with few outcomes of its own is expected to do as the
   * couriers Kirim has seen do, not as a guess says: the guess would rank couriers for weeks on no evidence.
   */
  allCouriers?: LevelCounts;
  recipient?: { outcomes: number; failures: number };
  pickup?: { attempts: number; failures: number };
}

export interface EstimatorSettings {
  shrinkage: { lane: number; area: number; province: number; national: number; recipient: number };
  /** The level strengths are multiplied by this for P(not delivered | first attempt failed). */
  shrinkageAfterFailedAttempt: number;
  minTransitSamples: number;
}

export interface Prior {
  failureRate: number;
  /** Chance the first attempt does not deliver; at least `failureRate`. */
  firstAttemptFailureRate: number;
  pickupFailureRate: number;
}

export interface Estimate {
  /** Chance this parcel is not delivered and paid, for this recipient on this lane. */
  failureRate: number;
  /** The lane's own shrunk rate, before the recipient's record. */
  laneFailureRate: number;
  pickupFailureRate: number;
  transitDays: { p50: number; p90: number; source: 'lane' | 'area' | 'province' | 'promised' };
  observations: { lane: number; area: number; province: number; national: number; recipient: number };
}

/** (failures + strength × rate above) / (outcomes + strength). */
const shrink = (failures: number, outcomes: number, above: number, strength: number) =>
  (failures + strength * above) / (outcomes + strength);

/** The smallest number of days by which `q` of the delivered parcels had arrived. */
export function transitPercentile(histogram: number[], q: number): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let days = 0; days < histogram.length; days += 1) {
    seen += histogram[days];
    if (seen >= q * total) return days;
  }
  return histogram.length - 1;
}

const delivered = (c?: OutcomeCounts) => (c ? c.transitHistogram.reduce((a, b) => a + b, 0) : 0);

export function estimate(
  e: Evidence,
  prior: Prior,
  promised: { min: number; max: number },
  s: EstimatorSettings,
): Estimate {
  // Each level's counts: outcomes, first attempts that did not deliver, failures (a subset of those).
  const levels: [LevelCounts | undefined, number][] = [
    [e.allCouriers, s.shrinkage.national],
    [e.national, s.shrinkage.national],
    [e.province, s.shrinkage.province],
    [e.area, s.shrinkage.area],
    [e.lane, s.shrinkage.lane],
  ];
  let firstFails = prior.firstAttemptFailureRate;
  let failsAfter = Math.min(1, prior.failureRate / prior.firstAttemptFailureRate);
  for (const [counts, strength] of levels) {
    const outcomes = counts?.outcomes ?? 0;
    const firstFailed = outcomes - (counts?.firstAttempt ?? 0);
    firstFails = shrink(firstFailed, outcomes, firstFails, strength);
    failsAfter = shrink(
      counts?.failures ?? 0,
      firstFailed,
      failsAfter,
      strength * s.shrinkageAfterFailedAttempt,
    );
  }
  const lane = firstFails * failsAfter;
  const failureRate = shrink(
    e.recipient?.failures ?? 0,
    e.recipient?.outcomes ?? 0,
    lane,
    s.shrinkage.recipient,
  );
  const pickupFailureRate = shrink(
    e.pickup?.failures ?? 0,
    e.pickup?.attempts ?? 0,
    prior.pickupFailureRate,
    s.shrinkage.lane,
  );

  let transitDays: Estimate['transitDays'] = {
    p50: (promised.min + promised.max) / 2,
    p90: promised.max,
    source: 'promised',
  };
  for (const [source, counts] of [
    ['lane', e.lane],
    ['area', e.area],
    ['province', e.province],
  ] as const) {
    if (delivered(counts) >= s.minTransitSamples) {
      transitDays = {
        p50: transitPercentile(counts!.transitHistogram, 0.5),
        p90: transitPercentile(counts!.transitHistogram, 0.9),
        source,
      };
      break;
    }
  }
  return {
    failureRate,
    laneFailureRate: lane,
    pickupFailureRate,
    transitDays,
    observations: {
      lane: e.lane?.outcomes ?? 0,
      area: e.area?.outcomes ?? 0,
      province: e.province?.outcomes ?? 0,
      national: e.national?.outcomes ?? 0,
      recipient: e.recipient?.outcomes ?? 0,
    },
  };
}
