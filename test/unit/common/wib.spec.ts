import { formatWib, parseWib } from 'src/common/wib';

describe('WIB times as couriers write them', () => {
  it('reads both spellings, in WIB', () => {
    expect(parseWib('2026-12-04 10:15:30')?.toISOString()).toBe('2026-12-04T03:15:30.000Z');
    expect(parseWib('2026-12-04T10:15')?.toISOString()).toBe('2026-12-04T03:15:00.000Z');
    expect(parseWib('04-12-2026 10:15')?.toISOString()).toBe('2026-12-04T03:15:00.000Z');
    expect(parseWib('2028-02-29 00:00')?.toISOString()).toBe('2028-02-28T17:00:00.000Z');
    const at = new Date('2026-07-01T16:59:00Z');
    expect(parseWib(formatWib(at))?.toISOString()).toBe(at.toISOString());
  });

  it('refuses parts out of range instead of rolling them over, and years before 2000', () => {
    for (const text of [
      '2026-13-01 10:00',
      '2026-02-30 10:00',
      '2027-02-29 10:00',
      '2026-12-32 10:00',
      '2026-12-04 24:00',
      '2026-12-04 10:60',
      '2026-12-04 10:00:60',
      '0100-01-01 00:00',
      '1999-12-31 23:59',
      '00-01-0099 10:00',
      'kemarin',
    ])
      expect({ text, at: parseWib(text) }).toEqual({ text, at: null });
  });
});
