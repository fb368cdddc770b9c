import fc from 'fast-check';
import {
  addLines,
  type ChargedShipment,
  invoiceStatus,
  NO_TOTALS,
  settlementAmount,
  shipmentLines,
} from 'src/invoicing/invoice-lines';

const rupiah = fc.integer({ min: 0, max: 5_000_000 });
const shipment: fc.Arbitrary<ChargedShipment> = fc.record({
  id: fc.uuid(),
  awb: fc.stringMatching(/^[A-Z0-9]{8,16}$/),
  courier: fc.constantFrom('jne', 'jnt', 'sap', 'ninja', 'idexpress'),
  status: fc.constantFrom('delivered' as const, 'returned' as const),
  codAmount: fc.oneof(fc.constant(0), rupiah),
  codCollected: fc.boolean(),
  shippingFee: rupiah,
  codFee: rupiah,
  cashback: rupiah,
  returnFee: rupiah,
});

const base: ChargedShipment = {
  id: 's1',
  awb: 'JNE0001',
  courier: 'jne',
  status: 'delivered',
  codAmount: 150_000,
  codCollected: true,
  shippingFee: 18_000,
  codFee: 4500,
  cashback: 1800,
  returnFee: 18_000,
};

describe('invoice lines', () => {
  it('charge a delivered COD parcel shipping and the COD fee, less cashback', () => {
    expect(shipmentLines(base).map((l) => [l.kind, l.amount])).toEqual([
      ['shipping', 18_000],
      ['cod_fee', 4500],
      ['cashback', -1800],
    ]);
  });

  it('charge a returned parcel shipping and the return fee (no COD fee), less cashback', () => {
    expect(shipmentLines({ ...base, status: 'returned' }).map((l) => [l.kind, l.amount])).toEqual([
      ['shipping', 18_000],
      ['return_fee', 18_000],
      ['cashback', -1800],
    ]);
  });

  it('charge no COD fee for a prepaid parcel', () => {
    expect(shipmentLines({ ...base, codAmount: 0 }).map((l) => l.kind)).toEqual(['shipping', 'cashback']);
  });

  it('charge no COD fee for a COD parcel delivered without its cash taken (the seller was credited none)', () => {
    expect(shipmentLines({ ...base, codCollected: false }).map((l) => l.kind)).toEqual([
      'shipping',
      'cashback',
    ]);
  });

  it('total = shipping + COD fees + return fees − cashback = the sum of the lines, whatever the shipments', () => {
    fc.assert(
      fc.property(fc.array(shipment, { maxLength: 60 }), (shipments) => {
        const lines = shipments.flatMap(shipmentLines);
        // Added in one go or shipment by shipment: the same totals.
        const t = addLines(NO_TOTALS, lines);
        const stepwise = shipments.reduce((acc, s) => addLines(acc, shipmentLines(s)), NO_TOTALS);
        expect(stepwise).toEqual(t);
        expect(t.total).toBe(t.shippingTotal + t.codFeeTotal + t.returnFeeTotal - t.cashbackTotal);
        expect(t.total).toBe(lines.reduce((s, l) => s + l.amount, 0));
        expect(t.lines).toBe(lines.length);
        expect(t.codFeeTotal).toBe(
          shipments
            .filter((s) => s.status === 'delivered' && s.codAmount > 0 && s.codCollected)
            .reduce((s, x) => s + x.codFee, 0),
        );
        expect(t.returnFeeTotal).toBe(
          shipments.filter((s) => s.status === 'returned').reduce((s, x) => s + x.returnFee, 0),
        );
        expect(t.cashbackTotal).toBe(shipments.reduce((s, x) => s + x.cashback, 0));
        for (const l of lines) expect(l.amount === 0).toBe(false);
      }),
      { seed: 20, numRuns: 500 },
    );
  });

  it('settle as much as is available up to what is owed, and say issued → partially_paid → paid', () => {
    fc.assert(
      fc.property(rupiah, fc.integer({ min: 1, max: 5_000_000 }), (available, outstanding) => {
        const amount = settlementAmount(available, outstanding);
        expect(amount).toBe(Math.min(available, outstanding));
        expect(invoiceStatus(outstanding, amount)).toBe(
          amount === 0 ? 'issued' : amount < outstanding ? 'partially_paid' : 'paid',
        );
      }),
      { seed: 21, numRuns: 500 },
    );
    expect(settlementAmount(-5, 100)).toBe(0);
    expect(invoiceStatus(0, 0)).toBe('paid');
  });
});
