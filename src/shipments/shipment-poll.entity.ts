import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * When a followed shipment (booked until it ends) is next asked about: the tracker's poll, or a lease while a
 * poller holds it. Apart from `shipments` because it changes at every poll and the shipment row need not.
 * Written only by ShipmentsRepository (the transition statement adds and removes rows).
 */
@Entity('shipment_polls')
@Index('idx_shipment_polls_due', ['courier', 'nextPollAt'])
export class ShipmentPoll {
  @PrimaryColumn('uuid') shipmentId!: string;
  /** The shipment's courier, beside the time so one courier's claim is one index scan. */
  @Column('text') courier!: string;
  @Column('timestamptz') nextPollAt!: Date;
  /** When it was last asked about outside its polls (see ShipmentsRepository.claimRefresh). */
  @Column('timestamptz', { nullable: true }) refreshedAt!: Date | null;
}
