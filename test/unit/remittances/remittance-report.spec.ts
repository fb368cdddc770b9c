import fc from 'fast-check';
import { ValidationFailedError } from 'src/common/errors/app-error';
import {
  MAX_REPORT_ROWS,
  parseRemittanceReport,
  parseReportDate,
  parseRupiah,
} from 'src/remittances/remittance-report';

/** The upload's day: after every line's date in these reports. */
const TODAY = '2026-12-31';

const problemsOf = (text: string) => {
  try {
    parseRemittanceReport(text, TODAY);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationFailedError);
    return (e as ValidationFailedError).details;
  }
  throw new Error('the report was accepted');
};

describe('remittance report parsing', () => {
  it('reads each courier’s header words, any delimiter (`,` `;` or a tab), a BOM and any line endings, mixed', () => {
    const expected = [
      { row: 1, awb: '8800000000000001', amount: 150_000, remittedOn: '2026-11-24' },
      { row: 2, awb: '8800000000000002', amount: 1_275_500, remittedOn: '2026-11-25' },
    ];
    const reports = [
      'CNOTE_NO;COD_AMOUNT;TGL_SETOR\r\n8800000000000001;150000;24/11/2026\r\n8800000000000002;1275500;25/11/2026\r\n',
      '\uFEFFwaybill,cod_value,remitted_at\n8800000000000001,150000,2026-11-24T16:00:00+07:00\n8800000000000002,1275500,2026-11-25T01:00:00Z\n',
      'No Resi;Nilai COD;Tanggal\n8800000000000001;Rp 150.000;2026-11-24\n8800000000000002;Rp. 1.275.500;2026-11-25\n',
      'Tracking ID,COD Amount,Remitted Date\n8800000000000001,"150,000.00",2026-11-24\n8800000000000002,"1,275,500.00",2026-11-25\n',
      'AWB;Amount;Date;Penerima\n8800000000000001;150.000;24-11-2026;Budi\n\n8800000000000002;1.275.500,00;25/11/2026;Sari\n',
      'awb,amount,date\n8800000000000001,150000,2026-11-24 23:59:59\n8800000000000002,IDR 1275500,2026-11-25\n',
      // Line endings mixed in one file (a spreadsheet's header, rows appended by a script), and CR alone.
      'AWB;Amount;Date\r\n8800000000000001;150000;2026-11-24\n8800000000000002;1275500;2026-11-25\r',
      // Tab-separated, as a spreadsheet saves text (the BOM and a thousands comma with it).
      '\uFEFFAWB\tCOD Amount\tRemitted Date\r\n8800000000000001\t150,000\t2026-11-24\r\n8800000000000002\tRp 1.275.500\t25/11/2026\r\n',
    ];
    for (const report of reports) expect(parseRemittanceReport(report, TODAY)).toEqual(expected);
  });

  it('reads amounts the way couriers write them, in whole rupiah only', () => {
    expect(parseRupiah('150000')).toBe(150_000);
    expect(parseRupiah('150.000')).toBe(150_000);
    expect(parseRupiah('Rp 150.000')).toBe(150_000);
    expect(parseRupiah('rp150.000')).toBe(150_000);
    expect(parseRupiah('150,000')).toBe(150_000);
    expect(parseRupiah('150,000.00')).toBe(150_000);
    expect(parseRupiah('150.000,00')).toBe(150_000);
    expect(parseRupiah('150000.00')).toBe(150_000);
    expect(parseRupiah('1.500')).toBe(1_500);
    expect(parseRupiah('150000.50')).toMatch(/fraction/);
    expect(parseRupiah('150.000,5')).toMatch(/fraction/);
    expect(parseRupiah('1.5')).toMatch(/fraction/);
    expect(parseRupiah('-150000')).toMatch(/positive/);
    expect(parseRupiah('0')).toMatch(/positive/);
    expect(parseRupiah('')).toBe('is empty');
    expect(parseRupiah('1e5')).toMatch(/not an amount/);
    expect(parseRupiah('15.00.00')).toMatch(/not an amount/);
    expect(parseRupiah('9'.repeat(20))).toBe('is too large');
  });

  it('reads every whole amount back from each way of writing it (property)', () => {
    const dotted = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    const commaed = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Math.floor(Number.MAX_SAFE_INTEGER / 1000) }), (n) =>
        [String(n), dotted(n), `Rp ${dotted(n)}`, `${commaed(n)}.00`, `${dotted(n)},00`].every(
          (text) => parseRupiah(text) === n,
        ),
      ),
      { seed: 20261124, numRuns: 500 },
    );
  });

  it('reads dates as the Jakarta day, refusing days that do not exist', () => {
    expect(parseReportDate('2026-11-24')).toBe('2026-11-24');
    expect(parseReportDate('24/11/2026')).toBe('2026-11-24');
    expect(parseReportDate('24-11-2026')).toBe('2026-11-24');
    // 18:00 UTC is 01:00 the next day in Jakarta.
    expect(parseReportDate('2026-11-24T18:00:00Z')).toBe('2026-11-25');
    expect(parseReportDate('2026-11-24T18:00:00.000+0700')).toBe('2026-11-24');
    expect(parseReportDate('2026-02-29')).toBeNull();
    expect(parseReportDate('31/04/2026')).toBeNull();
    expect(parseReportDate('2026-11-24 25:00')).toBeNull();
    expect(parseReportDate('11/24/2026')).toBeNull();
    expect(parseReportDate('yesterday')).toBeNull();
    expect(parseReportDate('1999-12-31')).toBeNull();
  });

  it('rejects the whole report, naming every bad row and field', () => {
    const details = problemsOf(
      'awb;amount;date\nA1;150000;2026-11-24\n;150000;2026-11-24\nA3;150.000,50;2026-11-24\nA4;100;31/02/2026\nA 5;x;\nA6;50.000.001;2026-11-24\nA7;50.000.000;2026-11-24\n',
    );
    expect(details).toEqual([
      { field: 'row 2: awb', message: 'is empty' },
      { field: 'row 3: amount', message: expect.stringMatching(/fraction/) },
      { field: 'row 4: remitted date', message: expect.stringMatching(/must be a date/) },
      { field: 'row 5: awb', message: expect.stringMatching(/letters, digits/) },
      { field: 'row 5: amount', message: expect.stringMatching(/not an amount/) },
      { field: 'row 5: remitted date', message: expect.stringMatching(/must be a date/) },
      // One parcel's COD is at most what a shipment may name (Rp 50.000.000): totals stay exact.
      { field: 'row 6: amount', message: "is more than one parcel's COD can be (at most 50000000)" },
    ]);
  });

  it('refuses a line remitted after the day of the upload, naming its row; today itself is read', () => {
    const report =
      'AWB;Amount;Date\nA1;150000;2026-12-31\nA2;150000;01/01/2027\nA3;1;2027-01-01T06:00:00+07:00\n';
    expect(problemsOf(report)).toEqual([
      {
        field: 'row 2: remitted date',
        message: 'is after today (2026-12-31): a report lists cash already remitted',
      },
      {
        field: 'row 3: remitted date',
        message: 'is after today (2026-12-31): a report lists cash already remitted',
      },
    ]);
    // 23:59 on the last day of the year in Jakarta is still today, though it is the 31st in UTC too.
    expect(parseRemittanceReport('AWB;Amount;Date\nA1;150000;2026-12-31T16:59:00Z\n', TODAY)).toHaveLength(1);
    expect(problemsOf('AWB;Amount;Date\nA1;150000;2026-12-31T17:00:00Z\n')).toHaveLength(1);
  });

  it('reads a spreadsheet’s report: empty rows and trailing empty cells passed over, airway bills in capitals', () => {
    expect(
      parseRemittanceReport(
        'CNOTE_NO;COD_AMOUNT;TGL_SETOR\r\njo0000000001;102000;12/12/2026;;\r\n;;\r\n;;;;\r\n',
        TODAY,
      ),
    ).toEqual([{ row: 1, awb: 'JO0000000001', amount: 102_000, remittedOn: '2026-12-12' }]);
    // "Tanggal Setor" names the remitted date; the loose "Tanggal" beside it is some other date.
    expect(
      parseRemittanceReport(
        'No. Resi;Nilai COD;Tanggal;Tanggal Setor\n8800000000000104;101000;01/12/2026;12/12/2026\n',
        TODAY,
      ),
    ).toEqual([{ row: 1, awb: '8800000000000104', amount: 101_000, remittedOn: '2026-12-12' }]);
  });

  it('reads the specific column where a loose name stands beside it: some other amount or date', () => {
    expect(
      parseRemittanceReport(
        'AWB;Amount;COD Amount;Tanggal;Tgl Setor\nA1;175000;150000;20/11/2026;24/11/2026\n',
        TODAY,
      ),
    ).toEqual([{ row: 1, awb: 'A1', amount: 150_000, remittedOn: '2026-11-24' }]);
  });

  it('stops reading at the row past its limit, and checks each row against a wide header in the row’s time', () => {
    // An unclosed quote after the row too many: a reader that went on would call the file unreadable.
    const rows = Array<string>(MAX_REPORT_ROWS + 1).fill('x');
    expect(problemsOf(['AWB;Amount;Date', ...rows, '"A1;1'].join('\n'))).toEqual([
      { field: 'body', message: `has more than ${MAX_REPORT_ROWS} rows; send the report in parts` },
    ]);
    // A header of 400,000 empty cells past its three names, then 100,000 short rows: each row's check walked the
    // header (about two minutes in all). Only the first hundred problems are listed.
    const wide = `AWB;Amount;Date${';'.repeat(400_000)}`;
    const details = problemsOf([wide, ...Array<string>(MAX_REPORT_ROWS).fill('x')].join('\n'));
    expect(details[0]).toEqual({
      field: 'row 1',
      message: expect.stringContaining('has 1 cells where the header has 3'),
    });
    expect(details.length).toBeLessThanOrEqual(101);
  });

  it('names missing and doubled columns, empty reports and unreadable CSV', () => {
    expect(problemsOf('awb,amount\nA1,150000\n')).toEqual([
      { field: 'body.remitted date', message: expect.stringMatching(/column is required.*tgl_setor/) },
    ]);
    expect(problemsOf('awb,waybill,amount,date\nA1,A1,1,2026-11-24\n')).toEqual([
      { field: 'body.awb', message: 'column appears 2 times (awb, waybill)' },
    ]);
    // Two loose names, or two specific ones, are still doubled.
    expect(problemsOf('awb,amount,tanggal,date\nA1,1,2026-11-24,2026-11-24\n')).toEqual([
      { field: 'body.remitted date', message: 'column appears 2 times (tanggal, date)' },
    ]);
    expect(problemsOf('awb,cod_amount,nilai_cod,date\nA1,1,1,2026-11-24\n')).toEqual([
      { field: 'body.amount', message: 'column appears 2 times (cod_amount, nilai_cod)' },
    ]);
    expect(problemsOf('awb,amount,date\n')).toEqual([{ field: 'body', message: 'has no data rows' }]);
    expect(problemsOf('')).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.awb' })]));
    expect(problemsOf('awb,amount,date\nA1,1,2026-11-24,extra\n')).toEqual([
      {
        field: 'row 1',
        message: expect.stringMatching(/^has 4 cells where the header has 3 \(a value past the last column/),
      },
    ]);
    expect(problemsOf('awb,amount,date\nA1,1\n')).toEqual([
      { field: 'row 1', message: 'has 2 cells where the header has 3 (a delimiter missing?)' },
    ]);
    expect(problemsOf('awb;amount;date\n;;\n;;;\n')).toEqual([
      { field: 'body', message: 'has no data rows' },
    ]);
    expect(problemsOf('awb,amount,date\n"A1,1,2026-11-24\n')).toEqual([
      { field: 'body', message: expect.stringMatching(/^is not readable CSV/) },
    ]);
  });

  it('lists at most 100 problems and counts the rest', () => {
    const rows = Array.from({ length: 150 }, (_, i) => `A${i},x,2026-11-24`).join('\n');
    const details = problemsOf(`awb,amount,date\n${rows}\n`);
    expect(details).toHaveLength(101);
    expect(details[100]).toEqual({ field: 'body', message: 'and 50 more problems' });
  });

  it('refuses amounts no parcel can hold, so sums over reports stay exact', () => {
    const big = '9'.repeat(15);
    const rows = Array.from({ length: 10 }, (_, i) => `A${i},${big},2026-11-24`).join('\n');
    expect(problemsOf(`awb,amount,date\n${rows}\n`)).toEqual(
      Array.from({ length: 10 }, (_, i) => ({
        field: `row ${i + 1}: amount`,
        message: expect.stringMatching(/more than one parcel's COD/),
      })),
    );
  });
});
