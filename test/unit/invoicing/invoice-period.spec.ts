import fc from 'fast-check';
import {
  closedPeriodsFrom,
  nextPeriod,
  periodContaining,
  periodStartingOn,
  periodsUpTo,
  wibMidnight,
} from 'src/invoicing/invoice-period';

const RULE = { anchorDate: '2026-01-05', periodDays: 14 };
const DAY = 86_400_000;
/** Instants from 2020 to 2035. */
const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) })
  .map((ms) => new Date(ms));

describe('invoicing periods (14 days from the anchor, Asia/Jakarta)', () => {
  it('start at 00:00 WIB (17:00Z the day before) on the anchor day', () => {
    const p = periodContaining(new Date('2026-01-05T00:00:00+07:00'), RULE);
    expect(p.start.toISOString()).toBe('2026-01-04T17:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-01-18T17:00:00.000Z');
    expect(p).toMatchObject({ startDate: '2026-01-05', lastDate: '2026-01-18' });
  });

  it('put 23:59:59 WIB on the last day in the period, and 00:00:00 WIB the next day in the next one', () => {
    const last = periodContaining(new Date('2026-12-20T23:59:59+07:00'), RULE);
    const next = periodContaining(new Date('2026-12-21T00:00:00+07:00'), RULE);
    expect(last).toMatchObject({ startDate: '2026-12-07', lastDate: '2026-12-20' });
    expect(next).toMatchObject({ startDate: '2026-12-21', lastDate: '2027-01-03' });
    expect(next.start).toEqual(last.end);
    // The same moments in UTC: the boundary is 17:00Z, not midnight UTC.
    expect(periodContaining(new Date('2026-12-20T16:59:59.999Z'), RULE).startDate).toBe('2026-12-07');
    expect(periodContaining(new Date('2026-12-20T17:00:00.000Z'), RULE).startDate).toBe('2026-12-21');
  });

  it('tile time: every instant is in exactly one period of 14 days that starts at 00:00 WIB', () => {
    fc.assert(
      fc.property(instant, (at) => {
        const p = periodContaining(at, RULE);
        expect(p.start.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(at.getTime()).toBeLessThan(p.end.getTime());
        expect(p.end.getTime() - p.start.getTime()).toBe(14 * DAY);
        expect(Math.abs((p.start.getTime() + 7 * 3600_000) % DAY)).toBe(0);
        expect(periodContaining(new Date(p.start.getTime() - 1), RULE).end).toEqual(p.start);
        expect(nextPeriod(p, RULE).start).toEqual(p.end);
        expect(Math.abs((p.start.getTime() - wibMidnight(RULE.anchorDate)!.getTime()) % (14 * DAY))).toBe(0);
      }),
      { seed: 10, numRuns: 2000 },
    );
  });

  it('name a period by its first day only', () => {
    fc.assert(
      fc.property(instant, (at) => {
        const p = periodContaining(at, RULE);
        expect(periodStartingOn(p.startDate, RULE)).toEqual(p);
        const dayAfter = new Date(p.start.getTime() + DAY + 7 * 3600_000).toISOString().slice(0, 10);
        expect(periodStartingOn(dayAfter, RULE)).toBeNull();
      }),
      { seed: 11, numRuns: 500 },
    );
    expect(periodStartingOn('2026-02-30', RULE)).toBeNull();
    expect(periodStartingOn('30-11-2026', RULE)).toBeNull();
  });

  it('list the closed periods from one containing an instant, oldest first, none still open', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 200 * DAY }), (from, span) => {
        const asOf = new Date(from.getTime() + span);
        const closed = closedPeriodsFrom(from, asOf, RULE);
        for (const p of closed) expect(p.end.getTime()).toBeLessThanOrEqual(asOf.getTime());
        closed.slice(1).forEach((p, i) => expect(p.start).toEqual(closed[i].end));
        const after = closed.length
          ? nextPeriod(closed[closed.length - 1], RULE)
          : periodContaining(from, RULE);
        expect(after.end.getTime()).toBeGreaterThan(asOf.getTime());
      }),
      { seed: 12, numRuns: 500 },
    );
  });

  it('count back from the period an instant is in, newest first, each ending where the next begins', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 }), (at, count) => {
        const periods = periodsUpTo(at, count, RULE);
        expect(periods).toHaveLength(count);
        expect(periods[0]).toEqual(periodContaining(at, RULE));
        for (let i = 1; i < count; i += 1) expect(periods[i].end).toEqual(periods[i - 1].start);
      }),
    );
  });
});
