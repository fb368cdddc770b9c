import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { SignupDto } from 'src/sellers/sellers.dto';
import type { KirimApi } from '../../../simulator/kirim-api';
import { orderStream, SELLERS } from '../../../simulator/order-stream';
import { regencies } from '../../../simulator/places';
import { defaults } from 'config/defaults';
import { scoreCandidate } from 'src/scoring/scoring.model';
import { HiddenWorld } from '../../../simulator/hidden-world';
import { choiceWorth, informedPick, netOf, oraclePick, returnFeeFor } from '../../../simulator/oracle';
import {
  type AlertRecord,
  type FinalOrder,
  PolicyRun,
  type QuotedOption,
  whyUnanswered,
} from '../../../simulator/policy-run';
import { parse } from 'csv-parse/sync';
import {
  alertsCsv,
  kirimAgainstLines,
  learningCurveSvg,
  ordersCsv,
  reportMarkdown,
} from '../../../simulator/report-files';
import { svgMarks } from './svg-marks';
import { buildReport, endOf, median, orderMoney, pairedDifference } from '../../../simulator/report';
import { DEFAULT_START, parseSimulateArgs, prepareOut, summaryLines } from '../../../simulator/simulate';

describe('the simulator’s places', () => {
  it('has every regency of the directory with districts, and a population that adds up to the census', () => {
    const all = regencies();
    expect(all).toHaveLength(514);
    expect(all.every((r) => r.districts.length > 0 && r.population > 0)).toBe(true);
    const total = all.reduce((s, r) => s + r.population, 0);
    expect(total).toBeGreaterThan(270_000_000);
    expect(total).toBeLessThan(280_000_000);
    const bogor = all.find((r) => r.name === 'Kabupaten Bogor')!;
    const sabang = all.find((r) => r.name === 'Kota Sabang')!;
    expect(bogor.population).toBeGreaterThan(50 * sabang.population);
  });

  it('gives every seller a real pickup district', () => {
    for (const s of SELLERS) {
      const r = regencies().find((x) => x.code === s.origin.regencyCode);
      expect(r?.districts).toContain(s.origin.district);
    }
  });
});

describe('the order stream', () => {
  const stream = orderStream({ seed: 'unit', days: 3, ordersPerDay: 500 });

  it('is the same for the same seed and differs for another', () => {
    expect(orderStream({ seed: 'unit', days: 3, ordersPerDay: 500 })).toEqual(stream);
    expect(orderStream({ seed: 'other', days: 3, ordersPerDay: 500 })[0]).not.toEqual(stream[0]);
  });

  it('has unique ids, whole-rupiah COD amounts in range, and days in order', () => {
    expect(new Set(stream.map((o) => o.id)).size).toBe(1500);
    for (const o of stream) {
      expect(Number.isInteger(o.codAmount)).toBe(true);
      expect(o.codAmount).toBeGreaterThanOrEqual(50_000);
      expect(o.codAmount).toBeLessThanOrEqual(1_500_000);
      expect(o.recipient.phone).toMatch(/^\+628\d{10}$/);
    }
    expect(stream.map((o) => o.day)).toEqual([...stream.map((o) => o.day)].sort((a, b) => a - b));
  });

  it('weights destinations by population and has repeat buyers who keep their phone and address', () => {
    const java = stream.filter((o) =>
      ['31', '32', '33', '34', '35', '36'].includes(o.recipient.regencyCode.slice(0, 2)),
    );
    // Java holds about 56 % of Indonesians.
    expect(java.length / stream.length).toBeGreaterThan(0.48);
    expect(java.length / stream.length).toBeLessThan(0.64);
    const repeats = stream.filter((o) => o.repeat);
    expect(repeats.length / stream.length).toBeGreaterThan(0.12);
    for (const r of repeats) {
      const first = stream.find((o) => o.recipient.phone === r.recipient.phone && !o.repeat)!;
      expect(r.recipient).toEqual(first.recipient);
    }
  });
});

describe('a seller’s money on one order', () => {
  const order = orderStream({ seed: 'money', days: 1, ordersPerDay: 1 })[0];
  const margin = SELLERS[order.seller].lostMarginPerFailure;
  const charges = { shipping: 20_000, codFee: 6_000, cashback: 2_000, returnFee: 20_000 };
  const end = (status: string): FinalOrder => ({
    orderId: order.id,
    status,
    courier: 'jne',
    service: 'REG',
    attempts: 1,
    codAmount: order.codAmount,
    codCollected: status === 'delivered',
    charges,
  });

  it('delivered: COD in, shipping and COD fee out, cashback back', () => {
    const m = orderMoney(order, end('delivered'));
    expect(m).toMatchObject({
      codCollected: order.codAmount,
      shipping: 20_000,
      codFee: 6_000,
      returnFee: 0,
      cashback: 2_000,
      lostMargin: 0,
    });
    expect(m.net).toBe(order.codAmount - 20_000 - 6_000 + 2_000);
  });

  it('returned: shipping and the return fee out, cashback back, the margin lost', () => {
    const m = orderMoney(order, end('returned'));
    expect(m).toMatchObject({
      codCollected: 0,
      shipping: 20_000,
      codFee: 0,
      returnFee: 20_000,
      cashback: 2_000,
      lostMargin: margin,
    });
    expect(m.net).toBe(-20_000 - 20_000 + 2_000 - margin);
  });

  it('cancelled before pickup: nothing charged, the margin lost; still travelling at the end: the same', () => {
    expect(orderMoney(order, end('cancelled')).net).toBe(-margin);
    // Not delivered when the run stopped, as the delivered share counts it; not invoiced yet.
    expect(orderMoney(order, end('unfinished'))).toEqual({
      codCollected: 0,
      shipping: 0,
      codFee: 0,
      returnFee: 0,
      cashback: 0,
      lostMargin: margin,
      net: -margin,
    });
    expect(endOf('in_transit')).toBe('unfinished');
    expect(endOf('returned')).toBe('returned');
  });
});

