import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { type Rupiah } from 'src/common/money';
import { queryPrepared } from 'src/database/prepared';
import { Transactions } from 'src/database/transaction';
import {
  type AccountKind,
  type AccountRef,
  balanceDelta,
  byLockOrder,
  isDebitNormal,
  LOCK_ORDER_SQL,
  mayGoNegative,
  PLATFORM_ACCOUNT_KINDS,
  SELLER_ACCOUNT_KINDS,
  type Posting,
  signedAmount,
} from './ledger-accounts';

export interface EntryRow {
  id: string;
  at: Date;
  type: string;
  accountCode: string;
  kind: AccountKind;
  /** In the account's own sense: positive grows the balance. */
  amount: Rupiah;
  balanceAfter: Rupiah;
  reference: string | null;
  transactionId: string;
}

export interface DueHold {
  id: string;
  sellerId: string | null;
  from: AccountRef;
  to: AccountRef;
  amount: Rupiah;
  releaseAt: Date;
  /** What the held posting was about (a COD credit's airway bill), or null when it named nothing. */
  reference: string | null;
}

export interface TrialBalanceRow {
  code: string;
  kind: AccountKind;
  sellerId: string | null;
  debits: Rupiah;
  credits: Rupiah;
  balance: Rupiah;
}

export interface VerifyFindings {
  unbalancedTransactions: { id: string; key: string; sum: Rupiah; entries: number }[];
  /** Accounts whose cached balance, debits or credits differ from their entries'. */
  balanceMismatches: {
    code: string;
    cached: Rupiah;
    fromEntries: Rupiah;
    cachedDebits: Rupiah;
    entryDebits: Rupiah;
    cachedCredits: Rupiah;
    entryCredits: Rupiah;
  }[];
  negativeAccounts: { code: string; balance: Rupiah }[];
  ledgerSum: Rupiah;
  transactions: number;
  entries: number;
}

const num = (v: string | number | null): number => (v === null ? 0 : Number(v));

/** The ledger's SQL: one statement per posting, balances, holds, statements and the checks. */
/**
 * An entry's Jakarta month, as idx_ledger_entries_seller_month (migration LedgerEntriesSellerMonth) keys it;
 * a query repeats the expression to use the index.
 */
const jakartaMonth = (at: string) => `date_trunc('month', ${at} AT TIME ZONE 'Asia/Jakarta')`;

