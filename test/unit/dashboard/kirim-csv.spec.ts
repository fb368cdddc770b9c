import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import {
  bulkColumnOf,
  csvColumnOf,
  csvFileText,
  delimiterOf,
  parseCsv,
  parseCsvRecords,
  toCsv,
} from 'src/dashboard/pages/kirim/csv';
import { ANY_LINE_ENDING, delimiterOfHeader } from 'src/common/csv-lines';
import { CSV_COLUMNS, csvColumnOfHeader, parseShipmentsCsv } from 'src/shipments/bulk-import/shipments-csv';

/** Cells as a spreadsheet may hold them: commas, quotes, line breaks (LF and CRLF), accents. */
const cell = fc.string({
  unit: fc.constantFrom('a', 'B', '1', ',', '"', '\n', '\r\n', ' ', '\t', 'é', ';', "'"),
});
const header = fc.uniqueArray(fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/), { minLength: 1, maxLength: 6 });
const table = header.chain((names) =>
  fc.record({
    header: fc.constant(names),
    rows: fc.array(fc.record(Object.fromEntries(names.map((n) => [n, cell]))), { maxLength: 8 }),
  }),
);

/** A row of empty cells (a blank row of the sheet): skipped by the page and the API alike. */
const blank = (cells: string[]) => cells.every((c) => c.trim() === '');
/** The API's reading of a record (its `on_record`): a record of empty cells is none. */
const unlessBlank = <R extends Record<string, string> | { record: Record<string, string> }>(r: R) =>
  blank(Object.values<string>('record' in r ? r.record : r)) ? null : r;

