import { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, startEmbeddedPostgres } from 'src/database/embedded-postgres';
import { addresses } from './benchmarks/addresses';
import { areas } from './benchmarks/areas';
import { couriers } from './benchmarks/couriers';
import { dashboard } from './benchmarks/dashboard';
import { simulation } from './benchmarks/simulation';
import { invoiceExport } from './benchmarks/invoice-export';
import { invoicing } from './benchmarks/invoicing';
import { ledger } from './benchmarks/ledger';
import { pickups } from './benchmarks/pickups';
import { quotes } from './benchmarks/quotes';
import { ranking } from './benchmarks/ranking';
import { trackingClaim } from './benchmarks/tracking-claim';
import { trackingPoll } from './benchmarks/tracking-poll';
import { trackingWebhooks } from './benchmarks/tracking-webhooks';
import {
  BENCH_ENV,
  Benchmark,
  BenchContext,
  createTpcbTables,
  Figure,
  findPgbench,
  load,
  pairedRounds,
  pgbenchRun,
  rawPgTpcb,
  ROOT,
  spawnNode,
  waitForUrl,
} from './harness';

/** Every named benchmark; `npm run bench -- <name>…` runs some, no names runs all. Baselines always run. */
const BENCHMARKS: Benchmark[] = [
  addresses,
  areas,
  couriers,
  ranking,
  quotes,
  pickups,
  trackingPoll,
  trackingWebhooks,
  trackingClaim,
  invoicing,
  invoiceExport,
  ledger,
  dashboard,
  simulation,
];

