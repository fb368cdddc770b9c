import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { Clock } from 'src/common/clock';
import { compareStrings } from 'src/common/sort-order';
import { checkTimeRange } from 'src/common/time-range';
import { AppConfig } from 'config';
import type { Rupiah } from 'src/common/money';
import { DEFAULT_PAGE_LIMIT, decodeKeyset, Page, toKeysetPage } from 'src/common/pagination';
import { DEFERRED_ORDER, Transactions } from 'src/database/transaction';
import {
  type AccountRef,
  Accounts,
  balanceDelta,
  isDebitNormal,
  mayGoNegative,
  type Posting,
  type PostingEntry,
  postingProblem,
  type SellerAccountKind,
  signedAmount,
} from './ledger-accounts';
import { LedgerInsufficientFundsError, LedgerKeyConflictError, LedgerMisuseError } from './ledger.errors';
import {
  type EntryRow,
  LedgerRepository,
  type TrialBalanceRow,
  type VerifyFindings,
} from './ledger.repository';

export interface SellerBalances {
  pending: Rupiah;
  available: Rupiah;
  inWithdrawal: Rupiah;
  /** What the seller owes on issued invoices not yet settled. */
  invoiceReceivable: Rupiah;
}

export interface LedgerEntryView {
  id: string;
  at: string;
  type: string;
  /** The seller's account: pending, available, in_withdrawal or invoice_receivable. */
  account: SellerAccountKind;
  /** Rupiah, positive when the account grew. */
  amount: Rupiah;
  balanceAfter: Rupiah;
  reference: string | null;
}

/** Called before a transaction commits for each seller whose `available` grew in it (once per seller). */
export type AvailableCreditedListener = (sellerId: string) => Promise<void>;

const ENTRIES_ORDER = 'ledger-entries';

/**
 * The single source of truth for money. Every movement is a balanced transaction with a once-only key;
 * balances change only here, in the same transaction as the business change that caused them.
 */
@Injectable()
export class LedgerService {
  private readonly listeners: AvailableCreditedListener[] = [];

  constructor(
    private readonly repository: LedgerRepository,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Posts a balanced transaction (integer rupiah) once per `key`: a repeat with the same entries returns the
   * first one's id with `posted: false`. Must run inside a database transaction (the caller's business
   * change commits with it).
   * @throws LedgerInsufficientFundsError (LEDGER_INSUFFICIENT_FUNDS) when a seller account would go below zero
   * @throws LedgerKeyConflictError (LEDGER_KEY_CONFLICT) when the key was posted with other entries
   * @throws LedgerMisuseError outside a transaction or for a malformed posting
   */
  async post(p: Posting): Promise<{ transactionId: string; posted: boolean }> {
    if (!this.tx.active) throw new LedgerMisuseError(`posting ${p.key} outside a database transaction`);
    const problem = postingProblem(p);
    if (problem) throw new LedgerMisuseError(`posting ${p.key}: ${problem}`);
    for (const h of p.holds ?? [])
      if (
        isDebitNormal(h.from.kind) !== isDebitNormal(h.to.kind) ||
        !Number.isSafeInteger(h.amount) ||
        h.amount <= 0
      )
        throw new LedgerMisuseError(
          `posting ${p.key}: a hold moves a positive amount between accounts of one side`,
        );
    let id: string | null;
    try {
      id = await this.repository.insert(p);
    } catch (e) {
      throw insufficientFunds(e) ?? e;
    }
    if (!id) {
      const existing = await this.repository.byKey(p.key);
      if (!existing) throw new LedgerMisuseError(`posting ${p.key}: key taken but no transaction found`);
      const same =
        existing.entries.size === p.entries.length &&
        p.entries.every((e) => existing.entries.get(e.account.code) === signedAmount(e));
      if (!same) throw new LedgerKeyConflictError(p.key);
      return { transactionId: existing.id, posted: false };
    }
    const credited = p.entries.filter(
      (e) => e.account.kind === 'available' && e.account.sellerId && balanceDelta(e) > 0,
    );
    if (credited.length && this.listeners.length) {
      const sellers = this.tx.deferred(
        this,
        () => new Set<string>(),
        async (set) => {
          for (const sellerId of [...set].sort())
            for (const listener of this.listeners) await listener(sellerId);
        },
        DEFERRED_ORDER.availableCredited,
      )!;
      for (const e of credited) sellers.add(e.account.sellerId!);
    }
    return { transactionId: id, posted: true };
  }

