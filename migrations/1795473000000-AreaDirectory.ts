import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indonesia's administrative areas (provinces, regencies and cities, districts) with their Kemendagri codes,
 * loaded from the pinned `idn-area-data` package's CSV files (data © idn-area-data contributors, ODbL 1.0;
 * see the README). The files are read here, at migration time, so every database (and the test template)
 * holds the same directory and nothing parses them per request. Names are the dataset's, in title case
 * where it writes capitals ("KOTA BANDUNG" → "Kota Bandung"; provinces in Kirim's province vocabulary,
 * which differs only in "DKI Jakarta" and "DI Yogyakarta"); `official_name` keeps the dataset's text.
 * `search_name` is the lower-case, letters-and-digits form (a regency's without its Kabupaten/Kota prefix).
 */
export class AreaDirectory1795473000000 implements MigrationInterface {
  name = 'AreaDirectory1795473000000';

  async up(q: QueryRunner): Promise<void> {
    const dir = join(dirname(require.resolve('idn-area-data/package.json')), 'data');
    const read = (file: string) =>
      parse<Record<string, string>>(readFileSync(join(dir, file), 'utf8'), {
        columns: true,
        skip_empty_lines: true,
      });

    await q.query(`
      CREATE TABLE area_provinces (
        code text PRIMARY KEY,
        name text NOT NULL,
        official_name text NOT NULL,
        search_name text NOT NULL,
        CONSTRAINT chk_area_provinces_code CHECK (code ~ '^[0-9]{2}$')
      )`);
    await q.query(`
      CREATE TABLE area_regencies (
        code text PRIMARY KEY,
        province_code text NOT NULL,
        kind text NOT NULL,
        name text NOT NULL,
        official_name text NOT NULL,
        search_name text NOT NULL,
        CONSTRAINT fk_area_regencies_province FOREIGN KEY (province_code) REFERENCES area_provinces(code),
        CONSTRAINT chk_area_regencies_code CHECK (code ~ '^[0-9]{2}\\.[0-9]{2}$' AND left(code, 2) = province_code),
        CONSTRAINT chk_area_regencies_kind CHECK (kind IN ('kabupaten', 'kota'))
      )`);
    await q.query(`
      CREATE TABLE area_districts (
        code text PRIMARY KEY,
        regency_code text NOT NULL,
        name text NOT NULL,
        official_name text NOT NULL,
        search_name text NOT NULL,
        CONSTRAINT fk_area_districts_regency FOREIGN KEY (regency_code) REFERENCES area_regencies(code),
        CONSTRAINT chk_area_districts_code CHECK (code ~ '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}$' AND left(code, 5) = regency_code)
      )`);
    await q.query('CREATE INDEX idx_area_regencies_province ON area_regencies (province_code)');
    await q.query('CREATE INDEX idx_area_districts_regency ON area_districts (regency_code)');

    const provinces = read('provinces.csv').map((r) => {
      const name = PROVINCE_SPELLING[r.name] ?? titleCase(r.name);
      return [r.code, name, r.name, searchForm(name)];
    });
    const regencies = read('regencies.csv').map((r) => {
      const m = /^(KABUPATEN|KOTA)(?: ADMINISTRASI)? (.+)$/.exec(r.name);
      if (!m)
        throw new Error(`idn-area-data: regency ${r.code} "${r.name}" is neither a kabupaten nor a kota`);
      return [r.code, r.province_code, m[1].toLowerCase(), titleCase(r.name), r.name, searchForm(m[2])];
    });
    const districts = read('districts.csv').map((r) => [
      r.code,
      r.regency_code,
      r.name,
      r.name,
      searchForm(r.name),
    ]);
    await insertRows(q, 'area_provinces', ['code', 'name', 'official_name', 'search_name'], provinces);
    await insertRows(
      q,
      'area_regencies',
      ['code', 'province_code', 'kind', 'name', 'official_name', 'search_name'],
      regencies,
    );
    await insertRows(
      q,
      'area_districts',
      ['code', 'regency_code', 'name', 'official_name', 'search_name'],
      districts,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE area_districts');
    await q.query('DROP TABLE area_regencies');
    await q.query('DROP TABLE area_provinces');
  }
}

/** The two provinces whose Kirim name is not the dataset's in title case (acronyms, and DIY's short form). */
const PROVINCE_SPELLING: Record<string, string> = {
  'DKI JAKARTA': 'DKI Jakarta',
  'DAERAH ISTIMEWA YOGYAKARTA': 'DI Yogyakarta',
};

function titleCase(text: string): string {
  return text
    .toLowerCase()
    .replace(/(^|[\s\-/(])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** Frozen here (a migration never changes): lower case, accents and apostrophes dropped, other marks a space. */
function searchForm(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

async function insertRows(q: QueryRunner, table: string, columns: string[], rows: string[][]): Promise<void> {
  const chunk = 1000;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const values = part
      .map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
      .join(', ');
    await q.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, part.flat());
  }
}
