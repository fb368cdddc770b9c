import { parse } from 'csv-parse/sync';
import { ANY_LINE_ENDING, delimiterOfHeader } from '../common/csv-lines';
import { hasVisibleText, isOneLine } from '../common/validators';
import type { CourierCode } from './courier-adapter';

/**
 * One district's place in a courier's own location scheme (docs/courier-locations.md), as stored in
 * `courier_location_codes`. What each field holds depends on the courier:
 *
 * | courier   | code                          | city_code           | label                    | city_label              | province_label |
 * |-----------|-------------------------------|---------------------|--------------------------|-------------------------|----------------|
 * | jne       | tariff code (`CGK10000`)      | —                   | —                        | —                       | —              |
 * | jnt       | area code (`JKT001`)          | 3-char city (`JKT`) | district name for tariff | city name for tariff    | —              |
 * | sap       | district code (`JK1007`)      | city code (`JK00`)  | —                        | —                       | —              |
 * | idexpress | district id (numeric)         | city id (numeric)   | —                        | —                       | —              |
 * | ninja     | L3 (kecamatan) name           | —                   | L3 name                  | L2 (city) name          | L1 (province)  |
 */
export interface LocationRow {
  /** Kemendagri district code of the area directory ("32.73.01"). */
  districtCode: string;
  code: string;
  label: string | null;
  cityCode: string | null;
  cityLabel: string | null;
  provinceLabel: string | null;
}

/** The CSV's columns, as its header names them. `district_code` and `code` are always required. */
export const LOCATION_COLUMNS = [
  'district_code',
  'code',
  'label',
  'city_code',
  'city_label',
  'province_label',
] as const;
type Column = (typeof LOCATION_COLUMNS)[number];

const FIELD: Record<Exclude<Column, 'district_code'>, Exclude<keyof LocationRow, 'districtCode'>> = {
  code: 'code',
  label: 'label',
  city_code: 'cityCode',
  city_label: 'cityLabel',
  province_label: 'provinceLabel',
};

/** Per courier: the columns every row must fill, and the shape its codes take (from the courier notes). */
export const COURIER_LOCATION_RULES: Record<
  CourierCode,
  { required: Column[]; patterns: Partial<Record<Column, { re: RegExp; says: string }>> }
> = {
  // OLSHOP_ORIG/OLSHOP_DEST are at most 10 characters (jne.md §3.2); tariff codes are 8 (`CGK10000`).
  jne: {
    required: ['code'],
    patterns: { code: { re: /^[A-Z0-9]{1,10}$/, says: 'up to 10 capital letters or digits' } },
  },
  // receiver_area ≤ 10, origin_code/destination_code 3 characters (jnt.md §3.2); the tariff takes names.
  jnt: {
    required: ['code', 'city_code', 'label', 'city_label'],
    patterns: {
      code: { re: /^[A-Z0-9]{1,10}$/, says: 'up to 10 capital letters or digits' },
      city_code: { re: /^[A-Z0-9]{3}$/, says: '3 capital letters or digits' },
    },
  },
  // pickup_district_code / destination_district_code ≤ 6 (sap.md §3.4).
  sap: {
    required: ['code'],
    patterns: {
      code: { re: /^[A-Z0-9]{1,6}$/, says: 'up to 6 capital letters or digits' },
      city_code: { re: /^[A-Z0-9]{1,6}$/, says: 'up to 6 capital letters or digits' },
    },
  },
  // senderCityId / recipientDistrictId are numbers (idexpress.md §3.1).
  idexpress: {
    required: ['code', 'city_code'],
    patterns: {
      code: { re: /^[0-9]{1,12}$/, says: 'a number (up to 12 digits)' },
      city_code: { re: /^[0-9]{1,12}$/, says: 'a number (up to 12 digits)' },
    },
  },
  // Ninja takes names (ninja.md §3.2): its own L1/L2/L3 spelling.
  ninja: { required: ['code', 'city_label', 'province_label'], patterns: {} },
};

