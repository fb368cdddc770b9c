import fc from 'fast-check';
import { formatCount, formatDate, formatDateTime, formatRate, formatRupiah } from 'src/dashboard/i18n/format';

/** Intl separates the symbol with a no-break space: compare what a reader sees. */
const seen = (text: string) => text.replace(/\u00a0/g, ' ');

describe('the dashboard formats rupiah as Indonesians write them', () => {
  it('writes whole rupiah with dots between thousands and no decimals', () => {
    expect(seen(formatRupiah(150_000))).toBe('Rp 150.000');
    expect(seen(formatRupiah(0))).toBe('Rp 0');
    expect(seen(formatRupiah(1_234_567_890))).toBe('Rp 1.234.567.890');
    expect(seen(formatRupiah(-5_000))).toBe('-Rp 5.000');
  });

  it('reads back to the same amount for every whole rupiah', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (amount) => {
        const text = seen(formatRupiah(amount));
        expect(text).toMatch(/^Rp \d{1,3}(\.\d{3})*$/);
        expect(Number(text.slice(3).replace(/\./g, ''))).toBe(amount);
      }),
    );
  });

  it('counts and rates in the language of the page', () => {
    expect(formatCount(20_000, 'id')).toBe('20.000');
    expect(formatCount(20_000, 'en')).toBe('20,000');
    expect(seen(formatRate(0.875, 'id'))).toBe('88%');
    expect(formatRate(0.5, 'en')).toBe('50%');
    expect(formatRate(null, 'id')).toBe('–');
  });
});

describe('the dashboard writes times in Jakarta (WIB), whatever the browser’s zone', () => {
  // 17:30 UTC on 31 December is already 1 January in Jakarta (UTC+7).
  const instant = '2025-12-31T17:30:00.000Z';

  it('moves the clock and the calendar to Asia/Jakarta', () => {
    expect(formatDateTime(instant, 'id')).toBe('1 Jan 2026, 00.30 WIB');
    expect(formatDateTime(instant, 'en')).toBe('1 Jan 2026, 00:30 WIB');
    expect(formatDate(instant, 'id')).toBe('1 Jan 2026');
    expect(formatDate(new Date('2026-08-17T02:00:00Z'), 'id')).toBe('17 Agu 2026');
    expect(formatDate(new Date('2026-08-17T02:00:00Z'), 'en')).toBe('17 Aug 2026');
  });

  it('gives every instant its Jakarta date (UTC+7, no daylight saving)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        const jakarta = new Date(ms + 7 * 3_600_000);
        const expected = new Intl.DateTimeFormat('en-GB', {
          timeZone: 'UTC',
          day: 'numeric',
          month: 'short',
          year: 'numeric',
        }).format(jakarta);
        expect(formatDate(new Date(ms), 'en')).toBe(expected);
      }),
    );
  });
});
