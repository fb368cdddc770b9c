/**
 * Invoicing periods, pure: `periodDays`-day periods that start at 00:00 Asia/Jakarta (17:00Z the day before)
 * on the anchor date and every `periodDays` days after and before it. A period is [start, end): an instant
 * belongs to exactly one period.
 */

const DAY_MS = 86_400_000;
/** Asia/Jakarta is UTC+7 all year (no daylight saving). */
const WIB_MS = 7 * 3_600_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface PeriodRule {
  /** `YYYY-MM-DD`: a period starts at 00:00 Asia/Jakarta on this day. */
  anchorDate: string;
  periodDays: number;
}

export interface InvoicePeriod {
  /** The first instant of the period (00:00 Asia/Jakarta). */
  start: Date;
  /** The first instant after it (the next period's start). */
  end: Date;
  /** `YYYY-MM-DD` (Asia/Jakarta) of the first day. */
  startDate: string;
  /** `YYYY-MM-DD` (Asia/Jakarta) of the last day (inclusive). */
  lastDate: string;
}

/** Midnight Asia/Jakarta at the start of a `YYYY-MM-DD` day, or null for anything that is not a real day. */
export function wibMidnight(date: string): Date | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const utc = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  const back = new Date(utc);
  if (back.getUTCFullYear() !== +m[1] || back.getUTCMonth() !== +m[2] - 1 || back.getUTCDate() !== +m[3])
    return null;
  return new Date(utc - WIB_MS);
}

/** `YYYY-MM-DD` of the Asia/Jakarta day an instant falls on. */
export function wibDay(at: Date): string {
  return new Date(at.getTime() + WIB_MS).toISOString().slice(0, 10);
}

function anchorOf(rule: PeriodRule): number {
  const anchor = wibMidnight(rule.anchorDate);
  if (!anchor || !Number.isInteger(rule.periodDays) || rule.periodDays < 1)
    throw new RangeError(`invalid invoicing period rule ${rule.anchorDate} / ${rule.periodDays} days`);
  return anchor.getTime();
}

function periodAt(index: number, anchor: number, rule: PeriodRule): InvoicePeriod {
  const length = rule.periodDays * DAY_MS;
  const start = new Date(anchor + index * length);
  const end = new Date(start.getTime() + length);
  return { start, end, startDate: wibDay(start), lastDate: wibDay(new Date(end.getTime() - 1)) };
}

/** The period an instant belongs to. */
export function periodContaining(at: Date, rule: PeriodRule): InvoicePeriod {
  const anchor = anchorOf(rule);
  return periodAt(Math.floor((at.getTime() - anchor) / (rule.periodDays * DAY_MS)), anchor, rule);
}

/** The period that starts on `startDate` (`YYYY-MM-DD`), or null when no period starts that day. */
export function periodStartingOn(startDate: string, rule: PeriodRule): InvoicePeriod | null {
  const start = wibMidnight(startDate);
  if (!start) return null;
  const period = periodContaining(start, rule);
  return period.start.getTime() === start.getTime() ? period : null;
}

/** The period right after `p`. */
export function nextPeriod(p: InvoicePeriod, rule: PeriodRule): InvoicePeriod {
  return periodContaining(p.end, rule);
}

/**
 * The periods that are over by `asOf` (end ≤ asOf), oldest first, from the one containing `from`; empty
 * when that one is not over yet.
 */
export function closedPeriodsFrom(from: Date, asOf: Date, rule: PeriodRule): InvoicePeriod[] {
  const out: InvoicePeriod[] = [];
  for (let p = periodContaining(from, rule); p.end.getTime() <= asOf.getTime(); p = nextPeriod(p, rule))
    out.push(p);
  return out;
}

/** The `count` periods up to the one `at` falls in, newest first. */
export function periodsUpTo(at: Date, count: number, rule: PeriodRule): InvoicePeriod[] {
  const out: InvoicePeriod[] = [];
  for (
    let p = periodContaining(at, rule);
    out.length < count;
    p = periodContaining(new Date(p.start.getTime() - 1), rule)
  )
    out.push(p);
  return out;
}
