import { setImmediate as tick } from 'node:timers/promises';
import { InvoicePdf } from 'src/invoicing/export/pdf';

const at = new Date('2026-12-07T00:00:00+07:00');
const invoice = {
  number: 'INV/2026/12/000001',
  sellerName: 'Toko Lambat',
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
const lines = Array.from({ length: 2000 }, (_, i) => ({
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
    pdf.begin(invoice);
    pdf.lines(lines);
    expect(pdf.stream.readableLength).toBeGreaterThan(pdf.stream.readableHighWaterMark);
    const room = pdf.room();
    expect(await settled(room)).toBe(false);
    pdf.stream.resume(); // the reader reads
    expect(await room).toBe(true);
    pdf.finish();
  });

  it('answers false once the reader has gone, so the writer stops reading lines', async () => {
    const pdf = new InvoicePdf({ compress: false });
    pdf.begin(invoice);
    pdf.lines(lines);
    const room = pdf.room();
    expect(await settled(room)).toBe(false);
    pdf.stream.destroy();
    expect(await room).toBe(false);
    expect(await pdf.room()).toBe(false);
  });

  it('does not wait while the reader keeps up', async () => {
    const pdf = new InvoicePdf({ compress: false });
    pdf.begin(invoice);
    expect(await pdf.room()).toBe(true);
    pdf.stream.resume();
    pdf.finish();
  });
});
