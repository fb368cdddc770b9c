import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'config';
import { Clock } from 'src/common/clock';
import { Transactions } from 'src/database/transaction';
import { BankAccountNotFoundError } from 'src/sellers/sellers.errors';
import { BankAccountsService } from 'src/sellers/bank-accounts.service';
import { PayoutAdapter, PayoutProviderUnavailableError, type PayoutResult } from './payout-adapter';
import { WithdrawalLifecycle } from './withdrawal-lifecycle.service';
import type { Withdrawal } from './withdrawal.entity';
import { type ClaimedPayout, WithdrawalsRepository } from './withdrawals.repository';

/** What one run of the payout job did. */
export interface PayoutRunResult {
  /** Payouts the provider was asked to make (first sends and re-sends after a lookup found nothing). */
  sent: number;
  paid: number;
  failed: number;
  bounced: number;
  /** Looked at and left for later: still pending at the provider, or the provider did not answer. */
  waiting: number;
}

type Outcome = 'paid' | 'failed' | 'bounced' | 'waiting';

const MINUTE = 60_000;

/**
 * Pays approved withdrawals through the PayoutAdapter, and follows them until the provider settles them.
 * Work is claimed in PostgreSQL (SKIP LOCKED, a lease) and the provider is called outside any
 * transaction; a payout is marked `sending` (committed) before its first call, so after a crash the next
 * run asks the provider by idempotency key (the withdrawal id) before sending again — never paying twice.
 * One the provider still knows nothing of `giveUpHours` after its first send is not sent again, and fails
 * (`timed_out`, money back) once `lateSendMinutes` have passed since its last send: a send that reached the
 * provider late is found first.
 * Paid payouts are asked about for `bounceWatchDays` more, every `bounceCheckMinutes`: a transfer the bank
 * returns (completed, then failed) gives the seller's money back.
 */
@Injectable()
export class PayoutsService {
  private readonly logger = new Logger(PayoutsService.name);

