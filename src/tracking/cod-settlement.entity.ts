import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type Rupiah, rupiahColumn } from 'src/common/money';

export const COD_SETTLEMENT_DECISIONS = ['release', 'reverse'] as const;
export type CodSettlementDecision = (typeof COD_SETTLEMENT_DECISIONS)[number];

/**
 * Finance's decision on a COD delivery its courier took back (the cash collected after all, or never), kept
 * for audit: one per COD credit of the shipment, whoever decides first.
 */
@Entity('cod_settlements')
export class CodSettlement {
  @PrimaryColumn('uuid') shipmentId!: string;
  /**
   * The credit settled, by its once-only ledger key: the delivery's (`cod-credit:<shipmentId>`), or a reversed
   * parcel's delivered again (`cod-credit-redelivered:<shipmentId>`).
   */
  @PrimaryColumn('text') creditKey!: string;
  @Column('uuid') sellerId!: string;
  /** The `delivery_contradicted` alert the decision resolved. */
  @Column('uuid') alertId!: string;
  @Column('text') decision!: CodSettlementDecision;
  @Column('text') reason!: string;
  /** Rupiah: let go to `available` (release) or taken out of the seller's money (reverse). */
  @Column('bigint', { transformer: rupiahColumn }) amount!: Rupiah;
  /** Of `amount`, what came out of `pending` (reverse) or was still held there (release). */
  @Column('bigint', { transformer: rupiahColumn }) fromPending!: Rupiah;
  /** Of `amount`, what came out of `available` (reverse) or was already released there (release). */
  @Column('bigint', { transformer: rupiahColumn }) fromAvailable!: Rupiah;
  /** The finance (or admin) user who decided. */
  @Column('uuid') settledBy!: string;
  @Column('timestamptz') settledAt!: Date;
}
