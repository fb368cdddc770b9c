import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A recorded outcome keeps the statistics rows it was counted in (`level:key`), so a failed attempt the
 * courier reports after the delivery can take back the first-attempt success it was counted as, in exactly
 * those rows. Earlier outcomes have none (null): their failed attempts are still corrected, their counts not.
 */
export class OutcomeStatsKeys1795478000000 implements MigrationInterface {
  name = 'OutcomeStatsKeys1795478000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE delivery_outcomes ADD COLUMN stats_keys text[]');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE delivery_outcomes DROP COLUMN stats_keys');
  }
}
