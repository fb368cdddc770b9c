import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions ended one at a time: logging out on one device ends that device's token only. Each access token
 * carries its own session id; an ended one is kept until its token would have expired anyway, then pruned.
 * (Logging out everywhere and a new password still move the user's session generation.)
 */
export class EndedSessions1795475000000 implements MigrationInterface {
  name = 'EndedSessions1795475000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ended_sessions (
      session_id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id),
      ended_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    )`);
    await q.query('CREATE INDEX idx_ended_sessions_expires ON ended_sessions (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ended_sessions');
  }
}
