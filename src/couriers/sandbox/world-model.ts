import { createHash } from 'node:crypto';
import { defaults } from 'config/defaults';
import {
  defaultWorldFile,
  parseWorldFile,
  WorldFileError,
  type WorldFile,
  type WorldOverride,
} from 'config/sandbox-world';
import type { CourierCode } from '../courier-adapter';
import { regionOf, zoneOf } from '../zones';

export { defaultWorldFile, parseWorldFile, WorldFileError };
export type { WorldFile, WorldOverride };

/**
 * The hidden truth of the sandbox world, per real regency: pure (no Nest, no database) so the sandbox's
 * journeys and the simulator's oracle compute it the same way and can never disagree. Everything follows
 * from a world file (distributions, docs/sandbox-world.md) and a seed; places are Kemendagri codes, a
 * regency "32.73" or — when only the province is known — a province "32" (the regency term is then left out).
 */

/** Indonesia's provinces by Kemendagri code: Kirim's name and the 2020 census population, millions (approx.). */
export const PROVINCES: Readonly<Record<string, { name: string; population: number }>> = {
  '11': { name: 'Aceh', population: 5.27 },
  '12': { name: 'Sumatera Utara', population: 14.8 },
  '13': { name: 'Sumatera Barat', population: 5.53 },
  '14': { name: 'Riau', population: 6.39 },
  '15': { name: 'Jambi', population: 3.55 },
  '16': { name: 'Sumatera Selatan', population: 8.47 },
  '17': { name: 'Bengkulu', population: 2.01 },
  '18': { name: 'Lampung', population: 9.01 },
  '19': { name: 'Kepulauan Bangka Belitung', population: 1.46 },
  '21': { name: 'Kepulauan Riau', population: 2.06 },
  '31': { name: 'DKI Jakarta', population: 10.56 },
  '32': { name: 'Jawa Barat', population: 48.27 },
  '33': { name: 'Jawa Tengah', population: 36.52 },
  '34': { name: 'DI Yogyakarta', population: 3.67 },
  '35': { name: 'Jawa Timur', population: 40.67 },
  '36': { name: 'Banten', population: 11.9 },
  '51': { name: 'Bali', population: 4.32 },
  '52': { name: 'Nusa Tenggara Barat', population: 5.32 },
  '53': { name: 'Nusa Tenggara Timur', population: 5.33 },
  '61': { name: 'Kalimantan Barat', population: 5.41 },
  '62': { name: 'Kalimantan Tengah', population: 2.67 },
  '63': { name: 'Kalimantan Selatan', population: 4.07 },
  '64': { name: 'Kalimantan Timur', population: 3.77 },
  '65': { name: 'Kalimantan Utara', population: 0.7 },
  '71': { name: 'Sulawesi Utara', population: 2.62 },
  '72': { name: 'Sulawesi Tengah', population: 2.99 },
  '73': { name: 'Sulawesi Selatan', population: 9.07 },
  '74': { name: 'Sulawesi Tenggara', population: 2.62 },
  '75': { name: 'Gorontalo', population: 1.17 },
  '76': { name: 'Sulawesi Barat', population: 1.42 },
  '81': { name: 'Maluku', population: 1.85 },
  '82': { name: 'Maluku Utara', population: 1.28 },
  '91': { name: 'Papua', population: 1.06 },
  '92': { name: 'Papua Barat', population: 0.55 },
  '93': { name: 'Papua Selatan', population: 0.52 },
  '94': { name: 'Papua Tengah', population: 1.45 },
  '95': { name: 'Papua Pegunungan', population: 1.45 },
  '96': { name: 'Papua Barat Daya', population: 0.6 },
};

const PROVINCE_CODE = new Map(Object.entries(PROVINCES).map(([code, p]) => [p.name, code]));

/** The Kemendagri code of a province by Kirim's name, or null. */
export function provinceCode(name: string): string | null {
  return PROVINCE_CODE.get(name) ?? null;
}

/** The province name of a regency or province code. @throws RangeError for an unknown province. */
function provinceOf(area: string): string {
  const p = PROVINCES[area.slice(0, 2)];
  if (!p) throw new RangeError(`unknown province code in ${area}`);
  return p.name;
}

/** A uniform number in [0, 1) fixed by `key`. */
export function unit(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 4294967296;
}