describe('the report', () => {
  const orders = orderStream({ seed: 'report', days: 21, ordersPerDay: 20 });
  /** An expectation's seller net with no parts (the regret compares nets only). */
  const netOnly = (net: number) => ({
    codCollected: 0,
    shipping: 0,
    codFee: 0,
    returnFee: 0,
    cashback: 0,
    lostMargin: 0,
    net,
  });
  const statuses = ['delivered', 'delivered', 'delivered', 'returned', 'cancelled', 'in_transit'];
  const outcome = (policy: string, shift: number) => ({
    policy,
    alerts: [],
    orders: orders.map((o, i) => ({
      orderId: o.id,
      status: statuses[(i + shift) % statuses.length],
      courier: 'sap',
      service: 'UDRREG',
      attempts: 1,
      codAmount: o.codAmount,
      codCollected: statuses[(i + shift) % statuses.length] === 'delivered',
      charges: { shipping: 15_000, codFee: 4_000, cashback: 1_500, returnFee: 7_500 },
    })),
  });
  const report = buildReport({
    run: {},
    orders,
    outcomes: [outcome('kirim', 0), outcome('cheapest', 3)],
    oracle: null,
  });

  it('counts every order once per policy, and the week figures cover them all', () => {
    for (const name of ['kirim', 'cheapest']) {
      const p = report.policies[name];
      expect(Object.values(p.ended).reduce((s, n) => s + n, 0)).toBe(orders.length);
      expect(p.weekly.reduce((s, w) => s + w.orders, 0)).toBe(orders.length);
      expect(p.weekly.map((w) => w.week)).toEqual([1, 2, 3]);
      expect(p.delivered).toBeCloseTo(p.ended.delivered / orders.length, 10);
    }
    expect(report.policies.kirim.ended).toEqual({
      delivered: 210,
      returned: 70,
      cancelled: 70,
      unfinished: 70,
    });
    // Still travelling at the end: not delivered, and the seller's margin lost, like every order not delivered.
    expect(report.policies.kirim.unfinished).toBe(70);
    const margins = orders.reduce(
      (s, o, i) =>
        statuses[i % statuses.length] === 'delivered' ? s : s + SELLERS[o.seller].lostMarginPerFailure,
      0,
    );
    expect(report.policies.kirim.sellerNet.lostMargin).toBe(margins);
    expect(reportMarkdown(report)).toContain(
      'Orders still travelling when the run stopped: kirim 70, cheapest 70.',
    );
  });

  it('adds seller net up from its parts, and per order from the total', () => {
    for (const p of Object.values(report.policies)) {
      expect(p.sellerNet.net).toBe(netOf(p.sellerNet));
      expect(p.sellerNetPerOrder).toBeCloseTo(p.sellerNet.net / p.orders, 6);
    }
    const ends = outcome('kirim', 0).orders;
    const sum = orders.reduce(
      (s, o, i) => s + orderMoney(o, { ...ends[i], status: endOf(ends[i].status) }).net,
      0,
    );
    expect(report.policies.kirim.sellerNet.net).toBe(sum);
  });

  it('has no regret in a run without the oracle: null in report.json, – where printed, no mark in the chart', () => {
    // `report` was built without the oracle (as `--policies kirim,cheapest` runs): nothing to measure against.
    for (const name of ['kirim', 'cheapest']) {
      const p = report.policies[name];
      expect({
        name,
        all: p.regretVsOracle,
        fromWeek3: p.regretVsOracleFromWeek3,
        weekly: p.weekly.map((w) => w.regretVsOracle),
      }).toEqual({ name, all: null, fromWeek3: null, weekly: [null, null, null] });
    }
    const md = reportMarkdown(report);
    const row = md.split('\n').find((l) => l.startsWith('| kirim |'))!;
    // The regret vs oracle column, and the week's cells: not 0.0 %.
    expect(row.split(' | ')[7]).toBe('–');
    const week1 = md.split('\n').find((l) => l.startsWith('| 1 |'))!;
    expect(week1).not.toContain('0.0 %');
    expect(week1.split(' | ')[1]).toMatch(/ · – *$/);
    expect(summaryLines(report)[0]).toMatch(/regret – \(from week 3 –\)$/);
    // `informed` without the oracle (`--policies kirim,informed`): no regret of its own to draw at zero.
    const informed = buildReport({
      run: {},
      orders,
      outcomes: [outcome('kirim', 0)],
      oracle: null,
      informed: orders.map((o) => ({
        orderId: o.id,
        option: null,
        delivered: 0,
        money: { codCollected: 0, shipping: 0, codFee: 0, returnFee: 0, cashback: 0, lostMargin: 0, net: 0 },
      })),
    });
    expect(informed.policies.informed.regretVsOracle).toBeNull();
    expect(svgMarks(learningCurveSvg(informed)).has('regret/informed')).toBe(false);
    // With the oracle, the oracle's own regret is zero and the others' are measured.
    const withOracle = buildReport({
      run: {},
      orders,
      outcomes: [outcome('kirim', 0)],
      oracle: orders.map((o) => ({
        orderId: o.id,
        option: null,
        delivered: 1,
        money: netOnly(100_000),
      })),
    });
    expect(withOracle.policies.oracle.regretVsOracle).toBe(0);
    expect(withOracle.policies.oracle.weekly.map((w) => w.regretVsOracle)).toEqual([0, 0, 0]);
    expect(withOracle.policies.kirim.regretVsOracle).toBeCloseTo(
      (100_000 - withOracle.policies.kirim.sellerNetPerOrder) / 100_000,
      10,
    );
    // The summary gives the regret from week 3 (the issue's measure) beside the whole run's.
    const fromWeek3 = withOracle.policies.kirim.regretVsOracleFromWeek3!;
    expect(fromWeek3).not.toBeNull();
    expect(summaryLines(withOracle).find((l) => l.startsWith('kirim '))).toMatch(
      new RegExp(`regret -?[\\d.]+ % \\(from week 3 ${(100 * fromWeek3).toFixed(1)} %\\)$`),
    );
  });

  it('prints figures that add up as printed: the expectations’ seller net parts, and the split of the regret', () => {
    const money = (m: Partial<Record<keyof ReturnType<typeof orderMoney>, number>>) => {
      const parts = { ...netOnly(0), ...m };
      return { ...parts, net: netOf(parts) };
    };
    // The oracle's figures are expectations, in fractions of a rupiah: Rp 10,4 − 0,4 − 0,4 − 0,4 = Rp 9,2.
    const picks = orders.map((o, i) => ({
      orderId: o.id,
      option: null,
      delivered: 1,
      money:
        i === 0
          ? money({ codCollected: 10.4, shipping: 0.4, codFee: 0.4, returnFee: 0.4 })
          : money({ codCollected: 1_000_000 }),
    }));
    const r = buildReport({
      run: {},
      orders,
      outcomes: [outcome('kirim', 0)],
      oracle: picks,
      informed: picks,
      choices: { kirim: picks },
    });
    const amount = (cell: string) => Number(cell.replace(/[^\d-]/g, ''));
    const md = () => reportMarkdown(r).split('\n');
    // The "Seller net, all orders" table: each row's parts, as printed, add up to its net as printed.
    for (const name of ['oracle', 'informed', 'kirim']) {
      const row = md().filter((l) => l.startsWith(`| ${name} |`))[1];
      const [cod, shipping, codFee, returnFee, cashback, lostMargin, net] = row
        .split(' | ')
        .slice(1)
        .map(amount);
      expect({ name, sum: cod - shipping - codFee - returnFee + cashback - lostMargin }).toEqual({
        name,
        sum: net,
      });
      expect(net).toBe(Math.round(r.policies[name].sellerNet.net));
    }
    // kirim's regret from week 3, 1.00 % of the oracle's net, in three parts of 0.333 %, 0.333 % and 0.334 %:
    // printed 0.33 % three times they would make 0.99 %.
    r.policies.oracle.sellerNetPerOrderFromWeek3 = 1_000_000;
    r.policies.informed.sellerNetPerOrderFromWeek3 = 996_670;
    r.policies.kirim.choicesWorth!.fromWeek3 = 993_340;
    r.policies.kirim.sellerNetPerOrderFromWeek3 = 990_000;
    const split =
      /regret, (-?[\d.]+) % .* is (-?[\d.]+) % that Kirim's cost model leaves .*\), (-?[\d.]+) % that its choices lose .* and (-?[\d.]+) % between/.exec(
        md().join('\n'),
      );
    expect(split).not.toBeNull();
    const [whole, model, choices, dice] = split!.slice(1).map((x) => Math.round(Number(x) * 100));
    expect(whole).toBe(100);
    expect(model + choices + dice).toBe(whole);
  });

  it('sets kirim against each other policy order by order: the mean difference is the difference of the means', () => {
    const a = report.kirimAgainst.cheapest;
    expect(Object.keys(report.kirimAgainst)).toEqual(['cheapest']);
    expect(a.all!.orders).toBe(orders.length);
    expect(a.all!.mean).toBeCloseTo(
      report.policies.kirim.sellerNetPerOrder - report.policies.cheapest.sellerNetPerOrder,
      6,
    );
    expect(a.all!.low).toBeLessThan(a.all!.mean);
    expect(a.all!.high).toBeGreaterThan(a.all!.mean);
    // From week 3: the orders of day 14 on, each policy's net over them.
    const later = orders.filter((o) => o.day >= 14);
    const netOver = (policy: string, shift: number) => {
      const ends = outcome(policy, shift).orders;
      return orders.reduce(
        (s, o, i) => (o.day >= 14 ? s + orderMoney(o, { ...ends[i], status: endOf(ends[i].status) }).net : s),
        0,
      );
    };
    expect(a.fromWeek3!.orders).toBe(later.length);
    expect(a.fromWeek3!.mean).toBeCloseTo((netOver('kirim', 0) - netOver('cheapest', 3)) / later.length, 6);
    // The same outcomes order by order: no difference, and no doubt about it.
    const same = buildReport({
      run: {},
      orders,
      outcomes: [outcome('kirim', 0), outcome('single', 0)],
      oracle: null,
    });
    expect(same.kirimAgainst.single.all).toEqual({ orders: orders.length, mean: 0, low: 0, high: 0 });
    // Without kirim there is nothing to set against.
    expect(
      buildReport({ run: {}, orders, outcomes: [outcome('single', 0)], oracle: null }).kirimAgainst,
    ).toEqual({});
  });

  it('puts a 95 % normal interval around a mean of per-order differences', () => {
    const d = pairedDifference([1, 2, 3, 4])!;
    // Sample variance 5/3, standard error √(5/3 ÷ 4).
    const half = 1.96 * Math.sqrt(5 / 3 / 4);
    expect(d).toEqual({ orders: 4, mean: 2.5, low: 2.5 - half, high: 2.5 + half });
    expect(pairedDifference([7])).toBeNull();
    expect(pairedDifference([])).toBeNull();
  });

  it('says why a seller never answered an alert: closed before due, before the next look, open at the end', () => {
    const h = 3600_000;
    // The seller looks at 12:00 and 24:00; the clock ran 10 minutes while each look listed the alerts.
    const looks = [
      { at: 12 * h, listedBy: 12 * h + h / 6 },
      { at: 24 * h, listedBy: 24 * h + h / 6 },
    ];
    // Opened at 3:00 with a 2-hour delay: due at 5:00.
    expect(whyUnanswered(3 * h, 4 * h, 2, looks)).toBe('closed_before_due');
    expect(whyUnanswered(3 * h, 5 * h, 2, looks)).toBe('closed_before_due');
    expect(whyUnanswered(3 * h, 8 * h, 2, looks)).toBe('closed_before_next_look');
    // Closed while the 12:00 look was listing: the list may not have shown it.
    expect(whyUnanswered(3 * h, 12 * h + h / 12, 2, looks)).toBe('closed_before_next_look');
    // Open and due at a look, and still unanswered: the simulated seller's fault, counted.
    expect(whyUnanswered(3 * h, 13 * h, 2, looks)).toBe('missed');
    expect(whyUnanswered(3 * h, null, 2, looks)).toBe('missed');
    // Due after the last look.
    expect(whyUnanswered(23 * h, null, 2, looks)).toBe('open_at_end');
    expect(whyUnanswered(23 * h, 26 * h, 2, looks)).toBe('closed_before_next_look');
    // Due exactly at a look: that look answers it.
    expect(whyUnanswered(10 * h, 12 * h + h / 2, 2, looks)).toBe('missed');
  });

  it('counts kirim’s unanswered alerts by rule and why, next to its sellers’ answers', () => {
    const alert = (rule: string, answers: string[], unanswered: AlertRecord['unanswered']): AlertRecord => ({
      orderId: orders[0].id,
      rule,
      reason: '',
      openedAt: new Date(0).toISOString(),
      answers,
      hoursBeforeReturn: null,
      unanswered,
    });
    const withAlerts = buildReport({
      run: {},
      orders,
      outcomes: [
        {
          ...outcome('kirim', 0),
          alerts: [
            alert('failed_attempt', ['reattempt'], null),
            alert('failed_attempt', [], 'closed_before_next_look'),
            alert('stale_no_scan', [], 'closed_before_due'),
            alert('stale_no_scan', [], 'closed_before_due'),
            alert('stale_no_scan', ['none', 'none'], null),
          ],
        },
        // Another policy's alerts are not kirim's sellers'.
        { ...outcome('single', 0), alerts: [alert('late_vs_lane', [], 'open_at_end')] },
      ],
      oracle: null,
    });
    expect(withAlerts.alerts.answers).toEqual({ reattempt: 1, unanswered: 3, none: 2 });
    expect(withAlerts.alerts.unanswered).toEqual({
      failed_attempt: { closed_before_next_look: 1 },
      stale_no_scan: { closed_before_due: 2 },
    });
  });

  it('has no "from week 3" figures for a run with no order that late, and prints – for them', () => {
    const short = orders.filter((o) => o.day < 14);
    const cut = (x: ReturnType<typeof outcome>) => ({ ...x, orders: x.orders.slice(0, short.length) });
    const oracle = short.map((o) => ({
      orderId: o.id,
      option: null,
      delivered: 0.9,
      money: netOnly(50_000),
    }));
    const two = buildReport({
      run: {},
      orders: short,
      outcomes: [cut(outcome('kirim', 0)), cut(outcome('cheapest', 3))],
      oracle,
      choices: { kirim: oracle },
    });
    for (const name of ['kirim', 'cheapest', 'oracle']) {
      const p = two.policies[name];
      expect({
        name,
        d: p.deliveredAfterTwoWeeks,
        net: p.sellerNetPerOrderFromWeek3,
        r: p.regretVsOracleFromWeek3,
      }).toEqual({
        name,
        d: null,
        net: null,
        r: null,
      });
    }
    expect(two.policies.kirim.choicesWorth!.fromWeek3).toBeNull();
    const md = reportMarkdown(two);
    const row = md.split('\n').find((l) => l.startsWith('| kirim |'))!;
    // Delivered from week 3 and regret from week 3: none, not 0.0 %.
    expect(row.split(' | ')[4]).toBe('–');
    expect(row.split(' | ')[8]).toBe('–');
    const oracleRow = md.split('\n').find((l) => l.startsWith('| oracle |'))!;
    expect(oracleRow.split(' | ')[4]).toBe('–');
    expect(summaryLines(two)[1]).toMatch(/^kirim\s+delivered [\d.]+ % \(from week 3 –\)/);
    // The summary's regret from week 3, the issue's measure, beside the whole run's.
    expect(summaryLines(two)[1]).toMatch(/regret -?[\d.]+ % \(from week 3 –\)$/);
    // With three weeks they are there.
    expect(report.policies.kirim.deliveredAfterTwoWeeks).toBeCloseTo(
      orders.filter((o, i) => o.day >= 14 && statuses[i % statuses.length] === 'delivered').length /
        orders.filter((o) => o.day >= 14).length,
      10,
    );
    expect(summaryLines(report)[0]).toMatch(/from week 3 [\d.]+ %/);
  });

  it('counts the parcels delivered after more attempts than their courier makes on its own', () => {
    // kirim: attempts 1..6 by order; no-actions the same orders on at most three attempts.
    const withAttempts = (policy: string, attempts: (i: number) => number) => ({
      ...outcome(policy, 0),
      orders: outcome(policy, 0).orders.map((o, i) => ({ ...o, attempts: attempts(i) })),
    });
    const limits = buildReport({
      run: {},
      orders,
      outcomes: [withAttempts('kirim', (i) => 1 + (i % 6)), withAttempts('no-actions', (i) => 1 + (i % 3))],
      oracle: null,
      // The lane's courier makes three attempts on its own; an order without a courier has none.
      courierMaxAttempts: (order, end) => (end.courier ? 3 : null),
    });
    // Delivered orders are i % 6 in {0, 1, 2}: attempts 1..3 for kirim, none beyond the courier's three.
    expect(limits.alerts.deliveredBeyondCourierAttempts).toEqual({ kirim: 0, 'no-actions': 0 });
    const beyond = buildReport({
      run: {},
      orders,
      outcomes: [withAttempts('kirim', (i) => 2 + (i % 6)), withAttempts('no-actions', (i) => 1 + (i % 3))],
      oracle: null,
      courierMaxAttempts: () => 3,
    });
    // Delivered (i % 6 in 0..2) on 2, 3 or 4 attempts: a third of the delivered, a sixth of all orders.
    const delivered = orders.filter((_, i) => i % 6 < 3).length;
    const four = orders.filter((_, i) => i % 6 === 2).length;
    expect(delivered).toBe(210);
    expect(beyond.alerts.deliveredBeyondCourierAttempts.kirim).toBeCloseTo(four / orders.length, 12);
    expect(beyond.alerts.deliveredBeyondCourierAttempts['no-actions']).toBe(0);
    expect(beyond.alerts.deliveredAddedBeyondCourierAttempts).toBeCloseTo(four / orders.length, 12);
    // The same delivered share either way: acting added nothing here, and the report says which part is which.
    expect(beyond.alerts.deliveredAddedByActing).toBe(0);
    const md = reportMarkdown(beyond);
    expect(md).toContain(
      `Acting on alerts added **0.00 points** of delivered orders (\`kirim\` against \`no-actions\`), of which **${((100 * four) / orders.length).toFixed(2)} points** are parcels delivered after more attempts than their courier makes on its own`,
    );
    // Without the couriers' limits the run says nothing of them.
    expect(report.alerts.deliveredBeyondCourierAttempts).toEqual({});
    expect(report.alerts.deliveredAddedBeyondCourierAttempts).toBeNull();
  });

  it('knows how many attempts each courier makes on its own, from the world', () => {
    const world = new HiddenWorld('unit-attempts');
    for (const courier of ['jne', 'jnt', 'sap', 'idexpress', 'ninja'] as const)
      expect(world.courierMaxAttempts(courier, '31.71')).toBe(world.world.couriers[courier].maxAttempts);
  });

  it('takes a true median: the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([10, 2, 4, 8])).toBe(6);
    expect(median([3, 1])).toBe(2);
  });

  it('measures a rule’s precision over the alerted parcels that finished, and its lead once per returned parcel', () => {
    // Statuses by order: 0 delivered, 1 delivered, 2 delivered, 3 returned, 4 cancelled, 5 in_transit.
    const at = (i: number) => orders[i].id;
    const alert = (i: number, rule: string, hoursBeforeReturn: number | null): AlertRecord => ({
      orderId: at(i),
      rule,
      reason: '',
      openedAt: new Date(0).toISOString(),
      answers: [],
      hoursBeforeReturn,
      unanswered: null,
    });
    const withAlerts = buildReport({
      run: {},
      orders,
      outcomes: [
        {
          ...outcome('no-actions', 0),
          alerts: [
            alert(0, 'failed_attempt', null),
            // Returned parcels: three alerts on order 3 (the first 30 hours before its return), one on 9, one on 15.
            alert(3, 'failed_attempt', 30),
            alert(3, 'failed_attempt', 20),
            alert(3, 'failed_attempt', 10),
            alert(9, 'failed_attempt', 2),
            alert(15, 'failed_attempt', 6),
            alert(21, 'failed_attempt', 4),
            // Cancelled, and still travelling (left out of precision).
            alert(4, 'failed_attempt', null),
            alert(5, 'failed_attempt', null),
            alert(11, 'failed_attempt', null),
            // Only parcels still travelling.
            alert(5, 'stale_no_scan', null),
          ],
        },
      ],
      oracle: null,
    });
    const rule = withAlerts.alerts.rules.failed_attempt;
    expect(rule).toEqual({
      alerts: 10,
      parcels: 8,
      unfinished: 2,
      // Of the six that finished, one was delivered: five in trouble.
      precision: 5 / 6,
      // One lead per returned parcel (30, 2, 6, 4): the mean of the two middle ones.
      medianHoursBeforeReturn: 5,
    });
    expect(withAlerts.alerts.rules.stale_no_scan).toMatchObject({
      parcels: 1,
      unfinished: 1,
      precision: null,
    });
    const md = reportMarkdown(withAlerts);
    expect(md).toContain('| failed_attempt | 10 | 8 | 2 | 83.3 % | 5.0 |');
    expect(md).toContain('| stale_no_scan | 1 | 1 | 1 | – | – |');
    expect(md).toContain('those still travelling when the run stopped are left out');
    expect(md).not.toContain('return_started');
    const started = buildReport({
      run: {},
      orders,
      outcomes: [{ ...outcome('no-actions', 0), alerts: [alert(3, 'return_started', null)] }],
      oracle: null,
    });
    expect(started.alerts.rules.return_started.precision).toBe(1);
    expect(reportMarkdown(started)).toContain('delivers the parcel after all: here 100.0 %.');
  });

  it('writes orders.csv with the parts each seller net adds up from, for the policies asked for', () => {
    const csv = ordersCsv({
      orders,
      outcomes: [outcome('kirim', 0), outcome('cheapest', 3)],
      policies: ['kirim', 'cheapest'],
      courierMaxAttempts: () => 3,
    });
    const [header, ...lines] = csv.trim().split('\n');
    const columns = header.split(',');
    const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i], v])));
    expect(rows).toHaveLength(2 * orders.length);
    const parts = ['cod_collected', 'shipping', 'cod_fee', 'return_fee', 'cashback', 'lost_margin'] as const;
    for (const r of rows) {
      const [cod, shipping, codFee, returnFee, cashback, lostMargin] = parts.map((k) => Number(r[k]));
      expect(Number(r.seller_net)).toBe(cod - shipping - codFee - returnFee + cashback - lostMargin);
    }
    // Each part summed over a policy's rows is the report's.
    const names = {
      cod_collected: 'codCollected',
      shipping: 'shipping',
      cod_fee: 'codFee',
      return_fee: 'returnFee',
      cashback: 'cashback',
      lost_margin: 'lostMargin',
      seller_net: 'net',
    } as const;
    for (const name of ['kirim', 'cheapest'])
      for (const [column, part] of Object.entries(names))
        expect({
          name,
          column,
          sum: rows.filter((r) => r.policy === name).reduce((t, r) => t + Number(r[column]), 0),
        }).toEqual({
          name,
          column,
          sum: report.policies[name].sellerNet[part],
        });
    expect(rows[0]).toMatchObject({
      policy: 'kirim',
      status: 'delivered',
      ended: 'delivered',
      service: 'UDRREG',
      courier_max_attempts: '3',
    });
    expect(rows[5]).toMatchObject({ status: 'in_transit', ended: 'unfinished' });
    // A policy run only for the references' quotes is left out, as it is of the report.
    const alone = ordersCsv({
      orders,
      outcomes: [outcome('kirim', 0), outcome('cheapest', 3)],
      policies: ['kirim', 'oracle'],
    });
    expect(
      alone
        .trim()
        .split('\n')
        .slice(1)
        .every((l) => l.startsWith('kirim,')),
    ).toBe(true);
    expect(alone.trim().split('\n')).toHaveLength(1 + orders.length);
    // A failed booking's note is quoted as CSV quotes it (a quote doubled), and no note is an empty cell.
    const plain = outcome('kirim', 0);
    const noted = {
      ...plain,
      orders: plain.orders.map((f, i) => (i ? f : { ...f, note: 'jne/REG: refused "no, not today"' })),
    };
    const [, first, second] = ordersCsv({ orders, outcomes: [noted], policies: ['kirim'] }).split('\n');
    expect(first.endsWith(',"jne/REG: refused ""no, not today"""')).toBe(true);
    expect(second.endsWith(',')).toBe(true);
  });

  it('writes alerts.csv with each alert of the policies asked for, quoting free text', () => {
    const alert = (orderId: string, over: Partial<AlertRecord> = {}): AlertRecord => ({
      orderId,
      rule: 'failed_attempt',
      reason: 'Percobaan gagal: "alamat, tidak ditemukan"\nlagi',
      openedAt: '2026-01-06T03:00:00.000Z',
      answers: ['contact', 'reattempt'],
      hoursBeforeReturn: null,
      unanswered: null,
      ...over,
    });
    const csv = alertsCsv({
      outcomes: [
        { policy: 'kirim', alerts: [alert('o-1'), alert('o-2', { answers: [], unanswered: 'missed' })] },
        { policy: 'no-actions', alerts: [alert('o-1', { answers: [], hoursBeforeReturn: 30.5 })] },
        { policy: 'cheapest', alerts: [alert('o-3')] },
      ],
      policies: ['kirim', 'no-actions'],
    });
    const rows = parse<Record<string, string>>(csv, { columns: true });
    expect(rows).toEqual([
      expect.objectContaining({
        policy: 'kirim',
        order: 'o-1',
        answers: 'contact+reattempt',
        unanswered: '',
      }),
      expect.objectContaining({ policy: 'kirim', order: 'o-2', answers: '', unanswered: 'missed' }),
      expect.objectContaining({ policy: 'no-actions', order: 'o-1', hours_before_return: '30.5' }),
    ]);
    expect(rows[0].reason).toBe('Percobaan gagal: "alamat, tidak ditemukan"\nlagi');
  });

  it('refuses outcomes that do not cover the orders', () => {
    const short = { ...outcome('single', 0), orders: outcome('single', 0).orders.slice(1) };
    expect(() => buildReport({ run: {}, orders, outcomes: [short], oracle: null })).toThrow(
      /single: 419 outcomes for 420 orders/,
    );
  });
});

