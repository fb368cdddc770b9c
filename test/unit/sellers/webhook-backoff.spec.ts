import fc from 'fast-check';
import {
  nextAttemptAt,
  retryCeilingMs,
  retryDelayMs,
  RetryPolicy,
} from 'src/sellers/notifications/webhook-backoff';

const policy: RetryPolicy = { baseMs: 10_000, capMs: 3_600_000, windowMs: 24 * 3_600_000 };
const policies = fc
  .record({
    baseMs: fc.integer({ min: 1, max: 600_000 }),
    capFactor: fc.integer({ min: 1, max: 10_000 }),
    windowMs: fc.integer({ min: 1, max: 7 * 24 * 3_600_000 }),
  })
  .map(({ baseMs, capFactor, windowMs }) => ({ baseMs, capMs: baseMs * capFactor, windowMs }));
/** What Math.random may return: [0, 1). */
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('seller webhook backoff', () => {
  it('doubles from the base up to the cap, then stays there', () => {
    expect([1, 2, 3, 4, 8, 9, 10, 50, 1000].map((n) => retryCeilingMs(n, policy))).toEqual([
      10_000, 20_000, 40_000, 80_000, 1_280_000, 2_560_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
  });

  it('ceiling: never above the cap, never below the base (or the cap), never falling as attempts grow', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 5000 }), (p, n) => {
        const ceiling = retryCeilingMs(n, p);
        const next = retryCeilingMs(n + 1, p);
        return ceiling <= p.capMs && ceiling >= Math.min(p.baseMs, p.capMs) && next >= ceiling;
      }),
    );
  });

  it('delay: a whole number of ms in [1, ceiling] whatever the random draw', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 5000 }), unit, (p, n, r) => {
        const delay = retryDelayMs(n, p, () => r);
        return Number.isInteger(delay) && delay >= 1 && delay <= retryCeilingMs(n, p);
      }),
    );
  });

  it('is jittered: spread over the whole range, not a fixed schedule', () => {
    expect(retryDelayMs(5, policy, () => 0)).toBe(1);
    expect(retryDelayMs(5, policy, () => 0.5)).toBe(80_000);
    expect(retryDelayMs(5, policy, () => 0.999999)).toBe(160_000);
    // Many draws of the same attempt: many distinct delays, covering both halves of the range.
    let seed = 7;
    const lcg = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const delays = Array.from({ length: 200 }, () => retryDelayMs(3, policy, lcg));
    expect(new Set(delays).size).toBeGreaterThan(150);
    expect(delays.some((d) => d < 20_000)).toBe(true);
    expect(delays.some((d) => d >= 20_000)).toBe(true);
  });

  it('retries until the window closes, never past its end, then gives up', () => {
    fc.assert(
      fc.property(
        policies,
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.integer({ min: 0, max: 10 * 24 * 3_600_000 }),
        fc.integer({ min: 1, max: 200 }),
        unit,
        (p, start, elapsed, n, r) => {
          const windowStart = new Date(start);
          const failedAt = new Date(start + elapsed);
          const next = nextAttemptAt(windowStart, failedAt, n, p, () => r);
          if (elapsed >= p.windowMs) return next === null;
          return (
            next !== null &&
            next.getTime() > failedAt.getTime() &&
            next.getTime() <= start + p.windowMs &&
            next.getTime() <= failedAt.getTime() + retryCeilingMs(n, p)
          );
        },
      ),
    );
  });

  it('makes a last attempt at the end of 24 hours, and none after it', () => {
    const start = new Date('2026-11-02T00:00:00Z');
    const late = new Date('2026-11-02T23:30:00Z');
    expect(nextAttemptAt(start, late, 40, policy, () => 0.99)).toEqual(new Date('2026-11-03T00:00:00Z'));
    expect(nextAttemptAt(start, new Date('2026-11-03T00:00:00Z'), 41, policy, () => 0.5)).toBeNull();
  });
});
