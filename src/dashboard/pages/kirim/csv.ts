/**
 * CSV as the bulk upload reads it (RFC 4180: quoted cells may hold commas, quotes doubled, line breaks;
 * rows end in LF, CRLF or CR, mixed in one file as the API allows), so the page can show each row and
 * resend the fixed ones.
 */

export interface CsvTable {
  /** The field separator the file uses, told by its header row (see `delimiterOf`); sent back the same way. */
  delimiter: CsvDelimiter;
  header: string[];
  /** The data rows, each cell by its column's name (blank lines skipped, as the API skips them). */
  rows: Record<string, string>[];
  /**
   * Each data row's line as a spreadsheet numbers it (the header is 1, blank lines count, a cell spanning
   * lines stays in its row): the `line` the API gives a bad CSV row.
   */
  lines: number[];
  /**
   * Per data row: why its cells do not line up with the header, worded as the API words it (null: they
   * do). Put under the header by position, such a row's values would be sent under the wrong columns.
   */
  misaligned: (string | null)[];
}

export type CsvDelimiter = ',' | ';' | '\t';

/**
 * The separator of a CSV as the API tells it from the header row (the first line not blank): a tab when it
 * has more tabs than commas and semicolons (a spreadsheet saved as tab-separated text); else `;` when it has
 * more semicolons than commas, as a spreadsheet saves it in an Indonesian locale; otherwise `,`.
 */
export function delimiterOf(text: string): CsvDelimiter {
  // The first line with a visible character, in one pass: a regular expression for it took the square of a
  // long blank line's length (the API's csv-lines.ts, headerLine).
  const first = text.search(/\S/);
  const lineEnd = /[\r\n]/g;
  lineEnd.lastIndex = Math.max(first, 0);
  const header =
    first < 0
      ? ''
      : text.slice(
          Math.max(text.lastIndexOf('\n', first), text.lastIndexOf('\r', first)) + 1,
          lineEnd.exec(text)?.index ?? text.length,
        );
  const count = (c: string) => header.split(c).length - 1;
  const tabs = count('\t');
  if (tabs > count(',') && tabs > count(';')) return '\t';
  return count(';') > count(',') ? ';' : ',';
}

/**
 * The text of an uploaded file as the API would read it: UTF-16 when a byte-order mark says so, UTF-8 when it
 * is valid UTF-8, otherwise Windows-1252 (an older spreadsheet's "CSV").
 */
export function csvFileText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Every record of the text with its line (as in `CsvTable.lines`), cells as written; a leading BOM is dropped. */
function readRecords(text: string, delimiter: CsvDelimiter): { cells: string[]; line: number }[] {
  const records: { cells: string[]; line: number }[] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    record.push(cell);
    // A blank line, or a row of empty cells (`;;;;` as a spreadsheet saves a row that once held something),
    // is no record: the API skips them too, so row numbers agree.
    if (record.some((c) => c.trim() !== '')) records.push({ cells: record, line });
    line += 1;
    record = [];
    cell = '';
  };
  for (; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      record.push(cell);
      cell = '';
    } else if (c === '\n') endRecord();
    else if (c === '\r') {
      endRecord();
      if (text[i + 1] === '\n') i += 1;
    } else cell += c;
  }
  if (cell !== '' || record.length > 0) endRecord();
  return records;
}

/**
 * Every record of the text, cells as written (quotes removed); a leading byte-order mark is dropped. Fields
 * are separated by `delimiter`, by default the one the header row tells.
 */
export function parseCsvRecords(text: string, delimiter = delimiterOf(text)): string[][] {
  return readRecords(text, delimiter).map((r) => r.cells);
}

