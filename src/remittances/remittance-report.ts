import { createHash } from 'node:crypto';
import { defaults } from 'config/defaults';
import { parse } from 'csv-parse/sync';
import { airwayBillKey } from 'src/common/airway-bill';
import { ANY_LINE_ENDING, cellCountProblem, delimiterOfHeader, lastNamedColumn } from 'src/common/csv-lines';
import { type FieldProblem, ValidationFailedError } from 'src/common/errors/app-error';
import type { Rupiah } from 'src/common/money';
import { isCalendarDay, parseInstant, wibDate } from 'src/common/wib';

/** One line of a courier's remittance report: the parcel, the COD cash remitted for it, and when. */
export interface ReportLine {
  /** 1-based data row (the header is row 0). */
  row: number;
  awb: string;
  /** Rupiah. */
  amount: Rupiah;
  /** `YYYY-MM-DD`, the courier's (Asia/Jakarta) date. */
  remittedOn: string;
}

export type ReportColumn = 'awb' | 'amount' | 'remittedOn';

/**
 * The header words couriers use for each column, compared lower-cased with spaces, dots and hyphens as
 * underscores (so `COD Amount`, `cod-amount` and `COD_AMOUNT` are one word).
 */
export const HEADER_ALIASES: Record<ReportColumn, readonly string[]> = {
  awb: ['awb', 'no_resi', 'cnote_no', 'waybill', 'tracking_id', 'tracking_number'],
  amount: ['cod_amount', 'nilai_cod', 'cod_value', 'amount'],
  remittedOn: [
    'remitted_date',
    'remitted_at',
    'tanggal',
    'tgl_setor',
    'tanggal_setor',
    'tgl_transfer',
    'tanggal_transfer',
    'date',
  ],
};

/**
 * Aliases that name a column only loosely: beside a specific one (`amount` beside `cod_amount`, `tanggal`
 * beside `tgl_setor`) they are some other amount or date of the report's, and the specific one is read.
 */
const GENERIC_ALIASES: ReadonlySet<string> = new Set(['amount', 'tanggal', 'date']);

const COLUMN_NAMES: Record<ReportColumn, string> = {
  awb: 'awb',
  amount: 'amount',
  remittedOn: 'remitted date',
};

/** Details listed at most in one 400 (the rest are counted in a last entry). */
export const MAX_REPORTED_PROBLEMS = 100;
const MAX_AWB_LENGTH = 64;
/**
 * Rows a report may have, blank ones too: a 2 MB report of real lines (35 bytes or more each) has at most
 * 60,000. csv-parse spends tens of microseconds on each row shorter than the header, so a report of a
 * million one-letter rows held the event loop for most of a minute before this.
 */
export const MAX_REPORT_ROWS = 100_000;
const AWB = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const normalizeHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s.\-/]+/g, '_');

/**
 * Reads a courier's remittance report: a header row naming AWB, COD amount and remitted date in any of the
 * couriers' words (other columns are ignored), `;` or `,` between fields (told by the header row), a BOM or
 * not. A malformed row rejects the whole report, so nothing of a half-read report is ever settled; every
 * offending row and field is named (`row N: amount`). A line remitted after `today` (the Jakarta date of the
 * upload) is refused: cash is remitted before it is reported, and a line dated ahead would match any parcel
 * delivered before that day.
 * @throws ValidationFailedError (VALIDATION_FAILED) for unreadable CSV, a missing column, no rows, or bad rows.
 */
