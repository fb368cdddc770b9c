import fc from 'fast-check';
import {
  addLines,
  type ChargedShipment,
  COD_FEE_KINDS,
  codFeeAdjustment,
  codFeeOwed,
  type InvoiceLine,
  invoiceEntries,
  invoiceStatus,
  NO_TOTALS,
  settlementAmount,
  shipmentLines,
} from 'src/invoicing/invoice-lines';
import { postingProblem, signedAmount } from 'src/ledger/ledger-accounts';

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

  describe('COD fee adjustments (a reversed COD credit, a delivery with the cash after all)', () => {
    const adjust = (s: ChargedShipment, invoiced: InvoiceLine[]) =>
      codFeeAdjustment(
        s,
        invoiced.filter((l) => COD_FEE_KINDS.includes(l.kind)),
      );
    const charged = shipmentLines(base);
    const notCollected = { ...base, codCollected: false };

    it('refund a fee charged for cash never collected, naming the parcel', () => {
      expect(adjust(notCollected, charged)).toEqual({
        shipmentId: 's1',
        awb: 'JNE0001',
        courier: 'jne',
        kind: 'cod_fee_refund',
        amount: -4500,
      });
    });

    it('charge a fee never charged, and again one refunded, once the cash was collected after all', () => {
      expect(adjust(base, shipmentLines(notCollected))?.kind).toBe('cod_fee');
      const refund = adjust(notCollected, charged)!;
      expect(adjust(base, [...charged, refund])).toMatchObject({ kind: 'cod_fee_recharge', amount: 4500 });
    });

    it('adjust nothing when the fee on invoices is what the cash says', () => {
      expect(adjust(base, charged)).toBeNull();
      expect(adjust(notCollected, shipmentLines(notCollected))).toBeNull();
      expect(adjust({ ...notCollected, codFee: 0 }, [])).toBeNull();
    });

    it('keep the fee on invoices equal to what the cash says, whatever the changes and when invoiced', () => {
      fc.assert(
        fc.property(shipment, fc.array(fc.boolean(), { maxLength: 8 }), (first, changes) => {
          const s = { ...first, status: 'delivered' as const };
          const lines = shipmentLines(s);
          for (const collected of changes) {
            const now = { ...s, codCollected: collected };
            const line = adjust(now, lines);
            if (line) lines.push(line);
            const fees = lines.filter((l) => COD_FEE_KINDS.includes(l.kind));
            const charged = fees.reduce((n, l) => n + l.amount, 0);
            // Refunded, charged again, then owed no more: it stays charged (one refund a parcel).
            const stays = !codFeeOwed(now) && fees.some((l) => l.kind === 'cod_fee_recharge');
            expect(charged).toBe(codFeeOwed(now) || stays ? now.codFee : 0);
            expect(adjust(now, lines)).toBeNull();
          }
        }),
        { seed: 22, numRuns: 300 },
      );
    });

    it('a fee refunded, charged again and owed no more stays charged: one refund a parcel', () => {
      const refund = adjust(notCollected, charged)!;
      const recharge = adjust(base, [...charged, refund])!;
      expect(adjust(notCollected, [...charged, refund, recharge])).toBeNull();
    });

    it('need each kind of line once per parcel, however often its cash changes', () => {
      fc.assert(
        fc.property(
          shipment,
          fc.boolean(),
          fc.array(fc.boolean(), { maxLength: 8 }),
          (first, collected, changes) => {
            const s = { ...first, status: 'delivered' as const, codCollected: collected };
            const lines = shipmentLines(s);
            for (const c of changes) {
              const line = adjust({ ...s, codCollected: c }, lines);
              if (line) lines.push(line);
            }
            expect(new Set(lines.map((l) => l.kind)).size).toBe(lines.length);
          },
        ),
        { seed: 23, numRuns: 300 },
      );
    });

    it('total refunds apart, deducted: total = shipping + COD fees + return fees − cashback − refunds', () => {
      const refund = adjust(notCollected, charged)!;
      const t = addLines(NO_TOTALS, [...shipmentLines({ ...base, id: 's2' }), refund]);
      expect(t).toMatchObject({ codFeeTotal: 4500, codFeeRefundTotal: 4500, total: 18_000 - 1800, lines: 4 });
    });
  });

  it('post an invoice balanced whatever its totals: the seller owes a positive total, is credited a negative one', () => {
    const seller = '00000000-0000-4000-8000-000000000001';
    fc.assert(
      fc.property(
        fc.array(shipment, { maxLength: 20 }),
        fc.array(rupiah, { maxLength: 5 }),
        (shipments, refunds) => {
          const lines = [
            ...shipments.flatMap(shipmentLines),
            ...refunds
              .filter((r) => r > 0)
              .map((r, i): InvoiceLine => ({
                shipmentId: `r${i}`,
                awb: 'X',
                courier: 'jne',
                kind: 'cod_fee_refund',
                amount: -r,
              })),
          ];
          const t = addLines(NO_TOTALS, lines);
          const entries = invoiceEntries(seller, t);
          if (!entries.length) {
            expect([
              t.total,
              t.cashbackTotal,
              t.shippingTotal + t.codFeeTotal + t.returnFeeTotal - t.codFeeRefundTotal,
            ]).toEqual([0, 0, 0]);
            return;
          }
          expect(postingProblem({ key: 'invoice:x', entries })).toBeNull();
          const of = (code: string) =>
            entries.filter((e) => e.account.code === code).reduce((n, e) => n + signedAmount(e), 0);
          expect(of(`seller:${seller}:invoice_receivable`)).toBe(Math.max(t.total, 0));
          expect(of(`seller:${seller}:available`)).toBe(Math.min(t.total, 0));
        },
      ),
      { seed: 24, numRuns: 500 },
    );
  });
});
