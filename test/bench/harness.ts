import autocannon from 'autocannon';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client, Pool } from 'pg';

export const ROOT = join(__dirname, '..', '..');

/** The environment every benchmarked app runs with (a child process or in-process). */
export const BENCH_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  PHONE_HASH_SALT: 'bench-phone-hash-salt',
  METRICS_TOKEN: 'bench-metrics-token',
  JOBS_ENABLED: 'false',
};

export interface Figure {
  /** Human name of what was measured. */
  name: string;
  unit: 'req/s' | 'tx/s' | 'ops/s' | 'items/s' | 'ms' | 's' | 'KB';
  value: number;
  p50Ms?: number;
  p99Ms?: number;
  note?: string;
}

export interface BenchContext {
  /** Connection URL of a fresh database on the bench PostgreSQL. */
  newDatabase(): Promise<string>;
  durationSec: number;
  connections: number;
  /** The built app on `databaseUrl`; stopped by the harness at the end. */
  startApp(databaseUrl: string, env?: Record<string, string>): Promise<string>;
  load(opts: LoadOptions): Promise<LoadResult>;
  /**
   * Measures `target` in rounds, each right after a round of the baseline (bare Fastify or the raw-pg
   * loop): on a shared machine throughput drifts by tens of percent within minutes, and a ratio of two
   * measurements taken side by side drifts far less than one against a baseline taken minutes earlier.
   */
  paired(
    baseline: 'bare Fastify' | 'raw pg',
    target: (durationSec: number) => Promise<LoadResult>,
  ): Promise<Paired>;
  /** A block of text (a query plan, a per-courier table) printed under `title` after the figures. */
  attach(title: string, text: string): void;
}

export interface Paired {
  /** The target over all rounds. */
  result: LoadResult;
  /** Target ÷ baseline per round, percent. */
  ratios: number[];
  /** The median of `ratios`. */
  median: number;
}

/** Rounds of `baseline` then `target`, `durationSec` split evenly between rounds. */
export async function pairedRounds(
  rounds: number,
  durationSec: number,
  baseline: (durationSec: number) => Promise<number>,
  target: (durationSec: number) => Promise<LoadResult>,
): Promise<Paired> {
  const each = Math.max(2, Math.round(durationSec / rounds));
  const ratios: number[] = [];
  const results: LoadResult[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const base = await baseline(each);
    const r = await target(each);
    results.push(r);
    ratios.push((100 * r.requestsPerSec) / base);
  }
  const mean = (f: (r: LoadResult) => number) => results.reduce((sum, r) => sum + f(r), 0) / results.length;
  const sorted = [...ratios].sort((a, b) => a - b);
  return {
    result: {
      requestsPerSec: mean((r) => r.requestsPerSec),
      p50Ms: mean((r) => r.p50Ms),
      p99Ms: Math.max(...results.map((r) => r.p99Ms)),
      non2xx: results.reduce((n, r) => n + r.non2xx, 0),
      errors: results.reduce((n, r) => n + r.errors, 0),
    },
    ratios,
    median: sorted[Math.floor(sorted.length / 2)],
  };
}

