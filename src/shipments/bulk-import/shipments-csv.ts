import { parse } from 'csv-parse/sync';
import {
  ANY_LINE_ENDING,
  cellCountProblem,
  type CsvDelimiter,
  delimiterOfHeader,
  lastNamedColumn,
} from 'src/common/csv-lines';
import { stringify } from 'csv-stringify/sync';
import { type FieldProblem, ValidationFailedError } from 'src/common/errors/app-error';

/** The most shipments one bulk import takes (JSON rows or CSV data rows). */
export const MAX_BULK_ROWS = 5000;

/** The columns of a shipments CSV (header row required; order free; empty cells mean absent). */
export const CSV_COLUMNS = [
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
] as const;

/** The columns every CSV needs (a row may still leave optional ones empty). */
export const CSV_REQUIRED_COLUMNS: readonly string[] = [
  'reference',
  'originAddressId',
  'recipientName',
  'recipientPhone',
  'recipientAddress',
  'recipientCity',
  'recipientProvince',
  'recipientPostalCode',
  'weightGrams',
];

/** A header cell's words, as its column is matched: no letter case, spaces or underscores. */
const headerKey = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '');
const COLUMN_OF_KEY = new Map<string, (typeof CSV_COLUMNS)[number]>(
  CSV_COLUMNS.map((c) => [headerKey(c), c]),
);

/**
 * The column a header cell names, whatever its letter case, surrounding spaces, or spaces and underscores
 * between the words (` Reference `, `recipient name`, `RECIPIENT_POSTAL_CODE`), as people retype the
 * template's header; null for a name no column has. The dashboard's bulk page matches alike (its csv.ts).
 */
export function csvColumnOfHeader(name: string): (typeof CSV_COLUMNS)[number] | null {
  return COLUMN_OF_KEY.get(headerKey(name)) ?? null;
}
const NUMERIC = new Set(['weightGrams', 'lengthCm', 'widthCm', 'heightCm', 'itemValue', 'codAmount']);

/**
 * A number when the cell is an integer, otherwise the text (so validation can say what is wrong). In a
 * `;`-separated file (a spreadsheet saved in an Indonesian locale) a dot groups thousands: `150.000`. A
 * tab-separated file tells no locale (`1,500` is 1500 in one and 1.5 in the other), so only plain digits.
 */
function cell(column: string, value: string, delimiter: CsvDelimiter): string | number {
  if (!NUMERIC.has(column)) return value;
  if (/^-?\d+$/.test(value)) return Number(value);
  if (delimiter === ';' && /^-?\d{1,3}(\.\d{3})+$/.test(value)) return Number(value.replace(/\./g, ''));
  return value;
}

/** An example row of the template: a COD parcel to Jakarta (the seller fills its own rows in). */
const EXAMPLE: Record<(typeof CSV_COLUMNS)[number], string> = {
  reference: 'ORD-0001',
  originAddressId: '',
  recipientName: 'Budi Santoso',
  recipientPhone: '0812-9876-5432',
  recipientAddress: 'Jl. Kebon Sirih No. 5',
  recipientDistrict: 'Menteng',
  recipientCity: 'Jakarta Pusat',
  recipientProvince: 'DKI Jakarta',
  recipientPostalCode: '10340',
  weightGrams: '1200',
  lengthCm: '20',
  widthCm: '15',
  heightCm: '10',
  itemValue: '150000',
  description: 'Kain batik',
  codAmount: '150000',
  courierCode: '',
  courierService: '',
};

/**
 * The CSV a seller starts a bulk upload from: every column in the header row and one example row whose
 * origin is `originAddressId` (the seller's newest pickup address; empty when it has none). Upload-ready.
 * Led by a UTF-8 byte-order mark, so Excel reads what the seller types in as UTF-8 (an upload's BOM is
 * passed over).
 */
export function shipmentsCsvTemplate(originAddressId: string | null): string {
  return stringify([{ ...EXAMPLE, originAddressId: originAddressId ?? '' }], {
    header: true,
    columns: [...CSV_COLUMNS],
    bom: true,
  });
}

