import { createHash } from 'node:crypto';
import { defaults } from 'config/defaults';
import type {
  CourierCode,
  CourierReason,
  CourierServiceInfo,
  CourierStatus,
  ParcelActionKind,
} from '../courier-adapter';
import { regionOf, zoneOf } from '../zones';
import {
  attemptOdds,
  drawTransitDays,
  laneTruth,
  LaneTruth,
  provinceCode,
  recipientTruth,
  RecipientTruth,
  WorldFile,
} from './world-model';

/**
 * The simulated courier world behind the sandboxes: pure and deterministic. Same seed and inputs,
 * same prices and the same journey for every parcel. Prices come from the sandbox defaults; what happens to
 * a parcel comes from the world file's model (world-model.ts), per real regency and recipient.
 */
export type WorldSettings = typeof defaults.sandbox & { world: WorldFile };

/** Who serves what: coverage gaps and COD restrictions of the simulated couriers. */
export function coverage(
  courier: CourierCode,
  service: string,
  originProvince: string,
  destinationProvince: string,
): { served: boolean; cod: boolean } {
  const from = regionOf(originProvince);
  const to = regionOf(destinationProvince);
  const zone = zoneOf(originProvince, destinationProvince);
  const far = from === 'maluku_papua' || to === 'maluku_papua';
  switch (courier) {
    case 'sap':
      if (far) return { served: false, cod: false };
      if (service === 'UDRONS' && zone > 2) return { served: false, cod: false };
      return { served: true, cod: service !== 'DRGREG' };
    case 'idexpress':
      if (service === '06' && !['java', 'sumatra'].includes(to)) return { served: false, cod: false };
      return { served: true, cod: service !== '06' && !far };
    case 'jne':
      if (service === 'YES' && zone > 2) return { served: false, cod: false };
      return { served: true, cod: service !== 'YES' };
    case 'ninja':
      if (destinationProvince === 'Maluku Utara') return { served: false, cod: false };
      return { served: true, cod: !far };
    case 'jnt':
      if (destinationProvince === 'Papua Pegunungan') return { served: false, cod: false };
      return { served: true, cod: true };
  }
}

/** Price of one shipment in rupiah, rounded up to 500. */
export function tariff(
  settings: WorldSettings,
  courier: CourierCode,
  service: string,
  zone: number,
  weightGrams: number,
): number {
  const kg = Math.max(1, Math.ceil(weightGrams / 1000));
  const base = settings.tariff.firstKg[zone] + settings.tariff.nextKg[zone] * (kg - 1);
  const level = settings.priceLevel[courier] * (settings.serviceMultiplier[service] ?? 1);
  return Math.ceil((base * level) / 500) * 500;
}

export function etaDays(
  settings: WorldSettings,
  service: Pick<CourierServiceInfo, 'slaDays'>,
  zone: number,
): { min: number; max: number } {
  const extra = settings.zoneExtraDays[zone];
  return { min: service.slaDays.min + extra, max: service.slaDays.max + extra };
}

