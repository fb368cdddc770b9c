import { DataSource } from 'typeorm';

/**
 * Every table of the app (and of the sandbox couriers) as a row count and a hash of its rows: two equal
 * snapshots mean a request wrote nothing, anywhere.
 */
export async function snapshotTables(dataSource: DataSource): Promise<Record<string, string>> {
  const tables = await dataSource.query<{ name: string }[]>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
     WHERE table_schema IN ('public', 'sandbox') AND table_type = 'BASE TABLE' AND table_name <> 'migrations'
     ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await dataSource.query<{ n: number; h: string }[]>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${name} x`,
    );
    out[name] = `${row.n}:${row.h}`;
  }
  return out;
}
