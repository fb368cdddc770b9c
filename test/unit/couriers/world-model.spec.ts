import { regencies } from '../../../simulator/places';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaults } from 'config/defaults';
import { COURIER_CODES, CourierCode } from 'src/couriers/courier-adapter';
import { planAfterAction, planJourney, PlanStep, randomStream } from 'src/couriers/sandbox/world';
import {
  defaultWorldFile,
  deliveredWithSeller,
  deliveryChance,
  drawTransitDays,
  laneTruth,
  parseWorldFile,
  recipientTruth,
  WorldFile,
  worldSummary,
} from 'src/couriers/sandbox/world-model';

/** The directory's 514 regencies and cities, from the dataset the area migration loads. */
const REGENCIES: string[] = parse<{ code: string }>(
  readFileSync(join(dirname(require.resolve('idn-area-data/package.json')), 'data', 'regencies.csv'), 'utf8'),
  { columns: true, skip_empty_lines: true },
).map((r) => r.code);

const world = defaultWorldFile();
const SEEDS = ['kirim-sandbox', 'untuned-1', 'untuned-2'];
const BANDUNG = '32.73';
/** Residents by regency, as the simulator's order stream weights destinations. */
const POPULATION = new Map(regencies().map((r) => [r.code, r.population]));
const SURABAYA = '35.78';
const cod = (c: CourierCode) => defaults.couriers.catalogue[c].services.find((s) => s.cod)!.code;
const settings = { ...defaults.sandbox, world };

/** Phones numbered from `from`, the first whose recipient refuses COD (or does not). */
function phoneWhere(refuser: boolean, from = 0): string {
  for (let i = from; ; i += 1) {
    const phone = `+62812${String(i).padStart(7, '0')}`;
    if (recipientTruth(world, 'kirim-sandbox', phone).refusesCod > 0 === refuser) {
      if (refuser || !recipientTruth(world, 'kirim-sandbox', phone).hardToReach) return phone;
    }
  }
}

