import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What courier scoring learns from: delivery outcomes aggregated per lane, destination province and
 * courier (with transit-day histograms), recipients' records by salted phone hash, and pickup reliability.
 * `delivery_outcomes` records each finished shipment once, so repeating the event never counts twice.
 */
export class DeliveryStatistics1795461016753 implements MigrationInterface {
  name = 'DeliveryStatistics1795461016753';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE delivery_outcomes (
        shipment_id text PRIMARY KEY,
        courier text NOT NULL,
        service text NOT NULL,
        outcome text NOT NULL,
        failed_attempts integer NOT NULL,
        transit_days integer,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT chk_delivery_outcomes_outcome CHECK (outcome IN ('delivered', 'returned', 'lost'))
      )`);
    await q.query(`
      CREATE TABLE delivery_stats (
        level text NOT NULL,
        key text NOT NULL,
        outcomes integer NOT NULL DEFAULT 0,
        failures integer NOT NULL DEFAULT 0,
        first_attempt integer NOT NULL DEFAULT 0,
        transit_histogram integer[] NOT NULL DEFAULT array_fill(0, ARRAY[31]),
        PRIMARY KEY (level, key),
        CONSTRAINT chk_delivery_stats_level CHECK (level IN ('lane', 'province', 'national'))
      )`);
    await q.query(`
      CREATE TABLE recipient_stats (
        phone_hash text PRIMARY KEY,
        outcomes integer NOT NULL DEFAULT 0,
        failures integer NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE pickup_stats (
        courier text PRIMARY KEY,
        attempts integer NOT NULL DEFAULT 0,
        failures integer NOT NULL DEFAULT 0
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE pickup_stats');
    await q.query('DROP TABLE recipient_stats');
    await q.query('DROP TABLE delivery_stats');
    await q.query('DROP TABLE delivery_outcomes');
  }
}