/** A deterministic random stream (mulberry32) seeded by any string. */
export function randomStream(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32BE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One thing that happens to a parcel, in the world's own (normalized) terms. */
export interface PlanStep {
  at: string;
  status: CourierStatus;
  reason?: CourierReason;
  /** City of the hub or branch where it happened. */
  location: string;
  attempt?: number;
  codCollected?: boolean;
  returnLeg?: boolean;
}

export interface JourneyInput {
  seed: string;
  courier: CourierCode;
  awb: string;
  service: CourierServiceInfo;
  originCity: string;
  originProvince: string;
  destinationCity: string;
  destinationProvince: string;
  /** Kemendagri regency codes of the places; absent (unknown place): the province's behaviour. */
  originRegency?: string;
  destinationRegency?: string;
  /** The recipient's phone: the same buyer behaves the same on every parcel. */
  recipientPhone?: string;
  codAmount: number;
  pickup: boolean;
  createdAt: Date;
  /** Names the parcel's random draws (SANDBOX_DRAWS); absent: its own, `<courier>:<awb>`. */
  draws?: string;
}

/** A parcel's random stream, named by the world's seed and its draws: all its journey's and actions' draws. */
const streamOf = (p: { seed: string; courier: CourierCode; awb: string; draws?: string }): string =>
  `${p.seed}:${p.draws ?? `${p.courier}:${p.awb}`}`;

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const FAILURE_REASONS: [CourierReason, number][] = [
  ['consignee_absent', 0.3],
  ['consignee_unreachable', 0.25],
  ['address_problem', 0.15],
  ['consignee_refused', 0.15],
  ['consignee_refused_no_money', 0.1],
  ['consignee_refused_did_not_order', 0.05],
];

const REFUSALS: [CourierReason, number][] = [
  ['consignee_refused', 0.5],
  ['consignee_refused_no_money', 0.3],
  ['consignee_refused_did_not_order', 0.2],
];
/** Why attempts to a hard-to-reach recipient fail: mostly nobody answering. */
const UNREACHABLE: [CourierReason, number][] = [
  ['consignee_unreachable', 0.6],
  ['consignee_absent', 0.4],
];

/** A place's code for the world model: its regency when known, else its province's. */
const placeCode = (regency: string | undefined, province: string) => regency ?? provinceCode(province) ?? '';

/** The hidden truth of the parcel's lane and recipient (world-model.ts: the oracle computes the same). */
export function parcelTruth(
  settings: WorldSettings,
  p: ParcelContext,
): { lane: LaneTruth; recipient: RecipientTruth } {
  return {
    lane: laneTruth(
      settings.world,
      p.seed,
      p.courier,
      p.service.code,
      placeCode(p.originRegency, p.originProvince),
      placeCode(p.destinationRegency, p.destinationProvince),
    ),
    recipient: recipientTruth(settings.world, p.seed, p.recipientPhone),
  };
}

/**
 * How delivery attempt `attempt` ends, drawn from the parcel's stream: the recipient's refusal first (only
 * drawn for a COD parcel to a refuser, so everyone else's stream is as it was), then the attempt's odds.
 */
function attemptResult(
  settings: WorldSettings,
  truth: { lane: LaneTruth; recipient: RecipientTruth },
  p: Pick<ParcelContext, 'codAmount'>,
  rng: () => number,
  attempt: number,
  confirmed: boolean,
): { delivered: true } | { delivered: false; reason: CourierReason } {
  const odds = attemptOdds(settings.world, truth.lane, truth.recipient, attempt, confirmed, p.codAmount > 0);
  if (odds.refused > 0 && rng() < odds.refused) return { delivered: false, reason: pick(rng, REFUSALS) };
  if (rng() < odds.delivers) return { delivered: true };
  return { delivered: false, reason: pick(rng, truth.recipient.hardToReach ? UNREACHABLE : FAILURE_REASONS) };
}

/**
 * Each delivery attempt's outcome has its own stream, so with SANDBOX_DRAWS=per_order the same order meets
 * the same dice at attempt n whichever courier carries it, however many draws its transit took: a better
 * lane then delivers whenever a worse one would (common random numbers across couriers).
 */
const attemptDraws = (stream: string, attempt: number) => randomStream(`${stream}:attempt:${attempt}`);

const pick = <T>(rng: () => number, weighted: [T, number][]): T => {
  let r = rng() * weighted.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of weighted) if ((r -= w) < 0) return v;
  return weighted[weighted.length - 1][0];
};
const between = (rng: () => number, min: number, max: number) => min + rng() * (max - min);
/** 08:00 WIB (01:00 UTC) of the day `at` falls on, in Jakarta. */
const morningOf = (at: number) => Math.floor((at + 7 * HOUR) / DAY) * DAY + HOUR;

