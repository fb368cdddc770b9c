import fc from 'fast-check';
import {
  canonicalProvince,
  isIndonesianPostalCode,
  normalizeIndonesianPhone,
  PROVINCE_NAMES,
} from 'src/common/indonesia';

describe('normalizeIndonesianPhone', () => {
  it.each([
    ['081234567890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['+62 812-3456-7890', '+6281234567890'],
    ['+62 0812 3456 7890', '+6281234567890'],
    ['0812.3456.789', '+628123456789'],
    ['(021) 5551234', '+62215551234'],
    ['0811234567', '+62811234567'],
    // 00 62: dialled with the international prefix (it read as a landline +62 62…).
    ['0062812987654', '+62812987654'],
    ['0062 21 5551234', '+62215551234'],
  ])('%s → %s', (input, expected) => expect(normalizeIndonesianPhone(input)).toBe(expected));

  it.each([
    '',
    '12345',
    '+6591234567',
    '08123',
    '0812345678901234',
    'O812345678',
    '+62 1234 5678',
    '0812-ABCD-7890',
    '0065 9123 4567',
  ])('rejects %j', (input) => expect(normalizeIndonesianPhone(input)).toBeNull());

  it('gives one E.164 form for every way a mobile number is typed', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^8[1-9]\d{7,10}$/), (subscriber) => {
        const forms = [
          `0${subscriber}`,
          `62${subscriber}`,
          `+62${subscriber}`,
          `0062${subscriber}`,
          `+62 ${subscriber.slice(0, 3)}-${subscriber.slice(3)}`,
        ];
        const normalized = new Set(forms.map(normalizeIndonesianPhone));
        return normalized.size === 1 && normalized.has(`+62${subscriber}`);
      }),
    );
  });
});

describe('postal codes and provinces', () => {
  it('accepts five digits not starting with 0', () => {
    expect(['40111', '10110', '99976'].map(isIndonesianPostalCode)).toEqual([true, true, true]);
    expect(['4011', '401111', '04011', 'abcde', ' 40111'].map(isIndonesianPostalCode)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('knows the 38 provinces and maps common spellings to their canonical name', () => {
    expect(PROVINCE_NAMES).toHaveLength(38);
    expect(canonicalProvince('jabar')).toBe('Jawa Barat');
    expect(canonicalProvince('West  Java')).toBe('Jawa Barat');
    expect(canonicalProvince('Provinsi DKI Jakarta')).toBe('DKI Jakarta');
    expect(canonicalProvince('jogja')).toBe('DI Yogyakarta');
    expect(canonicalProvince('Atlantis')).toBeNull();
    for (const [typed, name] of [
      ['Sumatra Utara', 'Sumatera Utara'],
      ['Sumatra Selatan', 'Sumatera Selatan'],
      ['D.I. Yogyakarta', 'DI Yogyakarta'],
      ['Prov. DI Yogyakarta', 'DI Yogyakarta'],
      ['Yogya', 'DI Yogyakarta'],
      ['Jogjakarta', 'DI Yogyakarta'],
      ['Kep. Riau', 'Kepulauan Riau'],
      ['Kep Bangka Belitung', 'Kepulauan Bangka Belitung'],
      ['Jakarta Raya', 'DKI Jakarta'],
      ['Irian Jaya', 'Papua'],
      ['propinsi  Bali', 'Bali'],
      // Initials with dots however many, the country after, the old spelling.
      ['D.K.I. Jakarta', 'DKI Jakarta'],
      ['D. K. I. Jakarta', 'DKI Jakarta'],
      ['D.I.Y.', 'DI Yogyakarta'],
      ['D.I.Y', 'DI Yogyakarta'],
      ['Jawa Timur, Indonesia', 'Jawa Timur'],
      ['Djawa Timur', 'Jawa Timur'],
      ['Soelawesi Selatan', 'Sulawesi Selatan'],
    ])
      expect(canonicalProvince(typed)).toBe(name);
    expect(canonicalProvince('Provinsi')).toBeNull();
    expect(canonicalProvince('Indonesia')).toBeNull();
    expect(canonicalProvince('constructor')).toBeNull();
    for (const name of PROVINCE_NAMES) expect(canonicalProvince(name.toUpperCase())).toBe(name);
  });
});
