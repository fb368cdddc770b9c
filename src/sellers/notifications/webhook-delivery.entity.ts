import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SellerEventType } from './seller-event';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One seller event in the webhook outbox and how its delivery went. `pending` until a receiver answers
 * 2xx (`delivered`) or the retry window is over (`failed`); a finished one is deleted
 * WEBHOOK_DELIVERY_RETENTION_DAYS after its last attempt.
 */
@Entity('webhook_deliveries')
@Index('idx_webhook_deliveries_event', ['eventId'], { unique: true })
@Index('idx_webhook_deliveries_seller', ['sellerId', 'createdAt', 'id'])
@Index('idx_webhook_deliveries_due', ['sellerId', 'nextAttemptAt'], { where: "status = 'pending'" })
@Index('idx_webhook_deliveries_in_flight', ['sellerId'], { where: 'claimed_until IS NOT NULL' })
@Index('idx_webhook_deliveries_finished', ['lastAttemptAt'], { where: "status IN ('delivered', 'failed')" })
export class WebhookDelivery {
  @PrimaryColumn('uuid') id!: string;
  /** The `id` inside the body, the same on every attempt (receivers dedupe by it). */
  @Column('uuid') eventId!: string;
  @Column('uuid') sellerId!: string;
  @Column('text') type!: SellerEventType;
  /** The JSON text exactly as sent and signed, fixed when the event was written. */
  @Column('text') body!: string;
  @Column('text') status!: DeliveryStatus;
  /** False for a test event: tried once (a retry asked for by the seller tries it once more). */
  @Column('boolean') autoRetry!: boolean;
  @Column('integer') attempts!: number;
  /** Attempts since the retry window started (the backoff's exponent); a seller's retry resets it. */
  @Column('integer') windowAttempts!: number;
  /** The retry window's first attempt; null until then, and again after a seller's retry. */
  @Column('timestamptz', { nullable: true }) windowStartedAt!: Date | null;
  /** While pending: when it is due (while in flight, when its claim runs out). */
  @Column('timestamptz') nextAttemptAt!: Date;
  /** While a worker is sending it: the end of that worker's lease. */
  @Column('timestamptz', { nullable: true }) claimedUntil!: Date | null;
  /** The current claim's token: only its holder may record the attempt. */
  @Column('uuid', { nullable: true }) claimToken!: string | null;
  @Column('integer', { nullable: true }) lastResponseCode!: number | null;
  /** Why the last attempt failed: our words, plus at most a short snippet of the receiver's answer. */
  @Column('text', { nullable: true }) lastError!: string | null;
  @Column('timestamptz', { nullable: true }) lastAttemptAt!: Date | null;
  @Column('timestamptz', { nullable: true }) deliveredAt!: Date | null;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
}