/** The whole journey of a new parcel, decided at creation from the seed and its airway bill. */
export function planJourney(settings: WorldSettings, p: JourneyInput): PlanStep[] {
  const rng = randomStream(streamOf(p));
  const zone = zoneOf(p.originProvince, p.destinationProvince);
  const truth = parcelTruth(settings, p);
  const steps: PlanStep[] = [];
  const add = (at: number, status: CourierStatus, location: string, extra: Partial<PlanStep> = {}) =>
    steps.push({ at: new Date(Math.round(at)).toISOString(), status, location, ...extra });

  let t = p.createdAt.getTime();
  add(t, p.pickup ? 'pickup_requested' : 'created', p.originCity);
  if (p.pickup) {
    // Its own stream, so a missed pickup leaves every other parcel's journey as it was.
    const pickupRng = randomStream(`${streamOf(p)}:pickup`);
    if (pickupRng() < truth.lane.pickupMiss) {
      add(t + between(pickupRng, 4, 20) * HOUR, 'exception', p.originCity, { reason: 'pickup_failed' });
      if (pickupRng() < settings.courierCancelsMissedPickup)
        add(t + between(pickupRng, 26, 40) * HOUR, 'cancelled', p.originCity);
      return steps;
    }
  }
  t += between(rng, p.pickup ? 2 : 1, p.pickup ? 20 : 6) * HOUR;
  const pickedUp = t;
  add(t, 'picked_up', p.originCity);
  add((t += between(rng, 2, 6) * HOUR), 'in_transit', p.originCity);
  const days = drawTransitDays(settings.world, truth.lane.transit, randomStream(`${streamOf(p)}:transit`));
  const arrival = morningOf(pickedUp + days * DAY);
  if (zone >= 2)
    add((pickedUp + arrival) / 2, 'in_transit', `HUB ${regionOf(p.destinationProvince).toUpperCase()}`);
  add(Math.max(t + HOUR, arrival - between(rng, 8, 14) * HOUR), 'in_transit', p.destinationCity);

  let day = arrival;
  for (let attempt = 1; attempt <= truth.lane.maxAttempts; attempt += 1) {
    const out = day + between(rng, 0, 2) * HOUR;
    add(out, 'out_for_delivery', p.destinationCity, { attempt });
    const result = out + between(rng, 1, 7) * HOUR;
    const ended = attemptResult(settings, truth, p, attemptDraws(streamOf(p), attempt), attempt, false);
    if (ended.delivered) {
      add(result, 'delivered', p.destinationCity, { attempt, codCollected: p.codAmount > 0 });
      return steps;
    }
    add(result, 'delivery_failed', p.destinationCity, { attempt, reason: ended.reason });
    day = morningOf(result + DAY);
  }
  add(day + between(rng, 1, 4) * HOUR, 'returning_to_sender', p.destinationCity, {
    reason: 'rts_initiated',
    returnLeg: true,
  });
  add(morningOf(day + days * DAY) + between(rng, 2, 8) * HOUR, 'returned', p.originCity, { returnLeg: true });
  return steps;
}

export const SCRIPTS = [
  'happy',
  'failed_then_delivered',
  'refused_rts',
  'stuck',
  'pickup_missed',
  'courier_cancelled',
] as const;
export type Script = (typeof SCRIPTS)[number];
/** Scripts about the pickup itself: they only make sense before the parcel is handed over. */
export const PICKUP_SCRIPTS: ReadonlySet<Script> = new Set(['pickup_missed', 'courier_cancelled']);

const FORWARD: CourierStatus[] = ['picked_up', 'in_transit', 'out_for_delivery'];

/**
 * A scripted rest-of-journey from `now`, two hours a step, replacing the planned future. Steps the
 * parcel already passed are not repeated.
 */
export function scriptSteps(
  script: Script,
  now: Date,
  passed: CourierStatus[],
  places: { origin: string; destination: string },
  codAmount: number,
): PlanStep[] {
  const steps: PlanStep[] = [];
  let t = now.getTime();
  const add = (status: CourierStatus, location: string, extra: Partial<PlanStep> = {}) => {
    steps.push({ at: new Date(t).toISOString(), status, location, ...extra });
    t += 2 * HOUR;
  };
  if (script === 'pickup_missed') {
    add('exception', places.origin, { reason: 'pickup_failed' });
    return steps;
  }
  if (script === 'courier_cancelled') {
    add('cancelled', places.origin);
    return steps;
  }
  const reached = new Set(passed);
  for (const s of FORWARD) {
    if (script === 'stuck' && s === 'out_for_delivery') break;
    if (!reached.has(s))
      add(
        s,
        s === 'picked_up' ? places.origin : places.destination,
        s === 'out_for_delivery' ? { attempt: 1 } : {},
      );
  }
  if (script === 'happy') add('delivered', places.destination, { attempt: 1, codCollected: codAmount > 0 });
  if (script === 'failed_then_delivered') {
    add('delivery_failed', places.destination, { attempt: 1, reason: 'consignee_absent' });
    add('out_for_delivery', places.destination, { attempt: 2 });
    add('delivered', places.destination, { attempt: 2, codCollected: codAmount > 0 });
  }
  if (script === 'refused_rts') {
    add('delivery_failed', places.destination, { attempt: 1, reason: 'consignee_refused' });
    add('returning_to_sender', places.destination, { reason: 'rts_initiated', returnLeg: true });
    add('returned', places.origin, { returnLeg: true });
  }
  return steps;
}

/** The steps that have happened by `now`. */
export function stepsBy(plan: PlanStep[], now: Date): PlanStep[] {
  const limit = now.toISOString();
  return plan.filter((s) => s.at <= limit);
}