describe('the references computed outside the service', () => {
  const world = new HiddenWorld('unit-references');
  const orders = orderStream({ seed: 'unit-references', days: 2, ordersPerDay: 400 });
  // Every courier's regular service at one price ladder: the cheapest is not always the likeliest to deliver.
  const options = (codAmount: number): QuotedOption[] =>
    (['idexpress', 'jnt', 'sap', 'ninja', 'jne'] as const).map((courier, i) => ({
      courier,
      service: defaults.couriers.catalogue[courier].services[0].code,
      price: 10_000 + 1_500 * i,
      codFee: Math.ceil(codAmount * 0.03),
      cashback: 0,
    }));
  /** Kirim's expected cost of an option (its model under the sellers' preset), with the hidden odds. */
  const modelCost = (orderIndex: number, o: QuotedOption, delivered: number) =>
    scoreCandidate(
      {
        ...o,
        serviceName: o.service,
        returnFee: returnFeeFor(o.courier, o.price),
        failureRate: 1 - delivered,
        pickupFailureRate: 0,
        transitDays: { p50: 0, p90: 0 },
      },
      {
        weights: defaults.scoring.presets[defaults.sellerSettings.scoringPreset],
        lostMarginPerFailure: SELLERS[orders[orderIndex].seller].lostMarginPerFailure,
        pickupFailureCost: 0,
      },
    ).score;

  it('the oracle earns the most expected net; informed has the lowest cost by Kirim’s own model', () => {
    let differ = 0;
    orders.forEach((order, i) => {
      const choices = options(order.codAmount);
      const oracle = oraclePick(world, order, choices);
      const informed = informedPick(world, order, choices);
      const all = choices.map((c) => oraclePick(world, order, [c]));
      expect(oracle.money.net).toBeCloseTo(Math.max(...all.map((a) => a.money.net)), 6);
      expect(modelCost(i, informed.option!, informed.delivered)).toBe(
        Math.min(...all.map((a) => modelCost(i, a.option!, a.delivered))),
      );
      expect(informed.money.net).toBeLessThanOrEqual(oracle.money.net + 1e-6);
      if (informed.option!.courier !== oracle.option!.courier) differ += 1;
    });
    // The model weighs a failure at the seller's margin, the net at the COD not collected too: they part
    // ways on some orders (the costlier, likelier courier for a big COD amount), not on most.
    expect(differ).toBeGreaterThan(0);
    expect(differ).toBeLessThan(orders.length);
  });

  it('values a policy’s own booking as the oracle values that option, and an unbooked order at its margin', () => {
    const order = orders[7];
    const option = options(order.codAmount)[2];
    const booked: FinalOrder = {
      orderId: order.id,
      status: 'returned',
      courier: option.courier,
      service: option.service,
      attempts: 2,
      codAmount: order.codAmount,
      codCollected: false,
      charges: {
        shipping: option.price,
        codFee: option.codFee,
        cashback: option.cashback,
        returnFee: returnFeeFor(option.courier, option.price),
      },
    };
    // Before the dice: however it ended, the choice was worth its expectation.
    expect(choiceWorth(world, order, booked)).toEqual(oraclePick(world, order, [option]));
    expect(choiceWorth(world, order, { ...booked, status: 'delivered' })).toEqual(
      oraclePick(world, order, [option]),
    );
    const never = { ...booked, status: 'unshippable', courier: null, service: null, charges: null };
    expect(choiceWorth(world, order, never).money.net).toBe(-SELLERS[order.seller].lostMarginPerFailure);
  });

  it('splits kirim’s regret into the model’s, the choices’ and the dice’s parts, which add up', () => {
    // 21 days, so there are orders from week 3; kirim books the dearest option and every parcel comes back.
    const stream = orderStream({ seed: 'unit-split', days: 21, ordersPerDay: 20 });
    const ends = stream.map((order): FinalOrder => {
      const o = options(order.codAmount)[4];
      return {
        orderId: order.id,
        status: 'returned',
        courier: o.courier,
        service: o.service,
        attempts: 2,
        codAmount: order.codAmount,
        codCollected: false,
        charges: {
          shipping: o.price,
          codFee: o.codFee,
          cashback: 0,
          returnFee: returnFeeFor(o.courier, o.price),
        },
      };
    });
    const report = buildReport({
      run: {},
      orders: stream,
      outcomes: [{ policy: 'kirim', orders: ends, alerts: [] }],
      oracle: stream.map((o) => oraclePick(world, o, options(o.codAmount))),
      informed: stream.map((o) => informedPick(world, o, options(o.codAmount))),
      choices: { kirim: stream.map((o, i) => choiceWorth(world, o, ends[i])) },
    });
    const later = stream.flatMap((o, i) => (o.day >= 14 ? [orderMoney(o, ends[i]).net] : []));
    expect(report.policies.kirim.sellerNetPerOrderFromWeek3).toBeCloseTo(
      later.reduce((t, n) => t + n, 0) / later.length,
      6,
    );
    const worth = report.policies.kirim.choicesWorth!;
    // Each week's regret before the dice: the oracle's net that week less the week's choices' worth.
    const worths = stream.map((o, i) => choiceWorth(world, o, ends[i]).money.net);
    expect(report.policies.kirim.weekly.map((w) => w.choicesRegretVsOracle)).toEqual(
      report.policies.oracle.weekly.map((o) => {
        const week = worths.filter((_, i) => Math.floor(stream[i].day / 7) + 1 === o.week);
        const mean = week.reduce((t, n) => t + n, 0) / week.length;
        return expect.closeTo((o.sellerNetPerOrder - mean) / o.sellerNetPerOrder, 9);
      }),
    );
    expect(report.policies.kirim.weekly).toHaveLength(3);
    // The week's table shows it after the regret; the references have none of their own.
    const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
    const [first] = report.policies.kirim.weekly;
    expect(reportMarkdown(report)).toContain(
      `${pct(first.regretVsOracle!)} · ${pct(first.choicesRegretVsOracle!)} |`,
    );
    expect(report.policies.informed.weekly[0].choicesRegretVsOracle).toBeUndefined();
    expect(worth.perOrder).toBeGreaterThan(report.policies.kirim.sellerNetPerOrder);
    expect(worth.perOrder).toBeLessThanOrEqual(report.policies.informed.sellerNetPerOrder);
    const split =
      /regret, (-?[\d.]+) % .* is (-?[\d.]+) % that Kirim's cost model leaves .*\), (-?[\d.]+) % that its choices lose .* and (-?[\d.]+) % between/.exec(
        reportMarkdown(report),
      );
    expect(split).not.toBeNull();
    const [whole, model, choices, dice] = split!.slice(1).map(Number);
    expect(whole).toBeCloseTo(100 * report.policies.kirim.regretVsOracleFromWeek3!, 1);
    expect(model + choices + dice).toBeCloseTo(whole, 1);
    expect(Math.min(model, choices, dice)).toBeGreaterThan(0);
  });

  it("sets kirim's choices' worth against another policy's order by order, where the dice cannot part them", () => {
    const stream = orderStream({ seed: 'unit-worth', days: 21, ordersPerDay: 20 });
    // kirim books the first option on even orders and the last on odd ones; cheapest always the first.
    const ends = (pickOf: (i: number) => number, status: (i: number) => string) =>
      stream.map((order, i): FinalOrder => {
        const o = options(order.codAmount)[pickOf(i)];
        return {
          orderId: order.id,
          status: status(i),
          courier: o.courier,
          service: o.service,
          attempts: 1,
          codAmount: order.codAmount,
          codCollected: status(i) === 'delivered',
          charges: { shipping: o.price, codFee: o.codFee, cashback: o.cashback, returnFee: 0 },
        };
      });
    const kirim = ends(
      (i) => (i % 2 ? 4 : 0),
      () => 'delivered',
    );
    // The dice went the other way for cheapest on every third order: its seller net differs there even
    // where it chose as kirim did, its choices' worth does not.
    const cheapest = ends(
      () => 0,
      (i) => (i % 3 ? 'delivered' : 'returned'),
    );
    const worth = (es: FinalOrder[]) => stream.map((o, i) => choiceWorth(world, o, es[i]));
    const [kirimWorth, cheapestWorth] = [worth(kirim), worth(cheapest)];
    const report = buildReport({
      run: {},
      orders: stream,
      outcomes: [
        { policy: 'kirim', orders: kirim, alerts: [] },
        { policy: 'cheapest', orders: cheapest, alerts: [] },
        { policy: 'no-actions', orders: cheapest, alerts: [] },
      ],
      oracle: null,
      choices: { kirim: kirimWorth, cheapest: cheapestWorth },
    });
    const a = report.kirimAgainst.cheapest.choicesWorth!;
    const expected = stream.map((o, i) => (i % 2 ? kirimWorth[i].money.net - cheapestWorth[i].money.net : 0));
    expect(a.all!.orders).toBe(stream.length);
    expect(a.all!.mean).toBeCloseTo(expected.reduce((s, d) => s + d, 0) / stream.length, 6);
    expect(a.all!.mean).toBeCloseTo(
      report.policies.kirim.choicesWorth!.perOrder - report.policies.cheapest.choicesWorth!.perOrder,
      6,
    );
    const later = stream.flatMap((o, i) => (o.day >= 14 ? [expected[i]] : []));
    expect(a.fromWeek3!.orders).toBe(later.length);
    expect(a.fromWeek3!.mean).toBeCloseTo(later.reduce((s, d) => s + d, 0) / later.length, 6);
    // Narrower than the seller net's interval, which the dice widen.
    const net = report.kirimAgainst.cheapest.all!;
    expect(a.all!.high - a.all!.low).toBeLessThan(net.high - net.low);
    // A policy whose choices are not valued gets none.
    expect(report.kirimAgainst['no-actions'].choicesWorth).toBeUndefined();
    expect(kirimAgainstLines(report)).toContain(
      `kirim - cheapest, choices' worth before the dice: ${Math.round(a.all!.mean)} per order (95 % interval ${Math.round(a.all!.low)} to ${Math.round(a.all!.high)})`,
    );
    expect(reportMarkdown(report)).toContain("#### The same, of the choices' worth before the dice");
  });

  it('without an eligible service, neither ships and the seller loses the margin', () => {
    const order = orders[0];
    for (const pick of [oraclePick(world, order, []), informedPick(world, order, [])]) {
      expect(pick.option).toBeNull();
      expect(pick.money.net).toBe(-SELLERS[order.seller].lostMarginPerFailure);
    }
  });
});

