import fc from 'fast-check';
import { defaults } from 'config/defaults';
import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { Candidate, rankCandidates, ScoreContext } from 'src/scoring/scoring.model';

const presets = defaults.scoring.presets;
const ctx = (preset: keyof typeof presets): ScoreContext => ({
  weights: presets[preset],
  lostMarginPerFailure: 15_000,
  pickupFailureCost: 10_000,
});

// Worked by hand (COD 200,000, lost margin 15,000, pickup failure 10,000):
// A cheap but unreliable: 10,000 + 6,000 − 1,200 + 0.30 × 25,000 + 0.02 × 10,000 = 22,500
// B reliable:             13,000 + 6,000 − 1,300 + 0.05 × 28,000 + 0.01 × 10,000 = 19,200
// C one-day:              22,000 + 5,000 − 3,300 + 0.10 × 26,000 + 0.01 × 10,000 = 26,400
const A: Candidate = {
  courier: 'jnt',
  service: 'EZ',
  serviceName: 'J&T EZ',
  price: 10_000,
  codFee: 6000,
  cashback: 1200,
  returnFee: 10_000,
  failureRate: 0.3,
  pickupFailureRate: 0.02,
  transitDays: { p50: 3, p90: 5 },
};
const B: Candidate = {
  courier: 'jne',
  service: 'REG',
  serviceName: 'JNE REG',
  price: 13_000,
  codFee: 6000,
  cashback: 1300,
  returnFee: 13_000,
  failureRate: 0.05,
  pickupFailureRate: 0.01,
  transitDays: { p50: 2, p90: 3 },
};
const C: Candidate = {
  courier: 'sap',
  service: 'UDRONS',
  serviceName: 'SATRIA ONS',
  price: 22_000,
  codFee: 5000,
  cashback: 3300,
  returnFee: 11_000,
  failureRate: 0.1,
  pickupFailureRate: 0.01,
  transitDays: { p50: 1, p90: 1 },
};
const D: Candidate = {
  ...A,
  courier: 'ninja',
  service: 'STANDARD',
  price: 5000,
  failureRate: 0,
  ineligibleReason: 'cod_not_supported',
};

describe('the expected-cost model', () => {
  it('computes the expected cost of each option by hand', () => {
    const { options } = rankCandidates([A, B, C], ctx('balanced'));
    const cost = Object.fromEntries(options.map((o) => [o.courier, o.expectedCost]));
    expect(cost).toEqual({ jnt: 22_500, jne: 19_200, sap: 26_400 });
    const a = options.find((o) => o.courier === 'jnt')!;
    expect(a.breakdown).toMatchObject({
      price: 10_000,
      codFee: 6000,
      cashback: -1200,
      failureCost: 7500,
      pickupCost: 200,
      expectedCost: 22_500,
    });
    expect(a.successRate).toBeCloseTo(0.7);
  });

  it.each([
    ['cheapest', 'jnt', 14_800],
    ['balanced', 'jne', 19_950],
    ['safest', 'jne', 24_100],
    ['fastest', 'sap', 28_625],
  ] as const)('under %s, %s wins with score %i', (preset, courier, score) => {
    const { winner, runnerUp, options } = rankCandidates([A, B, C], ctx(preset));
    expect([winner?.courier, winner?.score]).toEqual([courier, score]);
    expect(runnerUp?.rank).toBe(2);
    expect(options.map((o) => o.rank)).toEqual([1, 2, 3]);
  });

  it('lets a cheaper courier with a poor lane lose to a pricier reliable one under safest and balanced', () => {
    expect(A.price).toBeLessThan(B.price);
    expect(rankCandidates([A, B], ctx('cheapest')).winner?.courier).toBe('jnt');
    expect(rankCandidates([A, B], ctx('safest')).winner?.courier).toBe('jne');
    expect(rankCandidates([A, B], ctx('balanced')).winner?.courier).toBe('jne');
  });

  it('lists an ineligible option with its reason, unranked, and never chooses it', () => {
    const { options, winner } = rankCandidates([D, A, B], ctx('cheapest'));
    expect(winner?.courier).toBe('jnt');
    expect(options.at(-1)).toMatchObject({
      courier: 'ninja',
      eligible: false,
      rank: null,
      ineligibleReason: 'cod_not_supported',
    });
    expect(rankCandidates([D], ctx('balanced')).winner).toBeNull();
  });
});

