import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { readWorldFile } from 'config/sandbox-world';
import { COURIER_CODES, type CourierCode } from 'src/couriers/courier-adapter';
import { wibMidnight } from 'src/invoicing/invoice-period';
import { HiddenWorld } from './hidden-world';
import { eachLimited, KirimApi } from './kirim-api';
import {
  type KirimService,
  machineCpuSeconds,
  postgresCpuSeconds,
  SANDBOX_DRAWS,
  startKirim,
  startSimDatabase,
} from './kirim-service';
import { choiceWorth, informedPick, oraclePick } from './oracle';
import { type Order, orderStream } from './order-stream';
import { type FinalOrder, PolicyRun, type ServicePolicy } from './policy-run';
import { buildReport, type Report } from './report';
import { alertsCsv, kirimAgainstLines, learningCurveSvg, ordersCsv, reportMarkdown } from './report-files';

export const POLICY_NAMES = ['kirim', 'cheapest', 'single', 'no-actions', 'oracle', 'informed'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface SimulateOptions {
  seed: string;
  /** A world file for the sandboxes (SANDBOX_WORLD_FILE); the default world without it. */
  world?: string;
  days: number;
  ordersPerDay: number;
  out: string;
  policies: PolicyName[];
  /** The courier of the `single` policy. */
  single: CourierCode;
  /** Simulated hours between two moments the simulator acts (and Kirim's jobs run). */
  stepHours: number;
  /** Simulated days after the last order to let parcels finish. */
  drainDays: number;
  /**
   * How many policies' Kirims work on a step at once (the others wait their turn); default: the machine's
   * cores. Each works alone on its own clock and database: 8-day runs ended every order alike at 1 to 4.
   */
  parallel?: number;
  /**
   * Day 0 of the orders, a date in Jakarta (YYYY-MM-DD); default DEFAULT_START. The sandbox draws are per
   * day in Jakarta, so a run replays alike only on the same calendar, never on the day it happens to be made.
   */
  start?: string;
  /** Progress lines on stderr. */
  log?: (line: string) => void;
}

/** Day 0 when --start is not given: a fixed Monday, so the default run's figures are the same whenever it runs. */
export const DEFAULT_START = '2026-01-05';

/** The earliest --start: Kirim takes no courier event dated before 2000. */
export const FIRST_START = '2000-01-01';

export const USAGE = `npm run simulate -- --seed S [--world FILE] [--days 60] [--orders-per-day 400] [--out DIR]
    [--policies kirim,cheapest,single,no-actions,oracle,informed] [--single jnt] [--step-hours 12] [--drain-days 45]
    [--parallel CORES] [--start ${DEFAULT_START}]`;

/**
 * The command line, checked: a wrong argument is an error naming it. A flag may be given once; whole numbers
 * are plain decimal digits; the world file must be there and be a world (read here, so that a run never starts
 * on one it cannot read).
 */
export function parseSimulateArgs(argv: string[]): SimulateOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    if (!flag.startsWith('--') || argv[i + 1] === undefined || argv[i + 1].startsWith('--'))
      throw new Error(`expected --flag value pairs, got "${flag}"`);
    if (values.has(flag.slice(2))) throw new Error(`${flag} is given twice`);
    values.set(flag.slice(2), argv[i + 1]);
  }
  const known = [
    'seed',
    'world',
    'days',
    'orders-per-day',
    'out',
    'policies',
    'single',
    'step-hours',
    'drain-days',
    'parallel',
    'start',
  ];
  for (const k of values.keys()) if (!known.includes(k)) throw new Error(`unknown option --${k}`);
  const int = (name: string, fallback: number, min: number, max: number) => {
    const v = values.get(name);
    if (v === undefined) return fallback;
    const n = /^\d{1,9}$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  const seed = values.get('seed');
  if (!seed || !/^[\w.-]{1,64}$/.test(seed))
    throw new Error('--seed is required (letters, digits, . _ -; up to 64)');
  const policies = (values.get('policies') ?? POLICY_NAMES.join(',')).split(',');
  for (const p of policies)
    if (!POLICY_NAMES.includes(p as PolicyName)) throw new Error(`--policies: unknown policy "${p}"`);
  const single = values.get('single') ?? 'jnt';
  if (!COURIER_CODES.includes(single as CourierCode))
    throw new Error(`--single: unknown courier "${single}"`);
  const start = values.get('start') ?? DEFAULT_START;
  const dayZero = wibMidnight(start);
  if (dayZero === null) throw new Error('--start must be a date, YYYY-MM-DD');
  // Kirim takes no courier event dated before 2000 (pushed-events.ts, parseWib): every parcel would stay
  // picked up, and the run report nothing delivered.
  if (start < FIRST_START)
    throw new Error(
      `--start ${start}: before ${FIRST_START} (Kirim refuses courier event times before 2000)`,
    );
  const stepHours = int('step-hours', 12, 1, 24);
  if (24 % stepHours !== 0) throw new Error('--step-hours must divide 24');
  const worldArg = values.get('world');
  if (worldArg !== undefined && !worldArg.trim()) throw new Error('--world must name a world file');
  const world = worldArg === undefined ? undefined : resolve(worldArg);
  if (world)
    try {
      readWorldFile(world);
    } catch (e) {
      throw new Error(`--world ${world}: ${(e as Error).message}`, { cause: e });
    }
  const out = values.get('out');
  if (out !== undefined && !out.trim()) throw new Error('--out must name a folder');
  const days = int('days', 60, 1, 365);
  const drainDays = int('drain-days', 45, 0, 120);
  // Kirim's list cursors read dates up to 9999 (pagination.ts): the run's last step (07:00 WIB on its last
  // day) must be in it.
  const lastStep = dayZero.getTime() + (days + drainDays) * 86_400_000 + 7 * 3_600_000;
  if (new Date(lastStep).getUTCFullYear() > 9999)
    throw new Error(
      `--start ${start}: the run (--days ${days} and --drain-days ${drainDays} after it) would end after 9999-12-31`,
    );
  return {
    seed,
    world,
    days,
    ordersPerDay: int('orders-per-day', 400, 1, 5000),
    out: resolve(out ?? join('simulation', seed)),
    policies: policies as PolicyName[],
    single: single as CourierCode,
    stepHours,
    drainDays,
    parallel: int('parallel', availableParallelism(), 1, 16),
    start,
  };
}

