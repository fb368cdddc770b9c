import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An alert's message in Indonesian, the dashboard's first language, beside the English one. Alerts opened
 * before have none (their facts were not kept): each gets it when its shipment is next assessed.
 */
export class AlertIndonesianMessage1795481000000 implements MigrationInterface {
  name = 'AlertIndonesianMessage1795481000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE alerts ADD COLUMN message_indonesian text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE alerts DROP COLUMN message_indonesian');
  }
}
