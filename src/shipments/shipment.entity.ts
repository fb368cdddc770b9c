import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type Rupiah, rupiahColumn } from 'src/common/money';
import type { Place } from 'src/couriers/courier-adapter';
import type { ShipmentStatus } from './shipment-status';

/** A parcel a seller hands Kirim: origin (as it was when created), recipient, parcel, COD, and its journey. */
@Entity('shipments')
@Index('idx_shipments_reference', ['sellerId', 'reference'], { unique: true })
@Index('idx_shipments_seller', ['sellerId', 'createdAt', 'id'])
@Index('idx_shipments_seller_status', ['sellerId', 'status'])
@Index('idx_shipments_awb', ['courier', 'awb'], { unique: true, where: 'awb IS NOT NULL' })
@Index('idx_shipments_seller_ended', ['sellerId', 'endedAt'], { where: 'ended_at IS NOT NULL' })
@Index('idx_shipments_outcome_recorded', ['outcomeRecordedAt', 'sellerId'], {
  where: 'outcome_recorded_at IS NOT NULL',
})
@Index('idx_shipments_seller_outcome_recorded', ['sellerId', 'outcomeRecordedAt', 'id'], {
  where: 'outcome_recorded_at IS NOT NULL',
})
// Delivered COD parcels whose cash was found not collected, or collected, after their end: invoicing adjusts the
// COD fee of those changed in a period (few: finance's reversals and deliveries after them).
@Index('idx_shipments_cod_collected_changed', ['codCollectedChangedAt', 'sellerId'], {
  where: 'cod_collected_changed_at IS NOT NULL',
})
// Delivered COD parcels no remittance line has settled, by delivery time: the remittance reconciliation's
// "not remitted after N days" and its totals read only these, not two years of parcels long remitted.
@Index('idx_shipments_cod_unremitted', ['endedAt', 'id'], {
  where: "status = 'delivered' AND cod_collected AND NOT cod_remitted",
})
// The list's search (migration ShipmentSearchIndexes): expression and operator-class indexes TypeORM cannot
// describe, declared so that its schema comparison leaves them be.
@Index('idx_shipments_reference_prefix', { synchronize: false })
@Index('idx_shipments_awb_prefix', { synchronize: false })
@Index('idx_shipments_recipient_name_trgm', { synchronize: false })
@Index('idx_shipments_seller_phone', ['sellerId', 'recipientPhone'])
@Index('idx_shipments_seller_at_risk', ['sellerId', 'createdAt', 'id'], { where: "risk = 'at_risk'" })
export class Shipment {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid') sellerId!: string;
  /** The seller's own order reference, unique per seller. */
  @Column('text') reference!: string;
  @Column('uuid') originAddressId!: string;
  /** The pickup address as it was when the shipment was created. */
  @Column('jsonb') origin!: Place;
  @Column('text') recipientName!: string;
  /** E.164. */
  @Column('text') recipientPhone!: string;
  @Column('text') recipientAddress!: string;
  @Column('text') recipientDistrict!: string;
  @Column('text') recipientCity!: string;
  @Column('text') recipientProvince!: string;
  @Column('text') recipientPostalCode!: string;
  /** Kemendagri district code of the recipient (areas); null when none was typed or before the directory. */
  @Column('text', { nullable: true }) recipientDistrictCode!: string | null;
  @Column('integer') weightGrams!: number;
  @Column('integer', { nullable: true }) lengthCm!: number | null;
  @Column('integer', { nullable: true }) widthCm!: number | null;
  @Column('integer', { nullable: true }) heightCm!: number | null;
  @Column('bigint', { nullable: true, transformer: rupiahColumn }) itemValue!: Rupiah | null;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('bigint', { transformer: rupiahColumn }) codAmount!: Rupiah;
  /** A courier service the seller pinned; null lets Kirim choose. */
  @Column('text', { nullable: true }) requestedCourier!: string | null;
  @Column('text', { nullable: true }) requestedService!: string | null;
  @Column('text') status!: ShipmentStatus;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('integer') attempts!: number;
  @Column('boolean') codCollected!: boolean;
  /** A courier's remittance line settled its COD cash (set and cleared by the remittances module). */
  @Column('boolean', { default: false }) codRemitted!: boolean;
  @Column('text') risk!: 'none' | 'at_risk';
  @Column('text', { nullable: true }) courier!: string | null;
  @Column('text', { nullable: true }) service!: string | null;
  @Column('text', { nullable: true }) awb!: string | null;
  /** Our order reference at the courier for the booked airway bill (J&T cancels by it, not by the AWB). */
  @Column('text', { nullable: true }) courierReference!: string | null;
  /**
   * The booking's scoring decision: every candidate and term, winner, runner-up, preset, model version.
   * Loaded only where asked for (`ShipmentsService.get`): about 2 KB, kept out of the row (TOAST).
   */
  @Column('jsonb', { nullable: true, select: false }) decision!: Record<string, unknown> | null;
  /**
   * The transit days the booked service was quoted at booking (its option in `decision`), set with it: the
   * tracker reads them on every poll, where the decision would be read whole for them.
   */
  @Column('smallint', { nullable: true, select: false }) quotedEtaMinDays!: number | null;
  @Column('smallint', { nullable: true, select: false }) quotedEtaMaxDays!: number | null;
  /** While booked: when the courier must have picked the parcel up by (else it is re-booked). */
  /**
   * What the booked courier service costs the seller (rupiah, as quoted at booking; null until booked):
   * shipping price, COD fee, the cashback Kirim earns back on shipping, and the fee if the parcel returns.
   */
  @Column('bigint', { nullable: true, transformer: rupiahColumn }) shippingFee!: Rupiah | null;
  @Column('bigint', { nullable: true, transformer: rupiahColumn }) codFee!: Rupiah | null;
  @Column('bigint', { nullable: true, transformer: rupiahColumn }) cashback!: Rupiah | null;
  @Column('bigint', { nullable: true, transformer: rupiahColumn }) returnFee!: Rupiah | null;
  @Column('timestamptz', { nullable: true }) pickupDueAt!: Date | null;
  @Column('timestamptz', { nullable: true }) bookedAt!: Date | null;
  /** When the courier first held the parcel (its event's time). */
  @Column('timestamptz', { nullable: true }) pickedUpAt!: Date | null;
  /** When it was delivered, returned or lost (the courier event's time). */
  @Column('timestamptz', { nullable: true }) endedAt!: Date | null;
  /** When Kirim recorded that end (invoices take the outcomes recorded in their period). */
  @Column('timestamptz', { nullable: true }) outcomeRecordedAt!: Date | null;
  /** The time of the newest courier event seen. */
  @Column('timestamptz', { nullable: true }) lastEventAt!: Date | null;
  @Column('integer', { default: 0 }) failedAttempts!: number;
  /** The courier event that caused the current status (null when something else moved it). */
  @Column('uuid', { nullable: true }) statusEventId!: string | null;
  /** The courier event that said the COD cash was taken (the money issue credits and reconciles by it). */
  @Column('uuid', { nullable: true }) codCollectedEventId!: string | null;
  /**
   * When Kirim last recorded that a delivered parcel's COD cash was not collected after all (finance reversed
   * its credit) or was collected after all (delivered again with it); null while neither happened. The
   * invoice of the period it falls in brings the parcel's COD fee in line with it.
   */
  @Column('timestamptz', { nullable: true }) codCollectedChangedAt!: Date | null;
  /**
   * While booked: a cancellation is being asked of the courier until then (by the seller or the pickup
   * watch); nothing else may move the shipment meanwhile. A past time is a claim its holder abandoned.
   */
  @Column('timestamptz', { nullable: true }) cancelClaimedUntil!: Date | null;
  /**
   * The seller asked to cancel while booked and the courier's answer was lost: a cancellation the courier
   * reports, or the pickup watch makes, is then the seller's, not a reason to book another courier.
   */
  @Column('timestamptz', { nullable: true }) cancelRequestedAt!: Date | null;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') updatedAt!: Date;
}
