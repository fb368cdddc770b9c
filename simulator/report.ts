import { shipmentLines } from 'src/invoicing/invoice-lines';
import { TERMINAL } from 'src/shipments/shipment-status';
import { type MoneyParts, netOf, type OraclePick } from './oracle';
import { type Order, SELLERS } from './order-stream';
import type { AlertRecord, FinalOrder, Unanswered } from './policy-run';

/** One policy's figures for a week of orders (by the day they were placed). */
export interface WeekFigures {
  week: number;
  orders: number;
  /** Shares of the week's orders, 0..1. */
  delivered: number;
  returned: number;
  sellerNetPerOrder: number;
  /**
   * (oracle's net per order − this policy's) ÷ the oracle's, that week; 0 for the oracle. Null when there is
   * nothing to measure against: the run has no oracle (`--policies` without it), or its net that week is 0.
   */
  regretVsOracle: number | null;
  /**
   * The same for what the policy's choices were worth before the dice (`choicesWorth`), where they are
   * valued: the week's learning without the week's luck. The references' `regretVsOracle` is this already.
   */
  choicesRegretVsOracle?: number;
}

export interface PolicyFigures {
  orders: number;
  /** Orders by how they ended (`unfinished`: still travelling when the run stopped). */
  ended: Record<string, number>;
  /**
   * Orders still travelling when the run stopped (`ended.unfinished`; rare with the default 45 drain days):
   * counted as not delivered, in the delivered share and in the seller net alike (see `orderMoney`).
   */
  unfinished: number;
  /** Shares of all orders, 0..1 (the oracle's are expectations). */
  delivered: number;
  returned: number;
  /** Delivered share of the orders placed from day 15 on (after the first two weeks); null when there are none. */
  deliveredAfterTwoWeeks: number | null;
  /** Rupiah per order: COD collected − shipping − COD fee − return fee + cashback − lost margin. */
  sellerNetPerOrder: number;
  /** The same over the orders placed from day 15 on (week 3 and later); null when there are none. */
  sellerNetPerOrderFromWeek3: number | null;
  /** The parts of the seller net over all orders, rupiah. */
  sellerNet: MoneyParts;
  /** As the week's (`WeekFigures.regretVsOracle`), over all orders: null in a run without the oracle. */
  regretVsOracle: number | null;
  /** Regret over the orders placed from day 15 on (week 3 and later); null when there are none, or no oracle. */
  regretVsOracleFromWeek3: number | null;
  /**
   * What the policy's own choices were worth before the dice (see `choiceWorth`), rupiah per order, over
   * all orders and from week 3 (null when no order is that late); absent for the references, which are
   * expectations already.
   */
  choicesWorth?: { perOrder: number; fromWeek3: number | null };
  weekly: WeekFigures[];
}

export interface RuleFigures {
  /** Alerts raised by the rule (in the policy whose alerts are measured). */
  alerts: number;
  /** Parcels the rule alerted on. */
  parcels: number;
  /** Of those, parcels still travelling when the run stopped: left out of `precision`, which cannot judge them. */
  unfinished: number;
  /**
   * Share of the alerted parcels that finished which were truly in trouble: left alone (no-actions), they
   * never reached the buyer (`IN_TROUBLE`: returned, cancelled, lost, or never booked); null when none finished.
   */
  precision: number | null;
  /**
   * Median hours from the rule's alert to the return beginning, over alerted parcels that came back with an
   * alert of the rule before their return began: one value per parcel, from the rule's first such alert (the
   * mean of the two middle values for an even count); null when no parcel had one. A rule raised once the
   * return has begun (`return_started`) gives no lead, and so no figure.
   */
  medianHoursBeforeReturn: number | null;
}

/**
 * `kirim`'s seller net against another policy's, order by order over the same orders: the mean of the
 * per-order differences (rupiah, positive where `kirim` earned more) and its 95 % interval. The interval
 * is the normal one over the per-order differences (thousands of orders), so it says how far the mean
 * could move with another draw of orders and outcomes, not how the service's timing varies between runs.
 */
export interface PairedDifference {
  orders: number;
  mean: number;
  low: number;
  high: number;
}

