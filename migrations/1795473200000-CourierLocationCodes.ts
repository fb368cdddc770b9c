import { MigrationInterface, QueryRunner } from 'typeorm';
import { insertLocationRowsSql, locationRowArrays } from '../src/couriers/location-file';
import { DirectoryDistrict, sandboxLocationRows } from '../src/couriers/sandbox/sandbox-locations';

// Imports only files that need no path aliases (migrations are loaded without them).
/**
 * Each courier's own location codes, keyed by the area directory's district (docs/courier-locations.md):
 * `courier_location_sets` says where a courier's mapping came from (an operator's file, or the sandbox's
 * generated one) and moves `version` on every change so running instances reload it;
 * `courier_location_codes` holds one row per district the courier serves (what each column means per
 * courier: src/couriers/location-file.ts). The sandbox mappings of all five couriers are generated here
 * so every database (and the test template) starts with them; a courier with real credentials ignores a
 * `sandbox` set and uses only what an operator loads. The old name memory `courier_locations` (codes
 * were hashed from names) has nothing left to serve and is dropped.
 */
export class CourierLocationCodes1795473200000 implements MigrationInterface {
  name = 'CourierLocationCodes1795473200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE courier_location_sets (
        courier text PRIMARY KEY,
        source text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        loaded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chk_courier_location_sets_source CHECK (source IN ('operator', 'sandbox'))
      )`);
    await q.query(`
      CREATE TABLE courier_location_codes (
        courier text NOT NULL,
        district_code text NOT NULL,
        code text NOT NULL,
        label text,
        city_code text,
        city_label text,
        province_label text,
        PRIMARY KEY (courier, district_code),
        CONSTRAINT fk_courier_location_codes_set FOREIGN KEY (courier)
          REFERENCES courier_location_sets(courier) ON DELETE CASCADE,
        CONSTRAINT fk_courier_location_codes_district FOREIGN KEY (district_code) REFERENCES area_districts(code),
        CONSTRAINT chk_courier_location_codes_code CHECK (code <> '' AND length(code) <= 100)
      )`);
    const districts = (
      (await q.query(`SELECT d.code, d.name, r.code AS rcode, r.name AS rname, p.code AS pcode, p.name AS pname
           FROM area_districts d JOIN area_regencies r ON r.code = d.regency_code
           JOIN area_provinces p ON p.code = r.province_code ORDER BY d.code`)) as {
        code: string;
        name: string;
        rcode: string;
        rname: string;
        pcode: string;
        pname: string;
      }[]
    ).map((d): DirectoryDistrict => ({
      code: d.code,
      name: d.name,
      regency: { code: d.rcode, name: d.rname },
      province: { code: d.pcode, name: d.pname },
    }));
    for (const courier of ['jne', 'jnt', 'sap', 'ninja', 'idexpress'] as const) {
      await q.query(`INSERT INTO courier_location_sets (courier, source) VALUES ($1, 'sandbox')`, [courier]);
      await q.query(insertLocationRowsSql, [
        courier,
        ...locationRowArrays(sandboxLocationRows(courier, districts)),
      ]);
    }
    await q.query('DROP TABLE courier_locations');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE courier_locations (
        province text NOT NULL,
        city text NOT NULL,
        district text NOT NULL,
        PRIMARY KEY (province, city, district)
      )`);
    await q.query('CREATE INDEX idx_courier_locations_city ON courier_locations (upper(city))');
    await q.query('CREATE INDEX idx_courier_locations_district ON courier_locations (upper(district))');
    await q.query('DROP TABLE courier_location_codes');
    await q.query('DROP TABLE courier_location_sets');
  }
}
