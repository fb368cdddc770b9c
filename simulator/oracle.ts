import { defaults } from 'config/defaults';
import { scoreCandidate } from 'src/scoring/scoring.model';
import type { HiddenWorld } from './hidden-world';
import { type Order, SELLERS } from './order-stream';
import type { FinalOrder, QuotedOption } from './policy-run';

/** The oracle's pick for one order: the option with the best expected seller net under the hidden odds. */
export interface OraclePick {
  orderId: string;
  option: QuotedOption | null;
  /** Chance it is delivered with the simulation's diligent seller (the hidden truth). */
  delivered: number;
  /** Expected parts of the seller's net for the order, rupiah (fractions: they are expectations). */
  money: MoneyParts;
}

/** The parts of a seller's net on one or more orders, rupiah; `net` adds them up. */
export interface MoneyParts {
  codCollected: number;
  shipping: number;
  codFee: number;
  returnFee: number;
  cashback: number;
  lostMargin: number;
  net: number;
}

export const netOf = (m: Omit<MoneyParts, 'net'>): number =>
  m.codCollected - m.shipping - m.codFee - m.returnFee + m.cashback - m.lostMargin;

/** The return fee a courier's contract terms charge for a parcel priced `price` (as Kirim charges it). */
export const returnFeeFor = (courier: QuotedOption['courier'], price: number): number =>
  Math.round((price * defaults.couriers.terms[courier].returnFeeBasisPoints) / 10_000);

/** What shipping `order` with `option` is expected to earn its seller under the hidden odds. */
function expected(world: HiddenWorld, order: Order, option: QuotedOption): OraclePick {
  const seller = SELLERS[order.seller];
  const p = world.deliveredChance(
    option.courier,
    option.service,
    seller.origin.regencyCode,
    order.recipient.regencyCode,
    order.recipient.phone,
  );
  const margin = seller.lostMarginPerFailure;
  const parts = {
    codCollected: p * order.codAmount,
    shipping: option.price,
    codFee: p * option.codFee,
    returnFee: (1 - p) * returnFeeFor(option.courier, option.price),
    cashback: option.cashback,
    lostMargin: (1 - p) * margin,
  };
  return { orderId: order.id, option, delivered: p, money: { ...parts, net: netOf(parts) } };
}

/** No eligible service: the order is not shipped, and its seller loses the margin. */
function unshipped(order: Order): OraclePick {
  const none = {
    codCollected: 0,
    shipping: 0,
    codFee: 0,
    returnFee: 0,
    cashback: 0,
    lostMargin: SELLERS[order.seller].lostMarginPerFailure,
  };
  return { orderId: order.id, option: null, delivered: 0, money: { ...none, net: netOf(none) } };
}

/**
 * What a policy's own choice for `order` was worth before the dice: the expected seller net of the service
 * it booked, at the charges it booked, under the hidden odds (the oracle's arithmetic). Set against the
 * policy's real outcome, it separates the choice from the luck and from what the expectation leaves out
 * (a missed pickup, a booking shipped again). An order never booked loses its margin, as it did.
 */
export function choiceWorth(world: HiddenWorld, order: Order, end: FinalOrder): OraclePick {
  if (!end.courier || !end.service || !end.charges) return unshipped(order);
  const option: QuotedOption = {
    courier: end.courier as QuotedOption['courier'],
    service: end.service,
    price: end.charges.shipping,
    codFee: end.charges.codFee,
    cashback: end.charges.cashback,
  };
  return expected(world, order, option);
}

/**
 * The oracle: for every order, among the services Kirim quoted as eligible, the one whose expected seller
 * net is highest when the hidden delivery odds are known (with the same diligent seller as `kirim`).
 * Computed outside the service: a reference nobody can reach, which regret is measured against.
 */
export function oraclePick(world: HiddenWorld, order: Order, options: QuotedOption[]): OraclePick {
  let best: OraclePick | null = null;
  for (const option of options) {
    const pick = expected(world, order, option);
    if (!best || pick.money.net > best.money.net) best = pick;
  }
  return best ?? unshipped(order);
}

/**
 * `informed`: Kirim's own expected-cost model (`scoring.model.ts`, with the sellers' preset and lost
 * margin) told the hidden delivery odds instead of learning them. It splits `kirim`'s regret in two: what
 * `informed` leaves to the oracle is the model's (it weighs a failure at the seller's return fee and lost
 * margin, where the seller net also counts the COD not collected), and what `kirim` leaves to `informed` is
 * what learning has not found yet. The model's transit-day and pickup terms are left out: the hidden odds
 * say nothing of them, and under the default preset they move a few hundred rupiah.
 */
export function informedPick(world: HiddenWorld, order: Order, options: QuotedOption[]): OraclePick {
  const seller = SELLERS[order.seller];
  const ctx = {
    weights: defaults.scoring.presets[defaults.sellerSettings.scoringPreset],
    lostMarginPerFailure: seller.lostMarginPerFailure,
    pickupFailureCost: 0,
  };
  let best: { pick: OraclePick; score: number } | null = null;
  for (const option of options) {
    const pick = expected(world, order, option);
    const { score } = scoreCandidate(
      {
        courier: option.courier,
        service: option.service,
        serviceName: option.service,
        price: option.price,
        codFee: option.codFee,
        cashback: option.cashback,
        returnFee: returnFeeFor(option.courier, option.price),
        failureRate: 1 - pick.delivered,
        pickupFailureRate: 0,
        transitDays: { p50: 0, p90: 0 },
      },
      ctx,
    );
    if (!best || score < best.score) best = { pick, score };
  }
  return best?.pick ?? unshipped(order);
}
