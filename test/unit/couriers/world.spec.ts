import fc from 'fast-check';
import { defaults } from 'config/defaults';
import { PROVINCE_NAMES } from 'src/common/indonesia';
import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { codFee } from 'src/couriers/cod-fee';
import {
  actionRefusal,
  ActionRecord,
  isHeld,
  isPickedUp,
  ParcelContext,
  parcelStage,
  ParcelStage,
  planAfterAction,
  planJourney,
  PlanStep,
  scriptSteps,
  stepsBy,
  tariff,
} from 'src/couriers/sandbox/world';
import { PARCEL_ACTION_KINDS } from 'src/couriers/courier-adapter';
import { zoneOf } from 'src/couriers/zones';
import {
  attemptOdds,
  defaultWorldFile,
  deliveryChanceOf,
  laneTruth,
  provinceCode,
} from 'src/couriers/sandbox/world-model';

const settings = { ...defaults.sandbox, world: defaultWorldFile() };
const service = (courier: (typeof COURIER_CODES)[number]) => defaults.couriers.catalogue[courier].services[0];
const ordinary = { refusesCod: 0, hardToReach: false };
/** The hidden truth of a lane from West Java to a province (journeys here name no regency or phone). */
const outcomeOdds = (seed: string, courier: (typeof COURIER_CODES)[number], province: string) => {
  const lane = laneTruth(settings.world, seed, courier, service(courier).code, '32', provinceCode(province)!);
  const delivered = deliveryChanceOf(settings.world, lane, ordinary).plain;
  return { ...lane, delivered, returned: 1 - delivered };
};
const uplift = settings.world.actions.reattemptConfirmed;

const journeyInput = (
  seed: string,
  courier: (typeof COURIER_CODES)[number],
  awb: string,
  destinationProvince = 'Jawa Timur',
  codAmount = 100_000,
) => ({
  seed,
  courier,
  awb,
  service: service(courier),
  originCity: 'Bandung',
  originProvince: 'Jawa Barat',
  destinationCity: 'Surabaya',
  destinationProvince,
  codAmount,
  pickup: true,
  createdAt: new Date('2026-11-02T03:00:00Z'),
});
const journey = (...args: Parameters<typeof journeyInput>) => planJourney(settings, journeyInput(...args));

