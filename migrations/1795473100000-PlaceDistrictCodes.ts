import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pickup addresses and shipment recipients carry the district they resolve to (a Kemendagri code from the
 * area directory). Nullable: rows typed before the directory, and recipients typed without a district,
 * may name none. Existing rows get a code where their district, city (with or without Kota/Kabupaten) and
 * province name exactly one district; their typed names are left as they were.
 */
export class PlaceDistrictCodes1795473100000 implements MigrationInterface {
  name = 'PlaceDistrictCodes1795473100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE pickup_addresses ADD COLUMN district_code text,
        ADD CONSTRAINT fk_pickup_addresses_district FOREIGN KEY (district_code) REFERENCES area_districts(code)`);
    await q.query(`
      ALTER TABLE shipments ADD COLUMN recipient_district_code text,
        ADD CONSTRAINT fk_shipments_recipient_district FOREIGN KEY (recipient_district_code) REFERENCES area_districts(code)`);
    await q.query(`CREATE OR REPLACE FUNCTION pg_temp.place_form(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT trim(regexp_replace(regexp_replace(lower(t), '[''’\`]', '', 'g'), '[^a-z0-9]+', ' ', 'g')) $$`);
    await q.query(`CREATE OR REPLACE FUNCTION pg_temp.city_form(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT regexp_replace(pg_temp.place_form(t),
        '^(kota administrasi|kabupaten administrasi|kota adm|kota|kabupaten|kab|kodya|kotamadya) ', '') $$`);
    const resolved = (district: string, city: string, province: string) => `
      SELECT d.code FROM area_districts d
        JOIN area_regencies r ON r.code = d.regency_code
        JOIN area_provinces p ON p.code = r.province_code
       WHERE d.search_name = pg_temp.place_form(${district})
         AND r.search_name = pg_temp.city_form(${city})
         AND p.name = ${province}`;
    await q.query(`
      UPDATE pickup_addresses a SET district_code = (${resolved('a.district', 'a.city', 'a.province')})
       WHERE (SELECT count(*) FROM (${resolved('a.district', 'a.city', 'a.province')}) x) = 1`);
    await q.query(`
      UPDATE shipments s SET recipient_district_code =
             (${resolved('s.recipient_district', 's.recipient_city', 's.recipient_province')})
       WHERE s.recipient_district <> ''
         AND (SELECT count(*) FROM (${resolved('s.recipient_district', 's.recipient_city', 's.recipient_province')}) x) = 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipments DROP COLUMN recipient_district_code');
    await q.query('ALTER TABLE pickup_addresses DROP COLUMN district_code');
  }
}
