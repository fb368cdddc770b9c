import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { startEmbeddedPostgres } from 'src/database/embedded-postgres';

const ROOT = join(__dirname, '..');

/** One embedded PostgreSQL for the whole run; each policy's Kirim gets a database of its own. */
export interface SimDatabase {
  newDatabase(name: string): Promise<string>;
  /**
   * With SIMULATOR_PG_STATEMENTS=FILE: the statements that cost PostgreSQL most over the run (planning and
   * execution, every database), written to FILE as a table. Nothing without it.
   */
  writeStatementCosts(): Promise<void>;
  stop(): Promise<void>;
}

/** Every policy's Kirim draws an order's fate alike (docs/sandbox-world.md): they differ by their choices. */
export const SANDBOX_DRAWS = 'per_order';

/** An eighth of the machine's memory, between PostgreSQL's default 128 MB and 2 GB. */
const simBufferMegabytes = () => Math.max(128, Math.min(2048, Math.floor(totalmem() / 2 ** 20 / 8)));

/** The migrated database every policy's is cloned from. */
const TEMPLATE_DATABASE = 'kirim_template';

/**
 * Migrates the template once, as the built service would (its compiled migrations, its runner): each
 * Kirim migrating a database of its own cost the machine about 4 CPU-seconds (the migrations load the area
 * directory and the couriers' location codes), four times over for a run of every policy.
 */
