import { defaults } from 'config/defaults';
import { estimate, OutcomeCounts, transitPercentile } from 'src/scoring/delivery-estimator';

const settings = defaults.scoring;
const prior = { failureRate: 0.12, firstAttemptFailureRate: 0.3, pickupFailureRate: 0.03 };
const promised = { min: 2, max: 4 };
/** Outcomes, failures, and first attempts that did not deliver (by default three times the failures). */
const counts = (
  outcomes: number,
  failures: number,
  transit: Record<number, number> = {},
  firstFailed = Math.min(outcomes, 3 * failures),
): OutcomeCounts => {
  const transitHistogram = Array<number>(31).fill(0);
  for (const [d, n] of Object.entries(transit)) transitHistogram[Number(d)] = n;
  return { outcomes, failures, firstAttempt: outcomes - firstFailed, transitHistogram };
};

describe('delivery estimator', () => {
  it('uses the prior and the promised SLA when there is no data', () => {
    const e = estimate({}, prior, promised, settings);
    expect(e.failureRate).toBeCloseTo(0.12, 10);
    expect(e.pickupFailureRate).toBeCloseTo(0.03, 10);
    expect(e.transitDays).toEqual({ p50: 3, p90: 4, source: 'promised' });
  });

  it('keeps a lane with 3 outcomes near its province, and one with 3,000 near its own rate', () => {
    const province = counts(2000, 200); // 10 %
    const thin = estimate({ province, lane: counts(3, 3) }, prior, promised, settings);
    const thick = estimate({ province, lane: counts(3000, 1200) }, prior, promised, settings);
    const provinceOnly = estimate({ province }, prior, promised, settings).failureRate;
    // 3 failures against 30 pseudo-outcomes of the level above: a tenth of the way toward 100 %.
    expect(Math.abs(thin.laneFailureRate - provinceOnly)).toBeLessThan(0.1);
    expect(thin.laneFailureRate).toBeGreaterThan(provinceOnly);
    expect(Math.abs(thick.laneFailureRate - 0.4)).toBeLessThan(0.01);
  });

  it('moves only the recipient’s own risk by their record', () => {
    const lane = counts(500, 50);
    const base = estimate({ lane }, prior, promised, settings);
    const refuser = estimate({ lane, recipient: { outcomes: 4, failures: 4 } }, prior, promised, settings);
    const loyal = estimate({ lane, recipient: { outcomes: 10, failures: 0 } }, prior, promised, settings);
    expect(refuser.failureRate).toBeGreaterThan(base.failureRate + 0.3);
    expect(loyal.failureRate).toBeLessThan(base.failureRate);
    expect(refuser.laneFailureRate).toBe(base.laneFailureRate);
  });

  it('reads transit percentiles from the lane, else the province, once there are enough deliveries', () => {
    expect(transitPercentile([0, 0, 6, 3, 0, 1], 0.5)).toBe(2);
    expect(transitPercentile([0, 0, 6, 3, 0, 1], 0.9)).toBe(3);
    expect(transitPercentile([0, 0, 6, 3, 0, 1], 0.95)).toBe(5);
    const province = counts(100, 0, { 3: 50, 4: 40, 6: 10 });
    expect(
      estimate({ province, lane: counts(5, 0, { 1: 5 }) }, prior, promised, settings).transitDays,
    ).toEqual({ p50: 3, p90: 4, source: 'province' });
    expect(
      estimate({ province, lane: counts(40, 0, { 1: 30, 2: 10 }) }, prior, promised, settings).transitDays,
    ).toEqual({ p50: 1, p90: 2, source: 'lane' });
  });
});

describe('delivery estimator, the destination regency', () => {
  it('learns a courier’s regency from every origin: a new lane there starts from the regency, not the province', () => {
    const province = counts(2000, 200); // 10 %
    const area = counts(300, 120); // 40 % in this regency, from other origins
    const newLane = estimate({ province, area }, prior, promised, settings);
    const provinceOnly = estimate({ province }, prior, promised, settings);
    expect(newLane.failureRate).toBeGreaterThan(0.3);
    expect(provinceOnly.failureRate).toBeLessThan(0.12);
    expect(newLane.observations.area).toBe(300);
  });
});

describe('delivery estimator, every courier', () => {
  it('expects a courier without outcomes to do as the couriers Kirim has seen do, not as the prior guesses', () => {
    const allCouriers = { outcomes: 5000, failures: 250, firstAttempt: 4250 }; // 5 %
    const unseen = estimate({ allCouriers }, prior, promised, settings);
    expect(Math.abs(unseen.failureRate - 0.05)).toBeLessThan(0.005);
    // With no outcomes anywhere, the prior is all there is.
    expect(
      estimate({ allCouriers: { outcomes: 0, failures: 0, firstAttempt: 0 } }, prior, promised, settings)
        .failureRate,
    ).toBeCloseTo(prior.failureRate, 10);
  });

  it('lets a courier’s own national record outweigh the pool once it has many outcomes', () => {
    const allCouriers = { outcomes: 5000, failures: 250, firstAttempt: 4250 }; // 5 %
    const own = estimate({ allCouriers, national: counts(2000, 300) }, prior, promised, settings); // 15 %
    expect(own.failureRate).toBeGreaterThan(0.14);
    const few = estimate({ allCouriers, national: counts(10, 3) }, prior, promised, settings); // 30 % of 10
    expect(few.failureRate).toBeGreaterThan(0.05);
    expect(few.failureRate).toBeLessThan(0.1);
  });
});

describe('delivery estimator, first attempts', () => {
  const national = counts(4000, 200, {}, 1000); // 5 % fail, 25 % of first attempts fail

  it('tells two lanes with the same failures apart by their first attempts', () => {
    // 60 parcels each, 3 failures each; one lane's first attempts failed 30 times, the other's 6.
    const poor = estimate({ national, lane: counts(60, 3, {}, 30) }, prior, promised, settings);
    const good = estimate({ national, lane: counts(60, 3, {}, 6) }, prior, promised, settings);
    expect(poor.failureRate).toBeGreaterThan(1.5 * good.failureRate);
    // Counting failures alone, the two lanes would be estimated the same.
    expect(good.failureRate).toBeLessThan(0.05);
    expect(poor.failureRate).toBeGreaterThan(0.05);
  });

  it('comes to the plain failure rate on a lane with a great many outcomes', () => {
    const e = estimate({ national, lane: counts(100_000, 9000, {}, 30_000) }, prior, promised, settings);
    expect(e.laneFailureRate).toBeCloseTo(0.09, 3);
  });

  it('starts from the prior failure rate, and never above 100 % after a failed first attempt', () => {
    expect(estimate({}, prior, promised, settings).laneFailureRate).toBeCloseTo(prior.failureRate, 10);
    const odd = { ...prior, failureRate: 0.5, firstAttemptFailureRate: 0.2 };
    expect(estimate({}, odd, promised, settings).laneFailureRate).toBeCloseTo(0.2, 10);
  });
});
