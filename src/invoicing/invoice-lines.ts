import type { Rupiah } from 'src/common/money';
import { Accounts, type PostingEntry } from 'src/ledger/ledger-accounts';

/**
 * Invoice lines, pure: what a shipment that ended in the period is charged. Every ended shipment pays its
 * shipping price and earns its cashback back (a line of its own, negative); a delivered COD parcel whose
 * cash the courier took also pays the COD fee (one delivered without it was handled as no COD parcel: the
 * seller got no credit and pays no fee), a returned parcel the return fee. Lost parcels are not charged at all: they never
 * reach invoicing (Kirim and the courier settle a loss between them).
 *
 * The COD fee follows the cash after the shipment's own invoice too: when finance reverses a delivery's COD
 * credit (the cash was never collected) or the parcel is delivered with its cash after all, the invoice of
 * the period that change was recorded in adjusts it (codFeeAdjustment): `cod_fee_refund` (negative) gives
 * back a fee charged for cash never collected, `cod_fee` charges one never charged, `cod_fee_recharge`
 * charges again one refunded. A shipment has at most one line of each kind (a unique index).
 */

export const INVOICE_LINE_KINDS = [
  'shipping',
  'cod_fee',
  'return_fee',
  'cashback',
  'cod_fee_refund',
  'cod_fee_recharge',
] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];

/** The kinds of line that charge or give back a shipment's COD fee. */
export const COD_FEE_KINDS: readonly InvoiceLineKind[] = ['cod_fee', 'cod_fee_refund', 'cod_fee_recharge'];

/** A shipment that ended delivered or returned, with the charges quoted when it was booked (rupiah). */
export interface ChargedShipment {
  id: string;
  awb: string;
  courier: string;
  status: 'delivered' | 'returned';
  codAmount: Rupiah;
  /** The courier reported the COD cash taken (the seller was credited it). */
  codCollected: boolean;
  shippingFee: Rupiah;
  codFee: Rupiah;
  cashback: Rupiah;
  returnFee: Rupiah;
}

export interface InvoiceLine {
  shipmentId: string;
  awb: string;
  courier: string;
  kind: InvoiceLineKind;
  /**
   * Rupiah the seller owes for the line; negative for cashback and a COD fee refund (the lines sum to the
   * invoice total).
   */
  amount: Rupiah;
}

export interface InvoiceTotals {
  shippingTotal: Rupiah;
  /** COD fees charged: `cod_fee` and `cod_fee_recharge` lines. */
  codFeeTotal: Rupiah;
  returnFeeTotal: Rupiah;
  /** Positive: what is deducted. */
  cashbackTotal: Rupiah;
  /** Positive: COD fees given back (`cod_fee_refund` lines), deducted. */
  codFeeRefundTotal: Rupiah;
  /** shipping + COD fees + return fees − cashback − COD fee refunds; below zero Kirim owes the seller. */
  total: Rupiah;
  lines: number;
}

export const NO_TOTALS: InvoiceTotals = {
  shippingTotal: 0,
  codFeeTotal: 0,
  returnFeeTotal: 0,
  cashbackTotal: 0,
  codFeeRefundTotal: 0,
  total: 0,
  lines: 0,
};

/** Whether the shipment owes its COD fee now: delivered with its COD cash taken (rupiah fee above zero). */
export function codFeeOwed(s: ChargedShipment): boolean {
  return s.status === 'delivered' && s.codAmount > 0 && s.codCollected && s.codFee > 0;
}

/** The lines of one shipment, in the order an invoice lists them; zero amounts make no line. */
export function shipmentLines(s: ChargedShipment): InvoiceLine[] {
  const line = (kind: InvoiceLineKind, amount: Rupiah): InvoiceLine => ({
    shipmentId: s.id,
    awb: s.awb,
    courier: s.courier,
    kind,
    amount,
  });
  const lines: InvoiceLine[] = [];
  if (s.shippingFee > 0) lines.push(line('shipping', s.shippingFee));
  if (codFeeOwed(s)) lines.push(line('cod_fee', s.codFee));
  if (s.status === 'returned' && s.returnFee > 0) lines.push(line('return_fee', s.returnFee));
  if (s.cashback > 0) lines.push(line('cashback', -s.cashback));
  return lines;
}

