import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { Rupiah } from 'src/common/money';
import { Page, PageQueryDto, paginate } from 'src/common/pagination';
import { Transactions } from 'src/database/transaction';
import { Withdrawal } from './withdrawal.entity';
import type { PayoutState, WithdrawalStatus } from './withdrawal-status';

/** A withdrawal the payout job claimed, with where its payout stood before the claim. */
export interface ClaimedPayout {
  withdrawal: Withdrawal;
  /** null: never sent (the claim marked it `sending`); `sending`: an earlier run's outcome is unknown. */
  previousState: PayoutState | null;
}

type Patch = Partial<Omit<Withdrawal, 'id' | 'sellerId' | 'amount' | 'fee' | 'netAmount'>>;

/** The withdrawals' SQL: conditional status moves, the payout claim, the money on its way out. */
@Injectable()
export class WithdrawalsRepository {
  constructor(private readonly tx: Transactions) {}

  async insert(w: Withdrawal): Promise<void> {
    await this.tx.manager.insert(Withdrawal, w);
  }

  /** The withdrawal, the seller's own when `sellerId` is given (another seller's is not found). */
  find(id: string, sellerId?: string): Promise<Withdrawal | null> {
    return this.tx.manager.findOne(Withdrawal, { where: sellerId ? { id, sellerId } : { id } });
  }

  /**
   * Writes the patch only while the status is one of `from` (the transition table's check, done by the
   * database so two racing changes cannot both pass); false when it was not.
   */
  async update(id: string, from: readonly WithdrawalStatus[], patch: Patch): Promise<boolean> {
    const result = await this.tx.manager
      .createQueryBuilder()
      .update(Withdrawal)
      .set(patch)
      .where('id = :id AND status IN (:...from)', { id, from })
      .execute();
    return Boolean(result.affected);
  }

  /** What the seller's withdrawals made since `since` and approved without finance add up to (rupiah). */
  async autoApprovedSince(sellerId: string, since: Date): Promise<Rupiah> {
    const [row] = await this.tx.manager.query<{ total: string }[]>(
      `SELECT coalesce(sum(amount), 0) AS total FROM withdrawals
        WHERE seller_id = $1 AND created_at >= $2 AND approved_at IS NOT NULL AND decided_by IS NULL`,
      [sellerId, since],
    );
    return Number(row.total);
  }

  /** Rupiah of the seller's approved withdrawals not yet paid (left `in_withdrawal`, not yet at the bank). */
  async approvedTotal(sellerId: string): Promise<Rupiah> {
    const [row] = await this.tx.manager.query<{ total: string }[]>(
      "SELECT coalesce(sum(amount), 0) AS total FROM withdrawals WHERE seller_id = $1 AND status = 'approved'",
      [sellerId],
    );
    return Number(row.total);
  }

  /**
   * Claims up to `limit` withdrawals due by `dueBy` (at most `now`), with a lease until `leaseUntil`.
   * SKIP LOCKED lets instances claim at once without taking the same row; an expired lease (a crashed
   * worker) makes a row due again. An approved row never sent is marked `sending` in the same statement,
   * so from the commit on a crash is recovered by asking the provider first.
   */
  async claimDue(dueBy: Date, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedPayout[]> {
    const [rows] = await this.tx.manager.query<
      [{ id: string; previous_state: PayoutState | null }[], number]
    >(
      `WITH due AS (
         SELECT id, payout_state FROM withdrawals
          WHERE next_check_at <= $4 AND (payout_claimed_until IS NULL OR payout_claimed_until < $1)
          ORDER BY next_check_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE withdrawals w
          SET payout_claimed_until = $2, updated_at = $1,
              payout_state = CASE WHEN w.status = 'approved' AND w.payout_state IS NULL THEN 'sending' ELSE w.payout_state END,
              first_sent_at = CASE WHEN w.status = 'approved' THEN coalesce(w.first_sent_at, $1) ELSE w.first_sent_at END
         FROM due WHERE w.id = due.id
       RETURNING w.id, due.payout_state AS previous_state`,
      [now, leaseUntil, limit, dueBy],
    );
    if (!rows.length) return [];
    const byId = new Map(
      (await this.tx.manager.findBy(Withdrawal, { id: In(rows.map((r) => r.id)) })).map((w) => [w.id, w]),
    );
    return rows.map((r) => ({ withdrawal: byId.get(r.id)!, previousState: r.previous_state }));
  }

  /** The seller's withdrawals, newest first. */
  listForSeller(sellerId: string, query: PageQueryDto): Promise<Page<Withdrawal>> {
    const qb = this.tx.manager
      .createQueryBuilder(Withdrawal, 'w')
      .where('w.sellerId = :sellerId', { sellerId });
    return paginate(qb, 'w', query, (w) => w);
  }

  /** Every seller's withdrawals (of one status if given), newest first: the finance queue. */
  listAll(query: PageQueryDto & { status?: WithdrawalStatus }): Promise<Page<Withdrawal>> {
    const qb = this.tx.manager.createQueryBuilder(Withdrawal, 'w');
    if (query.status) qb.where('w.status = :status', { status: query.status });
    return paginate(qb, 'w', query, (w) => w);
  }
}
