import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An earlier booking (since re-booked away, the shipment cancelled) whose courier carried the parcel after
 * all: finance credited the seller the COD cash that courier remitted under its airway bill, recorded at
 * `delivered_recorded_at`. Invoicing charges that booking's shipping and COD fee in the period of that time,
 * reading a period's range of the index (few rows).
 */
export class BookingAttemptCarriedAfterAll1795500600000 implements MigrationInterface {
  name = 'BookingAttemptCarriedAfterAll1795500600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE booking_attempts ADD COLUMN delivered_recorded_at timestamptz');
    // Empty at creation (no row has the column set yet): built in the migration's transaction.
    await q.query(
      `CREATE INDEX idx_booking_attempts_delivered_recorded ON booking_attempts (delivered_recorded_at)
        WHERE delivered_recorded_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_booking_attempts_delivered_recorded');
    await q.query('ALTER TABLE booking_attempts DROP COLUMN delivered_recorded_at');
  }
}
