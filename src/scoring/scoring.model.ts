import type { Rupiah } from 'src/common/money';
import type { CourierCode } from 'src/couriers/courier-adapter';
import type { ServiceRefusal } from 'src/couriers/service-limits';

/**
 * The expected-cost model (DESIGN.md "Courier scoring"), pure: for each eligible courier service, the
 * expected cost in rupiah of getting one COD parcel delivered and paid —
 *   price + COD fee − cashback + P(failure) × (return fee + lost margin) + P(pickup fails) × its cost —
 * and a preset-weighted score that adds the value of transit days. Lower is better.
 */

/** `area_not_mapped`: the courier has no location code for the origin's or destination's district. */
export type IneligibleReason =
  | ServiceRefusal
  | 'route_not_served'
  | 'area_not_mapped'
  | 'circuit_open'
  | 'courier_timeout'
  | 'courier_error';

export interface PresetWeights {
  cost: number;
  failure: number;
  pickup: number;
  /** Rupiah per day of median transit. */
  dayValue: number;
  /** Rupiah per day between the median and the 90th percentile (how uncertain the courier is). */
  tailDayValue: number;
}

export interface Candidate {
  courier: CourierCode;
  service: string;
  serviceName: string;
  /** Set when the service cannot carry this shipment; it is listed, never chosen. */
  ineligibleReason?: IneligibleReason;
  price: Rupiah;
  codFee: Rupiah;
  cashback: Rupiah;
  returnFee: Rupiah;
  /** Chance the parcel is not delivered and paid (lane, shrunk, recipient-adjusted), 0..1. */
  failureRate: number;
  /** Chance the booking or pickup fails (courier's recent record), 0..1. */
  pickupFailureRate: number;
  transitDays: { p50: number; p90: number };
}

export interface ScoreContext {
  weights: PresetWeights;
  lostMarginPerFailure: Rupiah;
  pickupFailureCost: Rupiah;
}

/** Every term, in rupiah. `price + codFee + cashback + failureCost + pickupCost = expectedCost` (cashback ≤ 0). */
export interface Breakdown {
  price: Rupiah;
  codFee: Rupiah;
  cashback: Rupiah;
  failureCost: Rupiah;
  pickupCost: Rupiah;
  expectedCost: Rupiah;
  speedCost: Rupiah;
  uncertaintyCost: Rupiah;
  /** The preset's weighting of the terms above; they add up to the score. */
  weighted: { cost: Rupiah; failure: Rupiah; pickup: Rupiah; speed: Rupiah; uncertainty: Rupiah };
  score: Rupiah;
}

export interface ScoredOption extends Candidate {
  eligible: boolean;
  successRate: number;
  expectedCost: Rupiah;
  score: Rupiah;
  /** 1 for the best eligible option; null for ineligible ones. */
  rank: number | null;
  breakdown: Breakdown;
}

export interface Ranking {
  options: ScoredOption[];
  winner: ScoredOption | null;
  runnerUp: ScoredOption | null;
}

export function scoreCandidate(c: Candidate, ctx: ScoreContext): ScoredOption {
  const w = ctx.weights;
  const cashback = -c.cashback;
  const failureCost = Math.round(c.failureRate * (c.returnFee + ctx.lostMarginPerFailure));
  const pickupCost = Math.round(c.pickupFailureRate * ctx.pickupFailureCost);
  const expectedCost = c.price + c.codFee + cashback + failureCost + pickupCost;
  const speedCost = Math.round(c.transitDays.p50 * w.dayValue);
  const uncertaintyCost = Math.round(Math.max(0, c.transitDays.p90 - c.transitDays.p50) * w.tailDayValue);
  const weighted = {
    cost: Math.round(w.cost * (c.price + c.codFee + cashback)),
    failure: Math.round(w.failure * failureCost),
    pickup: Math.round(w.pickup * pickupCost),
    speed: speedCost,
    uncertainty: uncertaintyCost,
  };
  const score = weighted.cost + weighted.failure + weighted.pickup + weighted.speed + weighted.uncertainty;
  // An explicit literal, not `...c`: object spread made ranking ten times slower (one shape, no copying loop).
  return {
    courier: c.courier,
    service: c.service,
    serviceName: c.serviceName,
    ineligibleReason: c.ineligibleReason,
    price: c.price,
    codFee: c.codFee,
    cashback: c.cashback,
    returnFee: c.returnFee,
    failureRate: c.failureRate,
    pickupFailureRate: c.pickupFailureRate,
    transitDays: c.transitDays,
    eligible: !c.ineligibleReason,
    successRate: 1 - c.failureRate,
    expectedCost,
    score,
    rank: null,
    breakdown: {
      price: c.price,
      codFee: c.codFee,
      cashback,
      failureCost,
      pickupCost,
      expectedCost,
      speedCost,
      uncertaintyCost,
      weighted,
      score,
    },
  };
}

/** Best first: lower score, then lower expected cost, then courier and service code (so ties are stable). */
function better(a: ScoredOption, b: ScoredOption): number {
  return (
    a.score - b.score ||
    a.expectedCost - b.expectedCost ||
    (a.courier < b.courier ? -1 : a.courier > b.courier ? 1 : 0) ||
    (a.service < b.service ? -1 : a.service > b.service ? 1 : 0)
  );
}

const byName = (a: ScoredOption, b: ScoredOption) => (a.courier + a.service < b.courier + b.service ? -1 : 1);

/** Scores every candidate and ranks the eligible ones; ineligible ones follow, unranked, with their reason. */
export function rankCandidates(candidates: Candidate[], ctx: ScoreContext): Ranking {
  const eligible: ScoredOption[] = [];
  const ineligible: ScoredOption[] = [];
  for (const c of candidates) {
    const scored = scoreCandidate(c, ctx);
    (scored.eligible ? eligible : ineligible).push(scored);
  }
  eligible.sort(better);
  for (let i = 0; i < eligible.length; i += 1) eligible[i].rank = i + 1;
  ineligible.sort(byName);
  return { options: eligible.concat(ineligible), winner: eligible[0] ?? null, runnerUp: eligible[1] ?? null };
}