/**
 * A shipments CSV read: one object per data row, and each row's line: the header is line 1 and blank lines
 * count, as a spreadsheet numbers its rows (a file's line too, unless a quoted cell spans lines before it).
 */
export interface ShipmentsCsv {
  rows: Record<string, unknown>[];
  lines: number[];
  /** Per row: what makes it unreadable as a whole (its cells do not line up with the header), or null. */
  problems: (FieldProblem[] | null)[];
}

/** The most cells a header row may have: a spreadsheet's most columns (Excel's XFD). */
const MAX_HEADER_CELLS = 16_384;

/** Unknown header names an answer lists one by one (the rest are counted), each cut to this many characters. */
const MAX_NAMED_UNKNOWN = 20;
const MAX_ECHOED_NAME = 100;

/**
 * Reads a shipments CSV into the same nested shape a JSON request has, one object per data row, with the
 * line each is on. Reading stops at the first row past `maxRows`. What a spreadsheet leaves past its data
 * is passed over: rows with every cell empty (as Excel saves rows that once held something) and columns
 * without a name in the header, while every cell under them is empty. Header names are matched by
 * csvColumnOfHeader (letter case, spaces and underscores aside).
 * @throws ValidationFailedError (field `body`) for unreadable CSV, a header without the required columns, a
 * value under a column without a name, or more than `maxRows` data rows.
 */
