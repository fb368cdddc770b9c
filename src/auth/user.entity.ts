import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from 'src/common/auth/principal';

/** A person who logs in: a seller's owner or staff, or Kirim's finance and admin staff (no seller). */
@Entity('users')
@Index('idx_users_active_email', ['email'], { unique: true, where: 'disabled_at IS NULL' })
@Index('idx_users_seller', ['sellerId', 'createdAt', 'id'])
export class User {
  @PrimaryColumn('uuid')
  id!: string;

  /** Stored lower-case; unique. */
  @Column('text')
  email!: string;

  @Column('text')
  passwordHash!: string;

  @Column('text')
  role!: Role;

  /** The seller this user acts for; null for finance and admin. */
  @Column('uuid', { nullable: true })
  sellerId!: string | null;

  @Column('timestamptz', { nullable: true })
  disabledAt!: Date | null;

  /** Tokens of another generation are refused: logging out or a new password moves to the next. */
  @Column('integer', { default: 0 })
  sessionGeneration!: number;

  @Column('timestamptz')
  createdAt!: Date;
}
