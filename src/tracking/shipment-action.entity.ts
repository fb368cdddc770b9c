import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ParcelActionKind, Place } from 'src/couriers/courier-adapter';

/**
 * `pending` while the courier is being asked (at most one per shipment); then `sent` (the courier took
 * it), `manual` (the courier's API has no such call: operations arrange it) or `failed` (refused, or the
 * courier could not be reached).
 */
export const SHIPMENT_ACTION_STATUSES = ['pending', 'sent', 'manual', 'failed'] as const;
export type ShipmentActionStatus = (typeof SHIPMENT_ACTION_STATUSES)[number];

/**
 * Why a failed action failed: `refused` by the courier (`error` is its words), the courier `unreachable`
 * (nothing changed), its `answer_lost` (a timeout, a connection broken, a gateway's 502, 504 or 524: it may
 * have taken it), `superseded` (taken for a booking the shipment no longer has), `interrupted` (its sender
 * died, and it was not sent again).
 */
export const SHIPMENT_ACTION_ERROR_KINDS = [
  'refused',
  'unreachable',
  'answer_lost',
  'superseded',
  'interrupted',
] as const;
export type ShipmentActionErrorKind = (typeof SHIPMENT_ACTION_ERROR_KINDS)[number];

/** What a seller asked the courier to do with a shipment's parcel, and what came of it. */
@Entity('shipment_actions')
@Index('idx_shipment_actions_in_flight', ['shipmentId'], { unique: true, where: "status = 'pending'" })
@Index('idx_shipment_actions_shipment', ['shipmentId', 'createdAt'])
@Index('idx_shipment_actions_claims', ['claimedUntil'], { where: "status = 'pending'" })
export class ShipmentAction {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') sellerId!: string;
  @Column('uuid') shipmentId!: string;
  @Column('text') action!: ParcelActionKind;
  @Column('text', { nullable: true }) note!: string | null;
  /** The corrected delivery address (update_address only), complete as the courier was sent it. */
  @Column('jsonb', { nullable: true }) address!: Place | null;
  @Column('boolean', { default: false }) confirmedWithBuyer!: boolean;
  /** The seller's alert this action answers, if the request named one. */
  @Column('uuid', { nullable: true }) alertId!: string | null;
  @Column('text') status!: ShipmentActionStatus;
  /** The courier and airway bill the action was for (a re-booked shipment keeps its old actions' ones). */
  @Column('text') courier!: string;
  @Column('text') awb!: string;
  /**
   * The shipment's failed delivery attempts when the action was asked: which failure a re-attempt answers
   * (null for actions recorded before it was kept).
   */
  @Column('integer', { nullable: true }) failedAttempts!: number | null;
  /** The courier's ticket for the action, when it gives one. */
  @Column('text', { nullable: true }) courierReference!: string | null;
  /** Why it failed, in the courier's words where it gave some. */
  @Column('text', { nullable: true }) error!: string | null;
  /** Why it failed, as a kind (set exactly when failed). */
  @Column('text', { nullable: true }) errorKind!: ShipmentActionErrorKind | null;
  /** Failed with the courier's answer lost (answerMayBeLost): it may have taken the action all the same. */
  @Column('boolean', { default: false }) outcomeUnknown!: boolean;
  /** Who asked: `user:<id>` or `api_key:<id>`. */
  @Column('text') requestedBy!: string;
  /** Times it was sent to the courier (more than once only when a pending action was resumed). */
  @Column('integer', { default: 0 }) sends!: number;
  /** While pending: until when its sender holds it; a past time is a sender that died (resumed by a job). */
  @Column('timestamptz', { nullable: true }) claimedUntil!: Date | null;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
  /** The order actions were recorded in (the database numbers them): the order the rules read them in. */
  @Column({ type: 'bigint', insert: false, update: false, select: false }) seq?: string;
}