@Injectable()
export class LedgerRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * Writes the transaction, its entries, the new balances and its holds in one statement; nothing when the
   * key was posted before (then null). A seller account taken below zero fails the statement (its CHECK).
   * A hold's accounts that are not among the entries are created (at zero) if missing, in the same statement:
   * foreign keys are checked once it has run.
   */
  async insert(p: Posting): Promise<string | null> {
    const id = randomUUID();
    // Rows are locked in this order (the upsert below takes them one by one).
    const sorted = [...p.entries].sort((a, b) => byLockOrder(a.account, b.account));
    const holds = p.holds ?? [];
    const entered = new Set(sorted.map((e) => e.account.code));
    const holdAccounts = [
      ...new Map(
        holds
          .flatMap((h) => [h.from, h.to])
          .filter((a) => !entered.has(a.code))
          .map((a) => [a.code, a]),
      ).values(),
    ].sort(byLockOrder);
    const params: unknown[] = [
      id,
      p.key,
      p.type,
      p.sellerId ?? null,
      p.reference ?? null,
      p.at,
      sorted.map((e) => e.account.code),
      sorted.map((e) => e.account.kind),
      sorted.map((e) => e.account.sellerId),
      sorted.map(signedAmount),
      sorted.map(balanceDelta),
      DEBIT_NORMAL_KINDS,
      NON_NEGATIVE_KINDS,
    ];
    let held = '';
    if (holds.length) {
      params.push(
        holdAccounts.map((a) => a.code),
        holdAccounts.map((a) => a.kind),
        holdAccounts.map((a) => a.sellerId),
        holds.map((h) => h.from.code),
        holds.map((h) => h.to.code),
        holds.map((h) => h.amount),
        holds.map((h) => h.releaseAt),
      );
      held = `, ha AS (
         INSERT INTO ledger_accounts (code, kind, seller_id, debit_normal, may_go_negative, balance, updated_at)
         SELECT c, k, s, k = ANY($12::text[]), NOT (k = ANY($13::text[])), 0, t.at
           FROM t, unnest($14::text[], $15::text[], $16::uuid[]) WITH ORDINALITY AS x(c, k, s, n) ORDER BY n
         ON CONFLICT (code) DO NOTHING
       ), h AS (
         INSERT INTO ledger_holds (id, transaction_id, seller_id, from_account, to_account, amount, release_at)
         SELECT gen_random_uuid(), t.id, $4, f, tt, a, r
           FROM t, unnest($17::text[], $18::text[], $19::bigint[], $20::timestamptz[]) AS h(f, tt, a, r)
       )`;
    }
    const rows = await queryPrepared<{ id: string }>(
      this.tx.manager,
      holds.length ? 'ledger_post_holds' : 'ledger_post',
      `WITH t AS (
         INSERT INTO ledger_transactions (id, key, type, seller_id, reference, at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING RETURNING id, at
       ), l AS (
         SELECT * FROM unnest($7::text[], $8::text[], $9::uuid[], $10::bigint[], $11::bigint[])
           WITH ORDINALITY AS l(code, kind, seller_id, amount, delta, n)
       ), b AS (
         INSERT INTO ledger_accounts AS a
           (code, kind, seller_id, debit_normal, may_go_negative, balance, debits, credits, updated_at)
         SELECT l.code, l.kind, l.seller_id, l.kind = ANY($12::text[]), NOT (l.kind = ANY($13::text[])), l.delta,
                greatest(l.amount, 0), greatest(-l.amount, 0), t.at
           FROM t, l ORDER BY l.n
         ON CONFLICT (code) DO UPDATE SET balance = a.balance + excluded.balance,
           debits = a.debits + excluded.debits, credits = a.credits + excluded.credits,
           updated_at = excluded.updated_at
         RETURNING a.code, a.balance
       )${held}
       INSERT INTO ledger_entries (transaction_id, account_code, seller_id, amount, balance_after, at)
       SELECT t.id, l.code, l.seller_id, l.amount, b.balance, t.at FROM t, l JOIN b ON b.code = l.code
       ORDER BY l.n
       RETURNING transaction_id AS id`,
      params,
    );
    return rows.length ? id : null;
  }

  /** Creates the accounts that do not exist yet, at a zero balance. */
  async ensureAccounts(accounts: AccountRef[]): Promise<void> {
    const byCode = new Map(accounts.map((a) => [a.code, a]));
    const refs = [...byCode.values()].sort(byLockOrder);
    await this.tx.manager.query(
      `INSERT INTO ledger_accounts (code, kind, seller_id, debit_normal, may_go_negative, balance, updated_at)
       SELECT c, k, s, k = ANY($4::text[]), NOT (k = ANY($5::text[])), 0, now()
         FROM unnest($1::text[], $2::text[], $3::uuid[]) WITH ORDINALITY AS x(c, k, s, n) ORDER BY n
       ON CONFLICT (code) DO NOTHING`,
      [
        refs.map((a) => a.code),
        refs.map((a) => a.kind),
        refs.map((a) => a.sellerId),
        DEBIT_NORMAL_KINDS,
        NON_NEGATIVE_KINDS,
      ],
    );
  }

  /** The transaction posted under `key` and its entries (debit-positive), or null. */
  async byKey(key: string): Promise<{ id: string; entries: Map<string, Rupiah> } | null> {
    const rows: { id: string; code: string; amount: string }[] = await this.tx.manager.query(
      `SELECT t.id, e.account_code AS code, e.amount FROM ledger_transactions t
         JOIN ledger_entries e ON e.transaction_id = t.id WHERE t.key = $1`,
      [key],
    );
    if (!rows.length) return null;
    return { id: rows[0].id, entries: new Map(rows.map((r) => [r.code, num(r.amount)])) };
  }

  /**
   * Balances (own sense) of the accounts; missing accounts are 0. `lock` takes their rows FOR NO KEY UPDATE,
   * the lock a posting's update takes: FOR UPDATE also shut out the foreign key checks of rows naming the
   * account (a hold's `to_account`), so a credit that held the seller's pending waited on a decision holding
   * available, which waited for pending (a deadlock, though both took the accounts in the lock order).
   */
  async balances(accounts: AccountRef[], lock: boolean): Promise<Map<string, Rupiah>> {
    const codes = [...new Set(accounts.map((a) => a.code))].sort();
    const read = (wanted: string[]) =>
      this.tx.manager.query<{ code: string; balance: string }[]>(
        `SELECT code, balance FROM ledger_accounts WHERE code = ANY($1::text[])
          ORDER BY ${LOCK_ORDER_SQL}${lock ? ' FOR NO KEY UPDATE' : ''}`,
        [wanted],
      );
    const rows = await read(codes);
    if (lock && rows.length < codes.length) {
      // Missing rows are made once the existing ones are held, then held too (a zero balance changes
      // nothing). Made first, a row not yet committed held up any other transaction making it while this
      // one waited for rows the other held: a seller's first withdrawal and their first hold release
      // deadlocked (500).
      const have = new Set(rows.map((r) => r.code));
      const missing = accounts.filter((a) => !have.has(a.code));
      await this.ensureAccounts(missing);
      rows.push(...(await read([...new Set(missing.map((a) => a.code))].sort())));
    }
    const found = new Map(rows.map((r) => [r.code, num(r.balance)]));
    return new Map(codes.map((c) => [c, found.get(c) ?? 0]));
  }

  /**
   * A seller's entries, last posted first (the order their balances followed), keyset-paged by entry id. With
   * a window (`from`, `to`), each Jakarta month the window touches is read newest id first from
   * idx_ledger_entries_seller_month, at most `limit` a month, and the months' heads merged: a month a year
   * back costs a page, not a walk past every later entry (`at` is when a posting says it happened, which
   * need not follow the id, so the months are merged rather than read one after another).
   */
  async sellerEntries(
    sellerId: string,
    q: { from?: Date; to?: Date; beforeId?: string; limit: number },
  ): Promise<EntryRow[]> {
    const page =
      q.from || q.to
        ? `SELECT p.id FROM (
             SELECT GREATEST(${jakartaMonth('$2::timestamptz')}, min(${jakartaMonth('at')})) AS first,
                    LEAST(${jakartaMonth("($3::timestamptz - interval '1 microsecond')")}, max(${jakartaMonth('at')})) AS last
               FROM ledger_entries WHERE seller_id = $1
           ) span
           CROSS JOIN generate_series(span.first, span.last, interval '1 month') AS m(month)
           CROSS JOIN LATERAL (
             SELECT e.id FROM ledger_entries e
              WHERE e.seller_id = $1 AND ${jakartaMonth('e.at')} = m.month
                AND ($2::timestamptz IS NULL OR e.at >= $2) AND ($3::timestamptz IS NULL OR e.at < $3)
                AND ($4::bigint IS NULL OR e.id < $4)
              ORDER BY e.id DESC LIMIT $5
           ) p
           ORDER BY p.id DESC LIMIT $5`
        : `SELECT e.id FROM ledger_entries e
            WHERE e.seller_id = $1 AND ($2::timestamptz IS NULL OR e.at >= $2) AND ($3::timestamptz IS NULL OR e.at < $3)
              AND ($4::bigint IS NULL OR e.id < $4)
            ORDER BY e.id DESC LIMIT $5`;
    const rows: Record<string, string | Date | null>[] = await this.tx.manager.query(
      `SELECT e.id, e.at, t.type, e.account_code, a.kind, e.amount, e.balance_after, t.reference, t.id AS transaction_id,
              a.debit_normal
         FROM (${page}) page
         JOIN ledger_entries e ON e.id = page.id
         JOIN ledger_transactions t ON t.id = e.transaction_id
         JOIN ledger_accounts a ON a.code = e.account_code
        ORDER BY e.id DESC`,
      [sellerId, q.from ?? null, q.to ?? null, q.beforeId ?? null, q.limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      at: r.at as Date,
      type: r.type as string,
      accountCode: r.account_code as string,
      kind: r.kind as AccountKind,
      amount: (r.debit_normal ? 1 : -1) * num(r.amount as string),
      balanceAfter: num(r.balance_after as string),
      reference: r.reference as string | null,
      transactionId: r.transaction_id as string,
    }));
  }

  /**
   * Holds due by `now` and not withheld, claimed (FOR UPDATE SKIP LOCKED: another instance takes others). In a
   * transaction. Read from idx_ledger_holds_releasable, whose predicate the WHERE repeats: withheld holds are
   * not in it, so however many wait, a run reads only what it releases.
   */
  async claimDueHolds(now: Date, limit: number): Promise<DueHold[]> {
    const rows: Record<string, string | Date | null>[] = await this.tx.manager.query(
      `SELECT h.id, h.seller_id, h.from_account, f.kind AS from_kind, f.seller_id AS from_seller,
              h.to_account, t.kind AS to_kind, t.seller_id AS to_seller, h.amount, h.release_at,
              held.reference
         FROM ledger_holds h
         JOIN ledger_accounts f ON f.code = h.from_account
         JOIN ledger_accounts t ON t.code = h.to_account
         JOIN ledger_transactions held ON held.id = h.transaction_id
        WHERE h.released_at IS NULL AND h.withheld_since IS NULL AND h.release_at <= $1
        ORDER BY h.release_at, h.id LIMIT $2 FOR UPDATE OF h SKIP LOCKED`,
      [now, limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      sellerId: r.seller_id as string | null,
      from: {
        code: r.from_account as string,
        kind: r.from_kind as AccountKind,
        sellerId: r.from_seller as string | null,
      },
      to: {
        code: r.to_account as string,
        kind: r.to_kind as AccountKind,
        sellerId: r.to_seller as string | null,
      },
      amount: num(r.amount as string),
      releaseAt: r.release_at as Date,
      reference: r.reference as string | null,
    }));
  }

  /**
   * Withholds the unreleased holds of the postings `keys` (since `at`), leaving those already withheld as they
   * are; how many it withheld. A hold the job has claimed is waited for, then found released.
   */
  async withhold(keys: string[], at: Date): Promise<number> {
    if (!keys.length) return 0;
    const [, n] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE ledger_holds h SET withheld_since = $2
         FROM ledger_transactions t
        WHERE t.key = ANY($1::text[]) AND h.transaction_id = t.id
          AND h.released_at IS NULL AND h.withheld_since IS NULL`,
      [keys, at],
    );
    return n;
  }

  /** Lets the withheld holds of the postings `keys` be released again; how many. */
  async resume(keys: string[]): Promise<number> {
    if (!keys.length) return 0;
    const [, n] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE ledger_holds h SET withheld_since = NULL
         FROM ledger_transactions t
        WHERE t.key = ANY($1::text[]) AND h.transaction_id = t.id
          AND h.released_at IS NULL AND h.withheld_since IS NOT NULL`,
      [keys],
    );
    return n;
  }

  /** What the postings `keys` still hold (unreleased, withheld or not), by key; keys holding nothing left out. */
  async held(keys: string[]): Promise<Map<string, Rupiah>> {
    if (!keys.length) return new Map();
    const rows = await this.tx.manager.query<{ key: string; amount: string }[]>(
      `SELECT t.key, sum(h.amount) AS amount
         FROM ledger_transactions t JOIN ledger_holds h ON h.transaction_id = t.id AND h.released_at IS NULL
        WHERE t.key = ANY($1::text[])
        GROUP BY t.key`,
      [keys],
    );
    return new Map(rows.map((r) => [r.key, num(r.amount)]));
  }

  /**
   * Ends the unreleased holds of the postings `keys` without moving their money (a correction posted in the
   * same transaction takes it from where it is held); the rupiah they held. A hold the job has claimed is
   * waited for, then found released.
   */
  async end(keys: string[], at: Date): Promise<Rupiah> {
    if (!keys.length) return 0;
    const rows = await this.tx.manager.query<[{ amount: string }[], number]>(
      `UPDATE ledger_holds h SET released_at = $2
         FROM ledger_transactions t
        WHERE t.key = ANY($1::text[]) AND h.transaction_id = t.id AND h.released_at IS NULL
        RETURNING h.amount`,
      [keys, at],
    );
    return rows[0].reduce((sum, r) => sum + num(r.amount), 0);
  }

  /** Which of the keys were posted. */
  async postedKeys(keys: string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows = await this.tx.manager.query<{ key: string }[]>(
      'SELECT key FROM ledger_transactions WHERE key = ANY($1::text[])',
      [keys],
    );
    return new Set(rows.map((r) => r.key));
  }

  async markReleased(ids: string[], now: Date): Promise<void> {
    await this.tx.manager.query('UPDATE ledger_holds SET released_at = $2 WHERE id = ANY($1::uuid[])', [
      ids,
      now,
    ]);
  }

  /**
   * Every account with its debits, credits and balance (own sense), platform accounts first: as the
   * postings kept them on the account (verify() holds them to the entries).
   */
  async trialBalance(): Promise<TrialBalanceRow[]> {
    const rows: Record<string, string | null>[] = await this.tx.manager.query(
      `SELECT code, kind, seller_id, balance, debits, credits FROM ledger_accounts
        ORDER BY seller_id IS NOT NULL, code`,
    );
    return rows.map((r) => ({
      code: r.code!,
      kind: r.kind as AccountKind,
      sellerId: r.seller_id,
      debits: num(r.debits),
      credits: num(r.credits),
      balance: num(r.balance),
    }));
  }

  /** Everything `ledger:verify` checks, read in one snapshot (REPEATABLE READ). */
  verify(): Promise<VerifyFindings> {
    return this.tx.manager.connection.transaction('REPEATABLE READ', (m) => this.verifyIn(m));
  }

  private async verifyIn(m: EntityManager): Promise<VerifyFindings> {
    // Entries summed per transaction once (a hash), then set beside the transactions: with LIMIT the planner
    // looked each transaction's entries up one by one, 8 s over two years of a busy platform.
    const unbalanced: Record<string, string>[] = await m.query(
      `WITH s AS MATERIALIZED (
         SELECT transaction_id, sum(amount) AS sum, count(*) AS entries FROM ledger_entries GROUP BY transaction_id
       )
       SELECT t.id, t.key, coalesce(s.sum, 0) AS sum, coalesce(s.entries, 0) AS entries
         FROM ledger_transactions t LEFT JOIN s ON s.transaction_id = t.id
        WHERE s.transaction_id IS NULL OR s.sum <> 0 OR s.entries < 2
        LIMIT 100`,
    );
    const mismatches: Record<string, string>[] = await m.query(
      `SELECT a.code, a.balance AS cached,
              CASE WHEN a.debit_normal THEN 1 ELSE -1 END * coalesce(s.sum, 0) AS from_entries,
              a.debits AS cached_debits, coalesce(s.debits, 0) AS debits,
              a.credits AS cached_credits, coalesce(s.credits, 0) AS credits
         FROM ledger_accounts a
         LEFT JOIN (SELECT account_code, sum(amount) AS sum, sum(amount) FILTER (WHERE amount > 0) AS debits,
                           -sum(amount) FILTER (WHERE amount < 0) AS credits
                      FROM ledger_entries GROUP BY account_code) s
           ON s.account_code = a.code
        WHERE a.balance <> CASE WHEN a.debit_normal THEN 1 ELSE -1 END * coalesce(s.sum, 0)
           OR a.debits <> coalesce(s.debits, 0) OR a.credits <> coalesce(s.credits, 0)
        LIMIT 100`,
    );
    const negative: Record<string, string>[] = await m.query(
      'SELECT code, balance FROM ledger_accounts WHERE NOT may_go_negative AND balance < 0 LIMIT 100',
    );
    const [totals]: Record<string, string | null>[] = await m.query(
      `SELECT coalesce(sum(amount), 0) AS sum, count(*) AS entries,
              (SELECT count(*) FROM ledger_transactions) AS transactions FROM ledger_entries`,
    );
    return {
      unbalancedTransactions: unbalanced.map((r) => ({
        id: r.id,
        key: r.key,
        sum: num(r.sum),
        entries: num(r.entries),
      })),
      balanceMismatches: mismatches.map((r) => ({
        code: r.code,
        cached: num(r.cached),
        fromEntries: num(r.from_entries),
        cachedDebits: num(r.cached_debits),
        entryDebits: num(r.debits),
        cachedCredits: num(r.cached_credits),
        entryCredits: num(r.credits),
      })),
      negativeAccounts: negative.map((r) => ({ code: r.code, balance: num(r.balance) })),
      ledgerSum: num(totals.sum),
      transactions: num(totals.transactions),
      entries: num(totals.entries),
    };
  }
}

const ALL_KINDS: AccountKind[] = [...SELLER_ACCOUNT_KINDS, ...PLATFORM_ACCOUNT_KINDS];
const DEBIT_NORMAL_KINDS = ALL_KINDS.filter(isDebitNormal);
const NON_NEGATIVE_KINDS = ALL_KINDS.filter((k) => !mayGoNegative(k));