async function migrateTemplate(
  url: string,
  admin: <T>(work: (c: Client) => Promise<T>) => Promise<T>,
): Promise<void> {
  await admin((c) => c.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`));
  // The built service's modules, as each Kirim runs them: through ts-node every migration would compile again.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
  const built = (path: string): unknown => require(join(ROOT, 'dist', path));
  const { dataSourceOptions } = built(
    'src/database/data-source.js',
  ) as typeof import('src/database/data-source');
  const { runMigrations } = built('src/database/migrate.js') as typeof import('src/database/migrate');
  const u = new URL(url);
  u.pathname = `/${TEMPLATE_DATABASE}`;
  const dataSource = new DataSource({ ...dataSourceOptions(u.toString(), 1), entities: [] });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    // A template must have no connection when it is cloned.
    await dataSource.destroy();
  }
}

export async function startSimDatabase(): Promise<SimDatabase> {
  const statementsFile = process.env.SIMULATOR_PG_STATEMENTS;
  const dataDir = mkdtempSync(join(tmpdir(), 'kirim-sim-'));
  chmodSync(dataDir, 0o755);
  const pg = await startEmbeddedPostgres({
    dataDir,
    database: 'simulator',
    log: process.env.SIMULATOR_SLOW_SQL_MS ? (m) => process.stderr.write(`pg: ${m}\n`) : undefined,
    settings: {
      max_connections: '300',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      // A full run's four databases, in one cluster, outgrow the default 128 MB of buffers: with 2 GB the
      // cluster used about a sixth less CPU over the run. The data is thrown away, so it needs no WAL beyond
      // crash safety and no checkpoint midway.
      shared_buffers: `${simBufferMegabytes()}MB`,
      wal_level: 'minimal',
      max_wal_senders: '0',
      max_wal_size: '8GB',
      checkpoint_timeout: '30min',
      ...(process.env.SIMULATOR_SLOW_SQL_MS
        ? { log_min_duration_statement: process.env.SIMULATOR_SLOW_SQL_MS }
        : {}),
      ...(statementsFile
        ? {
            shared_preload_libraries: 'pg_stat_statements',
            'pg_stat_statements.track_planning': 'on',
            'pg_stat_statements.max': '5000',
          }
        : {}),
    },
  });
  const admin = async <T>(work: (c: Client) => Promise<T>): Promise<T> => {
    const c = new Client({ connectionString: pg.url });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  };
  if (statementsFile) await admin((c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
  let template: Promise<void> | undefined;
  return {
    async newDatabase(name) {
      await (template ??= migrateTemplate(pg.url, admin));
      await admin((c) =>
        c.query(`CREATE DATABASE ${name.replace(/[^a-z0-9_]/g, '_')} TEMPLATE ${TEMPLATE_DATABASE}`),
      );
      const u = new URL(pg.url);
      u.pathname = `/${name.replace(/[^a-z0-9_]/g, '_')}`;
      return u.toString();
    },
    async writeStatementCosts() {
      if (!statementsFile) return;
      const { rows } = await admin((c) =>
        c.query<{
          ms: number;
          all_ms: number;
          calls: string;
          plan_ms: number;
          rows: string;
          blocks: string;
          query: string;
        }>(
          `SELECT round((total_exec_time + total_plan_time)::numeric, 0)::float AS ms, calls,
                  round(sum(total_exec_time + total_plan_time) OVER ()::numeric, 0)::float AS all_ms,
                  round(total_plan_time::numeric, 0)::float AS plan_ms, rows, shared_blks_hit + shared_blks_read AS blocks,
                  regexp_replace(query, '\\s+', ' ', 'g') AS query
             FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 80`,
        ),
      );
      // Round trips cost both processes a wake-up each, whatever the statement: the most frequent too.
      const frequent = await admin((c) =>
        c.query<{ calls: string; all_calls: string; query: string }>(
          `SELECT calls, sum(calls) OVER () AS all_calls, regexp_replace(query, '\\s+', ' ', 'g') AS query
             FROM pg_stat_statements ORDER BY calls DESC LIMIT 40`,
        ),
      );
      writeFileSync(
        statementsFile,
        rows
          .map(
            (r) =>
              `${r.ms} ms (plan ${r.plan_ms}) ${r.calls} calls ${r.rows} rows ${r.blocks} blocks | ${r.query.slice(0, 400)}`,
          )
          .join('\n') +
          `\n${rows[0]?.all_ms ?? 0} ms in all statements\n\nmost frequent:\n` +
          frequent.rows.map((r) => `${r.calls} calls | ${r.query.slice(0, 200)}`).join('\n') +
          `\n${frequent.rows[0]?.all_calls ?? 0} calls in all statements\n`,
      );
    },
    async stop() {
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface KirimService {
  base: string;
  operatorToken: string;
  /** CPU seconds the service's process has used so far (user + system; NaN where /proc is not there). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** A process's user + system CPU seconds from /proc (fields 14 and 15 of its stat line). */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** Linux's USER_HZ: /proc counts CPU time in hundredths of a second on every architecture Node runs on. */
const CLOCK_TICKS = 100;

/**
 * CPU seconds of every PostgreSQL process alive now (user + system), with what its exited children used
 * (fields 16 and 17): the database's share of the machine, to set beside the Kirims' and the simulator's.
 */
export function postgresCpuSeconds(): number {
  let sum = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLOCK_TICKS;
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

/**
 * CPU seconds the whole machine has been busy (every process, every core: user, nice, system, interrupts,
 * steal) from /proc/stat's first line; NaN where /proc is not there. The difference over a run is what
 * the run cost, with Kirim, PostgreSQL and the simulator together (and anything else running then).
 */
export function machineCpuSeconds(): number {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
      .split('\n', 1)[0]
      .trim()
      .split(/\s+/)
      .map(Number);
    return (user + nice + system + irq + softirq + (steal || 0)) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/**
 * The real service, built (`dist/`), in a process of its own on `databaseUrl`, couriers in sandbox mode,
 * scheduled jobs off: the simulator runs each job when its clock says so. Settings in real time differ from
 * the defaults, and only because simulated time runs thousands of times faster and on a machine that may
 * be busy: the couriers' tracking request budgets (calls per real minute) are raised, or a simulated day's
 * polls would take hours; and the quote deadline and courier call timeout are a minute, so a sandbox answer
 * slowed by the machine's load never leaves a courier out of a ranking (a run under load chose another
 * courier for a few orders, and no longer replayed).
 */
export async function startKirim(
  databaseUrl: string,
  env: Record<string, string>,
  /** Where its log goes, at debug level (SIMULATOR_SERVICE_LOG); nowhere without it. */
  logFile?: string,
): Promise<KirimService> {
  const out = logFile ? openSync(logFile, 'w') : 'ignore';
  const operatorToken = `simulator-operator-${randomBytes(24).toString('hex')}`;
  const script = `
    const { loadConfig } = require(${JSON.stringify(join(ROOT, 'dist/config/index.js'))});
    const { createApp } = require(${JSON.stringify(join(ROOT, 'dist/src/app-factory.js'))});
    const loaded = loadConfig();
    // The loaded configuration is frozen: change a copy, as the tests and the bench do.
    const config = Object.assign(Object.create(Object.getPrototypeOf(loaded)), structuredClone(loaded));
    for (const b of Object.values(config.business.tracking.budgets)) { b.concurrency = 16; b.perMinute = 10000000; }
    config.business.couriers.resilience.timeoutMs = 60000;
    createApp(config).then(async (app) => {
      // Port 0: the kernel picks a free port and the parent is told which, so no other process can take it
      // between choosing and binding (a free port chosen beforehand can be, under a busy test run).
      await app.listen({ port: 0, host: config.http.host });
      process.send({ port: app.getHttpServer().address().port });
      process.on('SIGTERM', () => app.close().then(() => process.exit(0), () => process.exit(1)));
    }, (e) => { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exit(1); });`;
  const profile = process.env.SIMULATOR_SERVICE_PROFILE;
  // A larger young generation: a Kirim under the simulator's load made short-lived garbage fast enough that
  // scavenges were a tenth of its CPU; with 32 MB semi-spaces a 24-day run's Kirim used 8 % less CPU.
  const node = ['--max-semi-space-size=32'];
  const args = profile
    ? [...node, '--cpu-prof', '--cpu-prof-dir', profile, '-e', script]
    : [...node, '-e', script];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      JWT_SECRET: 'simulator-secret-simulator-secret-0123456789',
      PHONE_HASH_SALT: 'simulator-phone-hash-salt',
      METRICS_TOKEN: operatorToken,
      JOBS_ENABLED: 'false',
      LOG_LEVEL: logFile ? 'debug' : 'warn',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      SANDBOX_OPERATOR_TOKEN: operatorToken,
      SANDBOX_DRAWS,
      // The clock stands still between the simulator's steps: a run replays alike, whatever its speed.
      SANDBOX_CLOCK: 'stepped',
      QUOTE_DEADLINE_MS: '60000',
      ...env,
    },
    stdio: ['ignore', out, 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Kirim did not listen within 120 s')), 120_000);
    child.once('message', (m: { port?: unknown }) => {
      clearTimeout(timer);
      if (typeof m?.port === 'number') resolve(m.port);
      else reject(new Error(`Kirim reported no port: ${JSON.stringify(m)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Kirim exited with ${code} before it was ready`));
    });
  });
  child.disconnect();
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Kirim exited with ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`Kirim at ${base} not ready after 120 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    operatorToken,
    cpuSeconds: () => processCpuSeconds(child.pid),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