const candidate = fc.record({
  courier: fc.constantFrom(...COURIER_CODES),
  service: fc.constantFrom('REG', 'EZ', 'UDRREG', 'STANDARD', '00', 'YES'),
  serviceName: fc.constant('service'),
  price: fc.integer({ min: 1000, max: 500_000 }),
  codFee: fc.integer({ min: 0, max: 100_000 }),
  cashback: fc.integer({ min: 0, max: 50_000 }),
  returnFee: fc.integer({ min: 0, max: 500_000 }),
  failureRate: fc.double({ min: 0, max: 1, noNaN: true }),
  pickupFailureRate: fc.double({ min: 0, max: 1, noNaN: true }),
  transitDays: fc
    .tuple(fc.double({ min: 0.5, max: 20, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }))
    .map(([p50, extra]) => ({ p50, p90: p50 + extra })),
  ineligibleReason: fc.option(fc.constantFrom('route_not_served' as const, 'circuit_open' as const), {
    nil: undefined,
    freq: 4,
  }),
});
const context = fc.record({
  weights: fc.record({
    cost: fc.double({ min: 0, max: 5, noNaN: true }),
    failure: fc.double({ min: 0, max: 5, noNaN: true }),
    pickup: fc.double({ min: 0, max: 5, noNaN: true }),
    dayValue: fc.integer({ min: 0, max: 50_000 }),
    tailDayValue: fc.integer({ min: 0, max: 50_000 }),
  }),
  lostMarginPerFailure: fc.integer({ min: 0, max: 1_000_000 }),
  pickupFailureCost: fc.integer({ min: 0, max: 100_000 }),
});
// Distinct (courier, service) pairs, as a real quote has.
const candidates = fc.uniqueArray(candidate, {
  minLength: 1,
  maxLength: 15,
  selector: (c) => `${c.courier}:${c.service}`,
});

describe('the model’s algebra (fast-check)', () => {
  it('chooses the eligible option with the best score', () => {
    fc.assert(
      fc.property(candidates, context, (cs, c) => {
        const { winner, options } = rankCandidates(cs, c);
        const eligible = options.filter((o) => o.eligible);
        if (!eligible.length) return winner === null;
        return winner!.eligible && eligible.every((o) => winner!.score <= o.score);
      }),
    );
  });

  it('never changes the winner when a non-winning option is removed', () => {
    fc.assert(
      fc.property(candidates, context, fc.nat(), (cs, c, pick) => {
        const { winner } = rankCandidates(cs, c);
        const losers = cs.filter(
          (x) => !winner || x.courier !== winner.courier || x.service !== winner.service,
        );
        if (!losers.length) return true;
        const removed = losers[pick % losers.length];
        const again = rankCandidates(
          cs.filter((x) => x !== removed),
          c,
        ).winner;
        return again?.courier === winner?.courier && again?.service === winner?.service;
      }),
    );
  });

  it('has breakdown terms that add up to the expected cost, and weighted terms to the score', () => {
    fc.assert(
      fc.property(candidates, context, (cs, c) =>
        rankCandidates(cs, c).options.every((o) => {
          const b = o.breakdown;
          const w = b.weighted;
          return (
            b.price + b.codFee + b.cashback + b.failureCost + b.pickupCost === o.expectedCost &&
            w.cost + w.failure + w.pickup + w.speed + w.uncertainty === o.score &&
            Number.isSafeInteger(o.expectedCost) &&
            Number.isSafeInteger(o.score)
          );
        }),
      ),
    );
  });
});
