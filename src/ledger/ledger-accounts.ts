import type { Rupiah } from 'src/common/money';
import { compareStrings } from 'src/common/sort-order';

/** A seller's own accounts: what Kirim owes the seller (the first three) and what the seller owes Kirim. */
export const SELLER_ACCOUNT_KINDS = ['pending', 'available', 'in_withdrawal', 'invoice_receivable'] as const;
export type SellerAccountKind = (typeof SELLER_ACCOUNT_KINDS)[number];

/**
 * The platform's accounts. `courier_cod_receivable` is kept per courier (COD cash a courier holds for
 * Kirim); `remittance_suspense` holds cash a courier remitted that matched no parcel (or the wrong amount)
 * until finance explains it.
 */
export const PLATFORM_ACCOUNT_KINDS = [
  'courier_cod_receivable',
  'shipping_fee_income',
  'cashback_expense',
  'payouts_in_flight',
  'bank',
  'fee_income',
  'remittance_suspense',
  'other_income',
] as const;
export type PlatformAccountKind = (typeof PLATFORM_ACCOUNT_KINDS)[number];
export type AccountKind = SellerAccountKind | PlatformAccountKind;

/**
 * Which side makes each kind of account grow: assets and expenses grow by debits, what Kirim owes and
 * earns by credits. Balances are kept and answered in the account's own sense (growing = positive).
 */
const DEBIT_NORMAL = new Set<AccountKind>([
  'invoice_receivable',
  'courier_cod_receivable',
  'cashback_expense',
  'bank',
]);

export function isDebitNormal(kind: AccountKind): boolean {
  return DEBIT_NORMAL.has(kind);
}

/** A seller's money (and what it owes) never goes below zero; platform clearing accounts may. */
export function mayGoNegative(kind: AccountKind): boolean {
  return (PLATFORM_ACCOUNT_KINDS as readonly string[]).includes(kind);
}

/** One account, named by a stable code (`seller:<id>:available`, `platform:courier_cod_receivable:jne`). */
export interface AccountRef {
  code: string;
  kind: AccountKind;
  sellerId: string | null;
}

export const Accounts = {
  seller(sellerId: string, kind: SellerAccountKind): AccountRef {
    return { code: `seller:${sellerId}:${kind}`, kind, sellerId };
  },
  courierCodReceivable(courier: string): AccountRef {
    return {
      code: `platform:courier_cod_receivable:${courier}`,
      kind: 'courier_cod_receivable',
      sellerId: null,
    };
  },
  platform(kind: Exclude<PlatformAccountKind, 'courier_cod_receivable'>): AccountRef {
    return { code: `platform:${kind}`, kind, sellerId: null };
  },
};

/**
 * The one order every transaction takes ledger accounts' rows in, so that none waits on another in a
 * circle: the couriers' COD receivables first (the tracker holds one while it credits sellers, and a COD
 * reversal takes it first), then sellers' accounts (a withdrawal or an invoice holds the seller's while it
 * posts to the platform's), then the platform's other accounts; by code within each. By code alone, a
 * remittance took the bank before the courier's receivable, closing a circle with the tracker and a payout.
 */
export function lockRank(a: Pick<AccountRef, 'kind' | 'sellerId'>): number {
  return a.kind === 'courier_cod_receivable' ? 0 : a.sellerId ? 1 : 2;
}

/** Compares two accounts by the lock order (`lockRank`, then code). */
export function byLockOrder(a: AccountRef, b: AccountRef): number {
  return lockRank(a) - lockRank(b) || compareStrings(a.code, b.code);
}

/** The lock order in SQL over `ledger_accounts` (kind, seller_id, code), as `byLockOrder`. */
export const LOCK_ORDER_SQL =
  "CASE WHEN kind = 'courier_cod_receivable' THEN 0 WHEN seller_id IS NOT NULL THEN 1 ELSE 2 END, code";

/**
 * Once-only keys of postings more than one module reads: tracking posts a COD credit, its reversal and the
 * credit of a reversed parcel delivered again (and that credit's reversal); remittances must not settle a
 * reversed credit's cash until then.
 */
export const PostingKeys = {
  codCredit: (shipmentId: string): string => `cod-credit:${shipmentId}`,
  codCreditReversal: (shipmentId: string): string => `cod-credit-reversal:${shipmentId}`,
  codRedeliveryCredit: (shipmentId: string): string => `cod-credit-redelivered:${shipmentId}`,
  codRedeliveryReversal: (shipmentId: string): string => `cod-credit-redelivered-reversal:${shipmentId}`,
};

