import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `shipments.cancel_requested_at`: the seller asked to cancel a booked shipment and the courier's answer was
 * lost (it may have cancelled). A cancellation the courier then reports, or one the pickup watch makes, is
 * the seller's: before, it was read as the courier's own and the shipment was booked with another courier.
 */
export class ShipmentCancelRequested1795502700000 implements MigrationInterface {
  name = 'ShipmentCancelRequested1795502700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipments ADD COLUMN cancel_requested_at timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipments DROP COLUMN cancel_requested_at');
  }
}
