import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pickup deadlines: a booked shipment carries the time its courier must have picked it up by, and when
 * the courier is next asked. A pickup the courier cancels or misses is cancelled and re-booked; the
 * booked attempt is then marked `cancelled` with why.
 */
export class PickupDeadlines1795466224985 implements MigrationInterface {
  name = 'PickupDeadlines1795466224985';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE shipments ADD COLUMN pickup_due_at timestamptz, ADD COLUMN pickup_check_at timestamptz',
    );
    await q.query(
      'CREATE INDEX idx_shipments_pickup_check ON shipments (pickup_check_at) WHERE pickup_check_at IS NOT NULL',
    );
    // Shipments booked before this change: due a day after booking, checked at once.
    await q.query(
      "UPDATE shipments SET pickup_due_at = updated_at + interval '24 hours', pickup_check_at = updated_at WHERE status = 'booked'",
    );
    await q.query('ALTER TABLE booking_attempts DROP CONSTRAINT chk_booking_attempts_status');
    await q.query(
      "ALTER TABLE booking_attempts ADD CONSTRAINT chk_booking_attempts_status CHECK (status IN ('started', 'booked', 'failed', 'cancelled'))",
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("UPDATE booking_attempts SET status = 'failed' WHERE status = 'cancelled'");
    await q.query('ALTER TABLE booking_attempts DROP CONSTRAINT chk_booking_attempts_status');
    await q.query(
      "ALTER TABLE booking_attempts ADD CONSTRAINT chk_booking_attempts_status CHECK (status IN ('started', 'booked', 'failed'))",
    );
    await q.query('DROP INDEX idx_shipments_pickup_check');
    await q.query('ALTER TABLE shipments DROP COLUMN pickup_due_at, DROP COLUMN pickup_check_at');
  }
}