/** A standard normal number fixed by `key` (Box–Muller over two of its uniforms). */
function normal(key: string): number {
  const digest = createHash('sha256').update(key).digest();
  const u1 = (digest.readUInt32BE(0) + 1) / 4294967297;
  const u2 = digest.readUInt32BE(4) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** What is true of one lane: a courier service from an origin regency to a destination regency. */
export interface LaneTruth {
  /** Chance the first delivery attempt delivers (before the recipient's own behaviour). */
  firstAttempt: number;
  /** Chance each further attempt delivers. */
  reattempt: number;
  /** Attempts before the parcel goes back to the sender. */
  maxAttempts: number;
  /** Chance a requested pickup at the origin is never made. */
  pickupMiss: number;
  /** Transit days from pickup to the first delivery morning: median and 90th percentile. */
  transitDays: { p50: number; p90: number };
  /** The whole transit-day law, for drawing a journey: base days, then lateness. */
  transit: TransitLaw;
}

/** How a lane's transit days are drawn: base uniform in [min, max], then at most one delay. */
export interface TransitLaw {
  min: number;
  max: number;
  /** This lane has the long tail: with tail.chance a parcel runs tail.minDays–maxDays extra. */
  tail: boolean;
  /** Chance (when the tail did not strike) the parcel runs lateDays.min–max extra. */
  lateChance: number;
}

/** The seeded log-odds deviation of a courier's delivery odds to a destination (island group + province + regency). */
function deviation(world: WorldFile, seed: string, courier: CourierCode, destination: string): number {
  const province = destination.slice(0, 2);
  const l = world.lanes;
  let d =
    normal(`${seed}:${courier}:group:${regionOf(provinceOf(province))}`) * l.islandGroupSpread +
    normal(`${seed}:${courier}:province:${province}`) * l.provinceSpread;
  if (destination.length > 2) d += normal(`${seed}:${courier}:regency:${destination}`) * l.regencySpread;
  return d;
}

/** Delivery odds of a courier to a destination: drawn, or the file's override (regency before province). */
export function deliveryOdds(
  world: WorldFile,
  seed: string,
  courier: CourierCode,
  destination: string,
): { firstAttempt: number; reattempt: number; maxAttempts: number } {
  const base = world.couriers[courier];
  const override =
    world.overrides.find((o) => o.courier === courier && o.area === destination) ??
    world.overrides.find((o) => o.courier === courier && o.area === destination.slice(0, 2));
  if (override)
    return {
      firstAttempt: override.firstAttempt,
      reattempt: override.reattempt,
      maxAttempts: base.maxAttempts,
    };
  const d = deviation(world, seed, courier, destination);
  return {
    firstAttempt: clamp(sigmoid(logit(base.firstAttempt) + d), 0.01, 0.99),
    reattempt: base.reattempt === 0 ? 0 : clamp(sigmoid(logit(base.reattempt) + d), 0.01, 0.99),
    maxAttempts: base.maxAttempts,
  };
}

/**
 * Chance a courier misses a requested pickup at an origin: its base, times a seeded log-normal factor per
 * (courier, origin) with mean 1, times the world's factor at bad origins (the same origins for every
 * courier), capped.
 */
export function pickupMiss(world: WorldFile, seed: string, courier: CourierCode, origin: string): number {
  const p = world.pickups;
  const noise = Math.exp(
    normal(`${seed}:${courier}:pickup:${origin}`) * p.originSpread - p.originSpread ** 2 / 2,
  );
  const bad = unit(`${seed}:bad-origin:${origin}`) < p.badOriginShare ? p.badOriginFactor : 1;
  return Math.min(p.max, world.couriers[courier].pickupMiss * noise * bad);
}

/** Transit days' law of a lane: the service's SLA plus the zone's extra days, and the lane's seeded delays. */
export function transitLaw(
  world: WorldFile,
  seed: string,
  courier: CourierCode,
  sla: { min: number; max: number },
  origin: string,
  destination: string,
): TransitLaw {
  const extra = defaults.sandbox.zoneExtraDays[zoneOf(provinceOf(origin), provinceOf(destination))];
  const t = world.transit;
  const lane = `${seed}:${courier}:transit:${origin}>${destination}`;
  const late =
    t.lateChance.median <= 0
      ? 0
      : Math.min(t.lateChance.max, sigmoid(logit(t.lateChance.median) + normal(lane) * t.lateChance.spread));
  return {
    min: sla.min + extra,
    max: sla.max + extra,
    tail: unit(`${lane}:tail`) < t.tail.laneShare,
    lateChance: late,
  };
}

/** Probability of each whole number of transit days under a lane's law. */
function transitDistribution(world: WorldFile, law: TransitLaw): Map<number, number> {
  const out = new Map<number, number>();
  const add = (days: number, p: number) => out.set(days, (out.get(days) ?? 0) + p);
  const t = world.transit;
  const tail = law.tail ? t.tail.chance : 0;
  const span = (lo: number, hi: number) => hi - lo + 1;
  for (let base = law.min; base <= law.max; base += 1) {
    const pb = 1 / span(law.min, law.max);
    for (let x = t.tail.minDays; x <= t.tail.maxDays; x += 1)
      add(base + x, (pb * tail) / span(t.tail.minDays, t.tail.maxDays));
    for (let x = t.lateDays.min; x <= t.lateDays.max; x += 1)
      add(base + x, (pb * (1 - tail) * law.lateChance) / span(t.lateDays.min, t.lateDays.max));
    add(base, pb * (1 - tail) * (1 - law.lateChance));
  }
  return out;
}

/** Transit days for one parcel under a lane's law, from its journey's random stream. */
export function drawTransitDays(world: WorldFile, law: TransitLaw, rng: () => number): number {
  const t = world.transit;
  const whole = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const base = whole(law.min, law.max);
  if (law.tail && rng() < t.tail.chance) return base + whole(t.tail.minDays, t.tail.maxDays);
  if (rng() < law.lateChance) return base + whole(t.lateDays.min, t.lateDays.max);
  return base;
}

function percentile(distribution: Map<number, number>, q: number): number {
  let sum = 0;
  const days = [...distribution.keys()].sort((a, b) => a - b);
  for (const d of days) if ((sum += distribution.get(d)!) >= q - 1e-9) return d;
  return days[days.length - 1];
}

/** The service's promised SLA from the courier catalogue. @throws RangeError for an unknown service. */
function slaOf(courier: CourierCode, service: string): { min: number; max: number } {
  const info = defaults.couriers.catalogue[courier].services.find((s) => s.code === service);
  if (!info) throw new RangeError(`unknown service ${courier} ${service}`);
  return info.slaDays;
}

/**
 * Everything hidden about one lane (courier service, origin → destination, regency or province codes):
 * delivery odds per attempt, pickup miss at the origin and the transit-day law with its percentiles.
 */
export function laneTruth(
  world: WorldFile,
  seed: string,
  courier: CourierCode,
  service: string,
  originRegency: string,
  destinationRegency: string,
): LaneTruth {
  const odds = deliveryOdds(world, seed, courier, destinationRegency);
  const law = transitLaw(world, seed, courier, slaOf(courier, service), originRegency, destinationRegency);
  const distribution = transitDistribution(world, law);
  return {
    ...odds,
    pickupMiss: pickupMiss(world, seed, courier, originRegency),
    transitDays: { p50: percentile(distribution, 0.5), p90: percentile(distribution, 0.9) },
    transit: law,
  };
}

/** What is true of one recipient, the same for every parcel to the same phone. */
export interface RecipientTruth {
  /** Chance a COD attempt is refused outright (a refuser's; 0 for everyone else). */
  refusesCod: number;
  /** Hard to reach: unconfirmed attempts succeed less (the world's hardToReachPenalty); a call fixes it. */
  hardToReach: boolean;
}

/** A phone number as digits with Indonesia's country code: "0812-3456" and "+62 8123456" are the same buyer. */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('0') ? `62${digits.slice(1)}` : digits;
}