describe('the world model (the hidden truth the sandbox and the oracle share)', () => {
  it('covers the whole directory', () => {
    expect(REGENCIES).toHaveLength(514);
  });

  it('is deterministic: the same seed and file give the same truth; another seed other lanes', () => {
    const truth = (seed: string) => REGENCIES.map((r) => laneTruth(world, seed, 'jne', 'REG', BANDUNG, r));
    expect(truth('kirim-sandbox')).toEqual(truth('kirim-sandbox'));
    expect(laneTruth(defaultWorldFile(), 'a', 'sap', 'UDRREG', SURABAYA, BANDUNG)).toEqual(
      laneTruth(defaultWorldFile(), 'a', 'sap', 'UDRREG', SURABAYA, BANDUNG),
    );
    const a = truth('kirim-sandbox');
    const b = truth('untuned-1');
    expect(a.filter((x, i) => x.firstAttempt !== b[i].firstAttempt).length).toBeGreaterThan(500);
  });

  it.each(SEEDS)('seed %s: first-attempt odds over the 514 regencies span wide for every courier', (seed) => {
    for (const c of COURIER_CODES) {
      const odds = REGENCIES.map((r) => laneTruth(world, seed, c, cod(c), BANDUNG, r).firstAttempt);
      expect(Math.min(...odds)).toBeLessThan(0.65);
      expect(Math.max(...odds)).toBeGreaterThan(0.93);
    }
  });

  it.each(SEEDS)('seed %s: no courier is best everywhere, and each is best somewhere', (seed) => {
    const best = new Map<CourierCode, number>();
    for (const r of REGENCIES) {
      const chances = COURIER_CODES.map(
        (c) => deliveryChance(world, seed, c, cod(c), BANDUNG, r, undefined).plain,
      );
      const top = COURIER_CODES[chances.indexOf(Math.max(...chances))];
      best.set(top, (best.get(top) ?? 0) + 1);
    }
    for (const c of COURIER_CODES) {
      expect(best.get(c) ?? 0).toBeGreaterThan(0);
      expect(best.get(c) ?? 0).toBeLessThanOrEqual(0.6 * REGENCIES.length);
    }
  });

  it.each(SEEDS)(
    'seed %s: the best courier per regency delivers ~90-95 %%, an average one ~80-85 %%, the worst lanes ~60 %%',
    (seed) => {
      const s = worldSummary(world, seed, BANDUNG, POPULATION);
      const rows = s.couriers.map(
        (c) =>
          `${c.courier.padEnd(10)} ${(c.delivered * 100).toFixed(1).padStart(5)} % ${(c.bestShare * 100).toFixed(1).padStart(5)} %` +
          `   ${c.firstAttempt.min.toFixed(2)}-${c.firstAttempt.max.toFixed(2)}`,
      );
      // The table in docs/sandbox-world.md comes from here.
      process.stdout.write(
        `\nseed ${seed} (from Kota Bandung, population-weighted)\ncourier    delivered  best in  first attempt\n${rows.join('\n')}\n` +
          `best per regency ${(s.best * 100).toFixed(1)} %, average courier ${(s.average * 100).toFixed(1)} %, worst 5 % of lanes ≤ ${(s.worstLanes * 100).toFixed(1)} %\n`,
      );
      expect(s.best).toBeGreaterThan(0.89);
      expect(s.best).toBeLessThan(0.96);
      expect(s.average).toBeGreaterThan(0.79);
      expect(s.average).toBeLessThan(0.87);
      expect(s.worstLanes).toBeLessThan(0.7);
      expect(s.best - s.average).toBeGreaterThan(0.06);
    },
  );

  it('gives lanes long transit tails, and journeys draw transit days from the same law', () => {
    const lanes = REGENCIES.map((r) => laneTruth(world, 'kirim-sandbox', 'jnt', 'EZ', BANDUNG, r));
    const tails = lanes.filter((l) => l.transit.tail);
    expect(tails.length).toBeGreaterThan(5);
    expect(tails.length).toBeLessThan(0.15 * lanes.length);
    const slow = tails.find((l) => l.transitDays.p90 >= l.transit.max + world.transit.tail.minDays);
    expect(slow).toBeDefined();
    expect(lanes.some((l) => l.transitDays.p50 === l.transitDays.p90)).toBe(true);
    // Drawn days of that lane: their median and 90th percentile are the truth's.
    const days = Array.from({ length: 4000 }, (_, i) =>
      drawTransitDays(world, slow!.transit, randomStream(`tail-${i}`)),
    ).sort((a, b) => a - b);
    expect(days[Math.ceil(0.5 * days.length) - 1]).toBe(slow!.transitDays.p50);
    expect(Math.abs(days[Math.ceil(0.9 * days.length) - 1] - slow!.transitDays.p90)).toBeLessThanOrEqual(1);
  });

  it('misses pickups much more at some origins', () => {
    const misses = REGENCIES.map(
      (r) => laneTruth(world, 'kirim-sandbox', 'jne', 'REG', r, SURABAYA).pickupMiss,
    );
    const base = world.couriers.jne.pickupMiss;
    expect(misses.filter((m) => m >= 3 * base).length).toBeGreaterThan(10);
    expect(misses.filter((m) => m <= base).length).toBeGreaterThan(200);
  });

  it('has a small share of recipients who refuse most COD parcels, the same buyer every time', () => {
    const n = 20_000;
    let refusers = 0;
    let hard = 0;
    for (let i = 0; i < n; i += 1) {
      const r = recipientTruth(world, 'kirim-sandbox', `+62813${String(i).padStart(8, '0')}`);
      if (r.refusesCod > 0) {
        refusers += 1;
        expect(r.refusesCod).toBe(world.recipients.refuserRefusesCod);
      }
      hard += Number(r.hardToReach);
    }
    expect(Math.abs(refusers / n - world.recipients.refuserShare)).toBeLessThan(0.005);
    expect(Math.abs(hard / n - world.recipients.hardToReachShare)).toBeLessThan(0.01);
    // The same number however it is written: a repeat buyer.
    const refuser = phoneWhere(true);
    const local = `0${refuser.slice(3)}`;
    expect(recipientTruth(world, 'kirim-sandbox', local)).toEqual(
      recipientTruth(world, 'kirim-sandbox', refuser),
    );
    expect(recipientTruth(world, 'kirim-sandbox', `${refuser.slice(0, 6)}-${refuser.slice(6)}`)).toEqual(
      recipientTruth(world, 'kirim-sandbox', refuser),
    );
  });

  it('answers the delivered chance: lower to a refuser, higher with a diligent seller (not much for a refuser)', () => {
    const at = (phone: string) =>
      deliveryChance(world, 'kirim-sandbox', 'jne', 'REG', BANDUNG, SURABAYA, phone);
    const ordinary = at(phoneWhere(false));
    const refuser = at(phoneWhere(true));
    expect(refuser.plain).toBeLessThan(ordinary.plain - 0.3);
    expect(ordinary.withActions).toBeGreaterThan(ordinary.plain);
    expect(refuser.withActions - refuser.plain).toBeLessThan(ordinary.withActions - ordinary.plain + 0.05);
    expect(refuser.withActions).toBeLessThan(0.7);
  });

  it("counts the re-attempts a seller asks for after the courier's last attempt (the sandbox takes them)", () => {
    const lane = { firstAttempt: 0.7, reattempt: 0.4, maxAttempts: 1 };
    const ordinary = { refusesCod: 0, hardToReach: false };
    const confirmed = Math.min(0.99, lane.reattempt + world.actions.reattemptConfirmed);
    const seller = (reachesBuyer: number) =>
      deliveredWithSeller(world, lane, ordinary, {
        reachesBuyer,
        returnsRefusers: true,
        asksBeyondLast: true,
      });
    // One courier attempt, then confirmed ones as long as the call reaches the buyer: a geometric series.
    const p = 0.85;
    expect(seller(p)).toBeCloseTo(0.7 + (0.3 * p * confirmed) / (1 - p * (1 - confirmed)), 9);
    expect(seller(0)).toBeCloseTo(0.7, 9);
    // A seller who does not ask beyond the courier's attempts: one attempt, as the courier makes.
    expect(
      deliveredWithSeller(world, lane, ordinary, { reachesBuyer: p, returnsRefusers: true }),
    ).toBeCloseTo(0.7, 9);
    // A refuser who says so on the call is returned: no attempt after the courier's last.
    const refuser = deliveredWithSeller(
      world,
      lane,
      { refusesCod: 0.8, hardToReach: false },
      {
        reachesBuyer: p,
        returnsRefusers: true,
        asksBeyondLast: true,
      },
    );
    expect(refuser).toBeCloseTo(0.2 * 0.7, 9);
  });

  it('honours explicit overrides, a regency before its province', () => {
    const w: WorldFile = {
      ...world,
      overrides: [
        { courier: 'jne', area: '35', firstAttempt: 0.2, reattempt: 0.1 },
        { courier: 'jne', area: SURABAYA, firstAttempt: 0.9, reattempt: 0.5 },
      ],
    };
    expect(laneTruth(w, 's', 'jne', 'REG', BANDUNG, SURABAYA)).toMatchObject({
      firstAttempt: 0.9,
      reattempt: 0.5,
    });
    expect(laneTruth(w, 's', 'jne', 'REG', BANDUNG, '35.01')).toMatchObject({
      firstAttempt: 0.2,
      reattempt: 0.1,
    });
    expect(laneTruth(w, 's', 'jnt', 'EZ', BANDUNG, '35.01').firstAttempt).toBe(
      laneTruth(world, 's', 'jnt', 'EZ', BANDUNG, '35.01').firstAttempt,
    );
  });

  it('refuses a bad world file, naming the field', () => {
    const bad = (change: (w: WorldFile) => void) => {
      const w = structuredClone(world);
      change(w);
      return () => parseWorldFile(w);
    };
    expect(parseWorldFile(structuredClone(world))).toEqual(world);
    expect(bad((w) => (w.couriers.jne.firstAttempt = 1.5))).toThrow(
      /^couriers\.jne\.firstAttempt: must be between/,
    );
    expect(bad((w) => (w.couriers.sap.maxAttempts = 2.5))).toThrow(
      /^couriers\.sap\.maxAttempts: must be a whole/,
    );
    expect(bad((w) => delete (w.couriers as Partial<WorldFile['couriers']>).ninja)).toThrow(
      /^couriers\.ninja: is missing/,
    );
    expect(bad((w) => ((w.transit.tail as Record<string, unknown>).chance = '0.3'))).toThrow(
      /^transit\.tail\.chance: must be a number/,
    );
    expect(bad((w) => (w.transit.lateDays = { min: 4, max: 2 }))).toThrow(/^transit\.lateDays\.min/);
    expect(bad((w) => (w.recipients.refuserShare = -0.1))).toThrow(/^recipients\.refuserShare/);
    expect(bad((w) => ((w.lanes as Record<string, unknown>).extra = 1))).toThrow(
      /^lanes\.extra: is not a world file field/,
    );
    expect(
      bad((w) => (w.overrides = [{ courier: 'jne', area: 'Jawa Timur', firstAttempt: 0.5, reattempt: 0.5 }])),
    ).toThrow(/^overrides\[0\]\.area/);
    expect(
      bad(
        (w) => (w.overrides = [{ courier: 'pos' as never, area: '35', firstAttempt: 0.5, reattempt: 0.5 }]),
      ),
    ).toThrow(/^overrides\[0\]\.courier/);
    expect(() => parseWorldFile([])).toThrow(/^\$: must be an object/);
    expect(() => parseWorldFile({ ...world, version: 2 })).toThrow(/^version: must be 1/);
  });

  it('refuses an override that would change nothing: a place the directory does not have, or one given twice', () => {
    const overrides =
      (...list: WorldFile['overrides']) =>
      () =>
        parseWorldFile({ ...world, overrides: list });
    const lane = (courier: 'jne' | 'jnt', area: string, firstAttempt = 0.5) => ({
      courier,
      area,
      firstAttempt,
      reattempt: 0.5,
    });
    // Well-formed codes, but no such province or regency: no lane would ever take these odds.
    expect(overrides(lane('jne', '99'))).toThrow(/^overrides\[0\]\.area: no province or regency "99"/);
    expect(overrides(lane('jne', '35'), lane('jne', '35.99'))).toThrow(
      /^overrides\[1\]\.area: no province or regency "35\.99"/,
    );
    // The same courier and area twice: the second would be ignored.
    expect(overrides(lane('jne', SURABAYA, 0.2), lane('jne', SURABAYA, 0.9))).toThrow(
      new RegExp(`^overrides\\[1\\]: repeats overrides\\[0\\] \\(jne to ${SURABAYA.replace('.', '\\.')}\\)`),
    );
    // Real places, another courier or another area: taken.
    expect(
      parseWorldFile({
        ...world,
        overrides: [lane('jne', '35'), lane('jne', SURABAYA), lane('jnt', SURABAYA), lane('jne', '91')],
      }).overrides,
    ).toHaveLength(4);
  });
});