/**
 * The line that brings a shipment's COD fee on invoices to what it owes now (codFeeOwed), given its COD fee
 * lines already on invoices (`invoiced`, COD_FEE_KINDS): null when they already add up to it. Less is owed:
 * `cod_fee_refund` of the difference (negative); more: `cod_fee` when none was ever charged, else
 * `cod_fee_recharge`. A kind already on an invoice is not written again (one line of each kind a shipment):
 * a fee refunded, charged again and then found owed no more (its credit reversed a second time) stays
 * charged.
 */
export function codFeeAdjustment(
  s: ChargedShipment,
  invoiced: readonly Pick<InvoiceLine, 'kind' | 'amount'>[],
): InvoiceLine | null {
  const fees = invoiced.filter((l) => COD_FEE_KINDS.includes(l.kind));
  const charged = fees.reduce((sum, l) => sum + l.amount, 0);
  const difference = (codFeeOwed(s) ? s.codFee : 0) - charged;
  if (difference === 0) return null;
  const kind: InvoiceLineKind =
    difference < 0
      ? 'cod_fee_refund'
      : fees.some((l) => l.kind === 'cod_fee')
        ? 'cod_fee_recharge'
        : 'cod_fee';
  if (fees.some((l) => l.kind === kind)) return null;
  return { shipmentId: s.id, awb: s.awb, courier: s.courier, kind, amount: difference };
}

/** `totals` with `lines` added (a new object). */
export function addLines(totals: InvoiceTotals, lines: readonly InvoiceLine[]): InvoiceTotals {
  const t = { ...totals };
  for (const l of lines) {
    if (l.kind === 'shipping') t.shippingTotal += l.amount;
    else if (l.kind === 'cod_fee' || l.kind === 'cod_fee_recharge') t.codFeeTotal += l.amount;
    else if (l.kind === 'return_fee') t.returnFeeTotal += l.amount;
    else if (l.kind === 'cod_fee_refund') t.codFeeRefundTotal -= l.amount;
    else t.cashbackTotal -= l.amount;
    t.total += l.amount;
    t.lines += 1;
  }
  return t;
}

/**
 * An invoice's posting (rupiah): the seller's invoice_receivable debited with the total and cashback
 * expense with the cashback; fee income credited with the fees net of COD fee refunds (debited when the
 * refunds are more). An invoice totalling below zero (refunds above its charges) credits the seller's
 * `available` instead: what Kirim owes back is the seller's money at once. Zero amounts make no entry.
 */
export function invoiceEntries(sellerId: string, t: InvoiceTotals): PostingEntry[] {
  const fees = t.shippingTotal + t.codFeeTotal + t.returnFeeTotal - t.codFeeRefundTotal;
  const entries: PostingEntry[] = [];
  if (t.total > 0) entries.push({ account: Accounts.seller(sellerId, 'invoice_receivable'), debit: t.total });
  if (t.total < 0) entries.push({ account: Accounts.seller(sellerId, 'available'), credit: -t.total });
  if (t.cashbackTotal > 0)
    entries.push({ account: Accounts.platform('cashback_expense'), debit: t.cashbackTotal });
  if (fees > 0) entries.push({ account: Accounts.platform('shipping_fee_income'), credit: fees });
  if (fees < 0) entries.push({ account: Accounts.platform('shipping_fee_income'), debit: -fees });
  return entries;
}

export type InvoiceStatus = 'issued' | 'partially_paid' | 'paid';

/** An invoice's status from what it totals and what is paid of it (rupiah); one totalling ≤ 0 owes nothing. */
export function invoiceStatus(total: Rupiah, paid: Rupiah): InvoiceStatus {
  if (paid >= total) return 'paid';
  return paid > 0 ? 'partially_paid' : 'issued';
}

/** What a settlement takes from `available` towards an invoice: as much as there is, up to what is owed. */
export function settlementAmount(available: Rupiah, outstanding: Rupiah): Rupiah {
  return Math.max(0, Math.min(available, outstanding));
}
