import { Injectable } from '@nestjs/common';
import { maskAccountNumber } from 'src/sellers/bank-accounts.service';
import { SellerNotifications } from 'src/sellers/notifications/seller-notifications.service';
import { Transactions } from 'src/database/transaction';
import { LedgerService } from 'src/ledger/ledger.service';
import type { WithdrawalDto } from './withdrawals.dto';
import { Withdrawal } from './withdrawal.entity';
import {
  POSTING_TYPE,
  WITHDRAWAL_TRANSITIONS,
  type WithdrawalEvent,
  withdrawalEntries,
} from './withdrawal-status';
import { WithdrawalInvalidTransitionError, WithdrawalNotFoundError } from './withdrawals.errors';
import { WithdrawalsRepository } from './withdrawals.repository';

/** The seller's view of a withdrawal (also the `withdrawal.updated` webhook's data). */
export function withdrawalView(w: Withdrawal): WithdrawalDto {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: w.id,
    status: w.status,
    amount: w.amount,
    fee: w.fee,
    netAmount: w.netAmount,
    bankAccount: {
      id: w.bankAccountId,
      bankCode: w.bankCode,
      accountNumber: w.accountNumberMasked,
      accountName: w.accountName,
    },
    failureReason: w.failureReason,
    rejectionReason: w.rejectionReason,
    createdAt: w.createdAt.toISOString(),
    approvedAt: iso(w.approvedAt),
    paidAt: iso(w.paidAt),
    failedAt: iso(w.failedAt),
    rejectedAt: iso(w.rejectedAt),
    updatedAt: w.updatedAt.toISOString(),
  };
}

const ACTION: Record<WithdrawalEvent, string> = {
  approve: 'approved',
  reject: 'rejected',
  pay: 'paid',
  fail: 'failed',
  bounce: 'bounced',
};

/** What an event writes besides the status (timestamps, reasons, payout progress). */
export type TransitionPatch = Partial<
  Pick<
    Withdrawal,
    | 'failureReason'
    | 'rejectionReason'
    | 'decidedBy'
    | 'payoutState'
    | 'providerId'
    | 'payoutClaimedUntil'
    | 'nextCheckAt'
    | 'bounceWatchUntil'
  >
>;

/**
 * The one door through which a withdrawal is opened and changes status: each change is checked against
 * the transition table by the database (a conditional UPDATE), posts its ledger transaction (key
 * `withdrawal:<id>:<event>`) and enqueues `withdrawal.updated`, all in one database transaction.
 */
@Injectable()
export class WithdrawalLifecycle {
  constructor(
    private readonly repository: WithdrawalsRepository,
    private readonly ledger: LedgerService,
    private readonly notifications: SellerNotifications,
    private readonly tx: Transactions,
  ) {}

  /**
   * Stores a requested withdrawal and moves its amount from the seller's `available` to `in_withdrawal`
   * (ledger key `withdrawal:<id>:requested`). Runs in the caller's transaction (or its own); the caller has
   * checked the amount against the locked balance.
   * @throws LedgerInsufficientFundsError (LEDGER_INSUFFICIENT_FUNDS) if `available` would go below zero
   */
  open(
    w: Omit<Withdrawal, 'bankCode' | 'accountNumberMasked' | 'accountName'>,
    account: { bankCode: string; accountNumber: string; accountName: string },
  ): Promise<Withdrawal> {
    return this.tx.run(async () => {
      const row: Withdrawal = {
        ...w,
        bankCode: account.bankCode,
        accountNumberMasked: maskAccountNumber(account.accountNumber),
        accountName: account.accountName,
      };
      await this.repository.insert(row);
      await this.post('request', row, row.createdAt);
      await this.notifications.enqueue(row.sellerId, 'withdrawal.updated', { ...withdrawalView(row) });
      return row;
    });
  }

  /**
   * Moves the withdrawal on by `event` if the transition table allows it from its current status, posting
   * the event's ledger transaction (key `withdrawal:<id>:<event>`, rupiah) and enqueuing
   * `withdrawal.updated`, in the caller's transaction (or its own).
   * @throws WithdrawalNotFoundError (WITHDRAWAL_NOT_FOUND)
   * @throws WithdrawalInvalidTransitionError (WITHDRAWAL_INVALID_TRANSITION) when its status does not allow it
   */
  apply(id: string, event: WithdrawalEvent, at: Date, patch: TransitionPatch = {}): Promise<Withdrawal> {
    return this.tx.run(async () => {
      // Locks in the order every money path takes them: the seller's balances, then the withdrawal, then
      // (posting) the platform's accounts. Taken the other way round, an approval deadlocked with the same
      // seller's request auto-approved at that moment (each holding what the other's posting needed).
      const before = await this.repository.find(id);
      if (!before) throw new WithdrawalNotFoundError();
      await this.ledger.sellerBalances(before.sellerId, { lock: true });
      const { from, to } = WITHDRAWAL_TRANSITIONS[event];
      const stamp =
        to === 'approved'
          ? { approvedAt: at, nextCheckAt: at }
          : to === 'paid'
            ? { paidAt: at }
            : to === 'failed'
              ? { failedAt: at }
              : { rejectedAt: at };
      const moved = await this.repository.update(id, from, { ...stamp, ...patch, status: to, updatedAt: at });
      const w = await this.repository.find(id);
      if (!w) throw new WithdrawalNotFoundError();
      if (!moved) throw new WithdrawalInvalidTransitionError(w.status, ACTION[event]);
      await this.post(event, w, at);
      await this.notifications.enqueue(w.sellerId, 'withdrawal.updated', { ...withdrawalView(w) });
      return w;
    });
  }

  private async post(event: WithdrawalEvent | 'request', w: Withdrawal, at: Date): Promise<void> {
    await this.ledger.post({
      key: `withdrawal:${w.id}:${event === 'request' ? 'requested' : event}`,
      type: POSTING_TYPE[event],
      at,
      sellerId: w.sellerId,
      reference: w.id,
      entries: withdrawalEntries(event, {
        sellerId: w.sellerId,
        amount: w.amount,
        fee: w.fee,
        net: w.netAmount,
      }),
    });
  }
}
