import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A user's session generation: every access token carries the generation it was issued in, and logging out
 * or changing the password moves the user to the next, ending every earlier token at once. Tokens issued
 * before this carry none and count as generation 0, so sessions open now go on.
 */
export class UserSessionGeneration1795474000000 implements MigrationInterface {
  name = 'UserSessionGeneration1795474000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users ADD COLUMN session_generation integer NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP COLUMN session_generation');
  }
}