export interface KirimAgainst {
  all: PairedDifference | null;
  /** Over the orders placed from day 15 on; null when the run has none. */
  fromWeek3: PairedDifference | null;
  /**
   * The same, of what each order's choice was worth before the dice (`choiceWorth`, the expected seller net
   * of the service booked under the hidden odds), for a policy whose choices are valued. Two policies that
   * chose alike on an order differ by nothing there, whatever the dice did to either, so the interval says
   * whether the choices differ in worth where the seller net's own interval is wide with the dice's noise.
   * It leaves out what the expectation leaves out (missed pickups, bookings shipped again).
   */
  choicesWorth?: { all: PairedDifference | null; fromWeek3: PairedDifference | null };
}

export interface Report {
  run: Record<string, unknown>;
  policies: Record<string, PolicyFigures>;
  /** `kirim` against each other policy of the run, order by order (empty without `kirim`). */
  kirimAgainst: Record<string, KirimAgainst>;
  alerts: {
    /** Precision and lead time are measured on this policy's alerts: nobody acted on them there. */
    measuredOn: string;
    rules: Record<string, RuleFigures>;
    /** Delivered share `kirim` minus `no-actions`: what answering alerts added. */
    deliveredAddedByActing: number | null;
    /**
     * Per policy that shipped, the share of all its orders delivered after more attempts than the courier
     * makes on its own on the lane (`maxAttempts` of the hidden world): the seller asked for one more after
     * the courier's last. Only where the run knows the couriers' limits.
     */
    deliveredBeyondCourierAttempts: Record<string, number>;
    /** That share, `kirim` minus `no-actions`: the part of `deliveredAddedByActing` it accounts for. */
    deliveredAddedBeyondCourierAttempts: number | null;
    /** How `kirim`'s sellers answered alerts. */
    answers: Record<string, number>;
    /** `kirim`'s alerts its sellers never answered, by rule and why (see `Unanswered`). */
    unanswered: Record<string, Partial<Record<Unanswered, number>>>;
  };
}

const ZERO: MoneyParts = {
  codCollected: 0,
  shipping: 0,
  codFee: 0,
  returnFee: 0,
  cashback: 0,
  lostMargin: 0,
  net: 0,
};

const add = (a: MoneyParts, b: MoneyParts): MoneyParts => ({
  codCollected: a.codCollected + b.codCollected,
  shipping: a.shipping + b.shipping,
  codFee: a.codFee + b.codFee,
  returnFee: a.returnFee + b.returnFee,
  cashback: a.cashback + b.cashback,
  lostMargin: a.lostMargin + b.lostMargin,
  net: a.net + b.net,
});

/**
 * What one order earned or cost its seller, from how it ended and the charges Kirim booked it with: the
 * invoice's own lines (shipping and cashback for every delivered or returned parcel, the COD fee when
 * delivered with the cash taken, the return fee when returned), the COD collected when the courier took it, and the seller's lost margin
 * for every order that did not reach its buyer. A parcel still travelling when the run stopped did not reach
 * it either: it counts as not delivered, as in the delivered share, so the seller loses the margin, and it is
 * charged nothing (nothing is invoiced before a parcel is delivered or returned).
 */
export function orderMoney(order: Order, end: FinalOrder): MoneyParts {
  const margin = end.status === 'delivered' ? 0 : SELLERS[order.seller].lostMarginPerFailure;
  const parts = {
    ...ZERO,
    lostMargin: margin,
    codCollected: end.status === 'delivered' && end.codCollected ? end.codAmount : 0,
  };
  if ((end.status === 'delivered' || end.status === 'returned') && end.charges) {
    const lines = shipmentLines({
      id: end.orderId,
      awb: '',
      courier: end.courier ?? '',
      status: end.status,
      codAmount: end.codAmount,
      codCollected: end.codCollected,
      shippingFee: end.charges.shipping,
      codFee: end.charges.codFee,
      cashback: end.charges.cashback,
      returnFee: end.charges.returnFee,
    });
    for (const l of lines) {
      if (l.kind === 'shipping') parts.shipping += l.amount;
      if (l.kind === 'cod_fee') parts.codFee += l.amount;
      if (l.kind === 'return_fee') parts.returnFee += l.amount;
      if (l.kind === 'cashback') parts.cashback -= l.amount;
    }
  }
  return { ...parts, net: netOf(parts) };
}

