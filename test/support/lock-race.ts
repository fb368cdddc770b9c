import type { QueryRunner } from 'typeorm';
import type { TestApp } from './test-app';
import { waitUntil } from './wait';

/** Locks a ledger account's row, as a posting to it does, in the runner's transaction. */
export const lockAccount = (q: QueryRunner, code: string) =>
  q.query('UPDATE ledger_accounts SET updated_at = updated_at WHERE code = $1', [code]);

/**
 * Races `work` against a transaction that takes locks as the tracker does: `first` takes the tracker's
 * first locks, `work` starts, and once some lock is waited for (`work` reached one the tracker holds) `then`
 * takes the tracker's next ones and commits. A deadlock ends one side: `trackerError` is the tracker's,
 * `work`'s own answer says whether it lost. Both null and answered is what a lock order without a cycle gives.
 */
export async function raceWithTracker<T>(
  t: TestApp,
  locks: { first: (q: QueryRunner) => Promise<unknown>; then: (q: QueryRunner) => Promise<unknown> },
  work: () => PromiseLike<T>,
  what: string,
): Promise<{ trackerError: string | null; answer: T }> {
  const q = t.dataSource.createQueryRunner();
  await q.connect();
  try {
    await q.startTransaction();
    await locks.first(q);
    const answered = Promise.resolve(work());
    await waitUntil(async () => {
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted',
      );
      return n > 0;
    }, what);
    let trackerError: string | null = null;
    try {
      await locks.then(q);
      await q.commitTransaction();
    } catch (e) {
      trackerError = (e as Error).message;
      await q.rollbackTransaction();
    }
    return { trackerError, answer: await answered };
  } finally {
    await q.release();
  }
}