describe('the simulated sellers', () => {
  it.each(['s', 'a'.repeat(64), 'a..b', 'seed.', '.seed', '-x_y.z'])(
    'sign up with addresses Kirim takes, whatever seed the command line takes (%j)',
    async (seed) => {
      expect(parseSimulateArgs(['--seed', seed]).seed).toBe(seed);
      const signups: object[] = [];
      // Kirim's side of the sellers' setup: what it is asked, and a well-formed answer.
      const api = {
        call: (_method: string, path: string, _auth: unknown, body: object) => {
          if (path === '/v1/auth/signup') signups.push(body);
          return Promise.resolve({ status: 201, body: { accessToken: 'token', id: 'id', key: 'key' } });
        },
      } as unknown as KirimApi;
      await new PolicyRun(
        { name: 'kirim', chooser: { kind: 'kirim' }, actsOnAlerts: true },
        api,
        new HiddenWorld(seed),
      ).setup(seed);
      expect(signups).toHaveLength(SELLERS.length);
      // As the service validates a signup (a 400 there stopped the run with a stack trace).
      for (const body of signups)
        expect({
          body,
          errors: (await validate(plainToInstance(SignupDto, body))).map((e) => e.property),
        }).toEqual({
          body,
          errors: [],
        });
      expect(new Set(signups.map((b) => (b as { email: string }).email)).size).toBe(SELLERS.length);
    },
  );
});

