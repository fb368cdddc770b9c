import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pickups and their booking outbox: a pickup request is persisted first (one item per shipment), and a
 * worker books each item. Every courier attempt is written before the courier is called, so a crash
 * between "sent" and "saved" is reconciled by our reference instead of booking twice.
 */
export class Pickups1795461924317 implements MigrationInterface {
  name = 'Pickups1795461924317';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pickups (
        id uuid PRIMARY KEY,
        seller_id uuid NOT NULL,
        pickup_date text,
        created_at timestamptz NOT NULL,
        CONSTRAINT fk_pickups_seller FOREIGN KEY (seller_id) REFERENCES sellers(id)
      )`);
    await q.query(`
      CREATE TABLE pickup_items (
        id uuid PRIMARY KEY,
        pickup_id uuid NOT NULL,
        shipment_id uuid NOT NULL,
        status text NOT NULL,
        claimed_until timestamptz,
        next_attempt_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT fk_pickup_items_pickup FOREIGN KEY (pickup_id) REFERENCES pickups(id),
        CONSTRAINT fk_pickup_items_shipment FOREIGN KEY (shipment_id) REFERENCES shipments(id),
        CONSTRAINT chk_pickup_items_status CHECK (status IN ('pending', 'booked', 'failed', 'skipped'))
      )`);
    await q.query('CREATE INDEX idx_pickup_items_pickup ON pickup_items (pickup_id)');
    await q.query(
      "CREATE INDEX idx_pickup_items_due ON pickup_items (next_attempt_at) WHERE status = 'pending'",
    );
    await q.query(
      "CREATE UNIQUE INDEX idx_pickup_items_one_pending ON pickup_items (shipment_id) WHERE status = 'pending'",
    );
    await q.query(`
      CREATE TABLE booking_attempts (
        id uuid PRIMARY KEY,
        shipment_id uuid NOT NULL,
        pickup_item_id uuid NOT NULL,
        courier text NOT NULL,
        service text NOT NULL,
        reference text NOT NULL,
        status text NOT NULL,
        error_kind text,
        error_code text,
        error_message text,
        awb text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        CONSTRAINT fk_booking_attempts_shipment FOREIGN KEY (shipment_id) REFERENCES shipments(id),
        CONSTRAINT fk_booking_attempts_item FOREIGN KEY (pickup_item_id) REFERENCES pickup_items(id),
        CONSTRAINT chk_booking_attempts_status CHECK (status IN ('started', 'booked', 'failed'))
      )`);
    await q.query(
      'CREATE UNIQUE INDEX idx_booking_attempts_reference ON booking_attempts (courier, reference)',
    );
    await q.query('CREATE INDEX idx_booking_attempts_shipment ON booking_attempts (shipment_id, started_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE booking_attempts');
    await q.query('DROP TABLE pickup_items');
    await q.query('DROP TABLE pickups');
  }
}
