import type PDFDocumentClass from 'pdfkit';
import type { Readable } from 'node:stream';
import { formatRupiah, type Rupiah } from 'src/common/money';
import { formatWibDateId } from 'src/common/wib';
import type { InvoiceLine, InvoiceLineKind } from '../invoice-lines';

/**
 * pdfkit, loaded with the first PDF rather than at start-up: it was a seventh of the service's load time
 * (0.19 of 1.3 s), paid by every start and CLI command, though only invoice exports use it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, for the start-up time
const pdfDocument = (): typeof PDFDocumentClass => require('pdfkit') as typeof PDFDocumentClass;

/** What the document shows of one invoice (rupiah; dates as instants, shown in Asia/Jakarta). */
export interface PdfInvoice {
  number: string;
  sellerName: string;
  periodStart: Date;
  /** The first instant after the period (its last day is shown). */
  periodEnd: Date;
  issuedAt: Date;
  shippingTotal: Rupiah;
  codFeeTotal: Rupiah;
  returnFeeTotal: Rupiah;
  cashbackTotal: Rupiah;
  codFeeRefundTotal: Rupiah;
  total: Rupiah;
  paid: Rupiah;
  outstanding: Rupiah;
}

/** Line kinds as an Indonesian invoice names them. */
export const KIND_ID: Record<InvoiceLineKind, string> = {
  shipping: 'Ongkos kirim',
  cod_fee: 'Biaya COD',
  return_fee: 'Biaya retur',
  cashback: 'Cashback',
  cod_fee_refund: 'Refund biaya COD',
  cod_fee_recharge: 'Biaya COD ditagih ulang',
};

const ISSUER = ['Kirim', 'PT Kirim Logistik Indonesia', 'Jakarta, Indonesia'];
const MARGIN = 40;
const ROW = 14;
const COLUMNS = { no: 40, awb: 80, courier: 250, kind: 330, amount: 430, right: 555 };

/** Windows-1252's characters from 0x80 to 0x9f, which the standard PDF fonts also draw. */
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the built-in Helvetica can draw: it knows Windows-1252's characters only, and drew anything else
 * (an emoji or CJK in a shop's name) as a few wrong Latin letters. Accents are composed first (`e` + U+0301
 * is `é`), and a character it cannot draw becomes `?`, so the rest of the name reads as typed.
 */
export function drawableText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    const drawable = (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || CP1252_EXTRA.has(ch);
    out += drawable ? ch : '?';
  }
  return out;
}

/** `text` cut to `width` points in the document's current font, with an ellipsis where it was cut. */
function fitted(d: PDFKit.PDFDocument, text: string, width: number): string {
  if (d.widthOfString(text) <= width) return text;
  let n = text.length;
  while (n > 0 && d.widthOfString(`${text.slice(0, n)}…`) > width) n -= 1;
  return `${text.slice(0, n).trimEnd()}…`;
}

/** The period as a seller reads it: `1 Des 2026 – 14 Des 2026` (its first and last day, Asia/Jakarta). */
export function periodText(start: Date, end: Date): string {
  return `${formatWibDateId(start)} – ${formatWibDateId(new Date(end.getTime() - 1))}`;
}

/**
 * An Indonesian invoice ("INVOICE / TAGIHAN") written with pdfkit as lines arrive: one section per
 * invoice (the finance export puts every seller's in one document), pages added as the table grows.
 * The document is a stream: pages leave as they are finished.
 */
export class InvoicePdf {
  private readonly doc: PDFKit.PDFDocument;
  private sections = 0;
  private y = 0;
  private lineNo = 0;
  /** Resolves room()'s wait: the reader asked for more, or went away. */
  private wake: (() => void) | undefined;

