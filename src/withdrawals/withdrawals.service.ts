import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from 'config';
import { Clock } from 'src/common/clock';
import { wibDayStart } from 'src/common/wib';
import { Page, PageQueryDto } from 'src/common/pagination';
import type { Principal } from 'src/common/auth/principal';
import { Transactions } from 'src/database/transaction';
import { LedgerInsufficientFundsError } from 'src/ledger/ledger.errors';
import { LedgerService } from 'src/ledger/ledger.service';
import { BankAccountsService } from 'src/sellers/bank-accounts.service';
import { BankAccountNotFoundError } from 'src/sellers/sellers.errors';
import { SellersService } from 'src/sellers/sellers.service';
import { withdrawalView, WithdrawalLifecycle } from './withdrawal-lifecycle.service';
import type { Withdrawal } from './withdrawal.entity';
import { splitAmount, type WithdrawalStatus } from './withdrawal-status';
import type { BalanceDto, CreateWithdrawalDto, FinanceWithdrawalDto, WithdrawalDto } from './withdrawals.dto';
import {
  WithdrawalAmountTooSmallError,
  WithdrawalBankAccountRemovedError,
  WithdrawalInsufficientFundsError,
  WithdrawalNotFoundError,
} from './withdrawals.errors';
import { WithdrawalsRepository } from './withdrawals.repository';

function financeView(w: Withdrawal, sellerName: string): FinanceWithdrawalDto {
  return {
    ...withdrawalView(w),
    sellerId: w.sellerId,
    sellerName,
    payoutState: w.payoutState,
    providerId: w.providerId,
  };
}

