import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indonesia's villages (kelurahan and desa, 83,763) with the district each lies in, from the pinned
 * `idn-area-data` package (ODbL 1.0, as the directory). Sellers type a village where a district is asked
 * ("Cigadung" for Cibeunying Kaler): without them a village one letter off a district of the same city was
 * taken for that district, and the parcel addressed to another town. The dataset writes an apostrophe as
 * `"` (Ja"an); it is stored as one.
 */
export class AreaVillages1795484000000 implements MigrationInterface {
  name = 'AreaVillages1795484000000';

  async up(q: QueryRunner): Promise<void> {
    const file = join(dirname(require.resolve('idn-area-data/package.json')), 'data', 'villages.csv');
    const rows = parse<Record<string, string>>(readFileSync(file, 'utf8'), {
      columns: true,
      skip_empty_lines: true,
      // Unquoted fields holding `"` (the dataset's apostrophe): read as the letter it stands for.
      relax_quotes: true,
    });
    await q.query(`
      CREATE TABLE area_villages (
        code text PRIMARY KEY,
        district_code text NOT NULL,
        name text NOT NULL,
        CONSTRAINT fk_area_villages_district FOREIGN KEY (district_code) REFERENCES area_districts(code),
        CONSTRAINT chk_area_villages_code CHECK (code ~ '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$' AND left(code, 8) = district_code)
      )`);
    await q.query('CREATE INDEX idx_area_villages_district ON area_villages (district_code)');
    const chunk = 10_000;
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      await q.query(
        `INSERT INTO area_villages (code, district_code, name)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
        [
          part.map((r) => r.code),
          part.map((r) => r.district_code),
          part.map((r) => r.name.replace(/"/g, "'")),
        ],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE area_villages');
  }
}
