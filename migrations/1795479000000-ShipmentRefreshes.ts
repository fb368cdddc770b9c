import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a followed shipment was last asked about outside its polls (a seller's re-attempt that looked like a
 * repeat): kept with its poll, so every instance allows one such question per window, not one each.
 */
export class ShipmentRefreshes1795479000000 implements MigrationInterface {
  name = 'ShipmentRefreshes1795479000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipment_polls ADD COLUMN refreshed_at timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipment_polls DROP COLUMN refreshed_at');
  }
}