/** The recipient behind a phone number (none given: an ordinary recipient). */
export function recipientTruth(
  world: WorldFile,
  seed: string,
  phoneE164: string | undefined,
): RecipientTruth {
  if (!phoneE164) return { refusesCod: 0, hardToReach: false };
  const phone = normalizePhone(phoneE164);
  const r = world.recipients;
  const refuser = unit(`${seed}:recipient:${phone}:refuser`) < r.refuserShare;
  return {
    refusesCod: refuser ? r.refuserRefusesCod : 0,
    hardToReach: unit(`${seed}:recipient:${phone}:reach`) < r.hardToReachShare,
  };
}

/**
 * One delivery attempt's chances. A COD parcel's recipient first refuses with `refusesCod` (a refuser says
 * no whether or not the seller called: confirming does not rescue a refuser). Otherwise it delivers with the
 * lane's first-attempt or re-attempt odds; a confirmed attempt (the seller called the buyer, or corrected the
 * address) gets at least the re-attempt odds plus the world's uplift (capped at 99 %); an unconfirmed attempt
 * to a hard-to-reach recipient loses the world's hardToReachPenalty share of its odds.
 */
export function attemptOdds(
  world: WorldFile,
  lane: Pick<LaneTruth, 'firstAttempt' | 'reattempt'>,
  recipient: RecipientTruth,
  attempt: number,
  confirmed: boolean,
  cod: boolean,
): { refused: number; delivers: number } {
  const base = attempt === 1 ? lane.firstAttempt : lane.reattempt;
  const delivers = confirmed
    ? Math.max(base, Math.min(0.99, lane.reattempt + world.actions.reattemptConfirmed))
    : recipient.hardToReach
      ? base * (1 - world.recipients.hardToReachPenalty)
      : base;
  return { refused: cod ? recipient.refusesCod : 0, delivers };
}