const MAX_TEXT = 100;
/**
 * The largest location file read: twice one with every district (7,277) and every column at its longest
 * (under 4 MB); anything bigger cannot be a mapping and is refused before it is read.
 */
export const MAX_LOCATION_FILE_BYTES = 8 * 1024 * 1024;
/**
 * The most rows read: over twice the directory's 7,277 districts. Read whole, 2 million one-letter rows (a
 * 4 MB file) took the command 4 GB of memory and 166 s before it died; past this, the file is refused.
 */
export const MAX_LOCATION_ROWS = 20_000;
const DISTRICT_CODE = /^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$/;
/**
 * Control characters, and the invisible ones: format characters (zero-width space, direction overrides),
 * surrogates alone, private use and unassigned code points (U+FFFE). A Ninja label of only U+200B passed
 * as a value, and every booking to that district failed at Ninja.
 */
const CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u;
/** Problems listed before giving up on a file (the first ones are enough to fix it). */
const MAX_PROBLEMS = 20;

export type LocationFile = { ok: true; rows: LocationRow[] } | { ok: false; problems: string[] };

const show = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * A courier's location CSV checked whole: the header names known columns (district_code and code among
 * them, each once); every row has the header's column count, a district the directory knows
 * (`isDistrict`) given once, and values that are non-empty where the courier needs them, without control
 * characters, short enough, and in the courier's code shape. Pure: refuses by returning every problem
 * (up to 20), each naming its row (the header is row 1).
 */