  /** Registers work to do when a seller's available money grows (invoicing settles what is outstanding). */
  onAvailableCredited(listener: AvailableCreditedListener): void {
    this.listeners.push(listener);
  }

  /**
   * Balances (rupiah, each account's own sense) of the accounts. With `lock`, inside a transaction, their
   * rows are held until it ends, so a decision on them (a withdrawal's amount) stays true when posted.
   */
  async balances(accounts: AccountRef[], opts: { lock?: boolean } = {}): Promise<Map<string, Rupiah>> {
    if (opts.lock && !this.tx.active) throw new LedgerMisuseError('locking balances outside a transaction');
    return this.repository.balances(accounts, opts.lock ?? false);
  }

  /** A seller's four balances (rupiah); with `lock`, held until the transaction ends. */
  async sellerBalances(sellerId: string, opts: { lock?: boolean } = {}): Promise<SellerBalances> {
    const refs = {
      pending: Accounts.seller(sellerId, 'pending'),
      available: Accounts.seller(sellerId, 'available'),
      inWithdrawal: Accounts.seller(sellerId, 'in_withdrawal'),
      invoiceReceivable: Accounts.seller(sellerId, 'invoice_receivable'),
    };
    const b = await this.balances(Object.values(refs), opts);
    return {
      pending: b.get(refs.pending.code)!,
      available: b.get(refs.available.code)!,
      inWithdrawal: b.get(refs.inWithdrawal.code)!,
      invoiceReceivable: b.get(refs.invoiceReceivable.code)!,
    };
  }

  /**
   * The seller's entries newest first (`to` exclusive).
   * @throws ValidationFailedError for a bad cursor, or a `from` not before `to`
   */
  async entries(
    sellerId: string,
    q: { from?: Date; to?: Date; limit?: number; cursor?: string },
  ): Promise<Page<LedgerEntryView>> {
    checkTimeRange(q.from, q.to);
    const limit = q.limit ?? DEFAULT_PAGE_LIMIT;
    const beforeId = q.cursor ? String(decodeKeyset(q.cursor, ENTRIES_ORDER, ['int'])[0]) : undefined;
    const rows = await this.repository.sellerEntries(sellerId, {
      from: q.from,
      to: q.to,
      beforeId,
      limit: limit + 1,
    });
    return toKeysetPage(rows, limit, entryView, ENTRIES_ORDER, (r) => [Number(r.id)]);
  }

  /**
   * Releases holds that are due and not withheld (COD cash from pending to available), each posted once
   * under `hold-release:<holdId>`; claims with SKIP LOCKED so instances share the work. Returns how many.
   */
  async releaseDueHolds(asOf?: Date): Promise<number> {
    const now = asOf ?? this.clock.now();
    const batch = this.config.business.money.releaseBatch;
    let total = 0;
    for (;;) {
      const released = await this.tx.run(async () => {
        // Posted seller after seller (by id), as the tracker credits a recording's deliveries: posted in the
        // order they fell due, a release held one seller's accounts and waited for another's that the tracker
        // held while waiting for the first (a deadlock: the run, or the tracker's recording, was lost).
        const due = (await this.repository.claimDueHolds(now, batch)).sort(
          (a, b) => compareStrings(a.from.code, b.from.code) || compareStrings(a.id, b.id),
        );
        for (const h of due)
          await this.post({
            key: `hold-release:${h.id}`,
            type: 'hold_released',
            at: now,
            sellerId: h.sellerId,
            // The held posting's own (a COD credit's airway bill): the seller sees which parcel's cash it is.
            reference: h.reference ?? h.id,
            entries: holdEntries(h.from, h.to, h.amount),
          });
        await this.repository.markReleased(
          due.map((h) => h.id),
          now,
        );
        return due.length;
      });
      total += released;
      if (released < batch) return total;
    }
  }

  /**
   * Withholds the holds the postings `keys` placed and not yet released: releaseDueHolds leaves them,
   * however due, until resumeHolds (the business event they hold money for is in doubt). The money stays
   * where it is held (a COD credit in the seller's `pending`). Idempotent; joins the caller's transaction.
   * A hold posted after this call is not withheld by it. Returns how many holds it withheld.
   */
  withholdHolds(keys: string[], at: Date): Promise<number> {
    return this.tx.run(() => this.repository.withhold([...new Set(keys)].sort(), at));
  }

