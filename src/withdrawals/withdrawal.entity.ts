import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type Rupiah, rupiahColumn } from 'src/common/money';
import type { PayoutState, WithdrawalStatus } from './withdrawal-status';

/**
 * A seller's withdrawal to its bank account. `amount` leaves the seller's balance; the bank receives
 * `netAmount` and Kirim keeps `fee` (amount = fee + netAmount, rupiah). The bank account is kept as a
 * snapshot (code, masked number, name): the full number is read from the seller's account only to pay.
 */
@Entity('withdrawals')
@Index('idx_withdrawals_seller', ['sellerId', 'createdAt', 'id'])
@Index('idx_withdrawals_status', ['status', 'createdAt', 'id'])
@Index('idx_withdrawals_payout_due', ['nextCheckAt'], { where: 'next_check_at IS NOT NULL' })
@Index('idx_withdrawals_approved', ['sellerId'], { where: "status = 'approved'" })
export class Withdrawal {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') sellerId!: string;
  @Column('uuid') bankAccountId!: string;
  @Column('text') bankCode!: string;
  @Column('text') accountNumberMasked!: string;
  @Column('text') accountName!: string;
  @Column('bigint', { transformer: rupiahColumn }) amount!: Rupiah;
  @Column('bigint', { transformer: rupiahColumn }) fee!: Rupiah;
  @Column('bigint', { transformer: rupiahColumn }) netAmount!: Rupiah;
  @Column('text') status!: WithdrawalStatus;
  /** Where the payout stands at the provider: null until first sent. */
  @Column('text', { nullable: true }) payoutState!: PayoutState | null;
  /** The provider's id for the disbursement (ours, the withdrawal id, is its idempotency key). */
  @Column('text', { nullable: true }) providerId!: string | null;
  /** While the payout job works on it: the end of that worker's lease. */
  @Column('timestamptz', { nullable: true }) payoutClaimedUntil!: Date | null;
  /** When the payout job should next look at it; null when nothing is left to do. */
  @Column('timestamptz', { nullable: true }) nextCheckAt!: Date | null;
  /** The first attempt to send it (a payout unanswered for long after this fails as timed out). */
  @Column('timestamptz', { nullable: true }) firstSentAt!: Date | null;
  /** The last attempt to send it, committed before the call (a late send is waited out before giving up). */
  @Column('timestamptz', { nullable: true }) lastSentAt!: Date | null;
  /** A paid payout is asked about until then, for a bounce. */
  @Column('timestamptz', { nullable: true }) bounceWatchUntil!: Date | null;
  /** Why it failed: the provider's failure code, `timed_out`, or `bounced`. */
  @Column('text', { nullable: true }) failureReason!: string | null;
  /** Finance's reason for rejecting it. */
  @Column('text', { nullable: true }) rejectionReason!: string | null;
  /** The finance user who approved or rejected it (null when auto-approved or still waiting). */
  @Column('uuid', { nullable: true }) decidedBy!: string | null;
  @Column('timestamptz', { nullable: true }) approvedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) paidAt!: Date | null;
  @Column('timestamptz', { nullable: true }) failedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) rejectedAt!: Date | null;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
}
