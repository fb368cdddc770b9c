import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type Rupiah, rupiahColumn } from 'src/common/money';

export const SCORING_PRESETS = ['cheapest', 'fastest', 'safest', 'balanced'] as const;
export type ScoringPreset = (typeof SCORING_PRESETS)[number];

/** One row per seller: how Kirim chooses couriers for it and where it is notified. */
@Entity('seller_settings')
export class SellerSettings {
  @PrimaryColumn('uuid')
  sellerId!: string;

  @Column('text')
  scoringPreset!: ScoringPreset;

  @Column('text', { nullable: true })
  webhookUrl!: string | null;

  /** For the seller to verify X-Kirim-Signature; generated when a webhook URL is first set. */
  @Column('text', { nullable: true })
  webhookSecret!: string | null;

  @Column('bigint', { transformer: rupiahColumn })
  lostMarginPerFailure!: Rupiah;

  @Column('timestamptz')
  updatedAt!: Date;
}