  /**
   * Lets the withheld holds of the postings `keys` be released again: one already due is released by the
   * next releaseDueHolds. Idempotent; joins the caller's transaction. Returns how many it let go.
   */
  resumeHolds(keys: string[]): Promise<number> {
    return this.tx.run(() => this.repository.resume([...new Set(keys)].sort()));
  }

  /**
   * Ends the holds the postings `keys` placed and not yet released, withheld or not, without a release: the
   * caller posts, in the same transaction, the correction that takes the held money from where it is (a COD
   * credit reversed out of `pending`). Returns the rupiah they held (0 when none was left).
   * @throws LedgerMisuseError outside a transaction
   */
  async endHolds(keys: string[], at: Date): Promise<Rupiah> {
    if (!this.tx.active) throw new LedgerMisuseError('ending holds outside a database transaction');
    return this.repository.end([...new Set(keys)].sort(), at);
  }

  /** Which of the postings `keys` were posted (in the caller's transaction, if any). */
  postedKeys(keys: string[]): Promise<Set<string>> {
    return this.repository.postedKeys([...new Set(keys)]);
  }

  /** Rupiah the postings `keys` still hold (placed, not yet released, withheld or not), by key; 0 for none. */
  async heldAmounts(keys: string[]): Promise<Map<string, Rupiah>> {
    const held = await this.repository.held([...new Set(keys)]);
    return new Map(keys.map((k) => [k, held.get(k) ?? 0]));
  }

  /**
   * Every account's debits, credits and balance (rupiah) as kept on the accounts, their totals, and whether
   * they agree: debits equal credits, each balance is its debits less its credits (credits less debits for
   * a credit-normal account), and no account that may not go negative is. Reads the accounts only, so it
   * answers as fast after years of postings; verify() holds every account and transaction to its entries.
   */
  async trialBalance(): Promise<{
    accounts: TrialBalanceRow[];
    totalDebits: Rupiah;
    totalCredits: Rupiah;
    balanced: boolean;
  }> {
    const accounts = await this.repository.trialBalance();
    const totalDebits = accounts.reduce((s, a) => s + a.debits, 0);
    const totalCredits = accounts.reduce((s, a) => s + a.credits, 0);
    const agrees = (a: TrialBalanceRow) =>
      a.balance === (isDebitNormal(a.kind) ? a.debits - a.credits : a.credits - a.debits) &&
      (a.balance >= 0 || mayGoNegative(a.kind));
    return {
      accounts,
      totalDebits,
      totalCredits,
      balanced: totalDebits === totalCredits && accounts.every(agrees),
    };
  }

  /**
   * Checks the whole ledger in one snapshot: every transaction sums to zero (≥ 2 entries), every cached
   * balance equals its entries, no seller account is negative, and all entries sum to zero.
   */
  async verify(): Promise<VerifyFindings & { ok: boolean }> {
    const findings = await this.repository.verify();
    const ok =
      !findings.unbalancedTransactions.length &&
      !findings.balanceMismatches.length &&
      !findings.negativeAccounts.length &&
      findings.ledgerSum === 0;
    return { ...findings, ok };
  }
}

/**
 * A hold moves money out of `from` into `to`, both of one kind of side (pending → available): out of a
 * credit-normal account is a debit and into one a credit; the other way round for debit-normal ones.
 */
function holdEntries(from: AccountRef, to: AccountRef, amount: Rupiah): PostingEntry[] {
  return isDebitNormal(from.kind)
    ? [
        { account: from, credit: amount },
        { account: to, debit: amount },
      ]
    : [
        { account: from, debit: amount },
        { account: to, credit: amount },
      ];
}

function entryView(r: EntryRow): LedgerEntryView {
  return {
    id: r.id,
    at: r.at.toISOString(),
    type: r.type,
    account: r.kind as SellerAccountKind,
    amount: r.amount,
    balanceAfter: r.balanceAfter,
    reference: r.reference,
  };
}

function insufficientFunds(e: unknown): LedgerInsufficientFundsError | null {
  const driver = (e instanceof QueryFailedError ? e.driverError : e) as
    { code?: string; constraint?: string; detail?: string } | undefined;
  if (driver?.code !== '23514' || driver.constraint !== 'chk_ledger_accounts_not_negative') return null;
  const account = driver.detail ?? 'an account';
  return new LedgerInsufficientFundsError(account);
}