/** Whether a parcel has been physically handed over (after which it can no longer be cancelled). */
export function isPickedUp(steps: PlanStep[]): boolean {
  return steps.some(
    (s) => !['created', 'pickup_requested', 'cancelled'].includes(s.status) && s.reason !== 'pickup_failed',
  );
}

/** A seller action the simulated courier took, as its sandbox keeps it. */
export interface ActionRecord {
  kind: ParcelActionKind;
  at: string;
  /** The courier's ticket number for it. */
  reference: string;
  confirmedWithBuyer?: boolean;
  note?: string;
  /** The fields as the courier received them, in its own names (the new address of an update_address). */
  request?: Record<string, unknown>;
}

/** Where a parcel stands, for deciding what may be asked of it. */
export type ParcelStage =
  | 'before_pickup'
  | 'picked_up'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivery_failed'
  | 'delivered'
  | 'returning'
  | 'returned'
  | 'cancelled';

/** Why the courier will not take an action now; each sandbox words it its courier's way. */
export type ActionRefusal =
  | Extract<ParcelStage, 'before_pickup' | 'delivered' | 'returning' | 'returned' | 'cancelled'>
  | 'no_failed_attempt';

const IN_CUSTODY: CourierStatus[] = ['picked_up', 'in_transit', 'out_for_delivery', 'delivery_failed'];

/** The stage of a parcel after the steps that have happened. */
export function parcelStage(done: PlanStep[]): ParcelStage {
  const seen = new Set(done.map((s) => s.status));
  if (seen.has('cancelled')) return 'cancelled';
  if (seen.has('returned')) return 'returned';
  if (seen.has('returning_to_sender')) return 'returning';
  if (seen.has('delivered')) return 'delivered';
  if (!isPickedUp(done)) return 'before_pickup';
  const last = [...done].reverse().find((s) => IN_CUSTODY.includes(s.status));
  return (last?.status ?? 'picked_up') as ParcelStage;
}

/** Held at the destination hub: the latest hold is not yet followed by a re-attempt or a return. */
export function isHeld(actions: ActionRecord[]): boolean {
  const last = [...actions].reverse().find((a) => a.kind !== 'update_address');
  return last?.kind === 'hold';
}

/**
 * Whether the courier takes `kind` for a parcel at `stage` (null: it does). Nothing once delivered,
 * returning, returned or cancelled. A re-attempt needs a failed attempt or a held parcel; a return or a
 * hold needs the parcel in the courier's hands (before pickup the seller cancels instead); an address
 * may be corrected at any time before that.
 */
export function actionRefusal(
  kind: ParcelActionKind,
  stage: ParcelStage,
  held: boolean,
): ActionRefusal | null {
  if (stage === 'delivered' || stage === 'returning' || stage === 'returned' || stage === 'cancelled')
    return stage;
  if (kind === 'update_address') return null;
  if (stage === 'before_pickup') return 'before_pickup';
  if (kind === 'reattempt' && stage !== 'delivery_failed' && !held) return 'no_failed_attempt';
  return null;
}

/** A parcel's identity and route, from which its journey (and any re-planned part of it) follows. */
export type ParcelContext = Omit<JourneyInput, 'pickup' | 'createdAt'>;

/** Transit days of the parcel's lane (its seeded law, delays included). */
const transitDays = (settings: WorldSettings, p: ParcelContext, rng: () => number) =>
  drawTransitDays(settings.world, parcelTruth(settings, p).lane.transit, rng);

/**
 * Delivery runs from attempt `attempt` on, the first on the morning `day` (confirmed with the buyer when
 * `confirmedFirst`), each further one the morning after a failure with the lane's re-attempt odds, up to the
 * courier's attempts (at least this one); after the last failure the parcel goes back to the origin.
 */
function deliveryRuns(
  settings: WorldSettings,
  p: ParcelContext,
  stream: string,
  attempt: number,
  day: number,
  confirmedFirst: boolean,
): PlanStep[] {
  const truth = parcelTruth(settings, p);
  const odds = truth.lane;
  const rng = randomStream(stream);
  const steps: PlanStep[] = [];
  const add = (at: number, status: CourierStatus, location: string, extra: Partial<PlanStep> = {}) =>
    steps.push({ at: new Date(Math.round(at)).toISOString(), status, location, ...extra });
  for (let n = attempt; n <= Math.max(odds.maxAttempts, attempt); n += 1) {
    const out = day + between(rng, 0, 2) * HOUR;
    add(out, 'out_for_delivery', p.destinationCity, { attempt: n });
    const result = out + between(rng, 1, 7) * HOUR;
    const ended = attemptResult(
      settings,
      truth,
      p,
      attemptDraws(stream, n),
      n,
      n === attempt && confirmedFirst,
    );
    if (ended.delivered) {
      add(result, 'delivered', p.destinationCity, { attempt: n, codCollected: p.codAmount > 0 });
      return steps;
    }
    add(result, 'delivery_failed', p.destinationCity, { attempt: n, reason: ended.reason });
    day = morningOf(result + DAY);
  }
  add(day + between(rng, 1, 4) * HOUR, 'returning_to_sender', p.destinationCity, {
    reason: 'rts_initiated',
    returnLeg: true,
  });
  const back = transitDays(settings, p, rng);
  add(morningOf(day + back * DAY) + between(rng, 2, 8) * HOUR, 'returned', p.originCity, { returnLeg: true });
  return steps;
}