/** How a seller answers failed attempts: the chance a call reaches the buyer, and what a refusing buyer gets. */
export interface SellerAnswers {
  /** Chance the seller's call after a failed attempt reaches the buyer (a confirmed re-attempt follows). */
  reachesBuyer: number;
  /** A buyer who refuses COD says so on the call and the parcel is returned (no more attempts). */
  returnsRefusers: boolean;
  /**
   * After the courier's last attempt fails, the seller who reaches the buyer asks for one more before the
   * return begins (world.ts planAfterAction takes it), after every failure.
   */
  asksBeyondLast?: boolean;
}

/**
 * Delivered chance of a COD parcel given its lane, recipient and seller: after each failed attempt the
 * seller's call reaches the buyer with `reachesBuyer` (a confirmed re-attempt, or a return for a refuser
 * when `returnsRefusers`); otherwise the courier's next attempt goes unconfirmed. After the courier's last
 * attempt the parcel goes back, unless the seller `asksBeyondLast` and reaches the buyer: then one more
 * attempt, confirmed, each time.
 */
export function deliveredWithSeller(
  world: WorldFile,
  lane: Pick<LaneTruth, 'firstAttempt' | 'reattempt' | 'maxAttempts'>,
  recipient: RecipientTruth,
  seller: SellerAnswers,
): number {
  const success = (attempt: number, confirmed: boolean) => {
    const o = attemptOdds(world, lane, recipient, attempt, confirmed, true);
    return (1 - o.refused) * o.delivers;
  };
  const returned = seller.returnsRefusers && recipient.refusesCod >= 0.5;
  let travelling = 1;
  let delivered = 0;
  // The seller's extra attempts form a geometric tail: summed until what still travels is negligible.
  const last = seller.asksBeyondLast ? lane.maxAttempts + 50 : lane.maxAttempts;
  for (let n = 1; travelling > 1e-9 && n <= last; n += 1) {
    const reached = n === 1 ? 0 : seller.reachesBuyer;
    // Unconfirmed attempts are the courier's own, up to its last; confirmed ones are the seller's doing.
    const unreached = n <= lane.maxAttempts ? 1 - reached : 0;
    const asked = returned ? 0 : reached;
    delivered += travelling * (asked * success(n, true) + unreached * success(n, false));
    travelling *= asked * (1 - success(n, true)) + unreached * (1 - success(n, false));
  }
  return delivered;
}

/** Delivered chance of a COD parcel given its lane and recipient, plain and with a diligent seller. */
export function deliveryChanceOf(
  world: WorldFile,
  lane: Pick<LaneTruth, 'firstAttempt' | 'reattempt' | 'maxAttempts'>,
  recipient: RecipientTruth,
): { plain: number; withActions: number } {
  return {
    plain: deliveredWithSeller(world, lane, recipient, { reachesBuyer: 0, returnsRefusers: false }),
    withActions: deliveredWithSeller(world, lane, recipient, { reachesBuyer: 1, returnsRefusers: false }),
  };
}