  constructor(
    private readonly repository: WithdrawalsRepository,
    private readonly lifecycle: WithdrawalLifecycle,
    private readonly adapter: PayoutAdapter,
    private readonly bankAccounts: BankAccountsService,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Claims the withdrawals due by `asOf` (default now) in batches and moves each on: sends it, asks the
   * provider how it went, pays or fails it (funds back to `available`), or watches a paid one for a bounce.
   * Any number of instances may run it at once. `asOf` only picks what is due: leases, send times and the
   * waits on them run on the clock, or a run as of yesterday would take a payout another run is sending and
   * date its send a day early, giving up on it (the money back) while its send may still be paid. Each batch
   * reads the clock again: a run slowed by the provider would otherwise claim its later batches with a lease
   * already run out (another run taking them while they are sent) and date their sends when the run began.
   */
  async runDue(asOf?: Date): Promise<PayoutRunResult> {
    const started = this.clock.now();
    const dueBy = asOf && asOf.getTime() < started.getTime() ? asOf : started;
    const { batch, claimSeconds } = this.config.business.money.payouts;
    const result: PayoutRunResult = { sent: 0, paid: 0, failed: 0, bounced: 0, waiting: 0 };
    for (;;) {
      const now = this.clock.now();
      const claimed = await this.tx.run(() =>
        this.repository.claimDue(dueBy, now, new Date(now.getTime() + claimSeconds * 1000), batch),
      );
      // At once, so the whole batch finishes well within its lease even when the provider is slow.
      await Promise.all(
        claimed.map(async (c) => {
          try {
            result[await this.advance(c, now, result)] += 1;
          } catch (e) {
            // A bug or a database hiccup for one payout: the lease runs out and a later run retries it.
            this.logger.error({ err: e, withdrawalId: c.withdrawal.id }, 'payout step failed');
          }
        }),
      );
      if (claimed.length < batch) return result;
    }
  }

  private advance(c: ClaimedPayout, now: Date, counts: PayoutRunResult): Promise<Outcome> {
    return c.withdrawal.status === 'paid' ? this.watchForBounce(c.withdrawal, now) : this.pay(c, now, counts);
  }

  private async pay(c: ClaimedPayout, now: Date, counts: PayoutRunResult): Promise<Outcome> {
    const w = c.withdrawal;
    const { statusCheckMinutes, retryMinutes, giveUpHours, lateSendMinutes } =
      this.config.business.money.payouts;
    let answer: PayoutResult | null;
    try {
      if (w.payoutState === 'pending' && w.providerId) {
        answer = await this.adapter.status(w.providerId);
      } else {
        // Sent before with no saved answer (a crash, a timeout): the provider may hold it already.
        answer = c.previousState === 'sending' ? await this.adapter.find(w.id) : null;
        if (!answer) {
          const unanswered = now.getTime() - (w.firstSentAt ?? now).getTime();
          // A send whose answer never came may still reach the provider late (a request held on the way):
          // the payout fails, and the money comes back, only once that can no longer happen, or the seller
          // would be paid on top of the money given back.
          const quietFrom = (w.lastSentAt ?? w.firstSentAt ?? now).getTime() + lateSendMinutes * MINUTE;
          const waitQuiet = async (): Promise<Outcome> => {
            await this.repository.update(w.id, ['approved'], {
              payoutClaimedUntil: null,
              nextCheckAt: new Date(quietFrom),
              updatedAt: now,
            });
            return 'waiting';
          };
          if (c.previousState === 'sending' && unanswered >= giveUpHours * 3600_000) {
            // Not sent again.
            if (now.getTime() < quietFrom) return waitQuiet();
            return this.settle(
              w,
              { providerId: w.providerId ?? '', status: 'failed', failureCode: 'timed_out' },
              now,
            );
          }
          const request = await this.payoutRequest(w);
          if (!request) {
            // Nothing to send again to; an earlier send is waited out as a given-up one is.
            if (c.previousState === 'sending' && now.getTime() < quietFrom) return waitQuiet();
            return this.settle(
              w,
              { providerId: '', status: 'failed', failureCode: 'bank_account_removed' },
              now,
            );
          }
          // Committed before the call: whatever becomes of it, the give-up waits for it.
          if (!(await this.repository.update(w.id, ['approved'], { lastSentAt: now, updatedAt: now })))
            return 'waiting';
          counts.sent += 1;
          answer = await this.adapter.send(request);
        }
      }
    } catch (e) {
      if (!(e instanceof PayoutProviderUnavailableError)) throw e;
      // Unknown outcome: stays `sending` (or `pending`) and is asked about again, never taken as failed.
      await this.repository.update(w.id, ['approved'], {
        payoutClaimedUntil: null,
        nextCheckAt: new Date(now.getTime() + retryMinutes * MINUTE),
        updatedAt: now,
      });
      return 'waiting';
    }
    if (answer.status === 'pending') {
      await this.repository.update(w.id, ['approved'], {
        payoutState: 'pending',
        providerId: answer.providerId,
        payoutClaimedUntil: null,
        nextCheckAt: new Date(now.getTime() + statusCheckMinutes * MINUTE),
        updatedAt: now,
      });
      return 'waiting';
    }
    return this.settle(w, answer, now);
  }

  /** A final answer for an approved payout: paid (watched for a bounce from now on) or failed (funds back). */
  private async settle(w: Withdrawal, answer: PayoutResult, now: Date): Promise<Outcome> {
    const { bounceWatchDays, bounceCheckMinutes } = this.config.business.money.payouts;
    if (answer.status === 'completed') {
      await this.lifecycle.apply(w.id, 'pay', now, {
        payoutState: 'completed',
        providerId: answer.providerId,
        payoutClaimedUntil: null,
        bounceWatchUntil: new Date(now.getTime() + bounceWatchDays * 24 * 3600_000),
        nextCheckAt: new Date(now.getTime() + bounceCheckMinutes * MINUTE),
      });
      return 'paid';
    }
    await this.lifecycle.apply(w.id, 'fail', now, {
      payoutState: answer.providerId ? 'failed' : null,
      providerId: answer.providerId || w.providerId,
      failureReason: answer.failureCode ?? 'TRANSFER_ERROR',
      payoutClaimedUntil: null,
      nextCheckAt: null,
    });
    return 'failed';
  }

  private async watchForBounce(w: Withdrawal, now: Date): Promise<Outcome> {
    const { bounceCheckMinutes, retryMinutes } = this.config.business.money.payouts;
    let answer: PayoutResult;
    try {
      answer = await this.adapter.status(w.providerId!);
    } catch (e) {
      if (!(e instanceof PayoutProviderUnavailableError)) throw e;
      await this.repository.update(w.id, ['paid'], {
        payoutClaimedUntil: null,
        nextCheckAt: new Date(now.getTime() + retryMinutes * MINUTE),
        updatedAt: now,
      });
      return 'waiting';
    }
    if (answer.status === 'failed') {
      await this.lifecycle.apply(w.id, 'bounce', now, {
        payoutState: 'failed',
        failureReason: 'bounced',
        payoutClaimedUntil: null,
        nextCheckAt: null,
        bounceWatchUntil: null,
      });
      return 'bounced';
    }
    const watching = w.bounceWatchUntil !== null && now < w.bounceWatchUntil;
    await this.repository.update(w.id, ['paid'], {
      payoutClaimedUntil: null,
      nextCheckAt: watching ? new Date(now.getTime() + bounceCheckMinutes * MINUTE) : null,
      updatedAt: now,
    });
    return 'waiting';
  }

  /** The payout to ask for, with the full account number; null when the seller has removed the account. */
  private async payoutRequest(w: Withdrawal) {
    try {
      const account = await this.bankAccounts.find(w.sellerId, w.bankAccountId);
      return {
        idempotencyKey: w.id,
        amount: w.netAmount,
        bankCode: account.bankCode,
        accountNumber: account.accountNumber,
        accountName: account.accountName,
        description: `Kirim withdrawal ${w.id}`,
      };
    } catch (e) {
      if (e instanceof BankAccountNotFoundError) return null;
      throw e;
    }
  }
}
