import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cancelling a booked shipment: the shipment keeps our order reference at the courier (J&T cancels by
 * it, not by the airway bill), and a cancellation in flight is claimed on the row until a deadline
 * instead of holding a row lock while the courier answers.
 */
export class CancellationClaims1795468412907 implements MigrationInterface {
  name = 'CancellationClaims1795468412907';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE shipments ADD COLUMN courier_reference text, ADD COLUMN cancel_claimed_until timestamptz',
    );
    // Booked before this change: the reference is the booked attempt's for the shipment's airway bill.
    await q.query(
      `UPDATE shipments s SET courier_reference = a.reference
       FROM booking_attempts a
       WHERE a.shipment_id = s.id AND a.status = 'booked' AND a.courier = s.courier AND a.awb = s.awb
         AND s.status = 'booked'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipments DROP COLUMN courier_reference, DROP COLUMN cancel_claimed_until');
  }
}