export function parseRemittanceReport(text: string, today: string): ReportLine[] {
  const body = text.replace(/^\uFEFF/, '');
  const delimiter = delimiterOfHeader(body);
  const records: string[][] = [];
  const tooMany = new ValidationFailedError([
    { field: 'body', message: `has more than ${MAX_REPORT_ROWS} rows; send the report in parts` },
  ]);
  try {
    parse(body, {
      delimiter,
      record_delimiter: ANY_LINE_ENDING,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      // Rows are checked against the header below: a spreadsheet's trailing empty cells are no fault.
      relax_column_count: true,
      on_record: (record: string[]) => {
        if (records.length > MAX_REPORT_ROWS) throw tooMany;
        records.push(record);
        return null;
      },
    });
  } catch (e) {
    if (e === tooMany) throw e;
    throw new ValidationFailedError([
      { field: 'body', message: `is not readable CSV: ${(e as Error).message.slice(0, 200)}` },
    ]);
  }
  const [header, ...rows] = records;
  const index = columnIndex(header ?? []);
  if (!rows.length) throw new ValidationFailedError([{ field: 'body', message: 'has no data rows' }]);

  const problems: FieldProblem[] = [];
  const lines: ReportLine[] = [];
  let total = 0;
  // Once, not per row: a header of a million empty cells made each row's check walk it (minutes in all).
  const named = lastNamedColumn(header);
  rows.forEach((cells, i) => {
    const row = i + 1;
    // A row of empty cells (`;;` where a spreadsheet's row once held something) is no line.
    if (cells.every((c) => c === '')) return;
    const misfit = cellCountProblem(cells, header, delimiter, named);
    if (misfit) {
      problems.push({ field: `row ${row}`, message: misfit });
      return;
    }
    const awb = cells[index.awb];
    let amount = parseRupiah(cells[index.amount]);
    // A line is one parcel's COD cash, which no parcel holds more of than a shipment may name.
    if (typeof amount === 'number' && amount > defaults.maxCodAmount)
      amount = `is more than one parcel's COD can be (at most ${defaults.maxCodAmount})`;
    const date = parseReportDate(cells[index.remittedOn]);
    const awbProblem = !awb
      ? 'is empty'
      : awb.length > MAX_AWB_LENGTH
        ? `is longer than ${MAX_AWB_LENGTH} characters`
        : !AWB.test(awb)
          ? 'may hold only letters, digits and hyphens'
          : null;
    if (awbProblem) problems.push({ field: `row ${row}: awb`, message: awbProblem });
    if (typeof amount === 'string') problems.push({ field: `row ${row}: amount`, message: amount });
    const dateProblem =
      date === null
        ? 'must be a date (YYYY-MM-DD, DD/MM/YYYY or ISO 8601)'
        : date > today
          ? `is after today (${today}): a report lists cash already remitted`
          : null;
    if (dateProblem) problems.push({ field: `row ${row}: remitted date`, message: dateProblem });
    if (awbProblem || typeof amount === 'string' || date === null || dateProblem) return;
    total += amount;
    // Airway bills are written in capitals by every courier; a report typed in lower case names the same parcel.
    lines.push({ row, awb: airwayBillKey(awb), amount, remittedOn: date });
  });
  if (!problems.length && !lines.length)
    throw new ValidationFailedError([{ field: 'body', message: 'has no data rows' }]);
  if (!problems.length && !Number.isSafeInteger(total))
    problems.push({ field: 'body', message: 'the amounts add up to more than can be settled at once' });
  if (problems.length) {
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
    if (problems.length > shown.length)
      shown.push({ field: 'body', message: `and ${problems.length - shown.length} more problems` });
    throw new ValidationFailedError(shown, 'The remittance report has rows that cannot be read');
  }
  return lines;
}

/** Where each column is in the header row. @throws ValidationFailedError naming a missing or doubled column */
function columnIndex(header: string[]): Record<ReportColumn, number> {
  const words = header.map(normalizeHeader);
  const problems: FieldProblem[] = [];
  const index = {} as Record<ReportColumn, number>;
  for (const column of Object.keys(HEADER_ALIASES) as ReportColumn[]) {
    const named = words.flatMap((w, i) => (HEADER_ALIASES[column].includes(w) ? [i] : []));
    const specific = named.filter((i) => !GENERIC_ALIASES.has(words[i]));
    const found = specific.length ? specific : named;
    if (found.length === 1) index[column] = found[0];
    else
      problems.push({
        field: `body.${COLUMN_NAMES[column]}`,
        message: found.length
          ? `column appears ${found.length} times (${found.map((i) => header[i]).join(', ')})`
          : `column is required: a header named one of ${HEADER_ALIASES[column].join(', ')}`,
      });
  }
  if (problems.length)
    throw new ValidationFailedError(problems, 'The remittance report’s header is not usable');
  return index;
}

