import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Indonesia's regencies and districts for the simulated order stream: the same pinned `idn-area-data` files
 * the service's directory is loaded from, named the way the directory answers (title case, Kirim's province
 * names), with each regency's share of the population.
 */
export interface Regency {
  code: string;
  name: string;
  province: string;
  districts: string[];
  /** Estimated residents (see populationOf). */
  population: number;
}

/**
 * Residents per province, 2020 census (BPS, Sensus Penduduk 2020, rounded to thousands); the provinces made
 * from Papua and Papua Barat in 2022 are split by their regencies' census counts, rounded further.
 */
const PROVINCE_POPULATION: Record<string, number> = {
  Aceh: 5_274_000,
  'Sumatera Utara': 14_799_000,
  'Sumatera Barat': 5_534_000,
  Riau: 6_394_000,
  'Kepulauan Riau': 2_064_000,
  Jambi: 3_548_000,
  'Sumatera Selatan': 8_467_000,
  'Kepulauan Bangka Belitung': 1_455_000,
  Bengkulu: 2_010_000,
  Lampung: 9_008_000,
  'DKI Jakarta': 10_562_000,
  'Jawa Barat': 48_274_000,
  Banten: 11_905_000,
  'Jawa Tengah': 36_516_000,
  'DI Yogyakarta': 3_669_000,
  'Jawa Timur': 40_666_000,
  Bali: 4_317_000,
  'Nusa Tenggara Barat': 5_320_000,
  'Nusa Tenggara Timur': 5_326_000,
  'Kalimantan Barat': 5_414_000,
  'Kalimantan Tengah': 2_670_000,
  'Kalimantan Selatan': 4_074_000,
  'Kalimantan Timur': 3_766_000,
  'Kalimantan Utara': 701_000,
  'Sulawesi Utara': 2_622_000,
  Gorontalo: 1_171_000,
  'Sulawesi Tengah': 2_986_000,
  'Sulawesi Barat': 1_419_000,
  'Sulawesi Selatan': 9_073_000,
  'Sulawesi Tenggara': 2_625_000,
  Maluku: 1_848_000,
  'Maluku Utara': 1_282_000,
  Papua: 1_000_000,
  'Papua Barat': 560_000,
  'Papua Barat Daya': 570_000,
  'Papua Tengah': 1_400_000,
  'Papua Pegunungan': 1_400_000,
  'Papua Selatan': 520_000,
};

/** The dataset's two provinces whose Kirim name is not their title case. */
const PROVINCE_SPELLING: Record<string, string> = {
  'DKI JAKARTA': 'DKI Jakarta',
  'DAERAH ISTIMEWA YOGYAKARTA': 'DI Yogyakarta',
};

const titleCase = (text: string) =>
  text.toLowerCase().replace(/(^|[\s\-/(])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());

let loaded: Regency[] | null = null;

/**
 * Every regency with its districts and estimated population: the province's census count spread over its
 * regencies by their number of districts (kecamatan are drawn to roughly even populations within a
 * province, far more evenly than regencies are), which puts Kabupaten Bogor far above Kota Sabang.
 */
export function regencies(): Regency[] {
  if (loaded) return loaded;
  const dir = join(dirname(require.resolve('idn-area-data/package.json')), 'data');
  const read = (file: string) =>
    parse<Record<string, string>>(readFileSync(join(dir, file), 'utf8'), {
      columns: true,
      skip_empty_lines: true,
    });
  const provinceName = new Map(
    read('provinces.csv').map((p) => [p.code, PROVINCE_SPELLING[p.name] ?? titleCase(p.name)]),
  );
  const districts = new Map<string, string[]>();
  for (const d of read('districts.csv')) {
    const list = districts.get(d.regency_code) ?? [];
    list.push(d.name);
    districts.set(d.regency_code, list);
  }
  const list = read('regencies.csv').map((r) => ({
    code: r.code,
    name: titleCase(r.name),
    province: provinceName.get(r.province_code)!,
    districts: districts.get(r.code) ?? [],
    population: 0,
  }));
  const districtsInProvince = new Map<string, number>();
  for (const r of list)
    districtsInProvince.set(r.province, (districtsInProvince.get(r.province) ?? 0) + r.districts.length);
  for (const r of list) {
    const census = PROVINCE_POPULATION[r.province];
    if (census === undefined) throw new Error(`simulator: no census figure for province ${r.province}`);
    r.population = Math.round((census * r.districts.length) / districtsInProvince.get(r.province)!);
  }
  loaded = list.filter((r) => r.districts.length > 0);
  return loaded;
}

/** A regency by its code (throws for a code the dataset does not have). */
export function regency(code: string): Regency {
  const r = regencies().find((x) => x.code === code);
  if (!r) throw new Error(`simulator: no regency ${code}`);
  return r;
}
