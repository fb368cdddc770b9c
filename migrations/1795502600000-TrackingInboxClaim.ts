import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `tracking_events.inbox_claimed_until`: a pushed event taken by an applier of the inbox, until when. The
 * claim locked the rows FOR UPDATE SKIP LOCKED in a statement of its own, so the locks ended with it and
 * every applier (the job every 5 s, the push's own kick, each instance) took the same oldest batch and
 * applied it in turn.
 */
export class TrackingInboxClaim1795502600000 implements MigrationInterface {
  name = 'TrackingInboxClaim1795502600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tracking_events ADD COLUMN inbox_claimed_until timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tracking_events DROP COLUMN inbox_claimed_until');
  }
}
