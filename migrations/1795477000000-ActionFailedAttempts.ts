import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A seller action keeps the shipment's failed delivery attempts when it was asked, so a re-attempt the
 * courier already has for the same failed attempt is not sent again. Earlier actions have none (null):
 * which failure they answered is not known, and none of them refuses a re-attempt. Actions also get the
 * order they were recorded in (`seq`), by which they are read: two asked at the same instant were ordered
 * by their random ids, so which one was the latest instruction (a hold, a return) could come out either way.
 */
export class ActionFailedAttempts1795477000000 implements MigrationInterface {
  name = 'ActionFailedAttempts1795477000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipment_actions ADD COLUMN failed_attempts integer');
    // Earlier actions numbered in the order they were asked (an identity added at once numbers them as
    // stored), then new ones by the identity from there.
    await q.query('ALTER TABLE shipment_actions ADD COLUMN seq bigint');
    await q.query(`UPDATE shipment_actions a SET seq = o.n
      FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM shipment_actions) o
      WHERE o.id = a.id`);
    await q.query('ALTER TABLE shipment_actions ALTER COLUMN seq SET NOT NULL');
    const [{ next }] = (await q.query('SELECT COALESCE(max(seq), 0) + 1 AS next FROM shipment_actions')) as {
      next: string;
    }[];
    await q.query(
      `ALTER TABLE shipment_actions ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (START WITH ${Number(next)})`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipment_actions DROP COLUMN seq');
    await q.query('ALTER TABLE shipment_actions DROP COLUMN failed_attempts');
  }
}
