import { setImmediate as tick } from 'node:timers/promises';
import { drawableText, InvoicePdf } from 'src/invoicing/export/pdf';
import { pdfTextRuns } from '../../support/pdf-text';

describe('drawableText (what Helvetica in a PDF can draw)', () => {
  it.each([
    ['Toko Batik Sekar', 'Toko Batik Sekar'],
    ['Kafé Ñoño – “Kue” €5', 'Kafé Ñoño – “Kue” €5'],
    ['Cafe\u0301 Sore', 'Café Sore'], // a decomposed accent is composed, not dropped
    ['Toko Kue 🍰', 'Toko Kue ?'], // one emoji (two UTF-16 units) is one mark
    ['商店 Jaya', '?? Jaya'],
    ['Tab\there', 'Tab?here'],
  ])('%j → %j', (typed, drawn) => {
    expect(drawableText(typed)).toBe(drawn);
  });
});

/** An invoice with no totals, to `sellerName`. */
function emptyInvoice(sellerName: string) {
  const at = new Date('2026-12-07T00:00:00+07:00');
  return {
    number: 'INV/2026/12/000001',
    sellerName,
    periodStart: at,
    periodEnd: new Date(at.getTime() + 14 * 86_400_000),
    issuedAt: at,
    shippingTotal: 0,
    codFeeTotal: 0,
    returnFeeTotal: 0,
    cashbackTotal: 0,
    codFeeRefundTotal: 0,
    total: 0,
    paid: 0,
    outstanding: 0,
  };
}

/** An invoice with no totals (its text is what is read), rendered uncompressed with `lines` drawn between. */
async function renderedPdf(
  sellerName: string,
  lines: Parameters<InvoicePdf['lines']>[0] = [],
): Promise<string[]> {
  const pdf = new InvoicePdf({ compress: false });
  const chunks: Buffer[] = [];
  pdf.stream.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => pdf.stream.on('end', resolve));
  const invoice = emptyInvoice(sellerName);
  pdf.begin(invoice);
  if (lines.length) {
    pdf.lines(lines);
    pdf.end(invoice);
  }
  pdf.finish();
  await ended;
  return pdfTextRuns(Buffer.concat(chunks));
}

describe('InvoicePdf header', () => {
  const render = (sellerName: string) => renderedPdf(sellerName);

  it('keeps a shop name of up to 120 characters on its one line, cut with an ellipsis', async () => {
    const runs = await render('W'.repeat(120));
    const name = runs[runs.indexOf('Kepada') + 1];
    expect(name).toMatch(/^W{20,119}…$/);
    // The next row follows at once: no second line of the name between them.
    expect(runs[runs.indexOf('Kepada') + 2]).toBe('Periode');
  });

  it('leaves a name that fits as typed', async () => {
    const runs = await render('Toko Batik Sekar');
    expect(runs[runs.indexOf('Kepada') + 1]).toBe('Toko Batik Sekar');
  });
});

describe('InvoicePdf lines', () => {
  const render = (awbs: string[]) =>
    renderedPdf(
      'Toko Batik Sekar',
      awbs.map((awb, i) => ({
        shipmentId: 's',
        awb,
        courier: 'jne',
        kind: 'shipping' as const,
        amount: i + 1,
      })),
    );

  it('draws the airway bill a courier sent as the shop’s name: drawable, on its own row, cut with an ellipsis', async () => {
    const runs = await render(['JNE🍰1', 'AB\nCD', '9'.repeat(64), '商店01']);
    const rows = (from: number) => runs.slice(from, from + 5);
    const start = runs.indexOf('Jumlah') + 1;
    // Each row is number, AWB, courier, kind, amount: no AWB spills onto a second line among them.
    expect(rows(start)).toEqual(['1', 'JNE?1', 'JNE', 'Ongkos kirim', 'Rp 1']);
    expect(rows(start + 5)).toEqual(['2', 'AB?CD', 'JNE', 'Ongkos kirim', 'Rp 2']);
    expect(rows(start + 10)).toEqual([
      '3',
      expect.stringMatching(/^9{20,63}…$/),
      'JNE',
      'Ongkos kirim',
      'Rp 3',
    ]);
    expect(rows(start + 15)).toEqual(['4', '??01', 'JNE', 'Ongkos kirim', 'Rp 4']);
  });
});

const slowLines = Array.from({ length: 2000 }, (_, i) => ({
  shipmentId: `s-${i}`,
  awb: `JNE${String(i).padStart(10, '0')}`,
  courier: 'jne',
  kind: 'shipping' as const,
  amount: 9000,
}));

/** Whether `p` has settled after the event loop turned a few times. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i += 1) await tick();
  return done;
}

describe('InvoicePdf.room: the writer waits for a slow reader', () => {
  it('waits while more than the high-water mark is unread, and goes on as the reader takes it', async () => {
    const pdf = new InvoicePdf({ compress: false });
    pdf.begin(emptyInvoice('Toko Lambat'));
    pdf.lines(slowLines);
    expect(pdf.stream.readableLength).toBeGreaterThan(pdf.stream.readableHighWaterMark);
    const room = pdf.room();
    expect(await settled(room)).toBe(false);
    pdf.stream.resume(); // the reader reads
    expect(await room).toBe(true);
    pdf.finish();
  });

  it('answers false once the reader has gone, so the writer stops reading lines', async () => {
    const pdf = new InvoicePdf({ compress: false });
    pdf.begin(emptyInvoice('Toko Lambat'));
    pdf.lines(slowLines);
    const room = pdf.room();
    expect(await settled(room)).toBe(false);
    pdf.stream.destroy();
    expect(await room).toBe(false);
    expect(await pdf.room()).toBe(false);
  });

  it('does not wait while the reader keeps up', async () => {
    const pdf = new InvoicePdf({ compress: false });
    pdf.begin(emptyInvoice('Toko Lambat'));
    expect(await pdf.room()).toBe(true);
    pdf.stream.resume();
    pdf.finish();
  });
});
