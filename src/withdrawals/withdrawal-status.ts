import type { Rupiah } from 'src/common/money';
import { Accounts, type PostingEntry, type PostingType } from 'src/ledger/ledger-accounts';

export const WITHDRAWAL_STATUSES = ['requested', 'approved', 'paid', 'failed', 'rejected'] as const;
export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];

/**
 * Where a payout stands at the provider: `sending` from just before the first call until the provider's
 * answer is saved (a crash leaves it there, so the next run asks the provider by idempotency key first),
 * then the provider's own `pending`, `completed` or `failed`.
 */
export const PAYOUT_STATES = ['sending', 'pending', 'completed', 'failed'] as const;
export type PayoutState = (typeof PAYOUT_STATES)[number];

/** What moves a withdrawal on, and why. */
export type WithdrawalEvent = 'approve' | 'reject' | 'pay' | 'fail' | 'bounce';

/**
 * The transition table: each event, the statuses it may start from, and where it leads. A paid
 * withdrawal can still fail, but only by a bounce (the bank returned the transfer); failed and rejected
 * are final.
 */
export const WITHDRAWAL_TRANSITIONS: Record<
  WithdrawalEvent,
  { from: readonly WithdrawalStatus[]; to: WithdrawalStatus }
> = {
  approve: { from: ['requested'], to: 'approved' },
  reject: { from: ['requested'], to: 'rejected' },
  pay: { from: ['approved'], to: 'paid' },
  fail: { from: ['approved'], to: 'failed' },
  bounce: { from: ['paid'], to: 'failed' },
};

/** The status the event leads to from `from`, or null when the table does not allow it. */
export function nextStatus(from: WithdrawalStatus, event: WithdrawalEvent): WithdrawalStatus | null {
  const t = WITHDRAWAL_TRANSITIONS[event];
  return t.from.includes(from) ? t.to : null;
}

export function isFinal(status: WithdrawalStatus): boolean {
  return (Object.keys(WITHDRAWAL_TRANSITIONS) as WithdrawalEvent[]).every(
    (e) => !WITHDRAWAL_TRANSITIONS[e].from.includes(status),
  );
}

/** The amounts of a withdrawal (rupiah): `amount` leaves the seller, the bank receives `net`, Kirim keeps `fee`. */
export interface WithdrawalAmounts {
  sellerId: string;
  amount: Rupiah;
  fee: Rupiah;
  net: Rupiah;
}

/**
 * The fee and net of a requested amount (rupiah), or null when the amount is below the minimum or would
 * leave nothing for the bank after the fee.
 */
export function splitAmount(
  amount: Rupiah,
  fee: Rupiah,
  minAmount: Rupiah,
): { fee: Rupiah; net: Rupiah } | null {
  if (!Number.isSafeInteger(amount) || amount < minAmount || amount <= fee) return null;
  return { fee, net: amount - fee };
}

/** Leaves out zero-amount lines (no fee configured), which a ledger entry may not be. */
function lines(...entries: PostingEntry[]): PostingEntry[] {
  return entries.filter((e) => ('debit' in e ? e.debit : e.credit) !== 0);
}

/**
 * The ledger entries of a withdrawal's request or of an event (rupiah, balanced):
 * - request: the amount moves from the seller's `available` to its `in_withdrawal`;
 * - approve: it leaves the seller: the net into `payouts_in_flight`, the fee into `fee_income`;
 * - pay: the net leaves the bank;
 * - fail (before paid): the net comes back from `payouts_in_flight`, the fee is refunded, the amount is
 *   `available` again;
 * - bounce (after paid): the net comes back into the bank, the fee is refunded, the amount is `available`;
 * - reject: the amount goes back from `in_withdrawal` to `available`.
 */
export function withdrawalEntries(event: WithdrawalEvent | 'request', w: WithdrawalAmounts): PostingEntry[] {
  const available = Accounts.seller(w.sellerId, 'available');
  const inWithdrawal = Accounts.seller(w.sellerId, 'in_withdrawal');
  const inFlight = Accounts.platform('payouts_in_flight');
  const feeIncome = Accounts.platform('fee_income');
  const bank = Accounts.platform('bank');
  switch (event) {
    case 'request':
      return lines({ account: available, debit: w.amount }, { account: inWithdrawal, credit: w.amount });
    case 'approve':
      return lines(
        { account: inWithdrawal, debit: w.amount },
        { account: inFlight, credit: w.net },
        { account: feeIncome, credit: w.fee },
      );
    case 'pay':
      return lines({ account: inFlight, debit: w.net }, { account: bank, credit: w.net });
    case 'fail':
      return lines(
        { account: inFlight, debit: w.net },
        { account: feeIncome, debit: w.fee },
        { account: available, credit: w.amount },
      );
    case 'bounce':
      return lines(
        { account: bank, debit: w.net },
        { account: feeIncome, debit: w.fee },
        { account: available, credit: w.amount },
      );
    case 'reject':
      return lines({ account: inWithdrawal, debit: w.amount }, { account: available, credit: w.amount });
  }
}

/** The ledger transaction type of each step (`withdrawal_requested`, `withdrawal_paid`, …). */
export const POSTING_TYPE: Record<WithdrawalEvent | 'request', PostingType> = {
  request: 'withdrawal_requested',
  approve: 'withdrawal_approved',
  reject: 'withdrawal_rejected',
  pay: 'withdrawal_paid',
  fail: 'withdrawal_failed',
  bounce: 'withdrawal_bounced',
};