  constructor(options: { compress?: boolean } = {}) {
    const PDFDocument = pdfDocument();
    this.doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      compress: options.compress ?? true,
      info: { Title: 'Tagihan Kirim', Author: 'Kirim' },
    });
    // pdfkit pushes every chunk whatever the reader takes: the stream asking for more (_read) is the sign.
    const read = this.doc._read.bind(this.doc);
    this.doc._read = (size: number) => {
      read(size);
      this.wakeUp();
    };
    this.doc.on('close', () => this.wakeUp());
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /**
   * Waits while more than the stream's high-water mark waits for its reader (a slow client: an export of a
   * million lines would sit in memory whole); false once the reader has gone, so the writer stops.
   */
  async room(): Promise<boolean> {
    while (!this.doc.destroyed && this.doc.readableLength > this.doc.readableHighWaterMark)
      await new Promise<void>((resolve) => (this.wake = resolve));
    return !this.doc.destroyed;
  }

  /** The bytes of the document, as it is written. */
  get stream(): Readable {
    return this.doc;
  }

  /** Starts an invoice's section on a new page: issuer, seller, number, period and the table's header. */
  begin(invoice: PdfInvoice): void {
    if (this.sections++ > 0) this.doc.addPage();
    const d = this.doc;
    d.font('Helvetica-Bold').fontSize(18).text('INVOICE / TAGIHAN', MARGIN, MARGIN);
    d.font('Helvetica').fontSize(9);
    ISSUER.forEach((l, i) => d.text(l, 380, MARGIN + i * 12, { width: 175, align: 'right' }));
    const rows: [string, string][] = [
      ['Nomor', invoice.number],
      ['Kepada', drawableText(invoice.sellerName)],
      ['Periode', periodText(invoice.periodStart, invoice.periodEnd)],
      ['Tanggal terbit', formatWibDateId(invoice.issuedAt)],
    ];
    let y = MARGIN + 50;
    for (const [label, value] of rows) {
      d.font('Helvetica-Bold').text(label, MARGIN, y, { width: 90, lineBreak: false });
      // One line each: a long shop name (up to 120 characters) wrapped over the rows below it.
      d.font('Helvetica').text(fitted(d, value, 420), MARGIN + 90, y, { width: 420, lineBreak: false });
      y += ROW;
    }
    this.y = y + 10;
    this.lineNo = 0;
    this.tableHeader();
  }

  /** Appends lines to the current section's table, breaking pages as needed. */
  lines(lines: readonly InvoiceLine[]): void {
    const d = this.doc;
    d.font('Helvetica').fontSize(8.5);
    for (const l of lines) {
      if (this.y > d.page.height - MARGIN - ROW) {
        d.addPage();
        this.y = MARGIN;
        this.tableHeader();
        d.font('Helvetica').fontSize(8.5);
      }
      this.lineNo += 1;
      d.text(String(this.lineNo), COLUMNS.no, this.y, { width: 36, lineBreak: false });
      // The airway bill is the courier's text, as a shop's name is the seller's: drawable, on its one row.
      d.text(fitted(d, drawableText(l.awb), 165), COLUMNS.awb, this.y, { width: 165, lineBreak: false });
      d.text(l.courier.toUpperCase(), COLUMNS.courier, this.y, { width: 75, lineBreak: false });
      d.text(KIND_ID[l.kind], COLUMNS.kind, this.y, { width: 95, lineBreak: false });
      d.text(formatRupiah(l.amount), COLUMNS.amount, this.y, {
        width: COLUMNS.right - COLUMNS.amount,
        align: 'right',
        lineBreak: false,
      });
      this.y += ROW;
    }
  }

  /** Ends the section with its totals, what is paid and what is still owed. */
  end(invoice: PdfInvoice): void {
    const d = this.doc;
    const rows: [string, Rupiah, boolean][] = [
      ['Ongkos kirim', invoice.shippingTotal, false],
      ['Biaya COD', invoice.codFeeTotal, false],
      ['Biaya retur', invoice.returnFeeTotal, false],
      ['Cashback', -invoice.cashbackTotal, false],
      // Only on an invoice that refunds a COD fee: the others read as they always did.
      ...(invoice.codFeeRefundTotal
        ? [['Refund biaya COD', -invoice.codFeeRefundTotal, false] as [string, Rupiah, boolean]]
        : []),
      ['Total tagihan', invoice.total, true],
      ['Sudah dibayar', invoice.paid, false],
      ['Sisa tagihan', invoice.outstanding, true],
    ];
    if (this.y > d.page.height - MARGIN - (rows.length + 2) * ROW) {
      d.addPage();
      this.y = MARGIN;
    }
    this.y += 8;
    d.moveTo(COLUMNS.kind, this.y).lineTo(COLUMNS.right, this.y).stroke();
    this.y += 6;
    for (const [label, amount, bold] of rows) {
      d.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      d.text(label, COLUMNS.kind, this.y, { width: 100, lineBreak: false });
      d.text(formatRupiah(amount), COLUMNS.amount, this.y, {
        width: COLUMNS.right - COLUMNS.amount,
        align: 'right',
        lineBreak: false,
      });
      this.y += ROW;
    }
  }

  /** Finishes the document (the stream then ends). */
  finish(): void {
    this.doc.end();
  }

  private tableHeader(): void {
    const d = this.doc;
    d.font('Helvetica-Bold').fontSize(8.5);
    d.text('No', COLUMNS.no, this.y, { width: 36, lineBreak: false });
    d.text('AWB', COLUMNS.awb, this.y, { width: 165, lineBreak: false });
    d.text('Kurir', COLUMNS.courier, this.y, { width: 75, lineBreak: false });
    d.text('Keterangan', COLUMNS.kind, this.y, { width: 95, lineBreak: false });
    d.text('Jumlah', COLUMNS.amount, this.y, {
      width: COLUMNS.right - COLUMNS.amount,
      align: 'right',
      lineBreak: false,
    });
    this.y += ROW;
    d.moveTo(MARGIN, this.y - 3)
      .lineTo(COLUMNS.right, this.y - 3)
      .stroke();
  }
}