/**
 * Chance a COD parcel on this lane to this recipient is delivered (the pickup made): `plain` with no seller
 * actions (the courier's own attempts), `withActions` with a diligent seller who, after each failed attempt,
 * confirms with the buyer and asks for the re-attempt (so every attempt after the first is confirmed).
 */
export function deliveryChance(
  world: WorldFile,
  seed: string,
  courier: CourierCode,
  service: string,
  originRegency: string,
  destinationRegency: string,
  phoneE164: string | undefined,
): { plain: number; withActions: number } {
  return deliveryChanceOf(
    world,
    laneTruth(world, seed, courier, service, originRegency, destinationRegency),
    recipientTruth(world, seed, phoneE164),
  );
}

/**
 * deliveryChance averaged over the world's recipients (refusers and hard-to-reach ones in their shares,
 * independently): the lane's delivered chance for a buyer nobody knows yet.
 */
export function expectedDeliveryChance(
  world: WorldFile,
  lane: Pick<LaneTruth, 'firstAttempt' | 'reattempt' | 'maxAttempts'>,
): { plain: number; withActions: number } {
  const r = world.recipients;
  let plain = 0;
  let withActions = 0;
  for (const refuser of [true, false])
    for (const hardToReach of [true, false]) {
      const share =
        (refuser ? r.refuserShare : 1 - r.refuserShare) *
        (hardToReach ? r.hardToReachShare : 1 - r.hardToReachShare);
      const c = deliveryChanceOf(world, lane, { refusesCod: refuser ? r.refuserRefusesCod : 0, hardToReach });
      plain += share * c.plain;
      withActions += share * c.withActions;
    }
  return { plain, withActions };
}

/** Per courier over a set of destinations: mean delivered chance and the share where it is the best. */
export interface CourierStanding {
  courier: CourierCode;
  /** Population-weighted mean delivered chance (plain, average recipient) of its first COD service. */
  delivered: number;
  /** Population-weighted share of destinations where its delivered chance is the highest. */
  bestShare: number;
  /** Lowest and highest first-attempt odds over the destinations. */
  firstAttempt: { min: number; max: number };
}

/**
 * How uneven a world is, from one origin to the destination regencies given with their populations: each
 * courier's standing, the best courier per regency, the average courier and the worst lanes (the 5th
 * percentile of all lanes' delivered chances). Summarises; the sandbox does not use it.
 */
export function worldSummary(
  world: WorldFile,
  seed: string,
  origin: string,
  population: ReadonlyMap<string, number>,
): { couriers: CourierStanding[]; best: number; average: number; worstLanes: number } {
  const couriers = Object.keys(world.couriers) as CourierCode[];
  const destinations = [...population.keys()];
  const total = [...population.values()].reduce((a, b) => a + b, 0);
  const weights = new Map([...population].map(([code, n]) => [code, n / total]));
  const service = (c: CourierCode) => defaults.couriers.catalogue[c].services.find((s) => s.cod)!.code;
  const standing = new Map(couriers.map((c) => [c, { delivered: 0, bestShare: 0, min: 1, max: 0 }]));
  let best = 0;
  let average = 0;
  const lanes: { chance: number; weight: number }[] = [];
  for (const destination of destinations) {
    const w = weights.get(destination)!;
    const chances = couriers.map((c) => {
      const lane = laneTruth(world, seed, c, service(c), origin, destination);
      const s = standing.get(c)!;
      s.min = Math.min(s.min, lane.firstAttempt);
      s.max = Math.max(s.max, lane.firstAttempt);
      return expectedDeliveryChance(world, lane).plain;
    });
    const top = Math.max(...chances);
    couriers.forEach((c, i) => {
      const s = standing.get(c)!;
      s.delivered += w * chances[i];
      if (chances[i] === top) s.bestShare += w;
      lanes.push({ chance: chances[i], weight: w / couriers.length });
    });
    best += w * top;
    average += (w * chances.reduce((a, b) => a + b, 0)) / couriers.length;
  }
  lanes.sort((a, b) => a.chance - b.chance);
  let sum = 0;
  const worstLanes = lanes.find((l) => (sum += l.weight) >= 0.05)?.chance ?? 0;
  return {
    couriers: couriers.map((c) => {
      const s = standing.get(c)!;
      return {
        courier: c,
        delivered: s.delivered,
        bestShare: s.bestShare,
        firstAttempt: { min: s.min, max: s.max },
      };
    }),
    best,
    average,
    worstLanes,
  };
}