/** A seller's withdrawals and balance, and finance's approval queue. */
@Injectable()
export class WithdrawalsService {
  constructor(
    private readonly repository: WithdrawalsRepository,
    private readonly lifecycle: WithdrawalLifecycle,
    private readonly ledger: LedgerService,
    private readonly bankAccounts: BankAccountsService,
    private readonly sellers: SellersService,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Requests a withdrawal of `amount` rupiah to one of the seller's bank accounts, by `requestedBy` (still an
   * active user of the seller, held so until it commits): in one transaction, the
   * seller's balances are locked (so concurrent requests queue and each sees the last one's effect), the
   * amount is checked against withdrawable (available less outstanding invoices) and the minimum, and
   * moved to `in_withdrawal` (ledger `withdrawal:<id>:requested`). Up to the auto-approval limit it is
   * approved in the same transaction (`withdrawal:<id>:approve`), while the seller's auto-approved withdrawals of
   * the day (Jakarta time) stay within the daily limit. Replays are the Idempotency-Key's.
   * @throws BankAccountNotFoundError (SELLERS_BANK_ACCOUNT_NOT_FOUND) for an unknown or another seller's account,
   *   or one removed (a removal under way is waited for)
   * @throws WithdrawalAmountTooSmallError (WITHDRAWAL_AMOUNT_TOO_SMALL)
   * @throws WithdrawalInsufficientFundsError (WITHDRAWAL_INSUFFICIENT_FUNDS) over withdrawable
   * @throws InvalidTokenError (AUTH_INVALID_TOKEN) `requestedBy` was removed
   */
  async request(
    sellerId: string,
    requestedBy: Principal,
    input: CreateWithdrawalDto,
  ): Promise<WithdrawalDto> {
    const { fee, minAmount, autoApproveUpTo, autoApproveDailyUpTo } = this.config.business.money.withdrawals;
    try {
      return await this.tx.run(async () => {
        // A removed owner must not send the seller's money out (their cached session lets them in a moment).
        await this.sellers.holdActiveUser(sellerId, requestedBy);
        const account = await this.bankAccounts.find(sellerId, input.bankAccountId, 'bankAccountId');
        // Held until the request commits: a removal under way is waited for and then refuses the request,
        // rather than a withdrawal being taken for an account already gone (its payout then failed).
        if (!(await this.bankAccounts.holdLive(sellerId, account.id)))
          throw new BankAccountNotFoundError('bankAccountId');
        const split = splitAmount(input.amount, fee, minAmount);
        if (!split) throw new WithdrawalAmountTooSmallError(Math.max(minAmount, fee + 1));
        const balances = await this.ledger.sellerBalances(sellerId, { lock: true });
        const withdrawable = Math.max(0, balances.available - balances.invoiceReceivable);
        if (input.amount > withdrawable) throw new WithdrawalInsufficientFundsError(withdrawable);
        const now = this.clock.now();
        let w = await this.lifecycle.open(
          {
            id: randomUUID(),
            sellerId,
            bankAccountId: account.id,
            amount: input.amount,
            fee: split.fee,
            netAmount: split.net,
            status: 'requested',
            payoutState: null,
            providerId: null,
            payoutClaimedUntil: null,
            nextCheckAt: null,
            firstSentAt: null,
            lastSentAt: null,
            bounceWatchUntil: null,
            failureReason: null,
            rejectionReason: null,
            decidedBy: null,
            approvedAt: null,
            paidAt: null,
            failedAt: null,
            rejectedAt: null,
            createdAt: now,
            updatedAt: now,
          },
          account,
        );
        // The balances' lock taken above also orders this sum: two requests at once cannot both fit under it.
        const today = wibDayStart(now);
        if (
          input.amount <= autoApproveUpTo &&
          (await this.repository.autoApprovedSince(sellerId, today)) + input.amount <= autoApproveDailyUpTo
        )
          w = await this.lifecycle.apply(w.id, 'approve', now);
        return withdrawalView(w);
      });
    } catch (e) {
      // The ledger's own floor (a trigger) is the backstop behind the locked check: the same answer.
      if (e instanceof LedgerInsufficientFundsError) throw new WithdrawalInsufficientFundsError();
      throw e;
    }
  }

  /** @throws WithdrawalNotFoundError (WITHDRAWAL_NOT_FOUND), also for another seller's */
  async get(sellerId: string, id: string): Promise<WithdrawalDto> {
    const w = await this.repository.find(id, sellerId);
    if (!w) throw new WithdrawalNotFoundError();
    return withdrawalView(w);
  }

  /** The seller's withdrawals, newest first. @throws ValidationFailedError for a bad cursor */
  async list(sellerId: string, query: PageQueryDto): Promise<Page<WithdrawalDto>> {
    const page = await this.repository.listForSeller(sellerId, query);
    return { items: page.items.map(withdrawalView), nextCursor: page.nextCursor };
  }

  /**
   * The seller's money (rupiah): pending and available cash, what is on its way out (`in_withdrawal` plus
   * approved withdrawals not yet paid), outstanding invoices, and what may be withdrawn now. Read in one
   * snapshot, so a withdrawal changing status meanwhile is counted once, without locking anything.
   */
  balance(sellerId: string): Promise<BalanceDto> {
    return this.tx.snapshot(async () => {
      const b = await this.ledger.sellerBalances(sellerId);
      const approved = await this.repository.approvedTotal(sellerId);
      return {
        pending: b.pending,
        available: b.available,
        inWithdrawal: b.inWithdrawal + approved,
        outstandingInvoices: b.invoiceReceivable,
        withdrawable: Math.max(0, b.available - b.invoiceReceivable),
      };
    });
  }

  /** Every seller's withdrawals, optionally of one status, newest first (finance). */
  async financeList(
    query: PageQueryDto & { status?: WithdrawalStatus },
  ): Promise<Page<FinanceWithdrawalDto>> {
    const page = await this.repository.listAll(query);
    return { items: await this.financeViews(page.items), nextCursor: page.nextCursor };
  }

  /** One withdrawal of any seller (finance). @throws WithdrawalNotFoundError (WITHDRAWAL_NOT_FOUND) */
  async financeGet(id: string): Promise<FinanceWithdrawalDto> {
    const w = await this.repository.find(id);
    if (!w) throw new WithdrawalNotFoundError();
    return (await this.financeViews([w]))[0];
  }

  /** Finance's view of withdrawals, with their sellers' names (one lookup for them all). */
  private async financeViews(ws: Withdrawal[]): Promise<FinanceWithdrawalDto[]> {
    const names = await this.sellers.names(ws.map((w) => w.sellerId));
    return ws.map((w) => financeView(w, names.get(w.sellerId) ?? ''));
  }

  /**
   * Finance approves a requested withdrawal: its amount leaves the seller (net to payouts in flight, the
   * fee to fee income; ledger `withdrawal:<id>:approve`) and the payout job will send it.
   * @throws WithdrawalNotFoundError (WITHDRAWAL_NOT_FOUND)
   * @throws WithdrawalInvalidTransitionError (WITHDRAWAL_INVALID_TRANSITION) unless it is requested
   * @throws WithdrawalBankAccountRemovedError (WITHDRAWAL_BANK_ACCOUNT_REMOVED) when the seller has removed
   *   its bank account (one removed after the approval fails the payout instead, `bank_account_removed`)
   */
  async approve(id: string, userId: string): Promise<FinanceWithdrawalDto> {
    const w = await this.tx.run(async () => {
      // The account held (FOR SHARE) until the approval commits: a removal meanwhile waits for it, and then
      // fails the payout instead (bank_account_removed), as one made after the approval does.
      const requested = await this.repository.find(id);
      if (
        requested?.status === 'requested' &&
        !(await this.bankAccounts.holdLive(requested.sellerId, requested.bankAccountId))
      )
        throw new WithdrawalBankAccountRemovedError();
      return this.lifecycle.apply(id, 'approve', this.clock.now(), { decidedBy: userId });
    });
    return (await this.financeViews([w]))[0];
  }

  /**
   * Finance rejects a requested withdrawal with a reason: its amount is available to the seller again
   * (ledger `withdrawal:<id>:reject`).
   * @throws WithdrawalNotFoundError (WITHDRAWAL_NOT_FOUND)
   * @throws WithdrawalInvalidTransitionError (WITHDRAWAL_INVALID_TRANSITION) unless it is requested
   */
  async reject(id: string, userId: string, reason: string): Promise<FinanceWithdrawalDto> {
    const w = await this.lifecycle.apply(id, 'reject', this.clock.now(), {
      decidedBy: userId,
      rejectionReason: reason,
    });
    return (await this.financeViews([w]))[0];
  }
}
