import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { RiskRuleCode, Severity, SuggestedAction } from './risk-rules';

/**
 * A problem the seller should act on, raised by a risk rule for one shipment. Open while the rule keeps
 * finding it (at most one open alert per shipment and rule), updated as events arrive, resolved when the
 * rule no longer finds it; a later recurrence opens a new alert.
 */
@Entity('alerts')
@Index('idx_alerts_open_rule', ['shipmentId', 'rule'], { unique: true, where: 'resolved_at IS NULL' })
@Index('idx_alerts_seller_listing', ['sellerId', 'resolvedAt', 'severityRank', 'openedAt', 'id'])
@Index('idx_alerts_shipment', ['shipmentId', 'openedAt'])
// Finance's COD discrepancies list the deliveries taken back still open, newest first.
@Index('idx_alerts_delivery_taken_back', ['openedAt'], {
  where: "rule = 'delivery_contradicted' AND resolved_at IS NULL",
})
export class Alert {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') sellerId!: string;
  @Column('uuid') shipmentId!: string;
  @Column('text') rule!: RiskRuleCode;
  @Column('integer') ruleVersion!: number;
  @Column('text') severity!: Severity;
  /** 1 low … 4 critical, kept beside `severity` so the inbox sorts most severe first from an index. */
  @Column('smallint') severityRank!: number;
  @Column('text') reason!: string;
  @Column('text') message!: string;
  /** The message in Indonesian; null for alerts opened before it was kept (migration AlertIndonesianMessage). */
  @Column('text', { nullable: true }) messageIndonesian!: string | null;
  @Column('text') suggestedAction!: SuggestedAction;
  /** The `contact` action: a wa.me link with a message to the buyer; null when no chat can be opened. */
  @Column('text', { nullable: true }) whatsappUrl!: string | null;
  @Column('timestamptz') openedAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  @Column('timestamptz', { nullable: true }) acknowledgedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) resolvedAt!: Date | null;
  /** The stored courier event that caused or last updated it (the tracking inbox's id). */
  @Column('uuid', { nullable: true }) causeEventId!: string | null;
  /** `causeAt` (ISO) of the rule's cause, and `resolvedByEventId` once resolved by an event. */
  @Column('jsonb') details!: Record<string, unknown>;
}