describe('the bulk page reads and writes CSV as the API does', () => {
  it('reads quoted commas, doubled quotes, line breaks inside quotes and CRLF line ends', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n\r\n1,,3\n';
    expect(parseCsvRecords(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\r\nlines'],
      ['1', '', '3'],
    ]);
    expect(parseCsv(text).rows).toEqual([
      { a: 'x, y', b: 'say "hi"', c: 'two\r\nlines' },
      { a: '1', b: '', c: '3' },
    ]);
    // No line end after the last row, and a last cell left empty.
    expect(parseCsvRecords('a,b\n1,')).toEqual([
      ['a', 'b'],
      ['1', ''],
    ]);
  });

  it('passes over a spreadsheet’s rows of empty cells and keeps a value under a column without a name', () => {
    const text = 'reference;codAmount;;\r\nA-1;150.000;;\r\n;;;\r\nA-2;1.200;;9\r\n ; ;"";\r\n';
    const read = parseCsv(text);
    expect(read.rows.map((r) => r.reference)).toEqual(['A-1', 'A-2']);
    expect(read.lines).toEqual([2, 4]);
    // Both unnamed columns share one key; the value is sent back for the API to refuse, not lost.
    expect(read.rows.map((r) => r[''])).toEqual(['', '9']);
    expect(toCsv(read.header, read.rows, read.delimiter)).toBe(
      'reference;codAmount;;\r\nA-1;150.000;;\r\nA-2;1.200;9;9\r\n',
    );
  });

  it('reads back what it writes, cell for cell', () => {
    fc.assert(
      fc.property(table, ({ header: names, rows }) => {
        const records = parseCsvRecords(toCsv(names, rows));
        // A row whose cells are all empty (or spaces) is a blank row, skipped by both sides.
        const kept = rows.filter((r) => !blank(names.map((n) => r[n])));
        expect(records).toEqual([names, ...kept.map((r) => names.map((n) => r[n].trim()))]);
      }),
    );
  });

  it('reads and writes a semicolon-separated file (a spreadsheet in an Indonesian locale) as the API tells it', () => {
    const text = 'reference;recipientName;codAmount\r\nA-1;"Budi; S.";150.000\r\nA-2;Sari, Toko;1.200\r\n';
    const read = parseCsv(text);
    expect(read.delimiter).toBe(';');
    expect(read.rows).toEqual([
      { reference: 'A-1', recipientName: 'Budi; S.', codAmount: '150.000' },
      { reference: 'A-2', recipientName: 'Sari, Toko', codAmount: '1.200' },
    ]);
    // Sent back with the file's separator, so the API reads `150.000` as the file meant it.
    const sent = toCsv(read.header, read.rows, read.delimiter);
    const server = (csv: string) =>
      parse<Record<string, string>>(csv, { columns: true, delimiter: delimiterOfHeader(csv), trim: true });
    expect(server(sent)).toEqual(server(text));
    expect(server(sent)).toEqual(read.rows);
    fc.assert(
      fc.property(
        table,
        fc.constantFrom(',' as const, ';' as const, '\t' as const),
        ({ header: names, rows }, sep) => {
          const written = toCsv(names, rows, sep);
          expect(delimiterOf(written)).toBe(delimiterOfHeader(written));
          const kept = rows.filter((r) => !blank(names.map((n) => r[n])));
          expect(parseCsvRecords(written)).toEqual([
            names,
            ...kept.map((r) => names.map((n) => r[n].trim())),
          ]);
        },
      ),
    );
    // Any header line: the page and the API tell the same separator.
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ',', ';', '\t', ' ', '\n', '\r') }), (t) => {
        expect(delimiterOf(t)).toBe(delimiterOfHeader(t));
      }),
    );
  });

  it('reads and writes a tab-separated file (a spreadsheet saved as text) as the API tells it', () => {
    const text =
      'reference\trecipientName\tcodAmount\r\nA-1\tBudi, S.; Toko\t150000\r\nA-2\t"Sari\tAyu"\t1200\r\n';
    const read = parseCsv(text);
    expect(read.delimiter).toBe('\t');
    expect(read.rows).toEqual([
      { reference: 'A-1', recipientName: 'Budi, S.; Toko', codAmount: '150000' },
      { reference: 'A-2', recipientName: 'Sari\tAyu', codAmount: '1200' },
    ]);
    const sent = toCsv(read.header, read.rows, read.delimiter);
    expect(delimiterOfHeader(sent)).toBe('\t');
    const server = (csv: string) =>
      parse<Record<string, string>>(csv, { columns: true, delimiter: delimiterOfHeader(csv), trim: true });
    expect(server(sent)).toEqual(server(text));
    expect(server(sent)).toEqual(read.rows);
  });

  it('reads an uploaded file’s bytes as the API would: UTF-16 by its BOM, UTF-8, else Windows-1252', () => {
    const line = 'reference,recipientName\r\nA-1,Andrés Ñoño\r\n';
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line, 'utf16le')]);
    const utf16be = Buffer.concat([
      Buffer.from([0xfe, 0xff]),
      Buffer.from(Buffer.from(line, 'utf16le')).swap16(),
    ]);
    for (const bytes of [Buffer.from(line, 'utf8'), Buffer.from(line, 'latin1'), utf16le, utf16be])
      expect(parseCsv(csvFileText(new Uint8Array(bytes))).rows).toEqual([
        { reference: 'A-1', recipientName: 'Andrés Ñoño' },
      ]);
  });

  it('writes CSV the API’s parser reads to the same rows and row numbers (trimmed, as both trim)', () => {
    fc.assert(
      fc.property(table, ({ header: names, rows }) => {
        const text = toCsv(names, rows);
        const server = parse<Record<string, string>>(text, {
          columns: true,
          skip_empty_lines: true,
          trim: true,
          bom: true,
          on_record: unlessBlank,
        });
        expect(server).toEqual(parseCsv(text).rows);
      }),
    );
  });

  it('reads line ends mixed in one file and numbers rows as the API does (blank lines count)', () => {
    const ending = fc.constantFrom('\r\n', '\n', '\r', '\n\n', '\r\n  \r\n');
    fc.assert(
      fc.property(
        table,
        fc.array(ending, { minLength: 9, maxLength: 9 }),
        ({ header: names, rows }, ends) => {
          // Each record written as the page writes it, then ended by a line end of its own (or a blank line).
          const head = toCsv(names, []);
          const lines = [head.slice(0, -2), ...rows.map((r) => toCsv(names, [r]).slice(head.length, -2))];
          const text = lines.map((l, i) => l + ends[i]).join('');
          const server = parse<{
            record: Record<string, string>;
            info: { records: number; empty_lines: number };
          }>(text, {
            columns: true,
            skip_empty_lines: true,
            trim: true,
            bom: true,
            record_delimiter: ANY_LINE_ENDING,
            info: true,
            on_record: unlessBlank,
          });
          const page = parseCsv(text);
          expect(page.rows).toEqual(server.map((r) => r.record));
          expect(page.lines).toEqual(server.map((r) => 1 + r.info.records + r.info.empty_lines));
        },
      ),
    );
    expect(parseCsv('a,b\r1,2\r\r3,4\r').lines).toEqual([2, 4]);
  });

  it('matches a header cell to its column as the API does, column for column and row for row', () => {
    // Each column as people retype the template's header, and names no column has.
    const spellings = CSV_COLUMNS.flatMap((c) => [
      c,
      ` ${c.toUpperCase()} `,
      c.replace(/[A-Z]/g, (l) => ` ${l}`),
      c.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`),
    ]);
    for (const name of [...spellings, 'recipient nickname', 'ref', '', 'weight-grams'])
      expect([name, bulkColumnOf(name)]).toEqual([name, csvColumnOfHeader(name) ?? name]);
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('r', 'E', 'f', 'e', 'n', 'c', ' ', '_', '\t', 'x') }),
        (name) => {
          expect(bulkColumnOf(name)).toBe(csvColumnOfHeader(name) ?? name);
        },
      ),
    );
    // A file with a retyped header: the page's rows, re-sent as it sends them, are the API's rows of the file.
    const header = [
      'Reference',
      'origin address id',
      'Recipient Name',
      'RECIPIENT_PHONE',
      'recipient address',
    ];
    const more = [
      'Recipient City',
      'recipient_province',
      'Recipient Postal Code',
      'weight grams',
      'COD amount',
    ];
    const file = toCsv(
      [...header, ...more],
      [
        {
          Reference: 'A-1',
          'origin address id': 'uuid-1',
          'Recipient Name': 'Budi',
          RECIPIENT_PHONE: '0812',
          'recipient address': 'Jl. Mawar 1',
          'Recipient City': 'Bandung',
          recipient_province: 'Jawa Barat',
          'Recipient Postal Code': '40111',
          'weight grams': '1.200',
          'COD amount': '150.000',
        },
      ],
      ';',
    );
    const page = parseCsv(file);
    const api = parseShipmentsCsv(file);
    expect(parseShipmentsCsv(toCsv(page.header, page.rows, page.delimiter))).toEqual(api);
    expect(page.lines).toEqual(api.lines);
    expect(page.header.map(bulkColumnOf)).toEqual([
      'reference',
      'originAddressId',
      'recipientName',
      'recipientPhone',
      'recipientAddress',
      'recipientCity',
      'recipientProvince',
      'recipientPostalCode',
      'weightGrams',
      'codAmount',
    ]);
    expect(api.rows[0]).toMatchObject({
      recipient: { name: 'Budi' },
      parcel: { weightGrams: 1200 },
      codAmount: 150000,
    });
  });

  it('maps each field the API names back to the CSV column it came from', () => {
    // Every column with a value of its own; where each value lands in the API's shape names the column.
    const values = CSV_COLUMNS.map((c, i) =>
      ['weightGrams', 'lengthCm', 'widthCm', 'heightCm', 'itemValue', 'codAmount'].includes(c)
        ? `${i + 1}`
        : `v${i}`,
    );
    const [shipment] = parseShipmentsCsv(
      toCsv(CSV_COLUMNS, [Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, values[i]]))]),
    ).rows;
    const leaves: [string, string][] = [];
    const walk = (o: Record<string, unknown>, prefix: string) => {
      for (const [k, v] of Object.entries(o))
        if (typeof v === 'object' && v !== null) walk(v as Record<string, unknown>, `${prefix}${k}.`);
        else leaves.push([`${prefix}${k}`, String(v)]);
    };
    walk(shipment, '');
    expect(leaves).toHaveLength(CSV_COLUMNS.length);
    for (const [path, value] of leaves)
      expect([path, csvColumnOf(path)]).toEqual([path, CSV_COLUMNS[values.indexOf(value)]]);
    expect(csvColumnOf('row')).toBe('row');
  });
});
