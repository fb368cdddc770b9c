import { EntityManager, QueryFailedError } from 'typeorm';

/** The node-postgres query config both helpers send (a pool and a client take the same). */
interface PgQuery {
  text: string;
  values: unknown[];
  name?: string;
  rowMode?: 'array';
}
interface PgQueryable {
  query(q: PgQuery): Promise<{ rows: unknown[] }>;
}

/** The open transaction's own pg client, or null outside a transaction (TypeORM's runner, not released). */
function transactionClient(manager: EntityManager): PgQueryable | null {
  const runner = manager.queryRunner as
    { databaseConnection?: PgQueryable; isReleased?: boolean } | undefined;
  return runner?.databaseConnection && !runner.isReleased ? runner.databaseConnection : null;
}

/** Sends `q` through node-postgres directly; errors come out as TypeORM's QueryFailedError, as elsewhere. */
async function send(target: PgQueryable, q: PgQuery): Promise<unknown[]> {
  try {
    return (await target.query(q)).rows;
  } catch (e) {
    throw new QueryFailedError(q.text, q.values, e as Error);
  }
}

/**
 * Runs a hot statement as a named prepared statement on the transaction's own connection, so PostgreSQL
 * parses and plans it once per connection instead of on every call (TypeORM's `query` sends every
 * statement unnamed). Outside a transaction it is an ordinary query.
 */
export async function queryPrepared<T>(
  manager: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const client = transactionClient(manager);
  if (!client) return manager.query(text, values);
  return (await send(client, { name, text, values })) as T[];
}

/**
 * Runs a query whose rows come back as arrays of the driver's values (no object per row): for streaming
 * exports, where a million rows of objects would only feed the garbage collector. Uses the transaction's
 * connection inside one, else the pool.
 */
export async function queryRowArrays(
  manager: EntityManager,
  text: string,
  values: unknown[],
): Promise<unknown[][]> {
  const target =
    transactionClient(manager) ?? (manager.connection.driver as unknown as { master: PgQueryable }).master;
  return (await send(target, { text, values, rowMode: 'array' })) as unknown[][];
}
