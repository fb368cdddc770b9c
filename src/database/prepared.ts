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
