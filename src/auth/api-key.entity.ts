import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A seller integration's credential. Only a SHA-256 of the key is stored; the key is shown once. */
@Entity('api_keys')
@Index('idx_api_keys_key_hash', ['keyHash'], { unique: true })
@Index('idx_api_keys_seller', ['sellerId', 'createdAt', 'id'])
export class ApiKey {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  sellerId!: string;

  @Column('uuid')
  createdByUserId!: string;

  @Column('text')
  name!: string;

  /** The first characters of the key, to recognise it in lists. */
  @Column('text')
  prefix!: string;

  @Column('text')
  keyHash!: string;

  @Column('timestamptz', { nullable: true })
  lastUsedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;

  @Column('timestamptz')
  createdAt!: Date;
}
