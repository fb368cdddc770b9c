/** Western Indonesia Time (Asia/Jakarta, UTC+7, no daylight saving): how couriers write local times. */
const WIB_MS = 7 * 3600_000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DD HH:mm:ss` in WIB. */
export function formatWib(at: Date): string {
  const d = new Date(at.getTime() + WIB_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `DD-MM-YYYY HH:mm` in WIB (JNE's history dates). */
export function formatWibDayFirst(at: Date): string {
  const d = new Date(at.getTime() + WIB_MS);
  return `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** `YYYY-MM-DD` of the WIB day. */
export function wibDate(at: Date): string {
  return formatWib(at).slice(0, 10);
}

/** The instant the WIB day of `at` began (midnight in Jakarta). */
export function wibDayStart(at: Date): Date {
  const ms = at.getTime() + WIB_MS;
  return new Date(ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000) - WIB_MS);
}

/** Whether the calendar has this day (month 1–12, day within the month, leap years counted). */
export function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** 0001-01-01T00:00Z and 10000-01-01T00:00Z: PostgreSQL has no year 0, and no ISO string past 9999. */
const EARLIEST_INSTANT = -62135596800000;
const LATEST_INSTANT = 253402300800000;

/**
 * The moment a query, body or courier names, or null when it names none: an ISO 8601 calendar date
 * (`YYYY-MM-DD`, 00:00 Asia/Jakarta that day) or date-time (`YYYY-MM-DDTHH:mm[:ss[.fff]]`, with `Z` or an
 * offset `±HH:mm`/`±HHmm`; without one, Jakarta's wall clock, the time sellers and finance live by). A day
 * the calendar does not have (2026-02-30), hour 24, second 60 and years outside 0001–9999 are refused:
 * JavaScript's Date rolls the first three over into the next day or month, which answered for the wrong days.
 */
export function parseInstant(text: string): Date | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, s = 0] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  if (!isCalendarDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  let offsetMs = WIB_MS;
  const zone = m[8];
  if (zone === 'Z') offsetMs = 0;
  else if (zone) {
    const [, sign, oh, om] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    if (+oh > 23 || +om > 59) return null;
    offsetMs = (sign === '-' ? -1 : 1) * (+oh * 3600_000 + +om * 60_000);
  }
  const wall = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads a year below 100 as 19xx.
  wall.setUTCFullYear(y, mo - 1, d);
  wall.setUTCHours(h, mi, s, Number((m[7] ?? '.').slice(1, 4).padEnd(3, '0')));
  const at = wall.getTime() - offsetMs;
  return at >= EARLIEST_INSTANT && at < LATEST_INSTANT ? new Date(at) : null;
}

/**
 * The end of a query's window (exclusive) its `to` names: a date alone takes its whole Jakarta day (the next
 * day's 00:00), so `from=2026-12-05&to=2026-12-05` is that day; a date-time is the moment it says.
 * @throws RangeError for text parseInstant refuses: a caller that skipped validation
 */
export function windowEndOf(text: string): Date {
  const at = instantOf(text);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(at.getTime() + 86_400_000) : at;
}

/**
 * The moment a validated query or body names (see parseInstant; IsInstant has checked it).
 * @throws RangeError for text parseInstant refuses: a caller that skipped validation
 */
export function instantOf(text: string): Date {
  const at = parseInstant(text);
  if (!at) throw new RangeError(`not an instant: ${text}`);
  return at;
}

/**
 * A courier's time: `YYYY-MM-DD HH:mm[:ss]` or `DD-MM-YYYY HH:mm[:ss]` written in WIB, with `-` or `/`, and
 * day, month and hour of one digit too (`3-4-2022 9:05`, `03/04/2022 13:31`: Indonesians write the day
 * first); or ISO 8601 with its offset (`2022-08-10T10:03:40+07:00`, `…Z`), read at that offset. null when
 * it is none of them.
 */
export function parseWib(text: string): Date | null {
  // Indonesia's zone written after the time ("14:05 WITA"): that zone's wall clock, not Jakarta's. Unread,
  // the whole time was refused (a pushed scan from Makassar or Jayapura was malformed, a polled one dropped).
  const zoned = /^(.*\d)\s*\(?(WIB|WITA|WIT)\)?$/i.exec(text.trim());
  if (zoned) {
    const at = parseWib(zoned[1]);
    const hoursAhead = { WIB: 0, WITA: 1, WIT: 2 }[zoned[2].toUpperCase() as 'WIB' | 'WITA' | 'WIT'];
    return at && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(zoned[1])
      ? new Date(at.getTime() - hoursAhead * 3600_000)
      : null;
  }
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)$/.test(t)) {
    const at = parseInstant(t);
    return at && at.getUTCFullYear() >= 2000 ? at : null;
  }
  const iso = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  const dayFirst = /^(\d{1,2})([-/])(\d{1,2})\2(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  let parts: number[] | null = null;
  if (iso) parts = [+iso[1], +iso[3], +iso[4], +iso[5], +iso[6], +(iso[7] ?? 0)];
  else if (dayFirst)
    parts = [+dayFirst[4], +dayFirst[3], +dayFirst[1], +dayFirst[5], +dayFirst[6], +(dayFirst[7] ?? 0)];
  if (!parts) return null;
  const [y, mo, d, h, mi, s] = parts;
  // Out-of-range parts are refused, not rolled over (day 32 is not the next month's first); so is a year
  // before couriers kept tracking online (Date.UTC would also read a year below 100 as 19xx).
  if (y < 2000 || !isCalendarDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - WIB_MS);
}

const MONTHS_ID = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

/** `1 Des 2026`: the WIB day in Indonesian. */
export function formatWibDateId(at: Date): string {
  const d = new Date(at.getTime() + WIB_MS);
  return `${d.getUTCDate()} ${MONTHS_ID[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** `1 Des 2026 14.05 WIB`: the WIB time in Indonesian (a dot between hours and minutes). */
export function formatWibTimeId(at: Date): string {
  const d = new Date(at.getTime() + WIB_MS);
  return `${formatWibDateId(at)} ${pad(d.getUTCHours())}.${pad(d.getUTCMinutes())} WIB`;
}