/** The header row and the data rows by column name (cells trimmed, as the API trims them), with their lines. */
export function parseCsv(text: string): CsvTable {
  const delimiter = delimiterOf(text);
  const [header, ...data] = readRecords(text, delimiter);
  const names = (header?.cells ?? []).map((h) => h.trim());
  return {
    delimiter,
    header: names,
    rows: data.map(({ cells }) => {
      const row = Object.fromEntries(names.map((name, i) => [name, (cells[i] ?? '').trim()]));
      // Columns without a name share one key: a value under any of them is kept (sent back under each),
      // for the API to refuse, rather than lost to an empty one after it.
      const unnamed = names.flatMap((name, i) => (name === '' ? [(cells[i] ?? '').trim()] : []));
      if (unnamed.length) row[''] = unnamed.find((v) => v !== '') ?? '';
      return row;
    }),
    lines: data.map((r) => r.line),
    misaligned: data.map(({ cells }) => misalignment(cells, names, delimiter)),
  };
}

/** A separator as the API names it (csv-lines.ts). */
const DELIMITER_NAME: Record<CsvDelimiter, string> = { ',': 'a comma', ';': 'a semicolon', '\t': 'a tab' };

/**
 * As the API judges a row (shipments-csv.ts): short of the header's last named column, or a value past its
 * last column (empty cells there, or unnamed columns left off the end, are what spreadsheets leave).
 */
function misalignment(cells: string[], header: string[], delimiter: CsvDelimiter): string | null {
  const named = header.reduce((last, h, i) => (h === '' ? last : i + 1), 0);
  const short = cells.length < named;
  if (!short && cells.slice(header.length).every((c) => c.trim() === '')) return null;
  const why = short
    ? 'a delimiter missing?'
    : `a value past the last column: ${DELIMITER_NAME[delimiter]} inside a value needs the value in double quotes`;
  return `has ${cells.length} cells where the header has ${short ? named : header.length} (${why})`;
}

/**
 * A cell as written: trimmed (the API trims unquoted cells but keeps spaces inside quotes, so a trimmed
 * cell reads the same either way), quoted only where it must be.
 */
const quote = (raw: string) => {
  const value = raw.trim();
  return /[",;\t\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
};

/**
 * CSV text of the header and rows (CRLF line ends), each cell trimmed, fields separated by `delimiter` (the
 * uploaded file's, so the API reads its numbers as it would the file's).
 */
export function toCsv(
  header: readonly string[],
  rows: readonly Record<string, string>[],
  delimiter: CsvDelimiter = ',',
): string {
  return [header, ...rows.map((row) => header.map((name) => row[name] ?? ''))]
    .map((cells) => cells.map(quote).join(delimiter))
    .join('\r\n')
    .concat('\r\n');
}

/** The bulk upload's columns, as GET /v1/shipments/bulk/template writes them. */
const BULK_COLUMNS = [
  'reference',
  'originAddressId',
  'recipientName',
  'recipientPhone',
  'recipientAddress',
  'recipientDistrict',
  'recipientCity',
  'recipientProvince',
  'recipientPostalCode',
  'weightGrams',
  'lengthCm',
  'widthCm',
  'heightCm',
  'itemValue',
  'description',
  'codAmount',
  'courierCode',
  'courierService',
];
const headerKey = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '');
const BULK_COLUMN_OF_KEY = new Map(BULK_COLUMNS.map((c) => [headerKey(c), c]));

/**
 * The bulk column a header cell names, as the API matches it (letter case, surrounding spaces, and spaces
 * or underscores between words aside: `Recipient Name` is `recipientName`); a name no column has, as written.
 */
export function bulkColumnOf(name: string): string {
  return BULK_COLUMN_OF_KEY.get(headerKey(name)) ?? name;
}

/**
 * The CSV column an API error names: the bulk import reads `recipientPhone` into `recipient.phone`,
 * `weightGrams` into `parcel.weightGrams` and `courierCode` into `courier.code`; this maps them back.
 */
export function csvColumnOf(field: string): string {
  const [head, rest] = [field.split('.')[0], field.split('.').slice(1).join('.')];
  if (!rest) return head;
  if (head === 'recipient') return `recipient${rest.charAt(0).toUpperCase()}${rest.slice(1)}`;
  if (head === 'parcel') return rest;
  if (head === 'courier') return `courier${rest.charAt(0).toUpperCase()}${rest.slice(1)}`;
  return field;
}
