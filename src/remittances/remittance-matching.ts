import type { Rupiah } from 'src/common/money';
import { Accounts, type PostingEntry } from 'src/ledger/ledger-accounts';
import type { ReportLine } from './remittance-report';

export const REMITTANCE_OUTCOMES = ['matched', 'amount_mismatch', 'unmatched', 'duplicate'] as const;
export type RemittanceOutcome = (typeof REMITTANCE_OUTCOMES)[number];

/**
 * How finance resolved a line waiting in suspense: its cash refunded to the courier (out of the bank), kept as
 * Kirim's income (written off), or credited to the seller of a parcel finance names (the line then settles it).
 */
export const REMITTANCE_RESOLUTIONS = ['refund_courier', 'write_off', 'credit_seller'] as const;
export type RemittanceResolution = (typeof REMITTANCE_RESOLUTIONS)[number];

/**
 * The ledger entries of a line's cash leaving suspense as refunded or written off (rupiah): refunded, the bank
 * pays it back to the courier; written off, Kirim keeps it as other income.
 */
export function suspenseResolutionEntries(
  resolution: Exclude<RemittanceResolution, 'credit_seller'>,
  amount: Rupiah,
): PostingEntry[] {
  return [
    { account: Accounts.platform('remittance_suspense'), debit: amount },
    {
      account: Accounts.platform(resolution === 'refund_courier' ? 'bank' : 'other_income'),
      credit: amount,
    },
  ];
}

/**
 * Why a line matched no parcel: no parcel of this courier has the AWB, it is not a delivered COD parcel, or
 * its COD credit was reversed (finance found the cash never collected, so the courier owes none for it).
 */
export type UnmatchedReason = 'unknown_awb' | 'not_delivered_cod' | 'cod_reversed';

/** What Kirim knows of the parcel an AWB names at the remitting courier. */
export interface ParcelOnRecord {
  shipmentId: string;
  codAmount: Rupiah;
  /** Delivered with the COD cash taken (the event that credited the seller). */
  codDelivered: boolean;
  deliveredAt: Date | null;
  /**
   * Its COD credit was reversed by finance (a delivery taken back whose cash was never collected), and no
   * delivery since credited it again.
   */
  codReversed?: boolean;
}

export interface MatchedLine extends ReportLine {
  outcome: RemittanceOutcome;
  reason: UnmatchedReason | null;
  shipmentId: string | null;
  /** Rupiah Kirim expected for the parcel (its COD amount), when there is a parcel. */
  expectedAmount: Rupiah | null;
  deliveredAt: Date | null;
}

export interface MatchTotals {
  lines: number;
  /** Rupiah received in all: the sum of every line's amount. */
  total: Rupiah;
  byOutcome: Record<RemittanceOutcome, { count: number; amount: Rupiah }>;
}

const DAY_MS = 86_400_000;

/**
 * Whether a parcel delivered at `deliveredAt` can be the one a line remitted on `remittedOn` (`YYYY-MM-DD`,
 * Jakarta) paid for: cash is remitted after a delivery, so one delivered after the day after the remittance
 * date is not that line's (an airway bill mistyped, or used again). A day's slack for reports dated by batch.
 */
export function deliveredInTimeFor(deliveredAt: Date, remittedOn: string): boolean {
  return deliveredAt.getTime() < Date.parse(`${remittedOn}T00:00:00+07:00`) + 2 * DAY_MS;
}

/**
 * Decides each line of a report, in row order: an AWB already settled (by an earlier report, or a line
 * above) is a `duplicate`; an AWB of no delivered COD parcel of this courier, or of one delivered after the
 * line's remittance (deliveredInTimeFor), is `unmatched`, as is one whose COD credit was reversed (its cash
 * then waits in suspense for finance, rather than settling a receivable the reversal already took); a parcel's
 * AWB with another amount is an `amount_mismatch`; otherwise the line is `matched` and settles the parcel.
 * So a parcel is settled at most once, whatever the report holds.
 */
