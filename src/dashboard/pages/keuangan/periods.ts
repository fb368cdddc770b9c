/**
 * Invoicing periods as the API counts them (config `business.money.invoicing`): `periodDays`-day periods
 * starting at 00:00 Asia/Jakarta on the anchor date and every `periodDays` days before and after it.
 */
export interface PeriodRule {
  /** `YYYY-MM-DD`, a day a period starts on. */
  anchorDate: string;
  periodDays: number;
}

/** The service's rule (config/defaults.ts `invoicing.anchorDate` / `periodDays`); the API does not list periods. */
export const INVOICING_PERIODS: PeriodRule = { anchorDate: '2026-01-05', periodDays: 14 };

export interface PeriodChoice {
  /** `YYYY-MM-DD` of the first day (what `periodStart` takes). */
  startDate: string;
  /** `YYYY-MM-DD` of the last day (inclusive). */
  lastDate: string;
}

const DAY_MS = 86_400_000;
const WIB_MS = 7 * 3_600_000;

const day = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);

/**
 * The `count` most recent periods as of `now`, newest first: the one `now` (in Jakarta) falls in, then
 * the ones before it.
 */
export function recentPeriods(
  now: Date,
  count: number,
  rule: PeriodRule = INVOICING_PERIODS,
): PeriodChoice[] {
  const anchor = Date.parse(`${rule.anchorDate}T00:00:00Z`);
  const length = rule.periodDays * DAY_MS;
  // Whole days in Jakarta's calendar, counted as UTC midnights.
  const today = Math.floor((now.getTime() + WIB_MS) / DAY_MS) * DAY_MS;
  const current = Math.floor((today - anchor) / length);
  return Array.from({ length: Math.max(0, count) }, (_, i) => {
    const start = anchor + (current - i) * length;
    return { startDate: day(start), lastDate: day(start + length - DAY_MS) };
  });
}