/**
 * A shipment's COD credits, in the order they can be posted: its delivery's, then — after finance reversed
 * that — its delivery again's. Each places its own hold and is reversed under its own key; a parcel whose
 * second credit was reversed too is credited no more (a remittance of its cash waits in suspense).
 */
export const codCreditGenerations = (shipmentId: string): { credit: string; reversal: string }[] => [
  { credit: PostingKeys.codCredit(shipmentId), reversal: PostingKeys.codCreditReversal(shipmentId) },
  {
    credit: PostingKeys.codRedeliveryCredit(shipmentId),
    reversal: PostingKeys.codRedeliveryReversal(shipmentId),
  },
];

/** The keys that tell whether a shipment's COD credit stands reversed (codCreditStandsReversed). */
export const codReversalKeys = (shipmentId: string): string[] =>
  codCreditGenerations(shipmentId).flatMap((g) => [g.credit, g.reversal]);

/**
 * Whether finance reversed the shipment's latest COD credit, given the keys posted among its codReversalKeys:
 * its courier owes no cash for it.
 */
export const codCreditStandsReversed = (shipmentId: string, posted: ReadonlySet<string>): boolean => {
  const latest = codCreditGenerations(shipmentId).findLast((g) => posted.has(g.credit));
  return latest !== undefined && posted.has(latest.reversal);
};

/**
 * What a posting records, lower_snake: every business event the ledger knows (the seller's statement names
 * each of those that touch a seller's accounts).
 */
export const POSTING_TYPES = [
  'cod_credit',
  'cod_credit_reversed',
  'hold_released',
  'invoice_issued',
  'invoice_settled',
  'courier_remittance',
  'courier_remittance_voided',
  'remittance_suspense_refunded',
  'remittance_suspense_written_off',
  'withdrawal_requested',
  'withdrawal_approved',
  'withdrawal_rejected',
  'withdrawal_paid',
  'withdrawal_failed',
  'withdrawal_bounced',
] as const;
export type PostingType = (typeof POSTING_TYPES)[number];

/** One line of a posting: exactly one of `debit` and `credit`, a positive number of rupiah. */
export type PostingEntry = { account: AccountRef; debit: Rupiah } | { account: AccountRef; credit: Rupiah };

/** A business event in money: the entries (≥ 2, one per account, debits = credits) and its once-only key. */
export interface Posting {
  /** Unique for the business event, e.g. `cod-credit:<shipmentId>`: the same event posts once. */
  key: string;
  /** What happened (`cod_credit`, `invoice_issued`, `withdrawal_requested`, …). */
  type: PostingType;
  /** When it happened (business time). */
  at: Date;
  /** The seller it concerns, if any (for the seller's statement). */
  sellerId?: string | null;
  /** What the seller sees it for: an AWB, an invoice number, a withdrawal id. */
  reference?: string | null;
  entries: PostingEntry[];
  /**
   * Money that moves on by itself later: e.g. COD cash from `pending` to `available` after the hold. The
   * `ledger-holds` job posts each release once (key `hold-release:<holdId>`).
   */
  holds?: { from: AccountRef; to: AccountRef; amount: Rupiah; releaseAt: Date }[];
}

/** Debit-positive signed amount of an entry (the sum over a transaction is zero). */
export function signedAmount(e: PostingEntry): Rupiah {
  return 'debit' in e ? e.debit : -e.credit;
}

/** The change an entry makes to its account's balance in the account's own sense. */
export function balanceDelta(e: PostingEntry): Rupiah {
  const signed = signedAmount(e);
  return isDebitNormal(e.account.kind) ? signed : -signed;
}

/**
 * Why a posting is malformed, or null: fewer than two entries, an account twice, a non-positive or
 * unsafe amount, or debits that do not equal credits.
 */
export function postingProblem(p: Pick<Posting, 'key' | 'entries'>): string | null {
  if (!p.key || p.key.length > 200) return 'the key must be 1–200 characters';
  if (p.entries.length < 2) return 'a transaction needs at least two entries';
  const seen = new Set<string>();
  let sum = 0;
  for (const e of p.entries) {
    const amount = 'debit' in e ? e.debit : e.credit;
    if (!Number.isSafeInteger(amount) || amount <= 0)
      return `${e.account.code}: amount must be a positive integer`;
    if (seen.has(e.account.code)) return `${e.account.code} appears twice`;
    seen.add(e.account.code);
    sum += signedAmount(e);
  }
  if (!Number.isSafeInteger(sum)) return 'the amounts are too large';
  return sum === 0 ? null : `debits and credits differ by ${sum}`;
}
