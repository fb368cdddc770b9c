import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sandbox couriers' own storage (schema "sandbox": their parcels, AWB sequences, injected faults
 * and the service clock's offset) and the courier location mapping Kirim keeps for name-keyed APIs.
 */
export class CourierSandboxes1795458565553 implements MigrationInterface {
  name = 'CourierSandboxes1795458565553';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SCHEMA sandbox');
    await q.query(`
      CREATE TABLE sandbox.parcels (
        courier text NOT NULL,
        awb text NOT NULL,
        reference text NOT NULL,
        service text NOT NULL,
        origin_city text NOT NULL,
        origin_province text NOT NULL,
        destination_city text NOT NULL,
        destination_province text NOT NULL,
        weight_grams integer NOT NULL,
        cod_amount bigint NOT NULL,
        price bigint NOT NULL,
        pickup boolean NOT NULL,
        request jsonb NOT NULL,
        plan jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (courier, awb)
      )`);
    await q.query(
      'CREATE INDEX idx_sandbox_parcels_reference ON sandbox.parcels (courier, reference, created_at)',
    );
    await q.query('CREATE TABLE sandbox.awb_sequences (courier text PRIMARY KEY, last bigint NOT NULL)');
    await q.query(`
      CREATE TABLE sandbox.faults (
        courier text PRIMARY KEY,
        error_rate double precision NOT NULL DEFAULT 0,
        timeout_rate double precision NOT NULL DEFAULT 0,
        latency_ms integer NOT NULL DEFAULT 0
      )`);
    await q.query(
      'CREATE TABLE sandbox.clock (id integer PRIMARY KEY CHECK (id = 1), offset_ms bigint NOT NULL)',
    );
    await q.query(`
      CREATE TABLE courier_locations (
        province text NOT NULL,
        city text NOT NULL,
        district text NOT NULL,
        PRIMARY KEY (province, city, district)
      )`);
    await q.query('CREATE INDEX idx_courier_locations_city ON courier_locations (upper(city))');
    await q.query('CREATE INDEX idx_courier_locations_district ON courier_locations (upper(district))');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE courier_locations');
    await q.query('DROP SCHEMA sandbox CASCADE');
  }
}
