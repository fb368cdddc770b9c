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

/**
 * The moment a query or body names (an ISO 8601 date or date-time, as IsInstant checks): a bare date is
 * 00:00 Asia/Jakarta that day, and a date-time without an offset is Jakarta's wall clock, the time sellers
 * and finance live by (JavaScript reads the first as UTC and the second in the server's zone).
 */
export function instantOf(text: string): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return new Date(`${text}T00:00:00+07:00`);
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(text)) return new Date(`${text}+07:00`);
  return new Date(text);
}

/** Parses `YYYY-MM-DD HH:mm[:ss]` or `DD-MM-YYYY HH:mm` written in WIB; null when it is neither. */
export function parseWib(text: string): Date | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  const dayFirst = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2})$/.exec(text.trim());
  let parts: number[] | null = null;
  if (iso) parts = [+iso[1], +iso[2], +iso[3], +iso[4], +iso[5], +(iso[6] ?? 0)];
  else if (dayFirst) parts = [+dayFirst[3], +dayFirst[2], +dayFirst[1], +dayFirst[4], +dayFirst[5], 0];
  if (!parts) return null;
  const [y, mo, d, h, mi, s] = parts;
  // Out-of-range parts are refused, not rolled over (day 32 is not the next month's first); so is a year
  // before couriers kept tracking online (Date.UTC would also read a year below 100 as 19xx).
  const at = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(at);
  if (y < 2000 || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return null;
  return new Date(at - WIB_MS);
}

const MONTHS_ID = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

/** `1 Des 2026`: the WIB day in Indonesian. */
export function formatWibDateId(at: Date): string {
  const d = new Date(at.getTime() + WIB_MS);
  return `${d.getUTCDate()} ${MONTHS_ID[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}