describe('the sandbox world', () => {
  it('is deterministic: same seed, same journey; another seed, another world', () => {
    expect(journey('seed-a', 'jne', 'AWB1')).toEqual(journey('seed-a', 'jne', 'AWB1'));
    const a = Array.from({ length: 50 }, (_, i) => JSON.stringify(journey('seed-a', 'jnt', `AWB${i}`)));
    const b = Array.from({ length: 50 }, (_, i) => JSON.stringify(journey('seed-b', 'jnt', `AWB${i}`)));
    expect(a.filter((x, i) => x !== b[i]).length).toBeGreaterThan(25);
  });

  it.each(
    COURIER_CODES.flatMap(
      (c) =>
        [
          [c, 'Jawa Timur'],
          [c, 'Sulawesi Selatan'],
        ] as const,
    ),
  )(
    '%s to %s: over 2,000 parcels, outcomes fall within ±3 points of the configured odds',
    (courier, province) => {
      const total = 2000;
      let missed = 0;
      let first = 0;
      let delivered = 0;
      let returned = 0;
      for (let i = 0; i < total; i += 1) {
        const steps = journey('kirim-sandbox', courier, `RATE${i}`, province);
        const last = steps[steps.length - 1];
        if (!steps.some((s) => s.status === 'picked_up')) missed += 1;
        if (last.status === 'delivered') delivered += 1;
        if (last.status === 'returned') returned += 1;
        if (last.status === 'delivered' && last.attempt === 1) first += 1;
      }
      // Delivery odds apply to parcels that were picked up.
      const n = total - missed;
      const odds = outcomeOdds('kirim-sandbox', courier, province);
      expect(Math.abs(missed / total - odds.pickupMiss)).toBeLessThanOrEqual(0.015);
      expect(Math.abs(first / n - odds.firstAttempt)).toBeLessThanOrEqual(0.03);
      expect(Math.abs(delivered / n - odds.delivered)).toBeLessThanOrEqual(0.03);
      expect(Math.abs(returned / n - odds.returned)).toBeLessThanOrEqual(0.03);
      expect(delivered + returned).toBe(n);
    },
  );

  it('hides different odds per destination province, fixed by the seed (world-model.spec: per regency)', () => {
    const java = ['DKI Jakarta', 'Jawa Barat', 'Jawa Timur'].map(
      (p) => outcomeOdds('kirim-sandbox', 'jne', p).firstAttempt,
    );
    expect(new Set(java).size).toBe(3);
    expect(outcomeOdds('kirim-sandbox', 'jne', 'Jawa Barat')).toEqual(
      outcomeOdds('kirim-sandbox', 'jne', 'Jawa Barat'),
    );
    expect(outcomeOdds('other-seed', 'jne', 'Jawa Barat').firstAttempt).not.toBe(java[1]);
  });

  it('with per-order draws, a lane with better first-attempt odds delivers whenever a worse one does', () => {
    const firstAttempt = (courier: (typeof COURIER_CODES)[number], order: number) => {
      const steps = planJourney(settings, {
        ...journeyInput('crn', courier, `AWB-${courier}-${order}`),
        draws: `order-${order}`,
      });
      return steps.find((s) => s.attempt === 1 && ['delivered', 'delivery_failed'].includes(s.status))
        ?.status;
    };
    const odds = (c: (typeof COURIER_CODES)[number]) => outcomeOdds('crn', c, 'Jawa Timur').firstAttempt;
    const couriers = [...COURIER_CODES].sort((a, b) => odds(b) - odds(a));
    expect(new Set(couriers.map(odds)).size).toBe(couriers.length);
    for (let k = 0; k + 1 < couriers.length; k += 1) {
      let bothDelivered = 0;
      let worseOnly = 0;
      let betterOnly = 0;
      for (let order = 0; order < 500; order += 1) {
        const better = firstAttempt(couriers[k], order);
        const worse = firstAttempt(couriers[k + 1], order);
        if (better === undefined || worse === undefined) continue; // a missed pickup: no attempt
        if (better === 'delivered' && worse === 'delivered') bothDelivered += 1;
        if (better !== 'delivered' && worse === 'delivered') worseOnly += 1;
        if (better === 'delivered' && worse !== 'delivered') betterOnly += 1;
      }
      expect({ pair: couriers.slice(k, k + 2), worseOnly }).toEqual({
        pair: couriers.slice(k, k + 2),
        worseOnly: 0,
      });
      expect(bothDelivered).toBeGreaterThan(200);
      // The two lanes' odds differ, so some orders only the better one delivers; about their gap's share.
      expect(betterOnly).toBeLessThanOrEqual(
        Math.ceil(500 * (odds(couriers[k]) - odds(couriers[k + 1])) + 25),
      );
    }
  });

  it('plans journeys in time order that end delivered (COD collected) or returned, or wait at a missed pickup', () => {
    let missed = 0;
    for (let i = 0; i < 400; i += 1) {
      const steps = journey('order', 'ninja', `ORD${i}`);
      const times = steps.map((s) => s.at);
      expect(times).toEqual(times.slice().sort());
      expect(steps[0].status).toBe('pickup_requested');
      const last = steps[steps.length - 1];
      if (steps[1].reason === 'pickup_failed') {
        missed += 1;
        expect(steps[1].status).toBe('exception');
        expect(steps.slice(2).map((s) => s.status)).toEqual(steps.length === 3 ? ['cancelled'] : []);
        expect(isPickedUp(steps)).toBe(false);
        continue;
      }
      expect(isPickedUp(steps)).toBe(true);
      expect(['delivered', 'returned']).toContain(last.status);
      if (last.status === 'delivered') expect(last.codCollected).toBe(true);
      for (const s of steps.filter((x) => x.status === 'delivery_failed'))
        expect(s.reason).toEqual(expect.any(String));
    }
    expect(missed).toBeGreaterThan(0);
  });

  it('prices by zone and weight: symmetric zones, heavier never cheaper, whole 500s', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROVINCE_NAMES),
        fc.constantFrom(...PROVINCE_NAMES),
        fc.constantFrom(...COURIER_CODES),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (a, b, courier, grams, extra) => {
          const zone = zoneOf(a, b);
          const code = service(courier).code;
          const light = tariff(settings, courier, code, zone, grams);
          return (
            zoneOf(b, a) === zone &&
            (a === b) === (zone === 0) &&
            light % 500 === 0 &&
            light > 0 &&
            tariff(settings, courier, code, zone, grams + extra) >= light
          );
        },
      ),
    );
  });

  it('charges the COD fee as a percentage with a minimum, and nothing without COD', () => {
    const reg = service('jne');
    expect(codFee(reg, 0)).toBe(0);
    expect(codFee(reg, 10_000)).toBe(2500);
    expect(codFee(reg, 1_000_000)).toBe(30_000);
  });

  it('scripts the rest of a journey without repeating what happened', () => {
    const now = new Date('2026-11-02T03:00:00Z');
    const rts = scriptSteps(
      'refused_rts',
      now,
      ['pickup_requested', 'picked_up'],
      { origin: 'Bandung', destination: 'Surabaya' },
      50_000,
    );
    expect(rts.map((s) => s.status)).toEqual([
      'in_transit',
      'out_for_delivery',
      'delivery_failed',
      'returning_to_sender',
      'returned',
    ]);
    expect(rts.find((s) => s.status === 'delivery_failed')?.reason).toBe('consignee_refused');
    const stuck = scriptSteps('stuck', now, [], { origin: 'Bandung', destination: 'Surabaya' }, 0);
    expect(stuck.map((s) => s.status)).toEqual(['picked_up', 'in_transit']);
    expect(stepsBy(rts, new Date(now.getTime() + 3 * 3600_000)).map((s) => s.status)).toEqual([
      'in_transit',
      'out_for_delivery',
    ]);
    const missed = scriptSteps(
      'pickup_missed',
      now,
      ['pickup_requested'],
      { origin: 'Bandung', destination: 'Surabaya' },
      0,
    );
    expect(missed).toEqual([
      { at: now.toISOString(), status: 'exception', reason: 'pickup_failed', location: 'Bandung' },
    ]);
    expect(
      scriptSteps(
        'courier_cancelled',
        now,
        ['pickup_requested'],
        { origin: 'Bandung', destination: 'Surabaya' },
        0,
      ).map((s) => s.status),
    ).toEqual(['cancelled']);
  });
});