/** Attempts made so far (each run out for delivery, finished or interrupted by a hold). */
const attemptsMade = (done: PlanStep[]) => done.filter((s) => s.status === 'out_for_delivery').length;

/** The planned steps still ahead that bring the parcel to its destination hub, before any delivery run. */
function transitAhead(future: PlanStep[]): PlanStep[] {
  const end = future.findIndex((s) => s.status !== 'in_transit');
  return end === -1 ? future : future.slice(0, end);
}

/**
 * The parcel's plan after the courier takes a seller action at `now` (the action is allowed: see
 * actionRefusal). What has happened stays; the future is replaced, deterministically from the seed,
 * the airway bill and the attempt number, like planJourney:
 * - reattempt: the parcel reaches the destination hub if still on its way, then goes out the next
 *   morning (Asia/Jakarta) with the re-attempt odds, raised when confirmed with the buyer or after an
 *   address correction; failures after it follow the courier's usual attempts and return;
 * - return: returning to the sender now, back at the origin after the lane's transit days (a day when
 *   it never left the origin city);
 * - update_address: the next delivery run (if one is planned) keeps its day and is decided again with the
 *   raised odds; a held parcel stays held, the run the seller asks for next gets them;
 * - hold: the parcel still reaches the destination hub, and no run follows until a re-attempt (a run
 *   already out ends with the parcel back at the hub, unscanned).
 */
export function planAfterAction(
  settings: WorldSettings,
  p: ParcelContext,
  plan: PlanStep[],
  actions: ActionRecord[],
  action: Pick<ActionRecord, 'kind' | 'confirmedWithBuyer'>,
  now: Date,
): PlanStep[] {
  const done = stepsBy(plan, now);
  const future = plan.filter((s) => s.at > now.toISOString());
  const t = now.getTime();
  const lastAttemptAt = [...done].reverse().find((s) => s.status === 'out_for_delivery')?.at ?? '';
  const addressFixed = actions.some((a) => a.kind === 'update_address' && a.at >= lastAttemptAt);
  switch (action.kind) {
    case 'hold':
      return [...done, ...transitAhead(future)];
    case 'return': {
      const rng = randomStream(`${streamOf(p)}:return`);
      const here = done[done.length - 1]?.location ?? p.originCity;
      const days = here === p.originCity ? 1 : transitDays(settings, p, rng);
      return [
        ...done,
        {
          at: now.toISOString(),
          status: 'returning_to_sender',
          reason: 'rts_initiated',
          location: here,
          returnLeg: true,
        },
        {
          at: new Date(Math.round(morningOf(t + days * DAY) + between(rng, 2, 8) * HOUR)).toISOString(),
          status: 'returned',
          location: p.originCity,
          returnLeg: true,
        },
      ];
    }
    case 'reattempt': {
      const transit = transitAhead(future);
      const attempt = attemptsMade(done) + 1;
      const ready = Math.max(t, ...transit.map((s) => new Date(s.at).getTime()));
      const stream = `${streamOf(p)}:reattempt:${attempt}`;
      const confirmed = !!action.confirmedWithBuyer || addressFixed;
      return [
        ...done,
        ...transit,
        ...deliveryRuns(settings, p, stream, attempt, morningOf(ready + DAY), confirmed),
      ];
    }
    case 'update_address': {
      const next = future.findIndex((s) => s.status === 'out_for_delivery');
      if (isHeld(actions) || next === -1) return plan;
      const attempt = future[next].attempt ?? attemptsMade(done) + 1;
      const stream = `${streamOf(p)}:address:${attempt}`;
      const day = morningOf(new Date(future[next].at).getTime());
      return [...done, ...future.slice(0, next), ...deliveryRuns(settings, p, stream, attempt, day, true)];
    }
  }
}
