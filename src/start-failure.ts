import { resolve } from 'node:path';
import type { AppConfig } from 'config';
import { asDatabaseUnavailable, DatabaseUnavailableError } from './common/errors/database-unavailable';

/** A failure's code, errno syscall and message, down its causes (a pg error wrapped by Nest or TypeORM). */
function facts(e: unknown): { code?: string; syscall?: string; path?: string; message: string }[] {
  const out: { code?: string; syscall?: string; path?: string; message: string }[] = [];
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth += 1) {
    const x = cur as {
      code?: unknown;
      syscall?: unknown;
      path?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    out.push({
      code: typeof x.code === 'string' ? x.code : undefined,
      syscall: typeof x.syscall === 'string' ? x.syscall : undefined,
      path: typeof x.path === 'string' ? x.path : undefined,
      message: typeof x.message === 'string' ? x.message : '',
    });
    cur = x.cause;
  }
  return out;
}

/** PostgreSQL's refusals of a login: bad password, no such role or database. */
const LOGIN_CODES = new Set(['28P01', '28000', '3D000']);

/**
 * What stopped the start, said in one line naming the setting to change, for the failures an operator
 * causes (a database that refuses the login, a port taken, a folder that cannot be written); null for
 * anything else, which is a fault of the service and keeps its stack. Never echoes a setting's secret.
 */
export function startFailure(e: unknown, config: AppConfig): string | null {
  const all = facts(e);
  const { host, port } = config.http;
  for (const f of all) {
    if (f.syscall === 'listen' && f.code === 'EADDRINUSE')
      return `PORT: ${port} is already in use on ${host}; choose another port or stop what holds it`;
    if (f.syscall === 'listen' && f.code === 'EADDRNOTAVAIL')
      return `HOST: ${host} is no address of this machine`;
    if (f.syscall === 'listen' && f.code === 'EACCES')
      return `PORT: ${port} may not be bound by this user (ports below 1024 need privileges)`;
  }
  const external = Boolean(config.database.url);
  // Unreachable as the service tells it on every request (a 503), or a login refused.
  if (
    external &&
    (asDatabaseUnavailable(e) instanceof DatabaseUnavailableError ||
      all.some((f) => f.code && LOGIN_CODES.has(f.code)))
  )
    return `DATABASE_URL: the database refused or could not be reached (${all.find((f) => f.message)?.message ?? ''})`;
  const dataDir = resolve(config.database.dataDir);
  for (const f of all) {
    if (f.code === '42P01' && !config.database.runMigrations)
      return 'RUN_MIGRATIONS: false, and the database has not been migrated: run "npm run migrate" first, or start with RUN_MIGRATIONS=true';
    if (
      f.code &&
      ['EACCES', 'EPERM', 'EROFS'].includes(f.code) &&
      (f.path ? resolve(f.path).startsWith(dataDir) : !external)
    )
      return `DATA_DIR: ${f.path ?? dataDir} cannot be written by this user (${f.code})`;
    if (
      !external &&
      config.database.embeddedPort &&
      /did not start on port \d+: the port is in use/.test(f.message)
    )
      return `EMBEDDED_POSTGRES_PORT: ${config.database.embeddedPort} is in use: the embedded PostgreSQL could not start on it`;
  }
  return null;
}