describe('the command line', () => {
  it('takes the documented options with their defaults', () => {
    const o = parseSimulateArgs(['--seed', 's1']);
    expect(o).toMatchObject({ seed: 's1', days: 60, ordersPerDay: 400, stepHours: 12, single: 'jnt' });
    expect(o.policies).toEqual(['kirim', 'cheapest', 'single', 'no-actions', 'oracle', 'informed']);
    expect(parseSimulateArgs(['--seed', 's', '--days', '3', '--orders-per-day', '10']).days).toBe(3);
    // As many Kirims at work at once as the machine has cores, unless told.
    expect(o.parallel).toBe(availableParallelism());
    expect(parseSimulateArgs(['--seed', 's', '--parallel', '1']).parallel).toBe(1);
    // Day 0 is a set date, not the day the run is made.
    expect(o.start).toBe(DEFAULT_START);
    expect(parseSimulateArgs(['--seed', 's', '--start', '2027-02-28']).start).toBe('2027-02-28');
    // The first and last calendars Kirim can run.
    expect(parseSimulateArgs(['--seed', 's', '--start', '2000-01-01']).start).toBe('2000-01-01');
    const last = ['--start', '9999-12-29', '--days', '1', '--drain-days', '1'];
    expect(parseSimulateArgs(['--seed', 's', ...last]).start).toBe('9999-12-29');
  });

  it.each([
    [[], /--seed is required/],
    [['--seed', 's', '--days', '0'], /--days must be a whole number/],
    [['--seed', 's', '--days', '2.5'], /--days/],
    [['--seed', 's', '--policies', 'kirim,best'], /unknown policy "best"/],
    [['--seed', 's', '--single', 'pos'], /unknown courier "pos"/],
    [['--seed', 's', '--step-hours', '5'], /must divide 24/],
    [['--seed', 's', '--parallel', '0'], /--parallel must be a whole number from 1 to 16/],
    [['--seed', 's', '--start', '2026-02-30'], /--start must be a date, YYYY-MM-DD/],
    [['--seed', 's', '--start', '5-1-2026'], /--start must be a date, YYYY-MM-DD/],
    // A calendar Kirim cannot run: it takes no courier event dated before 2000 (every parcel stayed picked up,
    // the run "delivered 0 %"), and its lists page dates up to 9999 only.
    [['--seed', 's', '--start', '1970-01-03'], /--start 1970-01-03: before 2000-01-01/],
    [['--seed', 's', '--start', '1999-12-31'], /--start 1999-12-31: before 2000-01-01/],
    [['--seed', 's', '--start', '9999-12-01'], /--start 9999-12-01: the run .* would end after 9999-12-31/],
    [['--seed', 's', '--colour', 'red'], /unknown option --colour/],
    [['--seed'], /expected --flag value pairs/],
    // Whole numbers are plain decimal digits.
    [['--seed', 's', '--days', '1e1'], /--days must be a whole number from 1 to 365/],
    [['--seed', 's', '--orders-per-day', '0x10'], /--orders-per-day must be a whole number/],
    [['--seed', 's', '--drain-days', ' 3'], /--drain-days must be a whole number/],
    [['--seed', 's', '--parallel', '+2'], /--parallel must be a whole number/],
    [['--seed', 's', '--step-hours', '12.0'], /--step-hours must be a whole number/],
    // A flag given twice.
    [['--seed', 's', '--days', '3', '--days', '4'], /--days is given twice/],
    [['--seed', 's', '--seed', 't'], /--seed is given twice/],
    // A world file that is not there, or no name at all; no folder for the report.
    [['--seed', 's', '--world', ''], /--world must name a world file/],
    [
      ['--seed', 's', '--world', '/nonexistent/world.json'],
      /--world \/nonexistent\/world\.json: .*cannot be read \(ENOENT\)/,
    ],
    [['--seed', 's', '--out', ''], /--out must name a folder/],
  ])('refuses %j naming what is wrong', (argv, message) => {
    expect(() => parseSimulateArgs(argv)).toThrow(message);
  });

  describe('with files', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'simulate-unit-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the world file at the start: one that is no world is refused naming it', () => {
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '{ not json');
      expect(() => parseSimulateArgs(['--seed', 's', '--world', bad])).toThrow(
        new RegExp(`--world ${bad.replace(/[.]/g, '\\.')}: .*is not JSON`),
      );
      expect(() => parseSimulateArgs(['--seed', 's', '--world', dir])).toThrow(
        /: \$: is not a regular file$/,
      );
      const good = resolve(__dirname, '../../../config/worlds/default.json');
      expect(parseSimulateArgs(['--seed', 's', '--world', good]).world).toBe(good);
      expect(parseSimulateArgs(['--seed', 's']).world).toBeUndefined();
    });

    it('makes the report’s folder and checks it can be written before the run', () => {
      const out = join(dir, 'a', 'b');
      prepareOut(out);
      expect(readdirSync(out)).toEqual([]);
      const file = join(dir, 'file');
      writeFileSync(file, '');
      expect(() => prepareOut(join(file, 'out'))).toThrow(
        `--out ${join(file, 'out')}: cannot write the report there (ENOTDIR)`,
      );
    });
  });
});
