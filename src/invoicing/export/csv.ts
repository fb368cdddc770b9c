import { stringify } from 'csv-stringify';
import { pipeline, Readable } from 'node:stream';

/** The columns of an invoice CSV, one row per invoice line (a seller's invoice or a whole period). */
export const INVOICE_CSV_COLUMNS = [
  'invoice_number',
  'seller_id',
  'seller_name',
  'period_start',
  'period_last_day',
  'shipment_id',
  'awb',
  'courier',
  'kind',
  'amount',
] as const;

/** One CSV row, in INVOICE_CSV_COLUMNS order. */
export type InvoiceCsvRow = [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  number | string,
];

/**
 * The columns whose text comes from outside Kirim (a seller's name as it signed up, a courier's airway bill),
 * as INVOICE_CSV_COLUMNS indexes.
 */
const OUTSIDE_TEXT = [INVOICE_CSV_COLUMNS.indexOf('seller_name'), INVOICE_CSV_COLUMNS.indexOf('awb')];

/**
 * Text a spreadsheet would take for a formula (it begins with =, +, -, @, a tab or a carriage return) led by
 * an apostrophe, which spreadsheets show as text (OWASP's advice against CSV injection). Amounts are not
 * passed through it: a negative amount is a number.
 */
export function spreadsheetText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Rows read a batch at a time: the next batch is asked for only when the consumer wants more, so at most
 * about one batch is in memory whatever the size of the export.
 */
class BatchedRows extends Readable {
  private reading = false;

  constructor(private readonly nextBatch: () => Promise<InvoiceCsvRow[] | null>) {
    super({ objectMode: true, highWaterMark: 1024 });
  }

  override _read(): void {
    if (this.reading) return;
    this.reading = true;
    this.nextBatch().then(
      (rows) => {
        this.reading = false;
        if (!rows) {
          this.push(null);
          return;
        }
        let more = true;
        for (const row of rows) {
          for (const i of OUTSIDE_TEXT) row[i] = spreadsheetText(String(row[i]));
          more = this.push(row);
        }
        // An empty batch that is not the end: ask again at once.
        if (!rows.length || more) this._read();
      },
      (e: unknown) => this.destroy(e as Error),
    );
  }
}

/**
 * A CSV (quoted as RFC 4180 says, header row first, lines ending in LF, which spreadsheets read as CRLF)
 * streamed through csv-stringify from batches of rows; `nextBatch`
 * answers null when there are no more. A failure while reading ends the stream with that error. It starts
 * with a UTF-8 byte-order mark: without one Excel reads a CSV in the machine's code page (Windows-1252 in an
 * Indonesian locale), and a shop named `Toko Café 🍰` showed as `Toko CafÃ© ðŸ°`.
 */
export function invoiceCsv(nextBatch: () => Promise<InvoiceCsvRow[] | null>): Readable {
  const csv = stringify({ header: true, columns: [...INVOICE_CSV_COLUMNS], bom: true });
  return pipeline(new BatchedRows(nextBatch), csv, () => undefined);
}