describe('sandbox journeys follow the world model', () => {
  const createdAt = new Date('2026-11-02T03:00:00Z');
  const parcel = (awb: string, recipientPhone: string) => ({
    seed: 'kirim-sandbox',
    courier: 'jne' as const,
    awb,
    service: defaults.couriers.catalogue.jne.services[0],
    originCity: 'Kota Bandung',
    originProvince: 'Jawa Barat',
    destinationCity: 'Kota Surabaya',
    destinationProvince: 'Jawa Timur',
    originRegency: BANDUNG,
    destinationRegency: SURABAYA,
    recipientPhone,
    codAmount: 150_000,
  });
  const delivered = (plan: PlanStep[]) => plan[plan.length - 1].status === 'delivered';

  it('delivers as often as the oracle says, and fails a refuser far more (with refusals)', () => {
    const n = 3000;
    const rate = (phone: string) => {
      let won = 0;
      let refusals = 0;
      let picked = 0;
      for (let i = 0; i < n; i += 1) {
        const plan = planJourney(settings, { ...parcel(`P${i}`, phone), pickup: false, createdAt });
        picked += 1;
        won += Number(delivered(plan));
        refusals += plan.filter((s) => s.reason?.startsWith('consignee_refused')).length;
      }
      return { delivered: won / picked, refusals };
    };
    const ordinaryPhone = phoneWhere(false);
    const refuserPhone = phoneWhere(true);
    const ordinary = rate(ordinaryPhone);
    const refuser = rate(refuserPhone);
    const truth = (phone: string) =>
      deliveryChance(world, 'kirim-sandbox', 'jne', 'REG', BANDUNG, SURABAYA, phone).plain;
    expect(Math.abs(ordinary.delivered - truth(ordinaryPhone))).toBeLessThan(0.025);
    expect(Math.abs(refuser.delivered - truth(refuserPhone))).toBeLessThan(0.025);
    expect(refuser.delivered).toBeLessThan(ordinary.delivered - 0.3);
    expect(refuser.refusals).toBeGreaterThan(2 * ordinary.refusals);
  });

  it('fails a hard-to-reach recipient more, as unreachable or absent', () => {
    let phone = '';
    for (let i = 0; !phone; i += 1) {
      const p = `+62811${String(i).padStart(7, '0')}`;
      const r = recipientTruth(world, 'kirim-sandbox', p);
      if (r.hardToReach && r.refusesCod === 0) phone = p;
    }
    const reasons = new Set<string>();
    let failed = 0;
    let ordinaryFailed = 0;
    for (let i = 0; i < 2000; i += 1) {
      const plan = planJourney(settings, { ...parcel(`H${i}`, phone), pickup: false, createdAt });
      const failures = plan.filter((s) => s.status === 'delivery_failed');
      failures.forEach((s) => reasons.add(s.reason!));
      failed += failures.length;
      const usual = planJourney(settings, {
        ...parcel(`H${i}`, phoneWhere(false)),
        pickup: false,
        createdAt,
      });
      ordinaryFailed += usual.filter((s) => s.status === 'delivery_failed').length;
    }
    expect([...reasons].sort()).toEqual(['consignee_absent', 'consignee_unreachable']);
    expect(failed).toBeGreaterThan(1.5 * ordinaryFailed);
  });

  it('a confirmed re-attempt succeeds more than a plain one on the same lane, but hardly rescues a refuser', () => {
    const t0 = createdAt.getTime();
    const HOUR = 3600_000;
    const failed: PlanStep[] = [
      { at: new Date(t0).toISOString(), status: 'created', location: 'Kota Bandung' },
      { at: new Date(t0 + 2 * HOUR).toISOString(), status: 'picked_up', location: 'Kota Bandung' },
      {
        at: new Date(t0 + 26 * HOUR).toISOString(),
        status: 'out_for_delivery',
        location: 'Kota Surabaya',
        attempt: 1,
      },
      {
        at: new Date(t0 + 30 * HOUR).toISOString(),
        status: 'delivery_failed',
        location: 'Kota Surabaya',
        attempt: 1,
        reason: 'consignee_absent',
      },
    ];
    const after = new Date(t0 + 31 * HOUR);
    const share = (phone: string, confirmedWithBuyer: boolean) => {
      let won = 0;
      for (let i = 0; i < 2000; i += 1) {
        const plan = planAfterAction(
          settings,
          parcel(`R${i}`, phone),
          failed,
          [],
          { kind: 'reattempt', confirmedWithBuyer },
          after,
        );
        won += Number(plan.some((s) => s.status === 'delivered' && s.attempt === 2));
      }
      return won / 2000;
    };
    const ordinaryPhone = phoneWhere(false);
    const refuserPhone = phoneWhere(true);
    const plain = share(ordinaryPhone, false);
    const confirmed = share(ordinaryPhone, true);
    expect(confirmed - plain).toBeGreaterThan(world.actions.reattemptConfirmed / 2);
    const refuserPlain = share(refuserPhone, false);
    const refuserConfirmed = share(refuserPhone, true);
    expect(refuserConfirmed - refuserPlain).toBeLessThan((confirmed - plain) / 2);
    expect(refuserConfirmed).toBeLessThan(0.3);
  });
});