/** Kirim's final statuses, a booking that failed for good, and an order no courier could take. */
const FINISHED = new Set<string>([...TERMINAL, 'booking_failed', 'unshippable']);

/** How an order ended, for counting: a status Kirim may still move on from is `unfinished`. */
export const endOf = (status: string) => (FINISHED.has(status) ? status : 'unfinished');

/** How an alerted parcel ended when it was truly in trouble: it never reached the buyer. */
export const IN_TROUBLE: ReadonlySet<string> = new Set([
  'returned',
  'cancelled',
  'lost',
  'booking_failed',
  'unshippable',
]);

/** The median of `values`: the middle one, or the mean of the two middle ones for an even count; null for none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The mean of `diffs` and its 95 % normal interval; null for fewer than two. */
export function pairedDifference(diffs: readonly number[]): PairedDifference | null {
  const n = diffs.length;
  if (n < 2) return null;
  const mean = diffs.reduce((s, d) => s + d, 0) / n;
  const variance = diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / (n - 1);
  const half = 1.96 * Math.sqrt(variance / n);
  return { orders: n, mean, low: mean - half, high: mean + half };
}

/** The first day (from 0) of week 3: the "from week 3" figures are over the orders placed from it on. */
export const FROM_WEEK_3 = 14;

interface Row {
  orderId: string;
  day: number;
  delivered: number;
  returned: number;
  money: MoneyParts;
}

/** The oracle's seller net per order: over all orders, over week 3 on, and by week. */
interface OracleNets {
  overall: number;
  fromWeek3: number | null;
  byWeek: Map<number, number>;
}

function figures(rows: Row[], oracle: OracleNets | null, ended: Record<string, number>): PolicyFigures {
  const sum = (rs: Row[]) => rs.reduce((m, r) => add(m, r.money), ZERO);
  const share = (rs: Row[], f: (r: Row) => number) =>
    rs.length ? rs.reduce((s, r) => s + f(r), 0) / rs.length : 0;
  // No oracle (or an oracle that nets nothing): no regret to report, rather than a made-up 0 %.
  const regret = (oracle: number | null | undefined, net: number) =>
    oracle === undefined || oracle === null || oracle === 0 ? null : (oracle - net) / Math.abs(oracle);
  const weeks = new Map<number, Row[]>();
  for (const r of rows) weeks.set(Math.floor(r.day / 7), [...(weeks.get(Math.floor(r.day / 7)) ?? []), r]);
  const weekly = [...weeks.entries()]
    .sort(([a], [b]) => a - b)
    .map(([week, rs]) => {
      const net = sum(rs).net / rs.length;
      return {
        week: week + 1,
        orders: rs.length,
        delivered: share(rs, (r) => r.delivered),
        returned: share(rs, (r) => r.returned),
        sellerNetPerOrder: net,
        regretVsOracle: regret(oracle?.byWeek.get(week + 1), net),
      };
    });
  const later = rows.filter((r) => r.day >= FROM_WEEK_3);
  const total = sum(rows);
  const perOrder = rows.length ? total.net / rows.length : 0;
  // No order from week 3 (a run under 15 days): nothing to say there, not 0.
  const laterNet = later.length ? sum(later).net / later.length : null;
  return {
    orders: rows.length,
    ended,
    unfinished: ended.unfinished ?? 0,
    delivered: share(rows, (r) => r.delivered),
    returned: share(rows, (r) => r.returned),
    deliveredAfterTwoWeeks: later.length ? share(later, (r) => r.delivered) : null,
    sellerNetPerOrder: perOrder,
    sellerNetPerOrderFromWeek3: laterNet,
    sellerNet: total,
    regretVsOracle: regret(oracle?.overall, perOrder),
    regretVsOracleFromWeek3: laterNet === null ? null : regret(oracle?.fromWeek3, laterNet),
    weekly,
  };
}

/**
 * The report of a run, pure: each policy's outcomes (and the oracle's expectations) over the same orders.
 * Every order counts once per policy; seller net is the sum of its parts.
 */