/**
 * An amount as couriers write it — `150000`, `150.000` (Indonesian thousands), `150,000`, `Rp 150.000`,
 * `150,000.00`, `150.000,00` — as whole rupiah; or why it is not one (a string). A group of exactly three
 * digits after the only separator is thousands; one or two digits are cents, which must be zero.
 */
export function parseRupiah(text: string | undefined): Rupiah | string {
  const t = (text ?? '')
    .trim()
    .replace(/^(rp|idr)\.?\s*/i, '')
    .replace(/\s+/g, '');
  if (!t) return 'is empty';
  if (t.startsWith('-')) return 'must be a positive amount of rupiah';
  let whole: string;
  let fraction: string;
  const thousandsDot = /^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.exec(t);
  const thousandsComma = /^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.exec(t);
  const plain = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(t);
  if (thousandsDot) [whole, fraction = ''] = t.split(',');
  else if (thousandsComma) [whole, fraction = ''] = t.split('.');
  else if (plain) [, whole, fraction = ''] = plain;
  else return 'is not an amount of rupiah (e.g. 150000, 150.000 or Rp 150.000)';
  if (/[1-9]/.test(fraction)) return 'has a fraction of a rupiah; amounts are whole rupiah';
  const digits = whole.replace(/[.,]/g, '');
  const value = Number(digits);
  if (digits.length > 15 || !Number.isSafeInteger(value)) return 'is too large';
  if (value <= 0) return 'must be a positive amount of rupiah';
  return value;
}

const ymd = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * A remitted date as couriers write it — `YYYY-MM-DD`, `DD/MM/YYYY` (or with `-`), `YYYY-MM-DD HH:mm[:ss]`
 * (Jakarta time) or an ISO 8601 instant with an offset — as the `YYYY-MM-DD` of that day in Jakarta; null
 * when it is none of them or no such day (years 2000–2199).
 */
export function parseReportDate(text: string | undefined): string | null {
  const t = (text ?? '').trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?$/.exec(t);
  let y: number, mo: number, d: number;
  if (m) {
    if (+(m[4] ?? 0) > 23 || +(m[5] ?? 0) > 59 || +(m[6] ?? 0) > 59) return null;
    [y, mo, d] = [+m[1], +m[2], +m[3]];
  } else if ((m = /^(\d{2})[/-](\d{2})[/-](\d{4})$/.exec(t))) [y, mo, d] = [+m[3], +m[2], +m[1]];
  else {
    // An instant with its offset, read by the one strict parser (parseInstant): its day in Jakarta.
    const at = parseInstant(t);
    if (!at) return null;
    [y, mo, d] = wibDate(at).split('-').map(Number);
  }
  if (y < 2000 || y > 2199 || !isCalendarDay(y, mo, d)) return null;
  return ymd(y, mo, d);
}

/**
 * A report's lines, hashed: what stays the same when the same report is saved again in other bytes (line
 * endings, a BOM, another delimiter or quoting) or its rows sorted otherwise. Each line is awb, amount and
 * date, tab-separated; the lines in byte order of their UTF-8 text, one per row. Migration
 * RemittanceContentUnordered hashes stored lines alike.
 */
export function remittanceContentSha256(lines: readonly ReportLine[]): string {
  const texts = lines.map((l) =>
    Buffer.from(`${airwayBillKey(l.awb)}\t${l.amount}\t${l.remittedOn}`, 'utf8'),
  );
  return createHash('sha256')
    .update(
      Buffer.concat(texts.sort((a, b) => Buffer.compare(a, b)).flatMap((t, i) => (i ? [NEWLINE, t] : [t]))),
    )
    .digest('hex');
}
const NEWLINE = Buffer.from('\n');
