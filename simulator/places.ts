import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROVINCES } from 'src/couriers/sandbox/world-model';

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

const titleCase = (text: string) =>
  text.toLowerCase().replace(/(^|[\s\-/(])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());

let loaded: Regency[] | null = null;

/**
 * Every regency with its districts and estimated population: the province's census count (the sandbox
 * world's PROVINCES, 2020 census) spread over its
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
  const provinceName = (code: string) => {
    const p = PROVINCES[code];
    if (!p) throw new Error(`simulator: no census figure for province ${code}`);
    return p;
  };
  const districts = new Map<string, string[]>();
  for (const d of read('districts.csv')) {
    const list = districts.get(d.regency_code) ?? [];
    list.push(d.name);
    districts.set(d.regency_code, list);
  }
  const list = read('regencies.csv').map((r) => ({
    code: r.code,
    name: titleCase(r.name),
    province: provinceName(r.province_code).name,
    districts: districts.get(r.code) ?? [],
    population: 0,
  }));
  const districtsInProvince = new Map<string, number>();
  for (const r of list)
    districtsInProvince.set(r.province, (districtsInProvince.get(r.province) ?? 0) + r.districts.length);
  for (const r of list) {
    const census = provinceName(r.code.slice(0, 2)).population * 1_000_000;
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