export function readLocationFile(
  courier: CourierCode,
  text: string,
  isDistrict: (code: string) => boolean,
): LocationFile {
  // Comma separated, as the docs specify: a `;` (or tab-separated) file read as one column was refused for an
  // unknown column named like the whole header, which did not say what to do.
  const separator = delimiterOfHeader(text);
  if (separator !== ',')
    return {
      ok: false,
      problems: [
        `row 1: the columns are separated by ${separator === ';' ? 'semicolons' : 'tabs'}; save the file as CSV separated by commas (docs/courier-locations.md)`,
      ],
    };
  let records: { record: string[]; info: { lines: number; empty_lines: number } }[];
  const tooMany = new Error('too many rows');
  let read = 0;
  try {
    records = parse(text, {
      bom: true,
      record_delimiter: ANY_LINE_ENDING,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      on_record: (r: string[]) => {
        if (++read > MAX_LOCATION_ROWS + 1) throw tooMany;
        return r;
      },
    }) as unknown as typeof records;
  } catch (e) {
    if (e === tooMany)
      return {
        ok: false,
        problems: [
          `the file has more than ${MAX_LOCATION_ROWS} rows: a mapping has one row per district (the directory has 7,277)`,
        ],
      };
    return { ok: false, problems: [`not a CSV file: ${(e as Error).message}`] };
  }
  const starts = startLines(records);
  const [head, ...body] = records;
  if (!head)
    return { ok: false, problems: ['the file is empty: a header row and one row per district are needed'] };
  const header = head.record.map((h) => h.trim().toLowerCase());
  const problems: string[] = [];
  header.forEach((h, i) => {
    if (!(LOCATION_COLUMNS as readonly string[]).includes(h))
      problems.push(`row 1: unknown column ${show(h)} (columns: ${LOCATION_COLUMNS.join(', ')})`);
    else if (header.indexOf(h) !== i) problems.push(`row 1: column ${h} given twice`);
  });
  const rules = COURIER_LOCATION_RULES[courier];
  for (const column of ['district_code', ...rules.required])
    if (!header.includes(column))
      problems.push(`row 1: the header has no ${column} column (needed for ${courier})`);
  if (problems.length) return { ok: false, problems };
  if (!body.length)
    return { ok: false, problems: ['the file has no rows: a mapping needs at least one district'] };

  const rows: LocationRow[] = [];
  const seen = new Map<string, number>();
  for (const [i, { record }] of body.entries()) {
    if (problems.length >= MAX_PROBLEMS) {
      problems.push(
        `… and rows after row ${starts[i]} not checked: the first ${MAX_PROBLEMS} problems are listed`,
      );
      break;
    }
    const rowNo = starts[i + 1];
    const at = (problem: string) => problems.push(`row ${rowNo}: ${problem}`);
    if (record.length !== header.length) {
      at(`${record.length} columns, the header has ${header.length}`);
      continue;
    }
    const value = (column: Column) => {
      const i = header.indexOf(column);
      return i < 0 ? '' : record[i].trim();
    };
    let bad = false;
    for (const column of header as Column[]) {
      const v = value(column);
      if (CONTROL.test(v)) {
        at(`${column} contains a control or invisible character`);
        bad = true;
      } else if (!isOneLine(v)) {
        // U+2028 and U+2029 are no control characters, but break a label a courier prints.
        at(`${column} must be one line: no line breaks`);
        bad = true;
      } else if (v && !hasVisibleText(v)) {
        // Hangul fillers and the blank Braille pattern are letters and signs that show nothing: a code or
        // label of only them would be sent to the courier as written.
        at(`${column} has only invisible characters`);
        bad = true;
      } else if (v.length > MAX_TEXT) {
        at(`${column} is longer than ${MAX_TEXT} characters`);
        bad = true;
      } else if (!v && (column === 'district_code' || rules.required.includes(column))) {
        at(`${column} is empty`);
        bad = true;
      } else if (v && rules.patterns[column] && !rules.patterns[column].re.test(v)) {
        at(`${column} ${show(v)} is not ${rules.patterns[column].says}`);
        bad = true;
      }
    }
    if (bad) continue;
    const districtCode = value('district_code');
    if (!DISTRICT_CODE.test(districtCode) || !isDistrict(districtCode)) {
      at(`district_code ${show(districtCode)} is not a district`);
      continue;
    }
    const earlier = seen.get(districtCode);
    if (earlier !== undefined) {
      at(`district_code ${districtCode} is already given in row ${earlier}`);
      continue;
    }
    seen.set(districtCode, rowNo);
    const row: LocationRow = {
      districtCode,
      code: '',
      label: null,
      cityCode: null,
      cityLabel: null,
      provinceLabel: null,
    };
    for (const [column, field] of Object.entries(FIELD) as [keyof typeof FIELD, keyof LocationRow][]) {
      const v = value(column);
      (row as unknown as Record<string, string | null>)[field] = field === 'code' ? v : v || null;
    }
    rows.push(row);
  }
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}

/**
 * The line each record starts on (blank lines count). csv-parse tells only where a record ends, and counts a
 * CRLF inside a quoted cell as two lines: a bad value in a cell spanning lines was blamed on a later row.
 */
function startLines(records: readonly { record: string[]; info: { empty_lines: number } }[]): number[] {
  const starts: number[] = [];
  let next = 1;
  let blank = 0;
  for (const { record, info } of records) {
    const start = next + info.empty_lines - blank;
    starts.push(start);
    next = start + 1 + record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    blank = info.empty_lines;
  }
  return starts;
}

/** Inserts or overwrites rows of one courier ($1) from parallel arrays (locationRowArrays), in one statement. */
export const insertLocationRowsSql = `
  INSERT INTO courier_location_codes (courier, district_code, code, label, city_code, city_label, province_label)
  SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
  ON CONFLICT (courier, district_code) DO UPDATE SET code = excluded.code, label = excluded.label,
    city_code = excluded.city_code, city_label = excluded.city_label, province_label = excluded.province_label`;

export const locationRowArrays = (rows: readonly LocationRow[]) => [
  rows.map((r) => r.districtCode),
  rows.map((r) => r.code),
  rows.map((r) => r.label),
  rows.map((r) => r.cityCode),
  rows.map((r) => r.cityLabel),
  rows.map((r) => r.provinceLabel),
];
