import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';

/** A stable 64-bit advisory-lock key (as a decimal string) for a name. */
export function advisoryKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/**
 * Runs fn while holding a session-level advisory lock, so only one instance at a time does it
 * (others wait). The manager must be bound to one connection (a QueryRunner's).
 */
export async function withAdvisoryLock<T>(
  manager: EntityManager,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  const key = advisoryKey(name);
  await manager.query('SELECT pg_advisory_lock($1::bigint)', [key]);
  try {
    return await fn();
  } finally {
    await manager.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
  }
}
