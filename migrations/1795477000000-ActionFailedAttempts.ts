import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A seller action keeps the shipment's failed delivery attempts when it was asked, so a re-attempt the
 * courier already has for the same failed attempt is not sent again. Earlier actions have none (null):
 * which failure they answered is not known, and none of them refuses a re-attempt. Actions also get the
 * order they were recorded in (`seq`): two asked at the same instant were ordered by their random ids, so
 * which one was the latest instruction (a hold, a return) could come out either way.
 */
export class ActionFailedAttempts1795477000000 implements MigrationInterface {
  name = 'ActionFailedAttempts1795477000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipment_actions ADD COLUMN failed_attempts integer');
    await q.query('ALTER TABLE shipment_actions ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipment_actions DROP COLUMN seq');
    await q.query('ALTER TABLE shipment_actions DROP COLUMN failed_attempts');
  }
}
