import { AreasService } from 'src/areas/areas.service';
import { PlaceDistrictCodes1795473100000 } from '../../../migrations/1795473100000-PlaceDistrictCodes';
import { PROVINCE_NAMES } from 'src/common/indonesia';
import { createAddress, createShipment, signupSeller } from '../../support/factories/sellers';
import { startTestApp, TestApp } from '../../support/test-app';
import { rerunMigration } from '../../support/migration-rerun';

describe('the area directory as migrated, and district codes for rows typed before it', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('names every province in Kirim’s province vocabulary and keeps the dataset’s own text', async () => {
    const rows = await t.dataSource.query<{ code: string; name: string; official_name: string }[]>(
      'SELECT code, name, official_name FROM area_provinces ORDER BY code',
    );
    expect(rows.map((r) => r.name).sort()).toEqual([...PROVINCE_NAMES].sort());
    expect(rows.find((r) => r.code === '34')).toEqual({
      code: '34',
      name: 'DI Yogyakarta',
      official_name: 'DAERAH ISTIMEWA YOGYAKARTA',
    });
    const [regency] = await t.dataSource.query(
      "SELECT name, official_name, kind, search_name FROM area_regencies WHERE code = '31.74'",
    );
    expect(regency).toEqual({
      name: 'Kota Administrasi Jakarta Selatan',
      official_name: 'KOTA ADMINISTRASI JAKARTA SELATAN',
      kind: 'kota',
      search_name: 'jakarta selatan',
    });
    const [{ n }] = await t.dataSource.query(
      "SELECT count(*)::int AS n FROM area_districts WHERE search_name !~ '^[a-z0-9]+( [a-z0-9]+)*$'",
    );
    expect(n).toBe(0);
  });

  it('gives existing rows a district code where their typed place names exactly one district', async () => {
    const http = t.http();
    const seller = await signupSeller(http);
    const address = await createAddress(http, seller);
    const named = await createShipment(http, seller);
    const ambiguous = await createShipment(http, seller);
    const unknown = await createShipment(http, seller);
    const none = await createShipment(http, seller);
    // As the rows were typed before the directory (names as sellers wrote them, no codes).
    await t.dataSource.query(
      `UPDATE pickup_addresses SET district = 'sumur bandung', city = 'Bandung', district_code = NULL WHERE id = $1`,
      [address.id],
    );
    const typed = async (id: string, district: string, city: string, province: string) =>
      t.dataSource.query(
        `UPDATE shipments SET recipient_district = $2, recipient_city = $3, recipient_province = $4,
                recipient_district_code = NULL WHERE id = $1`,
        [id, district, city, province],
      );
    await typed(named.id, 'Menteng', 'Jakarta Pusat', 'DKI Jakarta');
    await typed(ambiguous.id, 'Sorong', 'Sorong', 'Papua Barat Daya');
    await typed(unknown.id, 'Xylofon', 'Surabaya', 'Jawa Timur');
    await typed(none.id, '', 'Kota Bandung', 'Jawa Barat');

    await rerunMigration(t.dataSource, new PlaceDistrictCodes1795473100000());

    const [a] = await t.dataSource.query(
      'SELECT district, city, district_code FROM pickup_addresses WHERE id = $1',
      [address.id],
    );
    expect(a).toEqual({ district: 'sumur bandung', city: 'Bandung', district_code: '32.73.19' });
    const codes = await t.dataSource.query<{ id: string; recipient_district_code: string | null }[]>(
      'SELECT id, recipient_district_code FROM shipments WHERE id = ANY($1)',
      [[named.id, ambiguous.id, unknown.id, none.id]],
    );
    const codeOf = new Map(codes.map((r) => [r.id, r.recipient_district_code]));
    expect([named, ambiguous, unknown, none].map((s) => codeOf.get(s.id))).toEqual([
      '31.71.06',
      null,
      null,
      null,
    ]);
  });
});