describe('the sandbox world: seller actions at the courier', () => {
  const HOUR = 3600_000;
  const DAY = 24 * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();
  /** Hours past midnight in Jakarta (UTC+7). */
  const wibHour = (at: string) => ((((Date.parse(at) + 7 * HOUR) % DAY) + DAY) % DAY) / HOUR;
  const wibDay = (ms: number) => Math.floor((ms + 7 * HOUR) / DAY);
  /** 08:00 WIB, 2 November 2026. */
  const t0 = Date.parse('2026-11-02T01:00:00Z');

  const context = (awb: string, courier: (typeof COURIER_CODES)[number] = 'jne'): ParcelContext =>
    journeyInput('kirim-sandbox', courier, awb, 'Jawa Timur', 150_000);

  /** Picked up on day 0, at the Surabaya hub on day 1, first attempt failed at 13:00 WIB; the courier plans another. */
  const failed: PlanStep[] = [
    { at: iso(t0), status: 'pickup_requested', location: 'Bandung' },
    { at: iso(t0 + 2 * HOUR), status: 'picked_up', location: 'Bandung' },
    { at: iso(t0 + 4 * HOUR), status: 'in_transit', location: 'Bandung' },
    { at: iso(t0 + DAY - 2 * HOUR), status: 'in_transit', location: 'Surabaya' },
    { at: iso(t0 + DAY + HOUR), status: 'out_for_delivery', location: 'Surabaya', attempt: 1 },
    {
      at: iso(t0 + DAY + 5 * HOUR),
      status: 'delivery_failed',
      location: 'Surabaya',
      attempt: 1,
      reason: 'consignee_absent',
    },
    { at: iso(t0 + 2 * DAY + HOUR), status: 'out_for_delivery', location: 'Surabaya', attempt: 2 },
    { at: iso(t0 + 2 * DAY + 4 * HOUR), status: 'delivered', location: 'Surabaya', attempt: 2 },
  ];
  const afterFailure = new Date(t0 + DAY + 6 * HOUR);
  const record = (kind: ActionRecord['kind'], at: Date): ActionRecord => ({
    kind,
    at: at.toISOString(),
    reference: 'R',
  });

  it('says which action the courier takes at which stage', () => {
    const stages: ParcelStage[] = [
      'before_pickup',
      'picked_up',
      'in_transit',
      'out_for_delivery',
      'delivery_failed',
      'delivered',
      'returning',
      'returned',
      'cancelled',
    ];
    const table = Object.fromEntries(
      PARCEL_ACTION_KINDS.map((kind) => [
        kind,
        stages.map((stage) => actionRefusal(kind, stage, false) ?? 'ok'),
      ]),
    );
    expect(table).toEqual({
      reattempt: [
        'before_pickup',
        'no_failed_attempt',
        'no_failed_attempt',
        'no_failed_attempt',
        'ok',
        'delivered',
        'returning',
        'returned',
        'cancelled',
      ],
      return: ['before_pickup', 'ok', 'ok', 'ok', 'ok', 'delivered', 'returning', 'returned', 'cancelled'],
      update_address: ['ok', 'ok', 'ok', 'ok', 'ok', 'delivered', 'returning', 'returned', 'cancelled'],
      hold: ['before_pickup', 'ok', 'ok', 'ok', 'ok', 'delivered', 'returning', 'returned', 'cancelled'],
    });
    // A held parcel may be sent out again whatever its last scan.
    expect(actionRefusal('reattempt', 'in_transit', true)).toBeNull();
    expect(actionRefusal('reattempt', 'delivered', true)).toBe('delivered');
  });

  it('reads the stage from what happened, and a hold until the next re-attempt or return', () => {
    expect(parcelStage(stepsBy(failed, afterFailure))).toBe('delivery_failed');
    expect(parcelStage(failed)).toBe('delivered');
    expect(parcelStage(failed.slice(0, 1))).toBe('before_pickup');
    expect(parcelStage(failed.slice(0, 4))).toBe('in_transit');
    const at = afterFailure;
    expect(isHeld([record('hold', at)])).toBe(true);
    expect(isHeld([record('hold', at), record('update_address', at)])).toBe(true);
    expect(isHeld([record('hold', at), record('reattempt', at)])).toBe(false);
    expect(isHeld([])).toBe(false);
  });

  it('re-attempts the next morning in Jakarta, deterministically, keeping what happened', () => {
    const plan = planAfterAction(settings, context('JNE1'), failed, [], { kind: 'reattempt' }, afterFailure);
    expect(plan).toEqual(
      planAfterAction(settings, context('JNE1'), failed, [], { kind: 'reattempt' }, afterFailure),
    );
    expect(plan.slice(0, 6)).toEqual(failed.slice(0, 6));
    const next = plan[6];
    expect(next).toMatchObject({ status: 'out_for_delivery', attempt: 2, location: 'Surabaya' });
    expect(wibDay(Date.parse(next.at))).toBe(wibDay(afterFailure.getTime()) + 1);
    expect(wibHour(next.at)).toBeGreaterThanOrEqual(8);
    expect(wibHour(next.at)).toBeLessThanOrEqual(10);
    expect(['delivered', 'returned']).toContain(plan[plan.length - 1].status);
    const times = plan.map((s) => s.at);
    expect(times).toEqual(times.slice().sort());
  });

  it('over 2,000 seeded parcels, re-attempts confirmed with the buyer succeed measurably more often', () => {
    const total = 2000;
    let plain = 0;
    let confirmed = 0;
    for (let i = 0; i < total; i += 1) {
      const p = context(`RE${i}`);
      const unconfirmedPlan = planAfterAction(settings, p, failed, [], { kind: 'reattempt' }, afterFailure);
      const confirmedPlan = planAfterAction(
        settings,
        p,
        failed,
        [],
        { kind: 'reattempt', confirmedWithBuyer: true },
        afterFailure,
      );
      const won = (plan: PlanStep[]) => plan.some((s) => s.status === 'delivered' && s.attempt === 2);
      // Same seeded draw for the same parcel: confirming never turns a success into a failure.
      if (won(unconfirmedPlan)) expect(won(confirmedPlan)).toBe(true);
      plain += Number(won(unconfirmedPlan));
      confirmed += Number(won(confirmedPlan));
    }
    const odds = outcomeOdds('kirim-sandbox', 'jne', 'Jawa Timur');
    expect(Math.abs(plain / total - odds.reattempt)).toBeLessThanOrEqual(0.03);
    const uplifted = Math.min(0.99, odds.reattempt + uplift);
    expect(Math.abs(confirmed / total - uplifted)).toBeLessThanOrEqual(0.03);
    expect(confirmed / total - plain / total).toBeGreaterThan(uplift / 2);
  });

  it('raises an attempt to the confirmed odds, capped, and never lowers it', () => {
    const odds = { firstAttempt: 0.9, reattempt: 0.6 };
    const chance = (lane: typeof odds, attempt: number, confirmed: boolean) =>
      attemptOdds(settings.world, lane, ordinary, attempt, confirmed, true).delivers;
    expect(chance(odds, 2, false)).toBe(0.6);
    expect(chance(odds, 2, true)).toBeCloseTo(0.6 + uplift);
    expect(chance(odds, 1, true)).toBe(0.9);
    expect(chance({ firstAttempt: 0.95, reattempt: 0.9 }, 3, true)).toBe(0.99);
  });

  it('starts a return at once, back at the origin days later, with nothing planned after', () => {
    const plan = planAfterAction(settings, context('JNE2'), failed, [], { kind: 'return' }, afterFailure);
    expect(plan.slice(0, 6)).toEqual(failed.slice(0, 6));
    expect(plan.slice(6)).toEqual([
      {
        at: afterFailure.toISOString(),
        status: 'returning_to_sender',
        reason: 'rts_initiated',
        location: 'Surabaya',
        returnLeg: true,
      },
      { at: expect.any(String), status: 'returned', location: 'Bandung', returnLeg: true },
    ]);
    expect(Date.parse(plan[7].at) - afterFailure.getTime()).toBeGreaterThan(DAY);
    // Still in the origin city: back the next day.
    const early = new Date(t0 + 5 * HOUR);
    const home = planAfterAction(settings, context('JNE2'), failed, [], { kind: 'return' }, early);
    expect(home.map((s) => s.status)).toEqual([
      'pickup_requested',
      'picked_up',
      'in_transit',
      'returning_to_sender',
      'returned',
    ]);
    expect(wibDay(Date.parse(home[4].at))).toBe(wibDay(early.getTime()) + 1);
  });

  it('holds a parcel at the destination hub until a re-attempt sends it out', () => {
    const inTransit = new Date(t0 + 6 * HOUR);
    const held = planAfterAction(settings, context('JNE3'), failed, [], { kind: 'hold' }, inTransit);
    // It still travels to the Surabaya hub, and no run follows.
    expect(held).toEqual(failed.slice(0, 4));
    const later = new Date(t0 + 3 * DAY);
    const resumed = planAfterAction(
      settings,
      context('JNE3'),
      held,
      [record('hold', inTransit)],
      { kind: 'reattempt' },
      later,
    );
    expect(resumed.slice(0, 4)).toEqual(held);
    expect(resumed[4]).toMatchObject({ status: 'out_for_delivery', attempt: 1 });
    expect(wibDay(Date.parse(resumed[4].at))).toBe(wibDay(later.getTime()) + 1);
    // Held while out for delivery: the run's result is dropped (the parcel goes back to the hub).
    const onVehicle = new Date(t0 + DAY + 2 * HOUR);
    expect(planAfterAction(settings, context('JNE3'), failed, [], { kind: 'hold' }, onVehicle)).toEqual(
      failed.slice(0, 5),
    );
  });

  it('decides the next run again with the confirmed odds after an address correction', () => {
    let before = 0;
    let after = 0;
    for (let i = 0; i < 2000; i += 1) {
      const p = context(`ADDR${i}`);
      const plan = planAfterAction(settings, p, failed, [], { kind: 'update_address' }, afterFailure);
      expect(plan.slice(0, 6)).toEqual(failed.slice(0, 6));
      // The courier's planned run keeps its day.
      expect(wibDay(Date.parse(plan[6].at))).toBe(wibDay(Date.parse(failed[6].at)));
      after += Number(plan.some((s) => s.status === 'delivered' && s.attempt === 2));
      before += Number(
        planAfterAction(settings, p, failed, [], { kind: 'reattempt' }, afterFailure).some(
          (s) => s.status === 'delivered' && s.attempt === 2,
        ),
      );
    }
    const odds = outcomeOdds('kirim-sandbox', 'jne', 'Jawa Timur');
    const uplifted = Math.min(0.99, odds.reattempt + uplift);
    expect(Math.abs(after / 2000 - uplifted)).toBeLessThanOrEqual(0.03);
    expect(after).toBeGreaterThan(before);
    // A re-attempt asked for after the correction gets the confirmed odds without saying so.
    const fixed = [record('update_address', afterFailure)];
    const later = new Date(afterFailure.getTime() + HOUR);
    expect(planAfterAction(settings, context('X1'), failed, fixed, { kind: 'reattempt' }, later)).toEqual(
      planAfterAction(
        settings,
        context('X1'),
        failed,
        [],
        { kind: 'reattempt', confirmedWithBuyer: true },
        later,
      ),
    );
    // A held parcel stays held.
    const heldPlan = failed.slice(0, 6);
    expect(
      planAfterAction(
        settings,
        context('X1'),
        heldPlan,
        [record('hold', afterFailure)],
        { kind: 'update_address' },
        later,
      ),
    ).toBe(heldPlan);
  });
});