/** A share as printed on the summary: `–` for none (no order from week 3 in a run under 15 days). */
const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);

/** The summary `npm run simulate` prints: one line per policy. */
export function summaryLines(report: Report): string[] {
  return Object.entries(report.policies).map(
    ([name, p]) =>
      `${name.padEnd(11)} delivered ${pct(p.delivered)} (from week 3 ${pct(p.deliveredAfterTwoWeeks)}), net/order Rp ${Math.round(p.sellerNetPerOrder)}, regret ${pct(p.regretVsOracle)} (from week 3 ${pct(p.regretVsOracleFromWeek3)})`,
  );
}

/**
 * Makes the report's folder and checks that files can be written in it, before the run: a folder that cannot
 * take the report is an error naming it at the start, not after the whole run.
 */
export function prepareOut(dir: string): void {
  const probe = join(dir, `.simulate-write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw new Error(
      `--out ${dir}: cannot write the report there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { cause: e },
    );
  }
}

const HOUR = 3600_000;

/**
 * The service-driven policies the run needs. The references (`oracle`, `informed`) ride on the quotes
 * `cheapest` asks for; without `cheapest`, on quotes `kirim` asks for (read-only), and with neither,
 * `cheapest` is run for them.
 */
function servicePolicies(o: SimulateOptions): ServicePolicy[] {
  const wanted = new Set(o.policies);
  const references = wanted.has('oracle') || wanted.has('informed');
  const kirimQuotes = references && !wanted.has('cheapest') && wanted.has('kirim');
  if (references && !kirimQuotes) wanted.add('cheapest');
  const all: ServicePolicy[] = [
    { name: 'kirim', chooser: { kind: 'kirim' }, actsOnAlerts: true, quotesForOracle: kirimQuotes },
    { name: 'cheapest', chooser: { kind: 'cheapest' }, actsOnAlerts: true },
    { name: 'single', chooser: { kind: 'single', courier: o.single }, actsOnAlerts: true },
    { name: 'no-actions', chooser: { kind: 'kirim' }, actsOnAlerts: false },
  ];
  return all.filter((p) => wanted.has(p.name as PolicyName));
}

