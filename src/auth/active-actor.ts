import { EntityManager } from 'typeorm';
import type { Principal } from 'src/common/auth/principal';
import { InvalidTokenError } from './auth.errors';

/**
 * Checks, in the database and not the caches, that the seller's user acting is still active and their
 * session still open (same generation, not logged out), and holds the user so (FOR SHARE, in `manager`'s
 * transaction) until it ends. For what outlasts the request (a login, an API key, a bank account and money
 * sent to it, where webhooks go): a request checked against the caches just before a removal committed
 * (on any instance: AuthRevocations drops the entries as it commits) still runs; a removal or password
 * change running alongside waits for the caller's transaction, or went first and the request is refused.
 * Answers the user's email.
 * @throws InvalidTokenError AUTH_INVALID_TOKEN (the user was removed, or the session ended)
 */
export async function holdActiveActor(
  manager: EntityManager,
  sellerId: string,
  actor: Pick<Principal, 'userId' | 'session' | 'sessionGeneration'>,
): Promise<{ email: string }> {
  const [user] = await manager.query<{ email: string }[]>(
    `SELECT u.email FROM users u
      WHERE u.id = $1 AND u.seller_id = $2 AND u.disabled_at IS NULL
        AND ($3::integer IS NULL OR u.session_generation = $3)
        AND NOT EXISTS (SELECT 1 FROM ended_sessions e WHERE e.session_id = $4)
      FOR SHARE OF u`,
    [actor.userId, sellerId, actor.sessionGeneration ?? null, actor.session?.id ?? null],
  );
  if (!user) throw new InvalidTokenError();
  return user;
}
