import { RegencyLookup } from 'src/couriers/sandbox/regency-lookup';

describe("the sandbox's regency lookup", () => {
  const lookup = new RegencyLookup([
    { code: '32.04', name: 'Kabupaten Bandung', province: 'Jawa Barat' },
    { code: '32.73', name: 'Kota Bandung', province: 'Jawa Barat' },
    { code: '35.78', name: 'Kota Surabaya', province: 'Jawa Timur' },
    { code: '35.15', name: 'Kabupaten Sidoarjo', province: 'Jawa Timur' },
  ]);

  it('finds a regency by its canonical names, in any case and spacing', () => {
    expect(lookup.codeOf('Kota Bandung', 'Jawa Barat')).toBe('32.73');
    expect(lookup.codeOf('kabupaten  bandung', 'jawa barat')).toBe('32.04');
    expect(lookup.codeOf('Surabaya', 'Jawa Timur')).toBe('35.78');
  });

  it('names none for an unknown place, a wrong province, or a bare name two regencies share', () => {
    expect(lookup.codeOf('Bandung', 'Jawa Barat')).toBeNull();
    expect(lookup.codeOf('Kota Surabaya', 'Jawa Barat')).toBeNull();
    expect(lookup.codeOf('Jawa Timur', 'Jawa Timur')).toBeNull();
  });
});
