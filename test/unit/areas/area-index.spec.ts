import { AreaIndex, DirectoryRow } from 'src/areas/area-index';
import { normalizePlace } from 'src/areas/area-words';

/** A small directory with the shapes that matter: a city and a regency of one name, a name in two provinces. */
const row = (
  code: string,
  name: string,
  regency: [name: string, kind: 'kota' | 'kabupaten'],
  province: [code: string, name: string, official: string],
): DirectoryRow => ({
  code,
  name,
  searchName: normalizePlace(name),
  regencyCode: code.slice(0, 5),
  regencyName: `${regency[1] === 'kota' ? 'Kota' : 'Kabupaten'} ${regency[0]}`,
  regencyKind: regency[1],
  regencySearchName: normalizePlace(regency[0]),
  provinceCode: province[0],
  provinceName: province[1],
  provinceOfficialName: province[2],
});
const JABAR: [string, string, string] = ['32', 'Jawa Barat', 'JAWA BARAT'];
const RIAU: [string, string, string] = ['14', 'Riau', 'RIAU'];
const DKI: [string, string, string] = ['31', 'DKI Jakarta', 'DKI JAKARTA'];
const ROWS = [
  row('14.71.01', 'Sukajadi', ['Pekanbaru', 'kota'], RIAU),
  row('31.74.01', 'Tebet', ['Administrasi Jakarta Selatan', 'kota'], DKI),
  row('32.04.05', 'Cileunyi', ['Bandung', 'kabupaten'], JABAR),
  row('32.04.06', 'Sukajadi', ['Bandung', 'kabupaten'], JABAR), // made up: the same name in both Bandungs
  row('32.73.07', 'Sukajadi', ['Bandung', 'kota'], JABAR),
  row('32.73.19', 'Sumur Bandung', ['Bandung', 'kota'], JABAR),
  row('32.77.02', 'Cimahi Tengah', ['Cimahi', 'kota'], JABAR),
].map((r) => (r.regencyCode === '31.74' ? { ...r, regencySearchName: 'jakarta selatan' } : r));

describe('AreaIndex', () => {
  const index = new AreaIndex([...ROWS].reverse()); // any order in, code order inside

  it('counts and finds by code', () => {
    expect(index.counts).toEqual({ provinces: 3, regencies: 5, districts: 7 });
    expect(index.byCode('32.73.19')?.regency.name).toBe('Kota Bandung');
    expect(index.byCode('99.99.99')).toBeNull();
  });

  it('ranks the city before the regency of the same name, and the named kind first', () => {
    expect(index.search('bandung', 10)[0].regency.code).toBe('32.73');
    expect(index.search('kab bandung', 10)[0].regency.code).toBe('32.04');
    expect(index.search('kota bandung', 10)[0].regency.code).toBe('32.73');
  });

  it('needs every word, takes prefixes as typed, and typos only when nothing else matches', () => {
    expect(index.search('sumur', 5).map((a) => a.code)).toEqual(['32.73.19']);
    expect(index.search('cimahi teng', 5).map((a) => a.code)).toEqual(['32.77.02']);
    expect(index.search('cimhi tengah', 5).map((a) => a.code)).toEqual(['32.77.02']);
    expect(index.search('tebet bandung', 5)).toEqual([]);
    expect(index.search('tebet jaksel', 5).map((a) => a.code)).toEqual(['31.74.01']);
    expect(index.search('sukajadi', 2)).toHaveLength(2);
  });

  it('looks for near misses of at most three misspelled words: more is no place, and would cost a scan each', () => {
    expect(index.search('cimhi tengah', 5).map((a) => a.code)).toEqual(['32.77.02']);
    expect(index.search('cimhi tengha jawa barat', 5).map((a) => a.code)).toEqual(['32.77.02']);
    expect(index.search('cimhi tengha jawwa barta', 5)).toEqual([]);
  });

  it('reads a district typed with its postal code as the district', () => {
    const found = index.resolve({
      district: 'Sumur Bandung 40111',
      city: 'Kota Bandung',
      province: 'Jawa Barat',
    });
    expect(found).toMatchObject({ kind: 'district', area: { code: '32.73.19' } });
  });

  it('resolves a district the city decides, in canonical names', () => {
    expect(index.resolve({ district: 'sukajadi', city: 'Kota Bandung', province: 'Jawa Barat' })).toEqual({
      kind: 'district',
      area: {
        code: '32.73.07',
        name: 'Sukajadi',
        regency: { code: '32.73', name: 'Kota Bandung' },
        province: { code: '32', name: 'Jawa Barat' },
      },
    });
    expect(index.resolve({ district: 'Sukajadi', city: 'Pekanbaru', province: 'Riau' })).toMatchObject({
      kind: 'district',
      area: { code: '14.71.01' },
    });
    expect(index.resolve({ district: 'Kec. Tebet', city: 'Jakarta', province: 'DKI Jakarta' })).toMatchObject(
      {
        kind: 'district',
        area: { code: '31.74.01' },
      },
    );
  });

  it('asks when the city does not decide, naming each regency', () => {
    const asked = index.resolve({ district: 'Sukajadi', city: 'Bandung', province: 'Jawa Barat' });
    expect(asked).toMatchObject({ kind: 'unresolved', field: 'district', reason: 'ambiguous' });
    expect(asked.kind === 'unresolved' && asked.suggestions.map((s) => s.regency.name)).toEqual([
      'Kabupaten Bandung',
      'Kota Bandung',
    ]);
    expect(index.resolve({ city: 'Bandung', province: 'Jawa Barat' })).toMatchObject({
      kind: 'unresolved',
      field: 'city',
      reason: 'ambiguous',
    });
    expect(index.resolve({ city: 'Kota Bandung', province: 'Jawa Barat' })).toMatchObject({
      kind: 'regency',
      regency: { code: '32.73' },
    });
  });

  it('refuses an unknown district or a city of another province, with suggestions', () => {
    const unknown = index.resolve({ district: 'Xylofon', city: 'Cimahi', province: 'Jawa Barat' });
    expect(unknown).toMatchObject({ kind: 'unresolved', field: 'district', reason: 'unknown' });
    const elsewhere = index.resolve({ district: 'Sukajadi', city: 'Pekanbaru', province: 'Jawa Barat' });
    expect(elsewhere).toMatchObject({ kind: 'unresolved', field: 'city', reason: 'unknown' });
    expect(elsewhere.kind === 'unresolved' && elsewhere.suggestions.map((a) => a.code)).toEqual([
      '14.71.01', // the district in the typed city first, then the province's of that name (city first)
      '32.73.07',
      '32.04.06',
    ]);
  });
});
