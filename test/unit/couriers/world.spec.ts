import fc from 'fast-check';
import { defaults } from 'config/defaults';
import { PROVINCE_NAMES } from 'src/common/indonesia';
import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { codFee } from 'src/couriers/cod-fee';
import {
  isPickedUp,
  outcomeOdds,
  planJourney,
  scriptSteps,
  stepsBy,
  tariff,
} from 'src/couriers/sandbox/world';
import { zoneOf } from 'src/couriers/zones';

const settings = defaults.sandbox;
const service = (courier: (typeof COURIER_CODES)[number]) => defaults.couriers.catalogue[courier].services[0];

const journey = (
  seed: string,
  courier: (typeof COURIER_CODES)[number],
  awb: string,
  destinationProvince = 'Jawa Timur',
  codAmount = 100_000,
) =>
  planJourney(settings, {
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
      const odds = outcomeOdds(settings, 'kirim-sandbox', courier, province);
      expect(Math.abs(missed / total - settings.pickupMiss[courier])).toBeLessThanOrEqual(0.015);
      expect(Math.abs(first / n - odds.firstAttempt)).toBeLessThanOrEqual(0.03);
      expect(Math.abs(delivered / n - odds.delivered)).toBeLessThanOrEqual(0.03);
      expect(Math.abs(returned / n - odds.returned)).toBeLessThanOrEqual(0.03);
      expect(delivered + returned).toBe(n);
    },
  );

  it('hides different odds per destination province, fixed by the seed', () => {
    const java = ['DKI Jakarta', 'Jawa Barat', 'Jawa Timur'].map(
      (p) => outcomeOdds(settings, 'kirim-sandbox', 'jne', p).firstAttempt,
    );
    expect(new Set(java).size).toBe(3);
    expect(outcomeOdds(settings, 'kirim-sandbox', 'jne', 'Jawa Barat')).toEqual(
      outcomeOdds(settings, 'kirim-sandbox', 'jne', 'Jawa Barat'),
    );
    expect(outcomeOdds(settings, 'other-seed', 'jne', 'Jawa Barat').firstAttempt).not.toBe(java[1]);
    for (const c of COURIER_CODES) {
      const papua = outcomeOdds(settings, 'kirim-sandbox', c, 'Papua').firstAttempt;
      const jakarta = outcomeOdds(settings, 'kirim-sandbox', c, 'DKI Jakarta').firstAttempt;
      expect(papua).toBeLessThan(jakarta);
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