export interface Benchmark {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Per request, e.g. to vary an Idempotency-Key or body. */
  setupRequest?: (req: { headers?: Record<string, string>; body?: string; path?: string }) => {
    headers?: Record<string, string>;
    body?: string;
    path?: string;
  };
  durationSec?: number;
  connections?: number;
}

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** autocannon against one endpoint; the same load tool for the app and the bare-Fastify baseline. */
export async function load(
  o: LoadOptions,
  defaults: { durationSec: number; connections: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url: o.url,
    method: o.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...o.headers },
    body: o.body,
    duration: o.durationSec ?? defaults.durationSec,
    connections: o.connections ?? defaults.connections,
    requests: o.setupRequest ? [{ setupRequest: o.setupRequest }] : undefined,
  });
  return {
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export async function waitForUrl(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`process exited with ${child.exitCode} before ${url} was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

/** A node process of the bench; its log lines (stdout) are shown with BENCH_CHILD_STDOUT=1. */
export function spawnNode(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', process.env.BENCH_CHILD_STDOUT ? 'inherit' : 'ignore', 'inherit'],
  });
}

/** pgbench from PATH; if missing, tries the Debian client package; null (with the reason) when absent. */
export function findPgbench(): { path: string } | { absent: string } {
  const which = () => spawnSync('sh', ['-c', 'command -v pgbench'], { encoding: 'utf8' }).stdout.trim();
  if (which()) return { path: which() };
  if (process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0) {
    process.stderr.write('pgbench not found: installing postgresql-client with apt-get…\n');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'postgresql-client'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (which()) return { path: which() };
  }
  return { absent: 'pgbench is not installed and could not be installed (install postgresql-client)' };
}

const TPCB_SCALE = 1;

/** pgbench's schema (scale 1: 100,000 accounts, 10 tellers, 1 branch), made with plain SQL. */
export async function createTpcbTables(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`
    DROP TABLE IF EXISTS pgbench_history, pgbench_tellers, pgbench_accounts, pgbench_branches;
    CREATE TABLE pgbench_branches (bid int PRIMARY KEY, bbalance int, filler char(88)) WITH (fillfactor=100);
    CREATE TABLE pgbench_tellers (tid int PRIMARY KEY, bid int, tbalance int, filler char(84)) WITH (fillfactor=100);
    CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84)) WITH (fillfactor=100);
    CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22));
    INSERT INTO pgbench_branches SELECT b, 0 FROM generate_series(1, ${TPCB_SCALE}) b;
    INSERT INTO pgbench_tellers SELECT t, (t - 1) / 10 + 1, 0 FROM generate_series(1, ${10 * TPCB_SCALE}) t;
    INSERT INTO pgbench_accounts SELECT a, (a - 1) / 100000 + 1, 0 FROM generate_series(1, ${100000 * TPCB_SCALE}) a;
  `);
    await c.query('VACUUM ANALYZE');
  } finally {
    await c.end();
  }
}

/** The TPC-B-like transaction of pgbench's default script, looped from node-postgres clients. */
export async function rawPgTpcb(url: string, clients: number, durationSec: number): Promise<Figure> {
  const pool = new Pool({ connectionString: url, max: clients });
  const latencies: number[] = [];
  const end = Date.now() + durationSec * 1000;
  const rnd = (n: number) => 1 + Math.floor(Math.random() * n);
  async function worker() {
    const c = await pool.connect();
    try {
      while (Date.now() < end) {
        const aid = rnd(100000 * TPCB_SCALE);
        const tid = rnd(10 * TPCB_SCALE);
        const bid = rnd(TPCB_SCALE);
        const delta = Math.floor(Math.random() * 10001) - 5000;
        const t0 = performance.now();
        await c.query('BEGIN');
        await c.query({
          name: 'u1',
          text: 'UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2',
          values: [delta, aid],
        });
        await c.query({
          name: 's1',
          text: 'SELECT abalance FROM pgbench_accounts WHERE aid = $1',
          values: [aid],
        });
        await c.query({
          name: 'u2',
          text: 'UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2',
          values: [delta, tid],
        });
        await c.query({
          name: 'u3',
          text: 'UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2',
          values: [delta, bid],
        });
        await c.query({
          name: 'i1',
          text: 'INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)',
          values: [tid, bid, aid, delta],
        });
        await c.query('COMMIT');
        latencies.push(performance.now() - t0);
      }
    } finally {
      c.release();
    }
  }
  await Promise.all(Array.from({ length: clients }, worker));
  await pool.end();
  latencies.sort((a, b) => a - b);
  return {
    name: `raw pg TPC-B-like loop (${clients} clients)`,
    unit: 'tx/s',
    value: latencies.length / durationSec,
    p50Ms: latencies[Math.floor(latencies.length * 0.5)],
    p99Ms: latencies[Math.floor(latencies.length * 0.99)],
  };
}

export function pgbenchRun(pgbench: string, url: string, clients: number, durationSec: number): Figure {
  const u = new URL(url);
  const out = execFileSync(
    pgbench,
    [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(clients),
      '-j',
      '2',
      '-T',
      String(durationSec),
      '-h',
      // The same way in as the service: the Unix socket when the URL names one.
      u.searchParams.get('host') ?? u.hostname,
      '-p',
      u.port,
      '-U',
      u.username,
      u.pathname.slice(1),
    ],
    { env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) }, encoding: 'utf8' },
  );
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
  const latency = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
  return {
    name: `pgbench TPC-B-like (${clients} clients)`,
    unit: 'tx/s',
    value: tps,
    p50Ms: undefined,
    p99Ms: undefined,
    note: `latency average ${latency} ms`,
  };
}
