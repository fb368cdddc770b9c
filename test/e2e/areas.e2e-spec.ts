import supertest from 'supertest';
import { normalizePlace, parsePlaceQuery } from 'src/areas/area-words';
import { AreasService } from 'src/areas/areas.service';
import { createOperator } from '../support/factories/operators';
import {
  createAddress,
  signupSeller,
  TestSeller,
  validAddress,
  validShipment,
} from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

interface Area {
  code: string;
  name: string;
  regency: { code: string; name: string };
  province: { code: string; name: string };
}

/**
 * How sellers really type places, and the district that must come FIRST. Where the words name a whole
 * regency ("jaksel", "kota bandung") the first district must be of that regency (`regency`).
 */
const TYPED: [q: string, first: { district?: string; regency?: string; province?: string }][] = [
  ['tebet', { district: '31.74.01' }],
  ['kec. tebet', { district: '31.74.01' }],
  ['Tebet, Jakarta Selatan', { district: '31.74.01' }],
  ['tebet jaksel', { district: '31.74.01' }],
  ['kebayoran baru', { district: '31.74.07' }],
  ['kebayoran bru', { district: '31.74.07' }],
  ['kebayoran lama jaksel', { district: '31.74.05' }],
  ['menteng jakpus', { district: '31.71.06' }],
  ['gambir jkt pusat', { district: '31.71.01' }],
  ['cengkareng jakbar', { district: '31.73.01' }],
  ['kelapa gading jakut', { district: '31.72.06' }],
  ['cakung jaktim', { district: '31.75.06' }],
  ['jaksel', { regency: '31.74' }],
  ['jakarta selatan', { regency: '31.74' }],
  ['jakbar', { regency: '31.73' }],
  ['jkt pusat', { regency: '31.71' }],
  ['kota bandung', { regency: '32.73' }],
  ['bandung', { regency: '32.73' }],
  ['kabupaten bandung', { regency: '32.04' }],
  ['sumur bandung', { district: '32.73.19' }],
  ['coblong kota bandung', { district: '32.73.02' }],
  ['sukajadi bandung', { district: '32.73.07' }],
  ['kab. bogor', { regency: '32.01' }],
  ['kabupaten bogor', { regency: '32.01' }],
  ['bogor', { regency: '32.71' }],
  ['cibinong bogr', { district: '32.01.01' }],
  ['cibinong kab bogor', { district: '32.01.01' }],
  ['sleman yogya', { district: '34.04.13' }],
  ['depok sleman', { district: '34.04.07' }],
  ['jogja', { regency: '34.71' }],
  ['gondokusuman jogja', { district: '34.71.03' }],
  ['surabaya', { regency: '35.78' }],
  ['surbaya', { regency: '35.78' }],
  ['wonokromo surabaya', { district: '35.78.04' }],
  ['genteng sby', { district: '35.78.07' }],
  ['kab malang', { regency: '35.07' }],
  ['lowokwaru malang', { district: '35.73.05' }],
  ['serpong tangsel', { district: '36.74.01' }],
  ['laweyan solo', { district: '33.72.01' }],
  ['kuta badung', { district: '51.03.01' }],
  ['ubud gianyar', { district: '51.04.05' }],
  ['kota baru jambi', { district: '15.71.07' }],
  // A province named in full, or by its nickname: its districts, not one sharing a word elsewhere.
  ['jawa barat', { province: '32' }],
  ['jabar', { province: '32' }],
  ['jatim', { province: '35' }],
  ['papua barat', { province: '92' }],
  ['papua selatan', { province: '93' }],
  ['kepulauan riau', { province: '21' }],
  ['kupang ntt', { regency: '53.71' }],
  ['kupang', { regency: '53.71' }],
  // A district's whole name before a shorter one it begins with.
  ['praya tengah', { district: '52.02.10' }],
  ['kotabumi utara', { district: '18.03.09' }],
  // Two districts whose names are the same words in another order: the one in the order typed.
  ['ulu rawas', { district: '16.13.07' }],
  ['rawas ulu', { district: '16.13.02' }],
  ['koto vii', { district: '13.03.08' }],
  ['vii koto', { district: '15.09.06' }],
  // ...but a district named first, then its regency, is not read across the two ("Kabila Bone" is another).
  ['kabila bone bolango', { district: '75.03.02' }],
  ['kuantan singingi kuantan hilir', { district: '14.09.04' }],
  // A regency's whole name, whether or not its kind is typed: its districts, not those of a regency named by
  // fewer of the words with a district (or province) sharing the rest (Kota Bandung of Jawa Barat, Tondano
  // Utara of Kabupaten Minahasa, Rantau Selatan of Kabupaten Labuhanbatu, Kota Utara of Kota Gorontalo).
  ['bandung barat', { regency: '32.17' }],
  ['kabupaten minahasa utara', { regency: '71.06' }],
  ['labuhanbatu selatan', { regency: '12.22' }],
  ['gorontalo utara', { regency: '75.05' }],
  ['sorong selatan', { regency: '96.02' }],
  ['kabupaten lima puluh kota', { regency: '13.07' }],
  ['kotabaru', { regency: '63.02' }],
  // A name a Kota and a Kabupaten share is the city, though the Kabupaten has a district of that very name.
  ['sukabumi', { regency: '32.72' }],
  ['madiun', { regency: '35.77' }],
  ['kab sukabumi', { district: '32.02.32' }],
  // Names written as one word, or as two where the directory has one.
  ['pangkalpinang', { regency: '19.71' }],
  ['baubau', { regency: '74.72' }],
  ['tanjungpinang', { regency: '21.72' }],
  ['palangka raya', { regency: '62.71' }],
  // Two words the directory writes as one, though each also names places on its own.
  ['gunung kidul', { regency: '34.03' }],
  ['kramat jati', { district: '31.75.04' }],
  ['wonosari gunung kidul', { district: '34.03.01' }],
  ['pondok gede bekasi', { district: '32.75.08' }],
  // A pasted address ending with the country.
  ['kabupaten bandung jawa barat indonesia', { regency: '32.04' }],
  ['tebet jakarta selatan indonesia', { district: '31.74.01' }],
  // The short forms places are written with.
  ['tj priok', { district: '31.72.02' }],
  ['tg priok', { district: '31.72.02' }],
  // As a map application writes places in English, and provinces by their whole title.
  ['Coblong, Bandung City, West Java', { district: '32.73.02' }],
  ['Tebet, South Jakarta City, Jakarta', { district: '31.74.01' }],
  ['Sleman Regency, Special Region of Yogyakarta', { regency: '34.04' }],
  ['Sleman, Daerah Istimewa Yogyakarta', { regency: '34.04' }],
  ['Tebet, Daerah Khusus Ibukota Jakarta', { district: '31.74.01' }],
  ['ps minggu', { district: '31.74.04' }],
  ['klp gading', { district: '31.72.06' }],
  ['kby baru', { district: '31.74.07' }],
  ['pd gede', { district: '32.75.08' }],
  // A district's exact name, typed whole, before names it only begins (Bangkalan, Kota Jayapura, Kaimana).
  ['bangkala', { district: '73.04.01' }],
  ['jaya', { district: '11.14.05' }],
  ['kai', { district: '95.04.41' }],
  // A district's whole name, before a regency named by one of its words with a district sharing another.
  ['banggai utara', { district: '72.11.02' }],
  ['batang merangin', { district: '15.01.07' }],
  ['mesuji raya', { district: '16.02.21' }],
  ['kuala jambi', { district: '15.07.08' }],
  ['banjar baru', { district: '18.05.29' }],
  // Names the directory writes with a short form, and a district named by a kind word alone.
  ['Kep. Masaloka Raya', { district: '74.06.17' }],
  ['kepulauan bala balakang', { district: '76.02.16' }],
  ['kota', { district: '35.71.02' }],
  // A village (kelurahan or desa) typed alone: the district holding it (Bintaro is also a village of Mataram).
  ['bintaro', { district: '31.74.10' }],
  ['Kel. Cibubur', { district: '31.75.09' }],
  ['sunter agung', { district: '31.72.02' }],
  // A village's beginning, typed as the name is being typed (Sunter Agung and Sunter Jaya; Unter Iwes is a typo's guess).
  ['sunter', { district: '31.72.02' }],
  // The old spelling.
  ['soerabaja', { regency: '35.78' }],
  ['tjilatjap', { regency: '33.01' }],
  ['tjimahi', { regency: '32.77' }],
  ['djokjakarta', { regency: '34.71' }],
];