export function buildReport(input: {
  run: Record<string, unknown>;
  orders: Order[];
  outcomes: { policy: string; orders: FinalOrder[]; alerts: AlertRecord[] }[];
  oracle: OraclePick[] | null;
  /** Kirim's own cost model told the hidden odds (see `informedPick`). */
  informed?: OraclePick[] | null;
  /** Per policy that shipped, what each order's choice was worth before the dice (see `choiceWorth`). */
  choices?: Record<string, OraclePick[]>;
  /**
   * The attempts the courier an order ended with makes on its own to the order's destination (the hidden
   * world's `maxAttempts`); null when the order has no courier.
   */
  courierMaxAttempts?: (order: Order, end: FinalOrder) => number | null;
}): Report {
  const orderById = new Map(input.orders.map((o) => [o.id, o]));
  const policies: Record<string, PolicyFigures> = {};
  const rowsOf = new Map<string, Row[]>();
  const worthOf = new Map<string, OraclePick[]>();
  const beyondCourierAttempts: Record<string, number> = {};
  // The references' figures are expectations under the hidden odds, one row per order.
  const expectations = (picks: OraclePick[]): Row[] =>
    picks.map((p) => ({
      orderId: p.orderId,
      day: orderById.get(p.orderId)!.day,
      delivered: p.delivered,
      returned: p.option ? 1 - p.delivered : 0,
      money: p.money,
    }));
  let oracleNets: OracleNets | null = null;
  if (input.oracle) {
    const rows = expectations(input.oracle);
    const oracle = figures(rows, null, { expected: rows.length });
    rowsOf.set('oracle', rows);
    oracleNets = {
      overall: oracle.sellerNetPerOrder,
      fromWeek3: oracle.sellerNetPerOrderFromWeek3,
      byWeek: new Map(oracle.weekly.map((w) => [w.week, w.sellerNetPerOrder])),
    };
    // Against itself: a regret of 0 (none where its own net is 0, as for every policy).
    policies.oracle = figures(rows, oracleNets, { expected: rows.length });
  }
  if (input.informed) {
    const rows = expectations(input.informed);
    policies.informed = figures(rows, oracleNets, { expected: rows.length });
    rowsOf.set('informed', rows);
  }
  for (const outcome of input.outcomes) {
    if (outcome.orders.length !== input.orders.length)
      throw new Error(
        `${outcome.policy}: ${outcome.orders.length} outcomes for ${input.orders.length} orders`,
      );
    const ended: Record<string, number> = {};
    const rows = outcome.orders.map((end) => {
      const order = orderById.get(end.orderId);
      if (!order) throw new Error(`${outcome.policy}: an outcome for unknown order ${end.orderId}`);
      const e = endOf(end.status);
      ended[e] = (ended[e] ?? 0) + 1;
      return {
        orderId: order.id,
        day: order.day,
        delivered: e === 'delivered' ? 1 : 0,
        returned: e === 'returned' ? 1 : 0,
        money: orderMoney(order, { ...end, status: e }),
      };
    });
    policies[outcome.policy] = figures(rows, oracleNets, ended);
    rowsOf.set(outcome.policy, rows);
    const limit = input.courierMaxAttempts;
    if (limit)
      beyondCourierAttempts[outcome.policy] =
        outcome.orders.filter((end) => {
          if (end.status !== 'delivered') return false;
          const max = limit(orderById.get(end.orderId)!, end);
          return max !== null && end.attempts > max;
        }).length / Math.max(1, outcome.orders.length);
    const worth = input.choices?.[outcome.policy];
    if (worth) {
      worthOf.set(outcome.policy, worth);
      const net = (ps: OraclePick[]) => (ps.length ? ps.reduce((t, p) => t + p.money.net, 0) / ps.length : 0);
      const later = worth.filter((p) => orderById.get(p.orderId)!.day >= FROM_WEEK_3);
      policies[outcome.policy].choicesWorth = {
        perOrder: net(worth),
        fromWeek3: later.length ? net(later) : null,
      };
      if (oracleNets)
        for (const w of policies[outcome.policy].weekly) {
          const oracleNet = oracleNets.byWeek.get(w.week);
          const week = worth.filter((p) => Math.floor(orderById.get(p.orderId)!.day / 7) + 1 === w.week);
          if (oracleNet) w.choicesRegretVsOracle = (oracleNet - net(week)) / Math.abs(oracleNet);
        }
    }
  }

  const kirimAgainst: Record<string, KirimAgainst> = {};
  const kirimRows = rowsOf.get('kirim');
  if (kirimRows) {
    const kirimNet = new Map(kirimRows.map((r) => [r.orderId, r.money.net]));
    for (const [name, rows] of rowsOf) {
      if (name === 'kirim') continue;
      const diffs = (rs: Row[]) => rs.map((r) => kirimNet.get(r.orderId)! - r.money.net);
      kirimAgainst[name] = {
        all: pairedDifference(diffs(rows)),
        fromWeek3: pairedDifference(diffs(rows.filter((r) => r.day >= FROM_WEEK_3))),
      };
      const kirimWorth = worthOf.get('kirim');
      const theirs = worthOf.get(name);
      if (kirimWorth && theirs) {
        const worthOfOrder = new Map(kirimWorth.map((p) => [p.orderId, p.money.net]));
        const worthDiffs = (ps: OraclePick[]) => ps.map((p) => worthOfOrder.get(p.orderId)! - p.money.net);
        kirimAgainst[name].choicesWorth = {
          all: pairedDifference(worthDiffs(theirs)),
          fromWeek3: pairedDifference(
            worthDiffs(theirs.filter((p) => orderById.get(p.orderId)!.day >= FROM_WEEK_3)),
          ),
        };
      }
    }
  }

  const measured = input.outcomes.find((o) => o.policy === 'no-actions') ?? input.outcomes[0];
  const rules: Record<string, RuleFigures> = {};
  if (measured) {
    const endOfOrder = new Map(measured.orders.map((o) => [o.orderId, o]));
    const byRule = new Map<string, AlertRecord[]>();
    for (const a of measured.alerts) byRule.set(a.rule, [...(byRule.get(a.rule) ?? []), a]);
    for (const [rule, alerts] of [...byRule.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const parcels = [...new Set(alerts.map((a) => a.orderId))];
      const ends = parcels.map((id) => endOf(endOfOrder.get(id)?.status ?? 'unfinished'));
      const finished = ends.filter((e) => e !== 'unfinished');
      const trouble = finished.filter((e) => IN_TROUBLE.has(e));
      // One lead per parcel that came back: its earliest alert of the rule before the return began.
      const leadOf = new Map<string, number>();
      for (const a of alerts)
        if (a.hoursBeforeReturn !== null)
          leadOf.set(a.orderId, Math.max(leadOf.get(a.orderId) ?? -Infinity, a.hoursBeforeReturn));
      rules[rule] = {
        alerts: alerts.length,
        parcels: parcels.length,
        unfinished: parcels.length - finished.length,
        precision: finished.length ? trouble.length / finished.length : null,
        medianHoursBeforeReturn: median([...leadOf.values()]),
      };
    }
  }
  const answers: Record<string, number> = {};
  const unanswered: Record<string, Partial<Record<Unanswered, number>>> = {};
  for (const a of input.outcomes.find((o) => o.policy === 'kirim')?.alerts ?? []) {
    for (const answer of a.answers.length ? a.answers : ['unanswered'])
      answers[answer] = (answers[answer] ?? 0) + 1;
    if (a.unanswered) {
      const why = (unanswered[a.rule] ??= {});
      why[a.unanswered] = (why[a.unanswered] ?? 0) + 1;
    }
  }
  const kirim = policies.kirim;
  const noActions = policies['no-actions'];
  return {
    run: input.run,
    policies,
    kirimAgainst,
    alerts: {
      measuredOn: measured?.policy ?? 'none',
      rules,
      deliveredAddedByActing: kirim && noActions ? kirim.delivered - noActions.delivered : null,
      deliveredBeyondCourierAttempts: beyondCourierAttempts,
      deliveredAddedBeyondCourierAttempts:
        beyondCourierAttempts.kirim !== undefined && beyondCourierAttempts['no-actions'] !== undefined
          ? beyondCourierAttempts.kirim - beyondCourierAttempts['no-actions']
          : null,
      answers,
      unanswered,
    },
  };
}
