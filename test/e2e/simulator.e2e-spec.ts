import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { netOf } from '../../simulator/oracle';
import { IN_TROUBLE, type Report } from '../../simulator/report';
import { DEFAULT_START } from '../../simulator/simulate';
import { svgMarks } from '../unit/simulator/svg-marks';

const ROOT = join(__dirname, '..', '..');

/** Runs `npm run simulate` (as its script does) into `out`; its report and what it printed. */
function simulateInto(out: string, args: string[]): { report: Report; stdout: string; stderr: string } {
  const run = simulate([...args, '--out', out]);
  if (run.status !== 0) throw new Error(`simulate exited ${run.status}: ${run.stderr}`);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  return { report, stdout: run.stdout, stderr: run.stderr };
}

/** `npm run simulate -- ...args`, as its script runs it. */
function simulate(args: string[]) {
  return spawnSync(
    process.execPath,
    ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'simulator/simulate.ts', ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: 'test/tsconfig.json' },
      timeout: 600_000,
    },
  );
}

describe('npm run simulate, refusing what it cannot run', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'kirim-simulation-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 naming a world file it cannot read, or a folder it cannot write the report in, before any run', () => {
    const missing = join(dir, 'no-such-world.json');
    const world = simulate(['--seed', 's', '--world', missing, '--out', join(dir, 'out')]);
    expect(world.status).toBe(2);
    expect(world.stderr).toContain(`error: --world ${missing}: $: cannot be read (ENOENT)`);
    expect(world.stderr).not.toMatch(/\n\s+at /);
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const out = simulate(['--seed', 's', '--out', join(file, 'out')]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(
      `error: --out ${join(file, 'out')}: cannot write the report there (ENOTDIR)`,
    );
    expect(out.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('answers --help with its usage, exit 0, rather than an error', () => {
    for (const flag of ['--help', '-h']) {
      const help = simulate([flag]);
      expect({ flag, status: help.status, stderr: help.stderr }).toEqual({ flag, status: 0, stderr: '' });
      expect(help.stdout).toMatch(/^npm run simulate -- --seed S \[--world FILE\]/);
      expect(help.stdout).toContain('[--policies kirim,cheapest,single,no-actions,oracle,informed]');
    }
  }, 120_000);
});

/**
 * A small simulation, as `npm run simulate` runs it: a few days of orders shipped by every policy through
 * real Kirim processes (the built service, embedded PostgreSQL, sandbox couriers), then its report read back.
 */
describe('npm run simulate, small', () => {
  let out: string;
  let report: Report;
  let stdout: string;
  let stderr: string;
  const days = 2;
  const perDay = 40;
  const args = ['--seed', 'npm-test', '--days', String(days), '--orders-per-day', String(perDay)];

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'kirim-simulation-'));
    ({ report, stdout, stderr } = simulateInto(out, args));
  }, 660_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('reports every policy, each counting every order exactly once', () => {
    expect(Object.keys(report.policies).sort()).toEqual([
      'cheapest',
      'informed',
      'kirim',
      'no-actions',
      'oracle',
      'single',
    ]);
    for (const [name, p] of Object.entries(report.policies)) {
      expect({ name, orders: p.orders }).toEqual({ name, orders: days * perDay });
      expect(Object.values(p.ended).reduce((s, n) => s + n, 0)).toBe(days * perDay);
      expect(p.weekly.reduce((s, w) => s + w.orders, 0)).toBe(days * perDay);
    }
  });

  it('lets every parcel finish within the drain, and delivers most of them', () => {
    for (const name of ['kirim', 'cheapest', 'single', 'no-actions']) {
      const p = report.policies[name];
      expect({ name, unfinished: p.ended.unfinished ?? 0, counted: p.unfinished }).toEqual({
        name,
        unfinished: 0,
        counted: 0,
      });
      expect(p.delivered).toBeCloseTo((p.ended.delivered ?? 0) / p.orders, 10);
      expect(p.delivered).toBeGreaterThan(0.5);
      expect(p.delivered + p.returned).toBeLessThanOrEqual(1);
      // Each run, once settled, is left out of the later steps: said on the progress lines.
      expect(stderr).toMatch(new RegExp(`^day \\d+: ${name} settled \\(every order ended`, 'm'));
    }
  });

  it('adds seller net up from its parts: COD − shipping − COD fee − return fee + cashback − lost margin', () => {
    for (const p of Object.values(report.policies)) {
      expect(p.sellerNet.net).toBeCloseTo(netOf(p.sellerNet), 6);
      expect(p.sellerNetPerOrder).toBeCloseTo(p.sellerNet.net / p.orders, 6);
      expect(p.sellerNet.shipping).toBeGreaterThan(0);
      expect(p.sellerNet.codCollected).toBeGreaterThan(0);
    }
    for (const name of ['kirim', 'cheapest', 'single', 'no-actions']) {
      // Real outcomes are whole rupiah.
      const m = report.policies[name].sellerNet;
      for (const v of Object.values(m)) expect(Number.isInteger(v)).toBe(true);
    }
  });

  it('says what the run cost the machine: its busy CPU-seconds and each Kirim’s own', () => {
    const cpu = report.run.cpuSeconds as { machine: number; cores: number; kirim: Record<string, number> };
    expect(Object.keys(cpu.kirim).sort()).toEqual(['cheapest', 'kirim', 'no-actions', 'single']);
    for (const seconds of Object.values(cpu.kirim)) expect(seconds).toBeGreaterThan(0);
    // The machine's count includes every Kirim's (and PostgreSQL's and the simulator's).
    expect(cpu.machine).toBeGreaterThanOrEqual(Object.values(cpu.kirim).reduce((s, n) => s + n, 0) - 4);
    expect(cpu.cores).toBeGreaterThanOrEqual(1);
  });

  it('runs every policy’s Kirim on sandboxes that draw per order, from a set day 0, and says so', () => {
    expect(report.run.draws).toBe('per_order');
    // Not the day the run is made: the replay below holds whenever the two runs are made.
    expect(report.run.start).toBe(DEFAULT_START);
  });

  it('says why each alert kirim’s sellers never answered went unanswered, and misses none that was due', () => {
    const why = Object.values(report.alerts.unanswered).flatMap((byWhy) => Object.entries(byWhy));
    expect(why.reduce((s, [, n]) => s + (n ?? 0), 0)).toBe(report.alerts.answers.unanswered ?? 0);
    expect(why.filter(([reason]) => reason === 'missed')).toEqual([]);
  });

  it('says how much of what acting added is parcels delivered beyond their courier’s own attempts', () => {
    const beyond = report.alerts.deliveredBeyondCourierAttempts;
    expect(Object.keys(beyond).sort()).toEqual(['cheapest', 'kirim', 'no-actions', 'single']);
    for (const [name, share] of Object.entries(beyond)) {
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(report.policies[name].delivered);
    }
    // Nobody asks for more in no-actions: the courier stops at its own last attempt.
    expect(beyond['no-actions']).toBe(0);
    expect(report.alerts.deliveredAddedBeyondCourierAttempts).toBeCloseTo(beyond.kirim, 12);
    const added = (x: number) => `**${(100 * x).toFixed(2)} points**`;
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      `Acting on alerts added ${added(report.alerts.deliveredAddedByActing!)} of delivered orders (\`kirim\` against \`no-actions\`), of which ${added(beyond.kirim)} are parcels delivered after more attempts than their courier makes on its own`,
    );
  });

  it('measures regret against the oracle from the nets it reports', () => {
    const oracle = report.policies.oracle.sellerNetPerOrder;
    for (const name of ['kirim', 'cheapest', 'single', 'no-actions', 'informed']) {
      const p = report.policies[name];
      expect(p.regretVsOracle).toBeCloseTo((oracle - p.sellerNetPerOrder) / Math.abs(oracle), 10);
    }
    // Each shipping policy's choices are valued before the dice; the references are expectations already.
    // (Not `no-actions`: the hidden odds are a diligent seller's, which its sellers are not.)
    for (const name of ['kirim', 'cheapest', 'single']) {
      const p = report.policies[name];
      expect(Math.abs(p.choicesWorth!.perOrder - p.sellerNetPerOrder)).toBeLessThan(
        0.1 * p.sellerNetPerOrder,
      );
    }
    expect(report.policies.oracle.choicesWorth).toBeUndefined();
    expect(report.policies['no-actions'].choicesWorth).toBeUndefined();
    // Kirim's own model told the hidden odds chooses from the same quotes: it cannot beat the oracle.
    expect(report.policies.informed.sellerNetPerOrder).toBeLessThanOrEqual(oracle + 1e-6);
    expect(report.policies.informed.ended).toEqual({ expected: days * perDay });
  });

  it('sets kirim against every other policy order by order, and writes each order’s seller net', () => {
    expect(Object.keys(report.kirimAgainst).sort()).toEqual([
      'cheapest',
      'informed',
      'no-actions',
      'oracle',
      'single',
    ]);
    for (const [name, a] of Object.entries(report.kirimAgainst)) {
      expect({ name, orders: a.all!.orders }).toEqual({ name, orders: days * perDay });
      expect(a.all!.mean).toBeCloseTo(
        report.policies.kirim.sellerNetPerOrder - report.policies[name].sellerNetPerOrder,
        6,
      );
      expect(a.all!.low).toBeLessThanOrEqual(a.all!.mean);
      expect(a.all!.high).toBeGreaterThanOrEqual(a.all!.mean);
      // Two days of orders: none from week 3.
      expect(a.fromWeek3).toBeNull();
      // Choices are valued for the policies whose sellers act, and set against kirim's the same way.
      if (report.policies[name].choicesWorth) {
        expect({ name, orders: a.choicesWorth!.all!.orders }).toEqual({ name, orders: days * perDay });
        expect(a.choicesWorth!.all!.mean).toBeCloseTo(
          report.policies.kirim.choicesWorth!.perOrder - report.policies[name].choicesWorth.perOrder,
          6,
        );
      } else expect({ name, worth: a.choicesWorth }).toEqual({ name, worth: undefined });
    }
    expect(Object.keys(report.kirimAgainst).filter((n) => report.kirimAgainst[n].choicesWorth)).toEqual([
      'cheapest',
      'single',
    ]);
    const [header, ...rows] = readFileSync(join(out, 'orders.csv'), 'utf8').trim().split('\n');
    const column = header.split(',').indexOf('seller_net');
    expect(column).toBeGreaterThan(0);
    const netBy = new Map<string, number>();
    for (const row of rows) {
      const cells = row.split(',');
      netBy.set(cells[0], (netBy.get(cells[0]) ?? 0) + Number(cells[column]));
    }
    for (const name of ['kirim', 'cheapest', 'single', 'no-actions'])
      expect({ name, net: netBy.get(name) }).toEqual({ name, net: report.policies[name].sellerNet.net });
    // Each row's net rebuilt from its parts; the courier's own attempts beside the parcel's.
    const at = (name: string) => header.split(',').indexOf(name);
    const beyond = new Map<string, number>();
    for (const row of rows) {
      const c = row.split(',');
      const n = (name: string) => Number(c[at(name)]);
      expect(n('seller_net')).toBe(
        n('cod_collected') -
          n('shipping') -
          n('cod_fee') -
          n('return_fee') +
          n('cashback') -
          n('lost_margin'),
      );
      if (c[at('ended')] === 'delivered' && n('attempts') > n('courier_max_attempts'))
        beyond.set(c[0], (beyond.get(c[0]) ?? 0) + 1);
    }
    for (const name of ['kirim', 'cheapest', 'single', 'no-actions'])
      expect(report.alerts.deliveredBeyondCourierAttempts[name]).toBeCloseTo(
        (beyond.get(name) ?? 0) / (days * perDay),
        12,
      );
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      '### `kirim` against each policy, order by order',
    );
    // Two days of orders: none from week 3, so no split of the regret from week 3, and no figures from
    // week 3: null in report.json, – where they are printed.
    expect(readFileSync(join(out, 'report.md'), 'utf8')).not.toContain('Where `kirim`');
    for (const [name, p] of Object.entries(report.policies))
      expect({
        name,
        delivered: p.deliveredAfterTwoWeeks,
        net: p.sellerNetPerOrderFromWeek3,
        regret: p.regretVsOracleFromWeek3,
      }).toEqual({ name, delivered: null, net: null, regret: null });
    expect(stdout).toMatch(/^kirim\s+delivered \d+\.\d % \(from week 3 –\)/m);
    expect(stdout).toMatch(/kirim - cheapest: -?\d+ per order \(95 % interval -?\d+ to -?\d+\)/);
  });

  it('writes every alert to alerts.csv, from which each rule’s figures in the report rebuild', () => {
    const csv = (file: string) =>
      parse<Record<string, string>>(readFileSync(join(out, file), 'utf8'), { columns: true });
    const ended = new Map(csv('orders.csv').map((o) => [`${o.policy}/${o.order}`, o.ended]));
    const alerts = csv('alerts.csv');
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) {
      expect(ended.has(`${a.policy}/${a.order}`)).toBe(true);
      expect(Number.isNaN(Date.parse(a.opened_at))).toBe(false);
    }
    // Sellers who act answered some alerts; nobody answers in no-actions.
    expect(alerts.some((a) => a.policy === 'kirim' && a.answers !== '')).toBe(true);
    expect(alerts.filter((a) => a.policy === 'no-actions' && a.answers !== '')).toEqual([]);
    const measured = alerts.filter((a) => a.policy === report.alerts.measuredOn);
    const rebuilt: Record<string, { alerts: number; parcels: number; precision: number | null }> = {};
    for (const rule of [...new Set(measured.map((a) => a.rule))]) {
      const ofRule = measured.filter((a) => a.rule === rule);
      const parcels = [...new Set(ofRule.map((a) => a.order))];
      const ends = parcels.map((o) => ended.get(`${report.alerts.measuredOn}/${o}`)!);
      const finished = ends.filter((e) => e !== 'unfinished');
      rebuilt[rule] = {
        alerts: ofRule.length,
        parcels: parcels.length,
        precision: finished.length
          ? finished.filter((e) => IN_TROUBLE.has(e)).length / finished.length
          : null,
      };
    }
    expect(rebuilt).toEqual(
      Object.fromEntries(
        Object.entries(report.alerts.rules).map(([rule, f]) => [
          rule,
          { alerts: f.alerts, parcels: f.parcels, precision: f.precision },
        ]),
      ),
    );
  });

  it('writes the report for a person and the learning curve, and prints the summary', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('| kirim |');
    expect(md).toContain('## Alerts (measured on `no-actions`, where nobody acts on them)');
    // Every parcel finished: no alerted parcel is left out of a rule's precision.
    for (const [rule, f] of Object.entries(report.alerts.rules)) {
      expect({ rule, unfinished: f.unfinished }).toEqual({ rule, unfinished: 0 });
      expect(f.precision).toBeGreaterThanOrEqual(0);
      expect(f.precision).toBeLessThanOrEqual(1);
    }
    const svg = readFileSync(join(out, 'learning-curve.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // Delivered and seller net for the six; regret before the dice for the five whose choices are valued.
    // Each a visible mark: a line through two weeks or more, or a dot (two days of orders: one week, dots).
    const marks = svgMarks(svg);
    const visible = (key: string) => {
      const m = marks.get(key);
      return !!m && (m.dots.length > 0 || m.lines.some((l) => l.length >= 2));
    };
    const panels = (name: string) =>
      name === 'no-actions' ? ['delivered', 'net'] : ['delivered', 'net', 'regret'];
    for (const name of Object.keys(report.policies))
      for (const panel of ['delivered', 'net', 'regret'])
        expect({ name, panel, visible: visible(`${panel}/${name}`) }).toEqual({
          name,
          panel,
          visible: panels(name).includes(panel),
        });
    expect(marks.size).toBe(2 * 6 + 5);
    expect(svg).toContain('Regret against the oracle, before the dice');
    expect(svg).toMatch(/kirim − cheapest, per order \(95 % interval\):/);
    expect(stdout).toMatch(/kirim\s+delivered \d+\.\d %/);
  });

  it('without `cheapest`, lets the oracle choose from the quotes `kirim` asks for, and replays `kirim`', () => {
    const alone = mkdtempSync(join(tmpdir(), 'kirim-simulation-'));
    try {
      const { report: two } = simulateInto(alone, [...args, '--policies', 'kirim,oracle']);
      expect(Object.keys(two.policies).sort()).toEqual(['kirim', 'oracle']);
      const oracle = two.policies.oracle;
      // The same orders and world, priced by another Kirim: a courier's eligibility at quote time can differ
      // for an order or two (its circuit, its health), so the two oracles agree closely, not exactly. Without
      // quotes the oracle would ship nothing and lose every order's margin.
      const reference = report.policies.oracle.sellerNetPerOrder;
      expect(Math.abs(oracle.sellerNetPerOrder - reference) / reference).toBeLessThan(0.1);
      expect(oracle.sellerNet.codCollected).toBeGreaterThan(
        0.8 * report.policies.oracle.sellerNet.codCollected,
      );
      const k = two.policies.kirim;
      expect(k.regretVsOracle).toBeCloseTo(
        (oracle.sellerNetPerOrder - k.sellerNetPerOrder) / Math.abs(oracle.sellerNetPerOrder),
        10,
      );
      // No `no-actions` run: the alerts are measured where sellers act, and the report says what that means.
      expect(readFileSync(join(alone, 'report.md'), 'utf8')).toContain(
        '## Alerts (measured on `kirim`, where sellers act on them',
      );
      // The run replays: `kirim`'s Kirim met the same orders, world and stepped clock in both runs, alone or
      // beside five other policies, so every order ended the same way, with the same courier and net.
      const kirimRows = (dir: string) =>
        readFileSync(join(dir, 'orders.csv'), 'utf8')
          .split('\n')
          .filter((row) => row.startsWith('kirim,'));
      expect(kirimRows(alone)).toHaveLength(days * perDay);
      expect(kirimRows(alone)).toEqual(kirimRows(out));
      // Only the policies asked for (the oracle ships nothing).
      expect(readFileSync(join(alone, 'orders.csv'), 'utf8').trim().split('\n')).toHaveLength(
        1 + days * perDay,
      );
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  }, 660_000);
});
