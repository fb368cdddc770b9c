import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `shipment_actions.outcome_unknown`: a failed action whose courier did not answer in time, so it may have
 * taken it. A return so sent that the courier then starts is the seller's own, not an alert.
 */
export class ShipmentActionOutcomeUnknown1795500000000 implements MigrationInterface {
  name = 'ShipmentActionOutcomeUnknown1795500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipment_actions ADD COLUMN outcome_unknown boolean NOT NULL DEFAULT false');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipment_actions DROP COLUMN outcome_unknown');
  }
}
