import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { invoiceCsv, InvoiceCsvRow, spreadsheetText } from 'src/invoicing/export/csv';

describe('invoice CSV', () => {
  it('leads text a spreadsheet would run as a formula with an apostrophe, and leaves the rest', () => {
    for (const formula of ['=HYPERLINK("http://x","y")', '+62812', '-1+1', '@SUM(A1)', '\tx', '\rx'])
      expect(spreadsheetText(formula)).toBe(`'${formula}`);
    for (const plain of ['JNE0012345', "'quoted", 'a=b', '']) expect(spreadsheetText(plain)).toBe(plain);
  });

  it('guards the seller’s name and the airway bill a courier sent, not the amounts (a negative cashback stays a number)', async () => {
    const row = (awb: string, kind: string, amount: string, name = 'Toko Sari'): InvoiceCsvRow => [
      'INV-1',
      'seller',
      name,
      '2026-11-09',
      '2026-11-22',
      'shipment',
      awb,
      'jne',
      kind,
      amount,
    ];
    const batches = [
      [
        row('=cmd|"/c calc"!A1', 'shipping', '18000'),
        row('JNE1', 'cashback', '-1800', '=HYPERLINK("http://x","Toko")'),
      ],
    ];
    const csv = await text(invoiceCsv(() => Promise.resolve(batches.shift() ?? null)));
    const records = parse<Record<string, string>>(csv, { columns: true, bom: true });
    expect(records.map((r) => [r.seller_name, r.awb, r.amount])).toEqual([
      ['Toko Sari', `'=cmd|"/c calc"!A1`, '18000'],
      [`'=HYPERLINK("http://x","Toko")`, 'JNE1', '-1800'],
    ]);
  });
});
