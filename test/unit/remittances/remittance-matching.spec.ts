import fc from 'fast-check';
import { postingProblem } from 'src/ledger/ledger-accounts';
import {
  matchRemittance,
  matchTotals,
  type ParcelOnRecord,
  remittanceEntries,
  suspenseResolutionEntries,
  whyNotTheLinesParcel,
} from 'src/remittances/remittance-matching';
import type { ReportLine } from 'src/remittances/remittance-report';

const delivered = (shipmentId: string, codAmount: number): ParcelOnRecord => ({
  shipmentId,
  codAmount,
  codDelivered: true,
  deliveredAt: new Date('2026-11-20T03:00:00Z'),
});
const line = (row: number, awb: string, amount: number): ReportLine => ({
  row,
  awb,
  amount,
  remittedOn: '2026-11-24',
});

describe('remittance matching', () => {
  const parcels = new Map<string, ParcelOnRecord>([
    ['A1', delivered('s1', 150_000)],
    ['A2', delivered('s2', 90_000)],
    ['A3', delivered('s3', 50_000)],
    ['R1', { shipmentId: 's4', codAmount: 75_000, codDelivered: false, deliveredAt: null }],
    ['P1', delivered('s5', 0)],
  ]);

  it('leaves a parcel whose COD credit finance reversed unmatched, however right its amount: its cash waits in suspense', () => {
    const reversed = new Map([['V1', { ...delivered('s9', 60_000), codReversed: true }]]);
    const out = matchRemittance([line(1, 'V1', 60_000), line(2, 'V1', 60_000)], reversed, new Set());
    expect(out.map((l) => [l.outcome, l.reason, l.shipmentId])).toEqual([
      ['unmatched', 'cod_reversed', 's9'],
      ['unmatched', 'cod_reversed', 's9'],
    ]);
    expect(remittanceEntries('sap', matchTotals(out))).toEqual([
      { account: expect.objectContaining({ kind: 'bank' }), debit: 120_000 },
      { account: expect.objectContaining({ kind: 'remittance_suspense' }), credit: 120_000 },
    ]);
  });

  it('decides each line: matched, amount mismatch, unmatched (unknown or not a delivered COD parcel), duplicate', () => {
    const out = matchRemittance(
      [
        line(1, 'A1', 150_000),
        line(2, 'A2', 85_000),
        line(3, 'ZZ9', 40_000),
        line(4, 'A1', 150_000),
        line(5, 'R1', 75_000),
        line(6, 'P1', 10_000),
        line(7, 'A2', 90_000),
        line(8, 'A3', 50_000),
      ],
      parcels,
      new Set(['A3']),
    );
    expect(out.map((l) => [l.row, l.outcome, l.reason, l.shipmentId, l.expectedAmount])).toEqual([
      [1, 'matched', null, 's1', 150_000],
      [2, 'amount_mismatch', null, 's2', 90_000],
      [3, 'unmatched', 'unknown_awb', null, null],
      [4, 'duplicate', null, 's1', 150_000],
      [5, 'unmatched', 'not_delivered_cod', 's4', 75_000],
      [6, 'unmatched', 'not_delivered_cod', 's5', 0],
      // A right amount after a wrong one settles the parcel.
      [7, 'matched', null, 's2', 90_000],
      // Settled by an earlier report.
      [8, 'duplicate', null, 's3', 50_000],
    ]);
    const totals = matchTotals(out);
    expect(totals.total).toBe(650_000);
    expect(totals.byOutcome).toEqual({
      matched: { count: 2, amount: 240_000 },
      amount_mismatch: { count: 1, amount: 85_000 },
      unmatched: { count: 3, amount: 125_000 },
      duplicate: { count: 2, amount: 200_000 },
    });
    expect(remittanceEntries('jne', totals)).toEqual([
      { account: expect.objectContaining({ code: 'platform:bank' }), debit: 650_000 },
      { account: expect.objectContaining({ code: 'platform:courier_cod_receivable:jne' }), credit: 240_000 },
      { account: expect.objectContaining({ code: 'platform:remittance_suspense' }), credit: 410_000 },
    ]);
  });

  it('settles a parcel at most once and only for its exact amount, and the posting always balances (property)', () => {
    const awbs = ['A1', 'A2', 'A3', 'R1', 'P1', 'X1', 'X2'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            awb: fc.constantFrom(...awbs),
            amount: fc.oneof(
              fc.constantFrom(150_000, 90_000, 50_000, 75_000),
              fc.integer({ min: 1, max: 10 ** 9 }),
            ),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.subarray(awbs),
        (rows, earlier) => {
          const lines = rows.map((r, i) => line(i + 1, r.awb, r.amount));
          const out = matchRemittance(lines, parcels, new Set(earlier));
          const matched = out.filter((l) => l.outcome === 'matched');
          const once = new Set(matched.map((l) => l.shipmentId)).size === matched.length;
          const exact = matched.every(
            (l) => l.amount === parcels.get(l.awb)?.codAmount && !earlier.includes(l.awb),
          );
          const totals = matchTotals(out);
          const sum = Object.values(totals.byOutcome).reduce((s, o) => s + o.amount, 0);
          const entries = remittanceEntries('jnt', totals);
          return (
            once &&
            exact &&
            out.length === lines.length &&
            sum === totals.total &&
            postingProblem({ key: 'remittance:x', entries }) === null
          );
        },
      ),
      { seed: 20261124, numRuns: 1000 },
    );
  });

  it('posts nothing for nothing received', () => {
    expect(remittanceEntries('sap', matchTotals([]))).toEqual([]);
  });
});