/**
 * Runs the simulation: the same order stream shipped by each policy through a Kirim of its own (a fresh
 * database, the same seeded world), the clock moved `stepHours` at a time, then a report. Each step every
 * policy's Kirim (`parallel` of them at a time) moves to the step's time, takes the orders placed since the
 * last step, requests their pickups, runs its tracking and alert jobs, and its sellers answer alerts.
 */
export async function simulate(o: SimulateOptions): Promise<Report> {
  const log = o.log ?? (() => undefined);
  const start = o.start ?? DEFAULT_START;
  const midnight = wibMidnight(start);
  if (!midnight) throw new Error(`start: ${start} is not a date (YYYY-MM-DD)`);
  const dayZero = midnight.getTime();
  prepareOut(o.out);
  const started = Date.now();
  const cpuAtStart = machineCpuSeconds();
  const world = new HiddenWorld(o.seed, o.world);
  const orders = orderStream({ seed: o.seed, days: o.days, ordersPerDay: o.ordersPerDay });
  const db = await startSimDatabase();
  const services: KirimService[] = [];
  const apis: KirimApi[] = [];
  try {
    const policies = servicePolicies(o);
    const up = await Promise.all(
      policies.map(async (policy) => {
        const url = await db.newDatabase(`kirim_${policy.name.replace('-', '_')}`);
        const service = await startKirim(
          url,
          {
            SANDBOX_SEED: o.seed,
            // Each Kirim's clock starts a day before day 0, at the same instant whenever the run is made.
            SANDBOX_CLOCK_START: new Date(dayZero - 24 * HOUR).toISOString(),
            ...(o.world ? { SANDBOX_WORLD_FILE: o.world } : {}),
          },
          process.env.SIMULATOR_SERVICE_LOG
            ? `${process.env.SIMULATOR_SERVICE_LOG}-${policy.name}.log`
            : undefined,
        );
        services.push(service);
        const api = new KirimApi(service.base, service.operatorToken);
        apis.push(api);
        const run = new PolicyRun(policy, api, world);
        await run.setup(o.seed);
        return { run, service };
      }),
    );
    const runs = up.map((s) => s.run);
    log(`${runs.length} Kirim services up in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // Day 0 starts at midnight in Jakarta on `start`. Steps fall at 07:00 WIB + k × stepHours: with the
    // default 12 hours, at 07:00 (before couriers go out, so an answer to yesterday's failed attempt is in
    // time for today's run) and at 19:00 (after the day's runs, so their failures are seen the same evening).
    const nows = await Promise.all(runs.map((r) => r.api.advanceClock(0)));
    const latest = Math.max(...nows.map((n) => new Date(n).getTime()));
    if (latest > dayZero)
      throw new Error(`a Kirim's clock (${new Date(latest).toISOString()}) is already past day 0 (${start})`);
    const placedAt = (order: Order) => dayZero + order.day * 24 * HOUR + order.minuteOfDay * 60_000;
    let next = 0;
    const phases = new Map<string, number>();
    // Each Kirim serves only its own policy's calls, so its CPU between two laps is that phase's.
    const phaseCpu = new Map<string, number>();
    const stepsPerDay = 24 / o.stepHours;
    const lastOrderStep = o.days * stepsPerDay;
    const maxStep = (o.days + o.drainDays) * stepsPerDay;
    for (let step = 1; step <= maxStep; step += 1) {
      const at = dayZero + 7 * HOUR + step * o.stepHours * HOUR;
      const due: Order[] = [];
      while (next < orders.length && placedAt(orders[next]) <= at) due.push(orders[next++]);
      // More Kirims at work than the machine has cores cost more than they bring: on two cores, two at a time
      // did the same 8-day run with about a fifth less CPU and time than all four at once.
      const working = up.filter(({ run }) => !run.settled);
      await eachLimited(working, o.parallel ?? availableParallelism(), async ({ run, service }) => {
        const current = Date.parse(await run.api.advanceClock(0));
        const now = new Date(await run.api.advanceClock(Math.max(0, at - current) / HOUR));
        let t = Date.now();
        let cpu = service.cpuSeconds();
        const lap = (phase: string) => {
          phases.set(phase, (phases.get(phase) ?? 0) + Date.now() - t);
          t = Date.now();
          const used = service.cpuSeconds();
          phaseCpu.set(phase, (phaseCpu.get(phase) ?? 0) + used - cpu);
          cpu = used;
        };
        lap('clock');
        if (due.length) {
          await run.ship(due);
          lap('ship');
          await run.bookAllDue('pickups (shipping)');
          lap('book');
        }
        await run.runJobs();
        lap('jobs');
        await run.reshipFailedBookings();
        lap('reship');
        await run.answerAlerts(now);
        lap('alerts');
      });
      if (step % stepsPerDay === 0) {
        const day = step / stepsPerDay;
        if (day >= o.days) {
          const settledBefore = runs.map((r) => r.settled);
          const open = await Promise.all(runs.map((r) => r.settleIfDone()));
          for (const [i, r] of runs.entries())
            if (r.settled && !settledBefore[i])
              log(
                `day ${day}: ${r.policy.name} settled (every order ended, no alert asking): left out from now on`,
              );
          log(
            `day ${day}: ${open.join(' / ')} parcels still travelling (${runs.map((r) => r.policy.name).join(' / ')})`,
          );
          // Settled, not merely nothing travelling: an alert its seller has yet to answer holds a run too.
          if (step >= lastOrderStep && runs.every((r) => r.settled)) break;
        } else
          log(
            `day ${day} of ${o.days}: ${next} orders placed, ${((Date.now() - started) / 1000).toFixed(0)} s`,
          );
      }
    }
    log(
      `time by phase (summed over policies): ${[...phases].map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}`,
    );
    log(
      `Kirim CPU by phase (summed over policies): ${[...phaseCpu].map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}; in all ${services.map((s) => s.cpuSeconds().toFixed(1)).join(' / ')} s`,
    );
    for (const r of runs)
      log(
        `${r.policy.name} jobs: ${[...r.jobTimes].map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}; ${[...r.jobFigures].map(([k, v]) => `${k} ${v}`).join(', ')}`,
      );
    const postgresCpu = postgresCpuSeconds();
    const simulatorCpu = process.cpuUsage();
    log(
      `CPU: machine ${(machineCpuSeconds() - cpuAtStart).toFixed(0)} s, Kirims ${services.reduce((sum, s) => sum + s.cpuSeconds(), 0).toFixed(0)} s, PostgreSQL ${postgresCpu.toFixed(0)} s, simulator ${((simulatorCpu.user + simulatorCpu.system) / 1e6).toFixed(0)} s`,
    );
    await db.writeStatementCosts();
    // Each Kirim's request counts by route of its API and its courier calls by courier and operation.
    const metricsPrefix = process.env.SIMULATOR_SERVICE_METRICS;
    if (metricsPrefix)
      for (const { run, service } of up) {
        const res = await fetch(`${service.base}/metrics`, {
          headers: { authorization: `Bearer ${service.operatorToken}` },
        });
        writeFileSync(`${metricsPrefix}-${run.policy.name}.txt`, await res.text());
      }
    const outcomes = await Promise.all(runs.map((r) => r.collect(orders)));
    const quoted = (name: string) => outcomes.find((x) => x.policy === name)?.quotes;
    const quotes = quoted('cheapest') ?? quoted('kirim');
    // A policy run only for its quotes (`cheapest` for the references) is not reported.
    const reported = outcomes.filter((x) => o.policies.includes(x.policy as PolicyName));
    const reference = (name: PolicyName, pick: typeof oraclePick) =>
      o.policies.includes(name) && quotes
        ? orders.map((order) => pick(world, order, quotes.get(order.id) ?? []))
        : null;
    const courierMaxAttempts = (order: Order, end: FinalOrder) =>
      COURIER_CODES.includes(end.courier as CourierCode)
        ? world.courierMaxAttempts(end.courier as CourierCode, order.recipient.regencyCode)
        : null;
    const report = buildReport({
      run: {
        title: `Kirim simulation, seed ${o.seed}`,
        seed: o.seed,
        start,
        world: o.world ?? 'default',
        draws: SANDBOX_DRAWS,
        days: o.days,
        ordersPerDay: o.ordersPerDay,
        stepHours: o.stepHours,
        drainDays: o.drainDays,
        policies: o.policies,
        parallel: o.parallel ?? availableParallelism(),
        single: o.single,
        singleFallbacks: outcomes.find((x) => x.policy === 'single')?.fallbacks ?? null,
        seconds: Math.round((Date.now() - started) / 1000),
        // What the run cost the machine, to set against what its cores could give in the same time.
        cpuSeconds: {
          machine: Math.round(machineCpuSeconds() - cpuAtStart),
          cores: availableParallelism(),
          postgres: Math.round(postgresCpu),
          simulator: Math.round((simulatorCpu.user + simulatorCpu.system) / 1e6),
          kirim: Object.fromEntries(
            up.map(({ run, service }) => [run.policy.name, Math.round(service.cpuSeconds())]),
          ),
        },
      },
      orders,
      outcomes: reported,
      oracle: reference('oracle', oraclePick),
      informed: reference('informed', informedPick),
      courierMaxAttempts,
      // The hidden odds are a diligent seller's: only the policies whose sellers act have choices to value.
      choices: Object.fromEntries(
        reported
          .filter((x) => runs.find((r) => r.policy.name === x.policy)?.policy.actsOnAlerts)
          .map((x) => [x.policy, orders.map((order, i) => choiceWorth(world, order, x.orders[i]))]),
      ),
    });
    mkdirSync(o.out, { recursive: true });
    writeFileSync(join(o.out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
    writeFileSync(join(o.out, 'report.md'), reportMarkdown(report));
    writeFileSync(join(o.out, 'learning-curve.svg'), learningCurveSvg(report));
    writeFileSync(
      join(o.out, 'orders.csv'),
      ordersCsv({ orders, outcomes, policies: o.policies, courierMaxAttempts }),
    );
    writeFileSync(join(o.out, 'alerts.csv'), alertsCsv({ outcomes, policies: o.policies }));
    return report;
  } finally {
    for (const api of apis) api.close();
    await Promise.all(services.map((s) => s.stop()));
    await db.stop();
  }
}

/** `--help` or `-h` anywhere on the command line: the usage is asked for, not a run. */
export const helpAsked = (argv: readonly string[]) => argv.includes('--help') || argv.includes('-h');

if (require.main === module) {
  if (helpAsked(process.argv.slice(2))) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  let options: SimulateOptions;
  try {
    options = parseSimulateArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  try {
    prepareOut(options.out);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exit(2);
  }
  simulate({ ...options, log: (line) => process.stderr.write(`${line}\n`) }).then(
    (report) => {
      for (const line of summaryLines(report)) process.stdout.write(`${line}\n`);
      for (const line of kirimAgainstLines(report)) process.stdout.write(`${line}\n`);
      process.stdout.write(`report: ${options.out}/report.md (${String(report.run.seconds)} s)\n`);
    },
    (e: unknown) => {
      process.stderr.write(`simulation failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
