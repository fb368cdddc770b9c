import fc from 'fast-check';
import { defaults } from 'config/defaults';
import { INVOICING_PERIODS, recentPeriods } from 'src/dashboard/pages/keuangan/periods';
import { nextPeriod, periodContaining } from 'src/invoicing/invoice-period';

describe('the Tagihan page’s period choices', () => {
  it('use the service’s invoicing rule', () => {
    const { anchorDate, periodDays } = defaults.money.invoicing;
    expect(INVOICING_PERIODS).toEqual({ anchorDate, periodDays });
  });

  it('are the periods the service counts: the one containing now, then each before it', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2035-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom('2026-01-05', '2025-12-31', '2026-03-01'),
        fc.integer({ min: 1, max: 31 }),
        (now, count, anchorDate, periodDays) => {
          const rule = { anchorDate, periodDays };
          const choices = recentPeriods(now, count, rule);
          expect(choices).toHaveLength(count);
          let p = periodContaining(now, rule);
          expect(choices[0]).toEqual({ startDate: p.startDate, lastDate: p.lastDate });
          for (const choice of choices.slice(1)) {
            const before = periodContaining(new Date(p.start.getTime() - 1), rule);
            expect(nextPeriod(before, rule).startDate).toBe(p.startDate);
            expect(choice).toEqual({ startDate: before.startDate, lastDate: before.lastDate });
            p = before;
          }
        },
      ),
    );
  });

  it('start at 00:00 Jakarta: 23:30 WIB on a period’s last day is still that period', () => {
    // 2026-11-08 23:30 WIB is 16:30Z; the period 2026-10-26 … 2026-11-08 ends at 17:00Z.
    expect(recentPeriods(new Date('2026-11-08T16:30:00Z'), 2)).toEqual([
      { startDate: '2026-10-26', lastDate: '2026-11-08' },
      { startDate: '2026-10-12', lastDate: '2026-10-25' },
    ]);
    expect(recentPeriods(new Date('2026-11-08T17:00:00Z'), 1)[0].startDate).toBe('2026-11-09');
  });
});