describe('areas: search and resolution against the directory', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
  });
  afterAll(() => t.close());

  const search = async (q: string, limit?: number): Promise<Area[]> => {
    const res = await http
      .get('/v1/areas')
      .query({ q, ...(limit ? { limit } : {}) })
      .set(seller.auth)
      .expect(200);
    return (res.body as { items: Area[] }).items;
  };

  it('holds the whole directory: 38 provinces, 514 regencies and cities, 7,277 districts', async () => {
    const [counts] = await t.dataSource.query<{ p: number; r: number; d: number }[]>(
      `SELECT (SELECT count(*)::int FROM area_provinces) AS p, (SELECT count(*)::int FROM area_regencies) AS r,
              (SELECT count(*)::int FROM area_districts) AS d`,
    );
    expect(counts).toEqual({ p: 38, r: 514, d: 7277 });
  });

  it.each(TYPED)('"%s" finds the right place first', async (q, first) => {
    const [top] = await search(q);
    expect(top).toBeDefined();
    if (first.district) expect(top.code).toBe(first.district);
    if (first.regency) expect(top.regency.code).toBe(first.regency);
    if (first.province) expect(top.province.code).toBe(first.province);
  });

  it("finds every district by its name as the directory spells it, first a place with each of the name's words whole", async () => {
    // Over HTTP for a sample, and through the service for all 7,277 (the same index answers both).
    const areas = t.app.get(AreasService);
    const wordsOf = (text: string) => new Set(parsePlaceQuery(text).words);
    const wrong: string[] = [];
    for (const d of await areas.districts()) {
      const [top] = await areas.search(d.name, 10);
      const named = top && wordsOf(`${top.name} ${top.regency.name} ${top.province.name}`);
      const glued = (text: string) => normalizePlace(text).replace(/ /g, '');
      if (!top || ![...wordsOf(d.name)].every((w) => named.has(w) || glued(top.name) === glued(d.name)))
        wrong.push(`${d.name} (${d.code}) → ${top ? `${top.name} (${top.code})` : 'nothing'}`);
    }
    expect(wrong).toEqual([]);
    expect((await search('Kep. Bala Balakang'))[0]?.code).toBe('76.02.16');
  });

  it('answers codes and canonical names, at most `limit`, for an API key as for a user', async () => {
    const key = await http.post('/v1/api-keys').set(seller.auth).send({ name: 'Toko plugin' }).expect(201);
    const res = await http
      .get('/v1/areas?q=menteng%20jakpus&limit=1')
      .set('x-api-key', (key.body as { key: string }).key)
      .expect(200);
    expect(res.body).toEqual({
      items: [
        {
          code: '31.71.06',
          name: 'Menteng',
          regency: { code: '31.71', name: 'Kota Administrasi Jakarta Pusat' },
          province: { code: '31', name: 'DKI Jakarta' },
        },
      ],
    });
    expect(await search('bandung', 3)).toHaveLength(3);
    const finance = await createOperator(t, http, 'finance');
    await http.get('/v1/areas?q=tebet').set(finance.auth).expect(200);
    await http.get('/v1/areas?q=tebet').expect(401);
  });

  it('keeps the lists a search box asks for (10 or fewer), not longer ones: "jawa barat 1", "… 2" are one list', async () => {
    const areas = t.app.get(AreasService);
    // Whether a list is kept under what was typed (the cache may be full from the searches before: size
    // alone would not tell).
    const cache = (areas as unknown as { results: { get: (key: string) => unknown } }).results;
    const kept = (limit: number, q: string) => cache.get(`${limit}|${q}`) !== undefined;
    const long = await areas.search('jawa barat 1', 50);
    expect(long).toHaveLength(50);
    expect(await areas.search('jawa barat 2', 50)).toEqual(long);
    expect([kept(50, 'jawa barat 1'), kept(50, 'jawa barat 2')]).toEqual([false, false]);
    const short = await areas.search('jawa barat 3', 10);
    expect(short).toEqual(long.slice(0, 10));
    expect(kept(10, 'jawa barat 3')).toBe(true);
  });

  it('lists every Sukajadi rather than guessing one', async () => {
    const found = await search('sukajadi');
    expect(found.filter((a) => a.name === 'Sukajadi').map((a) => a.regency.name)).toEqual([
      'Kota Pekanbaru',
      'Kota Bandung',
    ]);
  });

  it.each([
    ['', 'q'],
    ['x', 'q'],
    ['y'.repeat(101), 'q'],
    ['tebet\u0000', 'q'],
    ['tebet\u0007', 'q'],
    ['\u202etebet', 'q'],
  ])('refuses q=%j with 400 naming %s', async (q, field) => {
    const res = await http.get('/v1/areas').query({ q }).set(seller.auth).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('refuses a missing q, a repeated q and a bad limit with 400', async () => {
    for (const url of [
      '/v1/areas',
      '/v1/areas?q=a&q=b',
      '/v1/areas?q=tebet&limit=0',
      '/v1/areas?q=tebet&limit=51',
    ]) {
      const res = await http.get(url).set(seller.auth).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('answers nothing, not an error, for words that name no place', async () => {
    expect(await search('qwxzv plokmn')).toEqual([]);
    expect(await search('kecamatan')).toEqual([]);
  });

  it('stores an address with the district code and the directory names', async () => {
    const res = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .send({ ...validAddress(), district: 'kec. tebet', city: 'jaksel', province: 'DKI Jakarta' })
      .expect(201);
    expect(res.body).toMatchObject({
      district: 'Tebet',
      city: 'Kota Administrasi Jakarta Selatan',
      province: 'DKI Jakarta',
      districtCode: '31.74.01',
    });
    const [row] = await t.dataSource.query('SELECT district_code FROM pickup_addresses WHERE id = $1', [
      res.body.id,
    ]);
    expect(row.district_code).toBe('31.74.01');
  });

  it('asks (422 with suggestions naming each regency) when the city does not decide the district', async () => {
    const res = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .send({ ...validAddress(), district: 'Sorong', city: 'Sorong', province: 'Papua Barat Daya' })
      .expect(422);
    expect(res.body.code).toBe('AREA_UNRESOLVED');
    expect(res.body.details).toEqual([
      {
        field: 'district',
        message: expect.stringContaining('more than one'),
        suggestions: [
          { code: '96.01.18', district: 'Sorong', regency: 'Kabupaten Sorong', province: 'Papua Barat Daya' },
          { code: '96.71.01', district: 'Sorong', regency: 'Kota Sorong', province: 'Papua Barat Daya' },
        ],
      },
    ]);
    // The prefix decides it.
    const decided = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .send({ ...validAddress(), district: 'Sorong', city: 'Kota Sorong', province: 'Papua Barat Daya' })
      .expect(201);
    expect(decided.body.districtCode).toBe('96.71.01');
  });

  it('asks, never takes a near miss, when the district typed is a real one of another city', async () => {
    // Rancabali is in Kabupaten Bandung; Rancasari, one letter off, in Kota Bandung.
    for (const [district, city, exact] of [
      ['Rancabali', 'Kota Bandung', '32.04.40'],
      ['Cibinong', 'Bekasi', '32.01.01'],
      ['Sukajaya', 'Kota Bandung', '32.01.35'],
    ]) {
      const res = await http
        .post('/v1/addresses')
        .set(seller.auth)
        .send({ ...validAddress(), district, city, province: 'Jawa Barat' })
        .expect(422);
      expect(res.body.details).toEqual([
        expect.objectContaining({ field: 'district', message: expect.stringContaining('more than one') }),
      ]);
      const codes = (res.body.details[0].suggestions as { code: string }[]).map((x) => x.code);
      expect(codes).toContain(exact);
    }
    // A typo of the city's own district, named nowhere else exactly, is still taken.
    const typo = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .send({ ...validAddress(), district: 'Rancasri', city: 'Kota Bandung', province: 'Jawa Barat' })
      .expect(201);
    expect(typo.body).toMatchObject({ district: 'Rancasari', districtCode: '32.73.23' });
    // A district named nowhere in the typed city but exactly so elsewhere is suggested, before the city's own.
    for (const [district, city, province, code] of [
      ['Tebet', 'Bandung', 'Jawa Barat', '31.74.01'],
      ['Kebayoran Baru', 'Surabaya', 'Jawa Timur', '31.74.07'],
    ]) {
      const elsewhere = await http
        .post('/v1/addresses')
        .set(seller.auth)
        .send({ ...validAddress(), district, city, province })
        .expect(422);
      const suggested = (elsewhere.body.details[0].suggestions as { code: string }[]).map((x) => x.code);
      expect({ district, first: suggested[0] }).toEqual({ district, first: code });
    }
  });

  it('takes a village typed for its district, and asks rather than take a district a typo off a village', async () => {
    const address = (district: string, city: string, province: string) =>
      http
        .post('/v1/addresses')
        .set(seller.auth)
        .send({ ...validAddress(), district, city, province });
    // The village's district, when the city holds one village so named (either Bekasi, either Bandung).
    for (const [district, city, province, code, name] of [
      ['Cigadung', 'Bandung', 'Jawa Barat', '32.73.18', 'Cibeunying Kaler'],
      // A district written together is the district, before a village of that name in another one.
      ['Tanjungpinangtimur', 'Tanjung Pinang', 'Kepulauan Riau', '21.72.02', 'Tanjung Pinang Timur'],
      ['Kel. Jakasampurna', 'Bekasi', 'Jawa Barat', '32.75.02', 'Bekasi Barat'],
      ['Pakansari', 'Kabupaten Bogor', 'Jawa Barat', '32.01.01', 'Cibinong'],
      ['Randusari', 'Kota Semarang', 'Jawa Tengah', '33.74.07', 'Semarang Selatan'],
    ]) {
      const res = await address(district, city, province).expect(201);
      expect({ district, code: res.body.districtCode, name: res.body.district }).toEqual({
        district,
        code,
        name,
      });
    }
    // Asked, never guessed: a village in several of the city's districts ("Bendung", in both Serangs), a
    // village of the province a typo off one of the city's districts (Timbulharjo is in Bantul, Umbulharjo
    // in Kota Yogyakarta), a town typed as the city a typo off another regency (Bawang is no Batang), and a
    // village named as other districts of the city begin (Cibeunying, a village of Kabupaten Bandung's
    // Cimenyan; Kota Bandung has Cibeunying Kaler and Kidul).
    for (const [district, city, province, suggested] of [
      ['Bendung', 'Serang', 'Banten', '36.73.02'],
      ['Cibeunying', 'Bandung', 'Jawa Barat', '32.73.14'],
      ['Tambun', 'Bekasi', 'Jawa Barat', '32.16.05'],
      ['Klaten', 'Klaten', 'Jawa Tengah', '33.10.24'],
      ['Magelang', 'Kota Magelang', 'Jawa Tengah', '33.71.02'],
      ['Timbulharjo', 'Jogja', 'DI Yogyakarta', '34.02.15'],
      ['Majalaya', 'Katapang', 'Jawa Barat', '32.04.33'],
      ['Bawang', 'Bawang', 'Jawa Tengah', '33.04.05'],
    ]) {
      const res = await address(district, city, province).expect(422);
      const codes = (res.body.details[0].suggestions as { code: string }[]).map((x) => x.code);
      expect({ district, field: res.body.details[0].field, has: codes.includes(suggested) }).toEqual({
        district,
        field: 'district',
        has: true,
      });
    }
  });

  it('reads a district typed with its short forms ("Ps. Minggu", "Kby. Baru", "Tg. Priok")', async () => {
    for (const [district, code] of [
      ['Ps. Minggu', '31.74.04'],
      ['Kec. Kby. Baru', '31.74.07'],
      ['Tg. Priok', '31.72.02'],
    ]) {
      const res = await http
        .post('/v1/addresses')
        .set(seller.auth)
        .send({ ...validAddress(), district, city: 'Jakarta', province: 'DKI Jakarta' })
        .expect(201);
      expect({ district, code: res.body.districtCode }).toEqual({ district, code });
    }
  });

  it('reads a district typed with its words apart where the directory writes one word ("Ujung Berung", "Jati Negara")', async () => {
    // Each is also a village's name elsewhere in the province: read as a typo, the district was asked about.
    for (const [district, city, province, code] of [
      ['Ujung Berung', 'Bandung', 'Jawa Barat', '32.73.26'],
      ['Suka Jadi', 'Kota Bandung', 'Jawa Barat', '32.73.07'],
      ['Jati Negara', 'Jakarta Timur', 'DKI Jakarta', '31.75.03'],
    ]) {
      const res = await http
        .post('/v1/addresses')
        .set(seller.auth)
        .send({ ...validAddress(), district, city, province });
      expect({ district, status: res.status, code: res.body.districtCode }).toEqual({
        district,
        status: 201,
        code,
      });
    }
  });

  it('takes the everyday spellings of provinces and cities', async () => {
    const res = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .send({
        ...validAddress(),
        district: 'Bukit Intan',
        city: 'Pangkalpinang',
        province: 'Kep. Bangka Belitung',
      })
      .expect(201);
    expect(res.body).toMatchObject({ districtCode: '19.71.01', province: 'Kepulauan Bangka Belitung' });
    const sumatra = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .send({ ...validAddress(), district: 'Medan Kota', city: 'Medan', province: 'Sumatra Utara' })
      .expect(201);
    expect(sumatra.body).toMatchObject({ province: 'Sumatera Utara', city: 'Kota Medan' });
  });

  it('says of the city, not of a district, what is wrong when no district is given', async () => {
    const origin = await createAddress(http, seller);
    const ask = (city: string, province: string) =>
      http
        .post('/v1/quotes')
        .set(seller.auth)
        .send({
          originAddressId: origin.id,
          destination: { city, province, postalCode: '40111' },
          parcel: { weightGrams: 1000 },
        })
        .expect(422)
        .then((r) => r.body.details[0] as { field: string; message: string; suggestions: unknown[] });
    const unknown = await ask('Xyzzy', 'Jawa Barat');
    expect(unknown.field).toBe('destination.city');
    // A city alone that names no regency: the district would decide; the suggestions are named only when
    // there are some.
    expect(unknown.message).toBe(
      `is not a city or regency we know in that province: give the district too${unknown.suggestions.length ? ', or choose one of the suggestions' : ''}`,
    );
    const bare = await ask('Kota', 'Jawa Barat');
    expect(bare).toEqual({
      field: 'destination.city',
      message: 'is not a city or regency we know in that province: give the district too',
      suggestions: [],
    });
    // Bandung is a Kota and a Kabupaten: the regencies are what it could mean.
    const both = await ask('Bandung', 'Jawa Barat');
    expect(both.field).toBe('destination.city');
    expect(both.message).toBe(
      'names more than one city or regency (a Kota and a Kabupaten): give the district, or choose one of the suggestions',
    );
    expect(both.suggestions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ regency: 'Kota Bandung' }),
        expect.objectContaining({ regency: 'Kabupaten Bandung' }),
      ]),
    );
  });

  it('says of the district, not of the city, what is wrong when the city is a place of the province but no regency ("Jakarta")', async () => {
    const origin = await createAddress(http, seller);
    const refused = async (district: string, city: string) =>
      (
        await http
          .post('/v1/shipments')
          .set(seller.auth)
          .send({
            ...validShipment(origin.id),
            recipient: { ...validShipment(origin.id).recipient, district, city },
          })
          .expect(422)
      ).body.details[0] as { field: string; message: string };
    // "Jakarta" is how DKI Jakarta's cities are written (README): the district typed (a Sukajadi is in Bandung
    // and Pekanbaru, never in Jakarta) is what to correct.
    for (const [district, city] of [
      ['Sukajadi', 'Jakarta'],
      ['Xylofon', 'Jakarta'],
    ])
      expect({ district, city, ...(await refused(district, city)) }).toMatchObject({
        district,
        city,
        field: 'recipient.district',
        message: 'is not a district we know in that city and province: check the suggestions',
      });
    // A city named nowhere is still the city's fault.
    expect(await refused('Xylofon', 'Xylofon')).toMatchObject({ field: 'recipient.city' });
  });

  it('asks for a quote destination whose city names no regency and whose district is in several', async () => {
    const origin = await createAddress(http, seller);
    const res = await http
      .post('/v1/quotes')
      .set(seller.auth)
      .send({
        originAddressId: origin.id,
        destination: {
          district: 'Karanganyar',
          city: 'Jateng',
          province: 'Jawa Tengah',
          postalCode: '57711',
        },
        parcel: { weightGrams: 1000 },
      })
      .expect(422);
    expect(res.body.code).toBe('AREA_UNRESOLVED');
    const [detail] = res.body.details;
    expect(detail.field).toBe('destination.district');
    expect(detail.suggestions.map((s: { regency: string }) => s.regency).sort()).toEqual([
      'Kabupaten Demak',
      'Kabupaten Karanganyar',
      'Kabupaten Kebumen',
      'Kabupaten Pekalongan',
      'Kabupaten Purbalingga',
    ]);
    const named = await http
      .post('/v1/quotes')
      .set(seller.auth)
      .send({
        originAddressId: origin.id,
        destination: {
          district: 'karanganyar',
          city: 'Karanganyar',
          province: 'Jateng',
          postalCode: '57711',
        },
        parcel: { weightGrams: 1000 },
      })
      .expect(200);
    // The place priced is answered back in the directory's names, as addresses and shipments are.
    expect(named.body.destination).toEqual({
      districtCode: expect.stringMatching(/^33\.13\.\d\d$/),
      district: 'Karanganyar',
      city: 'Kabupaten Karanganyar',
      province: 'Jawa Tengah',
      postalCode: '57711',
    });
  });

  it('asks about a Sukajadi whose city and province disagree, naming each regency with a Sukajadi', async () => {
    const origin = await createAddress(http, seller);
    const body = validShipment(origin.id);
    const res = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({
        ...body,
        recipient: { ...body.recipient, district: 'Sukajadi', city: 'Bandung', province: 'Riau' },
      })
      .expect(422);
    expect(res.body.details).toEqual([
      { field: 'recipient.city', message: expect.any(String), suggestions: expect.any(Array) },
    ]);
    // Both Sukajadi first (the one in the typed city, then the one in the typed province), then Bandung's.
    const suggested = res.body.details[0].suggestions as { code: string; regency: string }[];
    expect(suggested.slice(0, 2)).toEqual([
      { code: '32.73.07', district: 'Sukajadi', regency: 'Kota Bandung', province: 'Jawa Barat' },
      { code: '14.71.01', district: 'Sukajadi', regency: 'Kota Pekanbaru', province: 'Riau' },
    ]);
    expect(suggested).toHaveLength(5);
    for (const s of suggested.slice(2)) expect(s.regency).toBe('Kota Bandung');
    const typo = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({
        ...body,
        recipient: { ...body.recipient, district: 'Xylofon', city: 'Surabaya', province: 'Jawa Timur' },
      })
      .expect(422);
    expect(typo.body.details[0].field).toBe('recipient.district');
    expect(typo.body.details[0].suggestions.length).toBeGreaterThan(0);
    expect(typo.body.details[0].suggestions.length).toBeLessThanOrEqual(5);
    for (const s of typo.body.details[0].suggestions) expect(s.regency).toBe('Kota Surabaya');

    const ok = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({ ...body, recipient: { ...body.recipient, district: 'kebayoran bru', city: 'jaksel' } })
      .expect(201);
    expect(ok.body.recipient).toMatchObject({
      district: 'Kebayoran Baru',
      city: 'Kota Administrasi Jakarta Selatan',
      province: 'DKI Jakarta',
      districtCode: '31.74.07',
    });
  });

  it('names each bulk row whose place does not resolve, with its suggestions, and keeps the others', async () => {
    const origin = await createAddress(http, seller);
    const good = validShipment(origin.id);
    const ambiguous = validShipment(origin.id);
    ambiguous.recipient = {
      ...ambiguous.recipient,
      district: 'Sorong',
      city: 'Sorong',
      province: 'Papua Barat Daya',
    };
    const res = await http.post('/v1/shipments/bulk').set(seller.auth).send([good, ambiguous]).expect(200);
    expect(res.body.created).toHaveLength(1);
    expect(res.body.created[0].recipient.districtCode).toBe('31.71.06');
    expect(res.body.errors).toEqual([
      {
        row: 2,
        details: [
          {
            field: 'recipient.district',
            message: expect.any(String),
            suggestions: [
              expect.objectContaining({ code: '96.01.18', regency: 'Kabupaten Sorong' }),
              expect.objectContaining({ code: '96.71.01', regency: 'Kota Sorong' }),
            ],
          },
        ],
      },
    ]);
  });

  it('gives the first 50 bulk rows naming no place their suggestions, the rest the error alone', async () => {
    const origin = await createAddress(http, seller);
    // Districts named nowhere, each its own (no answer is reused): suggestions are the city's districts.
    const nowhere = (i: number) => {
      const row = validShipment(origin.id, `NOWHERE-${i}`);
      row.recipient = {
        ...row.recipient,
        district: `Zqx${i}vw`,
        city: 'Jakarta Selatan',
        province: 'DKI Jakarta',
      };
      return row;
    };
    const rows = [
      ...Array.from({ length: 60 }, (_, i) => nowhere(i)),
      validShipment(origin.id, 'NOWHERE-OK'),
    ];
    const res = await http.post('/v1/shipments/bulk').set(seller.auth).send(rows).expect(200);
    expect(res.body.created.map((c: { reference: string }) => c.reference)).toEqual(['NOWHERE-OK']);
    const errors = res.body.errors as {
      row: number;
      details: { field: string; message: string; suggestions: unknown[] }[];
    }[];
    expect(errors.map((e) => e.row)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const e of errors) {
      const [detail] = e.details;
      expect(detail.field).toBe('recipient.district');
      if (e.row <= 50) {
        expect(detail.suggestions.length).toBe(5);
        expect(detail.message).toContain('check the suggestions');
      } else
        expect([e.row, detail.suggestions, detail.message]).toEqual([
          e.row,
          [],
          'is not a district we know in that city and province',
        ]);
    }
    // An answer given without suggestions is not kept: asked alone, the same place gets them.
    const alone = await http.post('/v1/shipments').set(seller.auth).send(nowhere(55)).expect(422);
    expect(alone.body.details[0].suggestions).toHaveLength(5);
  });
});
