import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Where couriers pick parcels up. Deleting only hides it, so past shipments keep their origin. */
@Entity('pickup_addresses')
@Index('idx_pickup_addresses_seller', ['sellerId', 'createdAt', 'id'])
export class PickupAddress {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  sellerId!: string;

  @Column('text')
  label!: string;

  @Column('text')
  contactName!: string;

  /** E.164, +62… */
  @Column('text')
  phone!: string;

  @Column('text')
  address!: string;

  @Column('text')
  district!: string;

  @Column('text')
  city!: string;

  /** Canonical province name (see common/indonesia.ts). */
  @Column('text')
  province!: string;

  @Column('text')
  postalCode!: string;

  /** The Kemendagri district code the address resolved to (areas); null for rows from before the directory. */
  @Column('text', { nullable: true })
  districtCode!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;

  @Column('timestamptz', { nullable: true })
  deletedAt!: Date | null;
}
