import { defaults } from 'config/defaults';
import type { HiddenWorld } from './hidden-world';
import { type Order, SELLERS } from './order-stream';
import type { QuotedOption } from './policy-run';

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

/**
 * The oracle: for every order, among the services Kirim quoted as eligible, the one whose expected seller
 * net is highest when the hidden delivery odds are known (with the same diligent seller as `kirim`).
 * Computed outside the service: a reference nobody can reach, which regret is measured against.
 */
export function oraclePick(world: HiddenWorld, order: Order, options: QuotedOption[]): OraclePick {
  const seller = SELLERS[order.seller];
  const margin = seller.lostMarginPerFailure;
  let best: OraclePick | null = null;
  for (const option of options) {
    const p = world.deliveredChance(
      option.courier,
      option.service,
      seller.origin.regencyCode,
      order.recipient.regencyCode,
      order.recipient.phone,
    );
    const parts = {
      codCollected: p * order.codAmount,
      shipping: option.price,
      codFee: p * option.codFee,
      returnFee: (1 - p) * returnFeeFor(option.courier, option.price),
      cashback: option.cashback,
      lostMargin: (1 - p) * margin,
    };
    const pick: OraclePick = {
      orderId: order.id,
      option,
      delivered: p,
      money: { ...parts, net: netOf(parts) },
    };
    if (!best || pick.money.net > best.money.net) best = pick;
  }
  if (best) return best;
  const none = { codCollected: 0, shipping: 0, codFee: 0, returnFee: 0, cashback: 0, lostMargin: margin };
  return { orderId: order.id, option: null, delivered: 0, money: { ...none, net: netOf(none) } };
}
