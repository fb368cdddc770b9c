import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `booking_attempts.cancel_retry_at`: when a superseded order (booked by a worker that had lost the
 * shipment to another) is next asked to be cancelled at its courier, after its courier could not be reached.
 * Null once cancelled, refused, or given up on. Few rows ever have one: the index holds only those.
 */
export class BookingAttemptCancelRetry1795503000000 implements MigrationInterface {
  name = 'BookingAttemptCancelRetry1795503000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE booking_attempts ADD COLUMN cancel_retry_at timestamptz');
    await q.query(
      'CREATE INDEX idx_booking_attempts_cancel_retry ON booking_attempts (cancel_retry_at) WHERE cancel_retry_at IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_booking_attempts_cancel_retry');
    await q.query('ALTER TABLE booking_attempts DROP COLUMN cancel_retry_at');
  }
}