const DURATION = Number(process.env.BENCH_DURATION_SEC ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** Rounds of a paired measurement (baseline, then target, each DURATION / rounds seconds). */
const PAIRED_ROUNDS = 3;
const RESULTS = join(ROOT, 'test', 'bench', 'results');

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const selected = wanted.length ? BENCHMARKS.filter((b) => wanted.includes(b.name)) : BENCHMARKS;
  const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
  if (unknown.length)
    throw new Error(
      `unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );

  const dataDir = mkdtempSync(join(tmpdir(), 'kirim-bench-'));
  chmodSync(dataDir, 0o755);
  const pg = await startEmbeddedPostgres({
    dataDir,
    database: 'bench',
    settings: { max_connections: '300' },
  });
  const children: ChildProcess[] = [];
  let dbCounter = 0;
  const newDatabase = async () => {
    const name = `bench_${++dbCounter}`;
    const c = new Client({ connectionString: pg.url });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const u = new URL(pg.url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const attachments: { benchmark: string; title: string; text: string }[] = [];
  let current = '';
  const ctx: BenchContext = {
    durationSec: DURATION,
    connections: CONNECTIONS,
    newDatabase,
    load: (o) => load(o, { durationSec: DURATION, connections: CONNECTIONS }),
    paired: () => Promise.reject(new Error('the baselines are not running yet')),
    attach: (title, text) => attachments.push({ benchmark: current, title, text }),
    async startApp(databaseUrl, env = {}) {
      const port = await freePort();
      const child = spawnNode([join(ROOT, 'dist', 'src', 'main.js')], {
        ...BENCH_ENV,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'info',
        ...env,
      });
      children.push(child);
      const base = `http://127.0.0.1:${port}`;
      await waitForUrl(`${base}/health/ready`, child);
      return base;
    },
  };

  const baselines: Figure[] = [];
  const figures: { benchmark: string; description: string; figures: Figure[] }[] = [];
  try {
    process.stderr.write(`baselines (${DURATION}s each, ${CONNECTIONS} connections/clients)…\n`);
    const tpcbUrl = await newDatabase();
    await createTpcbTables(tpcbUrl);
    baselines.push(await rawPgTpcb(tpcbUrl, CONNECTIONS, DURATION));
    const pgbench = findPgbench();
    if ('path' in pgbench) baselines.push(pgbenchRun(pgbench.path, tpcbUrl, CONNECTIONS, DURATION));
    else
      baselines.push({ name: 'pgbench TPC-B-like', unit: 'tx/s', value: Number.NaN, note: pgbench.absent });

    const fastifyPort = await freePort();
    const fastify = spawnNode(
      ['-r', 'ts-node/register/transpile-only', join(ROOT, 'test', 'bench', 'bare-fastify.ts')],
      {
        PORT: String(fastifyPort),
        TS_NODE_PROJECT: join(ROOT, 'test', 'tsconfig.json'),
      },
    );
    children.push(fastify);
    await waitForUrl(`http://127.0.0.1:${fastifyPort}/ping`, fastify);
    const bare = await ctx.load({
      url: `http://127.0.0.1:${fastifyPort}/echo`,
      method: 'POST',
      body: JSON.stringify({ label: 'x', city: 'Bandung' }),
    });
    baselines.push({
      name: 'bare Fastify JSON POST',
      unit: 'req/s',
      value: bare.requestsPerSec,
      p50Ms: bare.p50Ms,
      p99Ms: bare.p99Ms,
    });
    // Kept running (idle) for the paired rounds of the benchmarks.
    const bareFastify = (durationSec: number) =>
      ctx
        .load({
          url: `http://127.0.0.1:${fastifyPort}/echo`,
          method: 'POST',
          body: JSON.stringify({ label: 'x', city: 'Bandung' }),
          durationSec,
        })
        .then((r) => r.requestsPerSec);
    const rawPgLoop = (durationSec: number) =>
      rawPgTpcb(tpcbUrl, CONNECTIONS, durationSec).then((f) => f.value);
    ctx.paired = (baseline, target) =>
      pairedRounds(PAIRED_ROUNDS, DURATION, baseline === 'bare Fastify' ? bareFastify : rawPgLoop, target);

    for (const b of selected) {
      process.stderr.write(`${b.name}: ${b.description}…\n`);
      current = b.name;
      figures.push({ benchmark: b.name, description: b.description, figures: await b.run(ctx) });
    }
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const byName = (n: string) => baselines.find((b) => b.name.startsWith(n));
  const rawPg = byName('raw pg')!;
  const fastifyFig = byName('bare Fastify')!;
  const pgbenchFig = byName('pgbench')!;
  const pct = (f: Figure, of: Figure) =>
    Number.isNaN(of.value)
      ? null
      : `${((100 * f.value) / of.value).toFixed(1)} % of ${of.name.split(' (')[0]}`;
  const ratio = (f: Figure) =>
    f.unit === 'req/s'
      ? [pct(f, fastifyFig), pct(f, rawPg), pct(f, pgbenchFig)].filter(Boolean).join('; ')
      : f.unit === 'ops/s'
        ? `${pct(f, fastifyFig)} (req/s)`
        : '';
  const fmt = (n: number | undefined) =>
    n === undefined || Number.isNaN(n)
      ? '–'
      : n >= 100
        ? Math.round(n).toLocaleString('en-US')
        : n.toFixed(2);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
  const at = new Date().toISOString();
  const rows = [
    ...baselines.map(
      (f) =>
        `| baseline | ${f.name} | ${fmt(f.value)} ${f.unit} | ${fmt(f.p50Ms)} | ${fmt(f.p99Ms)} | ${f.note ?? ''} |`,
    ),
    ...figures.flatMap((g) =>
      g.figures.map(
        (f) =>
          `| ${g.benchmark} | ${f.name} | ${fmt(f.value)} ${f.unit} | ${fmt(f.p50Ms)} | ${fmt(f.p99Ms)} | ${[ratio(f), f.note].filter(Boolean).join('; ')} |`,
      ),
    ),
  ];
  const markdown = [
    `# Kirim benchmarks`,
    '',
    `${at} · ${machine} · ${DURATION}s per measurement · ${CONNECTIONS} connections/clients · one embedded PostgreSQL for all`,
    '',
    '| benchmark | measured | throughput | p50 ms | p99 ms | against the baselines of this run |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `pgbench: ${Number.isNaN(pgbenchFig.value) ? pgbenchFig.note : `${fmt(pgbenchFig.value)} tx/s`}; raw pg loop ${fmt(rawPg.value)} tx/s.`,
    '',
    ...attachments.flatMap((a) => [`## ${a.benchmark}: ${a.title}`, '', '```', a.text.trimEnd(), '```', '']),
  ].join('\n');
  mkdirSync(RESULTS, { recursive: true });
  const json = JSON.stringify(
    {
      at,
      machine,
      durationSec: DURATION,
      connections: CONNECTIONS,
      baselines,
      benchmarks: figures,
      attachments,
    },
    null,
    2,
  );
  // A run of some benchmarks only keeps the full run's record: it writes under their names instead.
  const stem = wanted.length ? wanted.join('+') : 'latest';
  writeFileSync(join(RESULTS, `${stem}.json`), json);
  writeFileSync(join(RESULTS, `${stem}.md`), markdown);
  process.stdout.write(markdown);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