export function matchRemittance(
  lines: ReportLine[],
  parcels: ReadonlyMap<string, ParcelOnRecord>,
  settledAwbs: ReadonlySet<string>,
): MatchedLine[] {
  const settled = new Set(settledAwbs);
  return lines.map((line) => {
    const parcel = parcels.get(line.awb) ?? null;
    const known = {
      shipmentId: parcel?.shipmentId ?? null,
      expectedAmount: parcel?.codAmount ?? null,
      deliveredAt: parcel?.deliveredAt ?? null,
    };
    if (settled.has(line.awb)) return { ...line, ...known, outcome: 'duplicate', reason: null };
    if (parcel?.codReversed) return { ...line, ...known, outcome: 'unmatched', reason: 'cod_reversed' };
    const delivered =
      parcel?.codDelivered &&
      parcel.codAmount > 0 &&
      (!parcel.deliveredAt || deliveredInTimeFor(parcel.deliveredAt, line.remittedOn));
    if (!parcel || !delivered)
      return {
        ...line,
        ...known,
        outcome: 'unmatched',
        reason: parcel ? 'not_delivered_cod' : 'unknown_awb',
      };
    if (parcel.codAmount !== line.amount)
      return { ...line, ...known, outcome: 'amount_mismatch', reason: null };
    settled.add(line.awb);
    return { ...line, ...known, outcome: 'matched', reason: null };
  });
}

/** Counts and rupiah per outcome, and the total received. */
export function matchTotals(lines: MatchedLine[]): MatchTotals {
  const byOutcome = Object.fromEntries(
    REMITTANCE_OUTCOMES.map((o) => [o, { count: 0, amount: 0 }]),
  ) as Record<RemittanceOutcome, { count: number; amount: Rupiah }>;
  let total = 0;
  for (const l of lines) {
    byOutcome[l.outcome].count += 1;
    byOutcome[l.outcome].amount += l.amount;
    total += l.amount;
  }
  return { lines: lines.length, total, byOutcome };
}

/**
 * The ledger entries of a report: the bank received the total; what matched settles the courier's COD
 * receivable, the rest (unmatched, mismatched, duplicated cash) waits in remittance suspense until finance
 * explains it. Empty when nothing was received.
 */
export function remittanceEntries(courier: string, totals: MatchTotals): PostingEntry[] {
  if (totals.total <= 0) return [];
  const settled = totals.byOutcome.matched.amount;
  const unexplained = totals.total - settled;
  return [
    { account: Accounts.platform('bank'), debit: totals.total },
    ...(settled > 0 ? [{ account: Accounts.courierCodReceivable(courier), credit: settled }] : []),
    ...(unexplained > 0 ? [{ account: Accounts.platform('remittance_suspense'), credit: unexplained }] : []),
  ];
}

/** What voiding a report posts: its entries (as its totals now stand) turned around. */
export function remittanceVoidEntries(courier: string, totals: MatchTotals): PostingEntry[] {
  return remittanceEntries(courier, totals).map((e) =>
    'debit' in e ? { account: e.account, credit: e.debit } : { account: e.account, debit: e.credit },
  );
}

/** What resolving a line to a seller's parcel needs to know of the shipment finance names. */
export interface NamedParcel {
  codAmount: Rupiah;
  /** The courier and airway bill it is booked with now (null before a booking). */
  courier: string | null;
  awb: string | null;
  status: string;
  /** The line's courier booked it under the line's airway bill (now, or before Kirim re-booked it away). */
  bookedBefore: boolean;
}

/**
 * Why the shipment finance names is not the parcel a line of `courier` naming `awb` paid for, or null when it
 * is: a COD parcel that courier carried under that bill — booked with it now and delivered (a parcel not yet
 * known delivered is matched by the late match), booked with it now and cancelled (the courier took it
 * after all: tracking no longer follows a cancelled parcel, so no delivery of it will ever be learned), or
 * booked with it before Kirim re-booked it away, that later booking since cancelled (else its own courier's
 * delivery could credit the seller again).
 */
export function whyNotTheLinesParcel(p: NamedParcel, line: { courier: string; awb: string }): string | null {
  if (p.codAmount <= 0) return 'is not a COD shipment';
  if (p.courier === line.courier && p.awb === line.awb) {
    if (p.status === 'delivered' || (p.status === 'cancelled' && p.bookedBefore)) return null;
    return `is not delivered (${p.status}): its line is matched once Kirim learns of the delivery`;
  }
  if (!p.bookedBefore) return `was never booked with ${line.courier} under ${line.awb}`;
  return p.status === 'cancelled'
    ? null
    : `was re-booked away from ${line.courier} and that booking is ${p.status}: cancel it first, so no other courier's delivery credits it`;
}
