import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `pickup_items.retrying_since`: when a booking whose couriers all failed for now was first put off. It is
 * tried again for a while from then, not from when the pickup was asked for (a re-booking a day later would
 * have had no retry at all) or from its latest try (it would be retried for ever).
 */
export class PickupItemRetryingSince1795502800000 implements MigrationInterface {
  name = 'PickupItemRetryingSince1795502800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE pickup_items ADD COLUMN retrying_since timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE pickup_items DROP COLUMN retrying_since');
  }
}
