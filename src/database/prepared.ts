import { createHash } from 'node:crypto';
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

/** The pool TypeORM's PostgreSQL driver sends through outside transactions. */
const poolOf = (manager: EntityManager) =>
  (manager.connection.driver as unknown as { master: PgQueryable }).master;

/**
 * Runs a hot statement as a named prepared statement on its connection (the transaction's own, else one
 * from the pool), so PostgreSQL parses and plans it once per connection instead of on every call
 * (TypeORM's `query` sends every statement unnamed). Rows only: an UPDATE's count is not returned.
 * `name` must stand for this one text (see preparedName for a statement built at run time).
 */
export async function queryPrepared<T>(
  manager: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  return (await send(transactionClient(manager) ?? poolOf(manager), { name, text, values })) as T[];
}

const builtNames = new Map<string, string>();

/**
 * A prepared statement's name for a text built at run time (a few shapes, each asked for often): the
 * prefix and a digest of the text, so two shapes never share a name.
 */
export function preparedName(prefix: string, text: string): string {
  let name = builtNames.get(text);
  if (name === undefined) {
    name = `${prefix}_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    // Bounded: the shapes are few; past that a name is derived each time rather than kept.
    if (builtNames.size < 1000) builtNames.set(text, name);
  }
  return name;
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
  return (await send(transactionClient(manager) ?? poolOf(manager), {
    text,
    values,
    rowMode: 'array',
  })) as unknown[][];
}