describe('every district of the directory, typed by its canonical names', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('resolves to itself (district, regency and province as the directory names them)', async () => {
    const rows = await t.dataSource.query<
      { code: string; district: string; city: string; province: string }[]
    >(
      `SELECT d.code, d.name AS district, r.name AS city, p.name AS province
         FROM area_districts d JOIN area_regencies r ON r.code = d.regency_code JOIN area_provinces p ON p.code = r.province_code
        ORDER BY d.code`,
    );
    expect(rows).toHaveLength(7277);
    const areas = t.app.get(AreasService);
    const wrong: string[] = [];
    for (const r of rows) {
      try {
        const resolved = await areas.resolve({ district: r.district, city: r.city, province: r.province });
        if (resolved.districtCode !== r.code)
          wrong.push(`${r.code} ${r.district}, ${r.city}: got ${resolved.districtCode}`);
      } catch (e) {
        wrong.push(`${r.code} ${r.district}, ${r.city}, ${r.province}: ${(e as Error).message}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('asks which district is meant when the city typed is its province’s name too and the name is in two of its regencies', async () => {
    const areas = t.app.get(AreasService);
    const ask = (district: string, city: string) =>
      areas.resolve({ district, city, province: 'DI Yogyakarta' }).then(
        (r) => ({ resolved: r.districtCode }),
        (e: { details?: { field: string; suggestions?: { code: string }[] }[] }) => ({
          field: e.details?.[0]?.field,
          suggestions: e.details?.[0]?.suggestions?.map((s) => s.code).sort(),
        }),
      );
    // "Yogyakarta" is the city and the province: Jetis is Kota Yogyakarta's and Bantul's.
    expect(await ask('Jetis', 'Yogyakarta')).toEqual({
      field: 'district',
      suggestions: ['34.02.09', '34.71.02'],
    });
    // Named the city, or a district only the city has: no question.
    expect(await ask('Jetis', 'Kota Yogyakarta')).toEqual({ resolved: '34.71.02' });
    expect(await ask('Jetis', 'Bantul')).toEqual({ resolved: '34.02.09' });
    expect(await ask('Gondokusuman', 'Yogyakarta')).toEqual({ resolved: '34.71.03' });
  });

  it('resolves a city typed as sellers write it: a one-word name in two words, and "Kota" where the name holds it', async () => {
    const areas = t.app.get(AreasService);
    // [district, city as typed, province, the district meant]
    const typed: [string, string, string, string][] = [
      ['Siantar Barat', 'Pematang Siantar', 'Sumatera Utara', '12.72.02'],
      ['Gunungsitoli Selatan', 'Gunung Sitoli', 'Sumatera Utara', '12.78.02'],
      ['Pahandut', 'Palangka Raya', 'Kalimantan Tengah', '62.71.01'],
      ['Guguak Panjang', 'Bukit Tinggi', 'Sumatera Barat', '13.75.01'],
      ['Barangin', 'Kota Sawah Lunto', 'Sumatera Barat', '13.73.02'],
      ['Landasan Ulin', 'Banjar Baru', 'Kalimantan Selatan', '63.72.02'],
      ['Bacukiki', 'Pare Pare', 'Sulawesi Selatan', '73.72.01'],
      ['Suliki', 'Lima Puluh Kota', 'Sumatera Barat', '13.07.01'],
      ['Suliki', 'Kabupaten Lima Puluh Kota', 'Sumatera Barat', '13.07.01'],
      ['Pulau Laut Barat', 'Kota Baru', 'Kalimantan Selatan', '63.02.02'],
      ['Arut Selatan', 'Kota Waringin Barat', 'Kalimantan Tengah', '62.01.02'],
      // Read as typed first: "Kota Batu" is the city of Batu, not a name holding "Kota".
      ['Junrejo', 'Kota Batu', 'Jawa Timur', '35.79.03'],
    ];
    const got = await Promise.all(
      typed.map(async ([district, city, province]) => {
        const withDistrict = await areas.resolve({ district, city, province }).then(
          (r) => r.districtCode,
          (e: Error) => e.message,
        );
        // The city alone names its regency too (no district: a regency-level place).
        const alone = await areas.resolve({ district: null, city, province }).then(
          (r) => r.city,
          (e: Error) => e.message,
        );
        return { city, withDistrict, alone };
      }),
    );
    const regencies = new Map(
      (
        await t.dataSource.query<{ code: string; name: string }[]>('SELECT code, name FROM area_regencies')
      ).map((r) => [r.code, r.name]),
    );
    // Elsewhere "Kota Baru" is a town (a district of Kota Jambi), typed as the city, and no Kotabaru.
    const town = await areas.resolve({ district: 'Kota Baru', city: 'Kota Baru', province: 'Jambi' });
    expect(town.districtCode).toBe('15.71.07');
    expect(got).toEqual(
      typed.map(([, city, , code]) => ({
        city,
        withDistrict: code,
        alone: regencies.get(code.slice(0, 5)),
      })),
    );
  });
});