describe('whyNotTheLinesParcel: the parcel a suspense line may be credited to', () => {
  const line = { courier: 'jne', awb: 'JNE1' };
  const parcel = { codAmount: 50_000, courier: 'jne', awb: 'JNE1', status: 'delivered', bookedBefore: false };

  it('takes the delivered COD parcel the courier carries under the line’s bill', () => {
    expect(whyNotTheLinesParcel(parcel, line)).toBeNull();
  });

  it('takes a parcel re-booked away from the line’s courier only once that re-booking is cancelled', () => {
    const away = { ...parcel, courier: 'sap', awb: 'SAP9', bookedBefore: true };
    expect(whyNotTheLinesParcel({ ...away, status: 'cancelled' }, line)).toBeNull();
    expect(whyNotTheLinesParcel({ ...away, status: 'booked' }, line)).toMatch(/cancel it first/);
    // Re-booked with the same courier under a new bill: the old bill names it too.
    expect(whyNotTheLinesParcel({ ...away, courier: 'jne', status: 'cancelled' }, line)).toBeNull();
  });

  it('takes a parcel cancelled on the line’s own booking: its courier carried it after all', () => {
    const cancelled = { ...parcel, status: 'cancelled', bookedBefore: true };
    expect(whyNotTheLinesParcel(cancelled, line)).toBeNull();
    // Still on its way or failed to book: the late match, or nothing, decides it.
    expect(whyNotTheLinesParcel({ ...cancelled, status: 'booked' }, line)).toMatch(/^is not delivered/);
  });

  it('refuses a prepaid parcel, one not known delivered, and one never booked under the bill', () => {
    expect(whyNotTheLinesParcel({ ...parcel, codAmount: 0 }, line)).toBe('is not a COD shipment');
    expect(whyNotTheLinesParcel({ ...parcel, status: 'in_transit' }, line)).toMatch(/^is not delivered/);
    expect(whyNotTheLinesParcel({ ...parcel, awb: 'JNE2' }, line)).toBe(
      'was never booked with jne under JNE1',
    );
    expect(whyNotTheLinesParcel({ ...parcel, courier: 'sap', status: 'cancelled' }, line)).toBe(
      'was never booked with jne under JNE1',
    );
  });
});

describe('suspenseResolutionEntries', () => {
  it('takes the line’s cash out of suspense: to the bank (refunded) or to other income (written off), balanced', () => {
    for (const resolution of ['refund_courier', 'write_off'] as const) {
      const entries = suspenseResolutionEntries(resolution, 37_500);
      expect(postingProblem({ key: 'k', entries })).toBeNull();
      expect(entries).toEqual([
        { account: expect.objectContaining({ code: 'platform:remittance_suspense' }), debit: 37_500 },
        {
          account: expect.objectContaining({
            code: resolution === 'refund_courier' ? 'platform:bank' : 'platform:other_income',
          }),
          credit: 37_500,
        },
      ]);
    }
  });
});
