import type { Rupiah } from 'src/common/money';

/**
 * Invoice lines, pure: what a shipment that ended in the period is charged. Every ended shipment pays its
 * shipping price and earns its cashback back (a line of its own, negative); a delivered COD parcel whose
 * cash the courier took also pays the COD fee (one delivered without it was handled as no COD parcel: the
 * seller got no credit and pays no fee), a returned parcel the return fee. Lost parcels are not charged at all: they never
 * reach invoicing (Kirim and the courier settle a loss between them).
 */

export const INVOICE_LINE_KINDS = ['shipping', 'cod_fee', 'return_fee', 'cashback'] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];

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
  /** Rupiah the seller owes for the line; negative for cashback (the lines sum to the invoice total). */
  amount: Rupiah;
}

export interface InvoiceTotals {
  shippingTotal: Rupiah;
  codFeeTotal: Rupiah;
  returnFeeTotal: Rupiah;
  /** Positive: what is deducted. */
  cashbackTotal: Rupiah;
  /** shipping + COD fees + return fees − cashback. */
  total: Rupiah;
  lines: number;
}

export const NO_TOTALS: InvoiceTotals = {
  shippingTotal: 0,
  codFeeTotal: 0,
  returnFeeTotal: 0,
  cashbackTotal: 0,
  total: 0,
  lines: 0,
};

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
  if (s.status === 'delivered' && s.codAmount > 0 && s.codCollected && s.codFee > 0)
    lines.push(line('cod_fee', s.codFee));
  if (s.status === 'returned' && s.returnFee > 0) lines.push(line('return_fee', s.returnFee));
  if (s.cashback > 0) lines.push(line('cashback', -s.cashback));
  return lines;
}

/** `totals` with `lines` added (a new object). */
export function addLines(totals: InvoiceTotals, lines: readonly InvoiceLine[]): InvoiceTotals {
  const t = { ...totals };
  for (const l of lines) {
    if (l.kind === 'shipping') t.shippingTotal += l.amount;
    else if (l.kind === 'cod_fee') t.codFeeTotal += l.amount;
    else if (l.kind === 'return_fee') t.returnFeeTotal += l.amount;
    else t.cashbackTotal -= l.amount;
    t.total += l.amount;
    t.lines += 1;
  }
  return t;
}

export type InvoiceStatus = 'issued' | 'partially_paid' | 'paid';

/** An invoice's status from what it totals and what is paid of it (rupiah). */
export function invoiceStatus(total: Rupiah, paid: Rupiah): InvoiceStatus {
  if (paid >= total) return 'paid';
  return paid > 0 ? 'partially_paid' : 'issued';
}

/** What a settlement takes from `available` towards an invoice: as much as there is, up to what is owed. */
export function settlementAmount(available: Rupiah, outstanding: Rupiah): Rupiah {
  return Math.max(0, Math.min(available, outstanding));
}
