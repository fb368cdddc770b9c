import { MigrationInterface, QueryRunner } from 'typeorm';

/** Delivery statistics learn a fourth level: a courier in a destination regency, from every origin. */
export class DeliveryStatsAreaLevel1795473400000 implements MigrationInterface {
  name = 'DeliveryStatsAreaLevel1795473400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE delivery_stats DROP CONSTRAINT chk_delivery_stats_level');
    await q.query(
      "ALTER TABLE delivery_stats ADD CONSTRAINT chk_delivery_stats_level CHECK (level IN ('lane', 'area', 'province', 'national'))",
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DELETE FROM delivery_stats WHERE level = 'area'");
    await q.query('ALTER TABLE delivery_stats DROP CONSTRAINT chk_delivery_stats_level');
    await q.query(
      "ALTER TABLE delivery_stats ADD CONSTRAINT chk_delivery_stats_level CHECK (level IN ('lane', 'province', 'national'))",
    );
  }
}
