import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { discrepancyHeader, remittanceReport } from 'src/couriers/sandbox/sandbox-remittance';
import { parseRemittanceReport } from 'src/remittances/remittance-report';

const window = { from: new Date('2026-11-22T17:00:00Z'), to: new Date('2026-11-29T17:00:00Z') };
const parcels = Array.from({ length: 6 }, (_, i) => ({
  awb: `AWB00000${i + 1}`,
  codAmount: 100_000 + i * 12_500,
  // Delivered late in the Jakarta evening: 16:30 UTC is 23:30 WIB.
  deliveredAt: new Date(Date.UTC(2026, 10, 23 + i, 16, 30)),
}));

describe('sandbox couriers’ remittance reports', () => {
  it('are read by Kirim’s parser for every courier’s wording, one line per parcel, remitted 1–3 days later', () => {
    for (const courier of COURIER_CODES) {
      const { csv, discrepancies } = remittanceReport(courier, parcels, window, 'seed', null, '2026-12-31');
      expect(discrepancies).toBeNull();
      const lines = parseRemittanceReport(csv, '2026-12-31');
      expect(lines.map((l) => [l.awb, l.amount])).toEqual(parcels.map((p) => [p.awb, p.codAmount]));
      for (const [i, l] of lines.entries()) {
        const deliveredDay = Date.UTC(2026, 10, 23 + i);
        const lag = (Date.parse(`${l.remittedOn}T00:00:00Z`) - deliveredDay) / 86_400_000;
        expect([1, 2, 3]).toContain(lag);
      }
    }
  });

  it('never date a line after the report’s day: the cash of a parcel delivered yesterday is remitted today', () => {
    // Parcels delivered 23–28 November, the report made on the 25th: later lags would fall after it.
    const lines = parseRemittanceReport(
      remittanceReport('jne', parcels, window, 'seed', null, '2026-11-25').csv,
      '2026-11-25',
    );
    expect(lines).toHaveLength(parcels.length);
    expect(lines.every((l) => l.remittedOn <= '2026-11-25')).toBe(true);
    expect(lines.filter((l) => l.remittedOn === '2026-11-25').length).toBeGreaterThanOrEqual(4);
  });

  it('word each courier’s header its own way', () => {
    const header = (c: (typeof COURIER_CODES)[number]) =>
      remittanceReport(c, parcels, window, 'seed', null, '2026-12-31').csv.split('\r\n')[0];
    expect(header('jne')).toBe('CNOTE_NO;COD_AMOUNT;TGL_SETOR');
    expect(header('jnt')).toBe('waybill,cod_value,remitted_at');
    expect(new Set(COURIER_CODES.map(header)).size).toBe(COURIER_CODES.length);
  });

  it('seed discrepancies deterministically: one missing, one wrong amount, one duplicate, one unknown AWB', () => {
    const a = remittanceReport('ninja', parcels, window, 'seed', 'true', '2026-12-31');
    expect(remittanceReport('ninja', parcels, window, 'seed', 'true', '2026-12-31')).toEqual(a);
    expect(remittanceReport('ninja', parcels, window, 'seed', 'other', '2026-12-31').csv).not.toBe(a.csv);
    const d = a.discrepancies!;
    const awbs = parcels.map((p) => p.awb);
    expect(new Set([d.missing, d.wrongAmount, d.duplicate]).size).toBe(3);
    for (const awb of [d.missing, d.wrongAmount, d.duplicate]) expect(awbs).toContain(awb);
    expect(awbs).not.toContain(d.unknown);
    expect(d.unknown).toMatch(/^NVID9\d{9}$/);

    const lines = parseRemittanceReport(a.csv, '2026-12-31');
    const count = (awb: string) => lines.filter((l) => l.awb === awb).length;
    expect(count(d.missing!)).toBe(0);
    expect(count(d.duplicate!)).toBe(2);
    expect(count(d.unknown)).toBe(1);
    const wrong = lines.find((l) => l.awb === d.wrongAmount)!;
    expect(wrong.amount).not.toBe(parcels.find((p) => p.awb === d.wrongAmount)!.codAmount);
    expect(lines).toHaveLength(parcels.length + 1);
    expect(discrepancyHeader(d)).toBe(
      `missing=${d.missing};wrong_amount=${d.wrongAmount};duplicate=${d.duplicate};unknown=${d.unknown}`,
    );
  });

  it('still add an unknown AWB to an empty window, and name only what it could do', () => {
    const { csv, discrepancies } = remittanceReport('jne', [], window, 'seed', 'true', '2026-12-31');
    expect(discrepancies).toEqual({ unknown: expect.stringMatching(/^889\d{13}$/) });
    expect(parseRemittanceReport(csv, '2026-12-31')).toEqual([
      expect.objectContaining({ awb: discrepancies!.unknown, remittedOn: '2026-11-23' }),
    ]);
    expect(discrepancyHeader(discrepancies!)).toBe(`unknown=${discrepancies!.unknown}`);
  });
});