export function parseShipmentsCsv(text: string, maxRows = MAX_BULK_ROWS): ShipmentsCsv {
  type Read = { record: string[]; info: { records: number; empty_lines: number } };
  const records: Read[] = [];
  // The header (known columns by their template name), kept as read.
  let header: string[] | null = null;
  const delimiter = delimiterOfHeader(text);
  // A 10 MB upload of short rows is half a million of them: read in full they held the event loop (every
  // request) for seconds before being refused as too many, so reading ends at the first one too many.
  const tooMany = new ValidationFailedError([
    { field: 'body', message: `has more than ${maxRows} rows; at most ${maxRows} per request` },
  ]);
  const tooWide = new ValidationFailedError([
    { field: 'body', message: `has more than ${MAX_HEADER_CELLS} cells in its header row` },
  ]);
  // Blank rows are read too (csv-parse spends tens of microseconds on each row shorter than the header): 10 MB
  // of `,` lines, which no row limit counted, held the event loop for minutes. A sheet has far fewer.
  let blank = 0;
  const tooManyBlank = new ValidationFailedError([
    {
      field: 'body',
      message: `has more than ${MAX_BULK_ROWS} blank rows; a sheet's rows of empty cells count here`,
    },
  ]);
  try {
    // Read as arrays, the header row included, and put under the header here: with csv-parse's own
    // `columns`, each row of fewer cells than a wide header cost time in the header's width (its error
    // copied every column), and a 118 KB file of 100,000 empty header cells held the event loop for minutes.
    parse(text, {
      // With `info`, each record comes as { record, info } (csv-parse's types know it only with `columns`).
      on_record: (value: unknown) => {
        const read = value as Read;
        if (!header) {
          if (read.record.length > MAX_HEADER_CELLS) throw tooWide;
          header = read.record.map((h) => csvColumnOfHeader(h) ?? h);
          return null;
        }
        // `;;;;;;` is a blank row of the sheet, not a shipment with every field missing: every cell empty,
        // those past the header's last column too (a row whose one value is there is no blank row).
        if (read.record.every((v) => v === '')) {
          blank += 1;
          if (blank > MAX_BULK_ROWS) throw tooManyBlank;
          return null;
        }
        if (records.length >= maxRows) throw tooMany;
        records.push(read);
        return null;
      },
      delimiter,
      record_delimiter: ANY_LINE_ENDING,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      // A row whose cells do not line up with the header is that row's error (rowProblems), not the file's.
      relax_column_count: true,
      info: true,
    });
  } catch (e) {
    if (e === tooMany || e === tooWide || e === tooManyBlank) throw e;
    throw new ValidationFailedError([
      { field: 'body', message: `is not readable CSV: ${(e as Error).message.slice(0, 200)}` },
    ]);
  }
  // Nothing but blank lines (or nothing): one problem, not every required column missing.
  const names: string[] = header ?? [];
  if (!names.length)
    throw new ValidationFailedError([
      {
        field: 'body',
        message: 'is empty: the first line must be the header row (GET /v1/shipments/bulk/template)',
      },
    ]);
  const named = names.filter((h) => h !== '');
  const unknown = [...new Set(named.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h)))];
  const missing = CSV_REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  const seen = new Set<string>();
  const twice = new Set(named.filter((h) => seen.size === seen.add(h).size));
  if (unknown.length || missing.length || twice.size) {
    // A header of a million names no column has is told in a few lines, not echoed back whole.
    const listed = unknown.slice(0, MAX_NAMED_UNKNOWN);
    throw new ValidationFailedError([
      ...listed.map((c) => ({
        field: `body.${c.length > MAX_ECHOED_NAME ? `${c.slice(0, MAX_ECHOED_NAME)}…` : c}`,
        message: 'is not a known column',
      })),
      ...(unknown.length > listed.length
        ? [{ field: 'body', message: `has ${unknown.length - listed.length} more unknown columns` }]
        : []),
      ...missing.map((c) => ({ field: `body.${c}`, message: 'column is required' })),
      ...[...twice].map((c) => ({ field: `body.${c}`, message: 'column is given twice' })),
    ]);
  }
  // A value under a column without a name belongs to no field: a header cell left empty by mistake
  // (codAmount's) would otherwise ship without it.
  // Cell by cell, once: each unnamed column asking every row cost its number times theirs.
  const valued = new Set<number>();
  for (const { record } of records)
    for (let i = 0; i < Math.min(record.length, names.length); i += 1)
      if (names[i] === '' && record[i] !== '') valued.add(i);
  if (valued.size)
    throw new ValidationFailedError(
      [...valued]
        .sort((a, b) => a - b)
        .map((i) => ({
          field: 'body',
          message: `column ${i + 1} has no name in the header row but holds a value`,
        })),
    );
  const known = names.flatMap((h, i) => (h === '' ? [] : [[h, i] as const]));
  const lastNamed = lastNamedColumn(names);
  return {
    rows: records.map(({ record }) =>
      shipmentOfRecord(Object.fromEntries(known.map(([h, i]) => [h, record[i] ?? ''])), delimiter),
    ),
    // The records before it (the header's row among them) and the blank lines before: a cell spanning
    // lines stays in its row.
    lines: records.map(({ info }) => info.records + info.empty_lines),
    problems: records.map(({ record }) => {
      const problem =
        record.length === names.length ? null : cellCountProblem(record, names, delimiter, lastNamed);
      return problem ? [{ field: 'row', message: problem }] : null;
    }),
  };
}

/** One CSV record in the nested shape of POST /v1/shipments; empty cells are absent. */
function shipmentOfRecord(r: Record<string, string>, delimiter: CsvDelimiter): Record<string, unknown> {
  const v = (c: string) => (r[c] === undefined || r[c] === '' ? undefined : cell(c, r[c], delimiter));
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
  return defined({
    reference: v('reference'),
    originAddressId: v('originAddressId'),
    recipient: defined({
      name: v('recipientName'),
      phone: v('recipientPhone'),
      address: v('recipientAddress'),
      district: v('recipientDistrict'),
      city: v('recipientCity'),
      province: v('recipientProvince'),
      postalCode: v('recipientPostalCode'),
    }),
    parcel: defined({
      weightGrams: v('weightGrams'),
      lengthCm: v('lengthCm'),
      widthCm: v('widthCm'),
      heightCm: v('heightCm'),
      itemValue: v('itemValue'),
      description: v('description'),
    }),
    codAmount: v('codAmount'),
    courier:
      v('courierCode') !== undefined || v('courierService') !== undefined
        ? defined({ code: v('courierCode'), service: v('courierService') })
        : undefined,
  });
}
