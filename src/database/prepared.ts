import { EntityManager, QueryFailedError } from 'typeorm';

interface PgClient {
  query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a hot statement as a named prepared statement on the transaction's own connection, so PostgreSQL
 * parses and plans it once per connection instead of on every call (TypeORM's `query` sends every
 * statement unnamed). Outside a transaction, or where the driver connection is not at hand, it is an
 * ordinary query. Errors come out as TypeORM's QueryFailedError either way.
 */
export async function queryPrepared<T>(
  manager: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const client = (manager.queryRunner as { databaseConnection?: PgClient } | undefined)?.databaseConnection;
  if (!client || manager.queryRunner?.isReleased) return manager.query(text, values);
  try {
    return (await client.query({ name, text, values })).rows as T[];
  } catch (e) {
    throw new QueryFailedError(text, values, e as Error);
  }
}

interface PgQueryable {
  query(q: { text: string; values: unknown[]; rowMode: 'array' }): Promise<{ rows: unknown[][] }>;
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
  const runner = manager.queryRunner as
    { databaseConnection?: PgQueryable; isReleased?: boolean } | undefined;
  const target =
    runner?.databaseConnection && !runner.isReleased
      ? runner.databaseConnection
      : (manager.connection.driver as unknown as { master: PgQueryable }).master;
  try {
    return (await target.query({ text, values, rowMode: 'array' })).rows;
  } catch (e) {
    throw new QueryFailedError(text, values, e as Error);
  }
}
