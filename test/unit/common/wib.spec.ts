import { formatWib, instantOf, parseInstant, parseWib, wibDayStart, windowEndOf } from 'src/common/wib';

describe('WIB times as couriers write them', () => {
  it('finds the midnight in Jakarta a day began at', () => {
    expect(wibDayStart(new Date('2026-01-05T16:59:59.999Z')).toISOString()).toBe('2026-01-04T17:00:00.000Z');
    expect(wibDayStart(new Date('2026-01-05T17:00:00.000Z')).toISOString()).toBe('2026-01-05T17:00:00.000Z');
    expect(wibDayStart(new Date('2026-01-05T03:00:00.000Z')).toISOString()).toBe('2026-01-04T17:00:00.000Z');
    expect(wibDayStart(new Date('1969-12-31T20:00:00.000Z')).toISOString()).toBe('1969-12-31T17:00:00.000Z');
  });

  it('reads both spellings, in WIB', () => {
    expect(parseWib('2026-12-04 10:15:30')?.toISOString()).toBe('2026-12-04T03:15:30.000Z');
    expect(parseWib('2026-12-04T10:15')?.toISOString()).toBe('2026-12-04T03:15:00.000Z');
    expect(parseWib('04-12-2026 10:15')?.toISOString()).toBe('2026-12-04T03:15:00.000Z');
    expect(parseWib('2028-02-29 00:00')?.toISOString()).toBe('2028-02-28T17:00:00.000Z');
    const at = new Date('2026-07-01T16:59:00Z');
    expect(parseWib(formatWib(at))?.toISOString()).toBe(at.toISOString());
  });

  it('reads the other ways couriers write a time: one-digit parts, slashes, seconds, an ISO offset', () => {
    for (const [text, iso] of [
      ['3-4-2022 9:05', '2022-04-03T02:05:00.000Z'],
      ['03/04/2022 13:31', '2022-04-03T06:31:00.000Z'],
      ['03-04-2022 13:31:20', '2022-04-03T06:31:20.000Z'],
      ['2022/04/03 13:31:05', '2022-04-03T06:31:05.000Z'],
      ['2022-4-3 7:05', '2022-04-03T00:05:00.000Z'],
      ['2022-08-10T10:03:40+07:00', '2022-08-10T03:03:40.000Z'],
      ['2022-08-10T03:03:40Z', '2022-08-10T03:03:40.000Z'],
      ['2022-08-10T12:03:40+0900', '2022-08-10T03:03:40.000Z'],
    ])
      expect({ text, at: parseWib(text)?.toISOString() }).toEqual({ text, at: iso });
    for (const text of [
      '03/04-2022 13:31',
      '31-02-2026 10:00',
      '2026-13-01 10:00',
      '1999-12-31T10:00:00Z',
      '24-1-2026 24:00',
    ])
      expect({ text, at: parseWib(text) }).toEqual({ text, at: null });
  });

  it('reads a time followed by its Indonesian zone at that zone’s clock: WIB +7, WITA +8, WIT +9', () => {
    for (const [text, iso] of [
      ['2026-12-06 14:05 WIB', '2026-12-06T07:05:00.000Z'],
      ['2026-12-06 14:05:00 WITA', '2026-12-06T06:05:00.000Z'],
      ['06-12-2026 14:05 WIT', '2026-12-06T05:05:00.000Z'],
      ['06-12-2026 14:05 (wita)', '2026-12-06T06:05:00.000Z'],
      ['06-12-2026 14:05WIB', '2026-12-06T07:05:00.000Z'],
    ])
      expect({ text, at: parseWib(text)?.toISOString() }).toEqual({ text, at: iso });
    // A zone word beside an offset contradicts it, and a zone alone is no time.
    for (const text of ['2026-12-06T14:05:00+07:00 WITA', 'WIB', '31-02-2026 10:00 WIB'])
      expect({ text, at: parseWib(text) }).toEqual({ text, at: null });
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

describe('instantOf: the moment a query names', () => {
  it.each([
    ['2026-12-08', '2026-12-07T17:00:00.000Z'], // a bare date: 00:00 in Jakarta
    ['2026-12-08T09:30:00', '2026-12-08T02:30:00.000Z'], // no offset: Jakarta's wall clock
    ['2026-12-08T09:30', '2026-12-08T02:30:00.000Z'],
    ['2026-12-08T09:30:00.250', '2026-12-08T02:30:00.250Z'],
    ['2026-12-08T09:30:00Z', '2026-12-08T09:30:00.000Z'], // an offset is kept
    ['2026-12-08T09:30:00+09:00', '2026-12-08T00:30:00.000Z'],
  ])('%s → %s', (text, iso) => {
    expect(instantOf(text).toISOString()).toBe(iso);
  });
});

describe('windowEndOf: where a `to` ends a window', () => {
  it.each([
    ['2026-12-08', '2026-12-08T17:00:00.000Z'], // a bare date: through that Jakarta day
    ['2026-12-31', '2026-12-31T17:00:00.000Z'],
    ['2026-12-08T00:00:00', '2026-12-07T17:00:00.000Z'], // a moment: that moment
    ['2026-12-08T09:30:00Z', '2026-12-08T09:30:00.000Z'],
  ])('%s → %s', (text, iso) => {
    expect(windowEndOf(text).toISOString()).toBe(iso);
  });
});

describe('parseInstant: a moment a client names, never rolled over', () => {
  it.each([
    ['2024-02-29', '2024-02-28T17:00:00.000Z'],
    ['2026-12-08T09:30:00.1234+07:00', '2026-12-08T02:30:00.123Z'],
    ['2026-12-08T09:30+0700', '2026-12-08T02:30:00.000Z'],
    ['2026-12-31T23:59:59-12:00', '2027-01-01T11:59:59.000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'], // not 1950
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('%s → %s', (text, iso) => {
    expect(parseInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-02-30',
    '2026-13-01',
    '2026-00-10',
    '2025-02-29',
    '2026-04-31',
    '1900-02-29',
    '2026-01-01T24:00',
    '2026-01-01T24:00:00+07:00',
    '2026-01-01T25:00:00+07:00',
    '2026-01-01T10:60:00Z',
    '2026-01-01T23:59:60Z',
    '2026-01-01T10:00:00+24:00',
    '0000-01-01T00:00:00Z',
    '0001-01-01', // 00:00 in Jakarta is still year 0 in UTC, which PostgreSQL has not
    '9999-12-31T23:00:00-05:00', // year 10000
    '+275760-09-13',
    '2026-01-01x',
    '2026-01-01T00:00:00+07:00junk',
    '2026-01-01 ',
    '2026-01-01 10:00',
    '2026-W01',
    '2026-365',
    '2026-01-01T10',
    '',
  ])('refuses %j', (text) => {
    expect(parseInstant(text)).toBeNull();
    expect(() => instantOf(text)).toThrow(RangeError);
  });
});
