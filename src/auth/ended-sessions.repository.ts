import { Injectable } from '@nestjs/common';
import { Transactions } from 'src/database/transaction';

/** Sessions logged out one at a time (their tokens' ids), kept until those tokens would have expired. */
@Injectable()
export class EndedSessionsRepository {
  constructor(private readonly tx: Transactions) {}

  /** Ends the session (joins the caller's transaction); ending it again changes nothing. */
  async end(sessionId: string, userId: string, endedAt: Date, expiresAt: Date): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO ended_sessions (session_id, user_id, ended_at, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session_id) DO NOTHING`,
      [sessionId, userId, endedAt, expiresAt],
    );
  }

  async isEnded(sessionId: string): Promise<boolean> {
    const rows = await this.tx.manager.query<unknown[]>(
      'SELECT 1 FROM ended_sessions WHERE session_id = $1',
      [sessionId],
    );
    return rows.length > 0;
  }

  /** Forgets sessions whose tokens have expired by `now`: nothing could present them any more. */
  async deleteExpired(now: Date): Promise<void> {
    await this.tx.manager.query('DELETE FROM ended_sessions WHERE expires_at < $1', [now]);
  }
}
