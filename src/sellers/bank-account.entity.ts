import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A seller's bank account for withdrawals. Deleting only hides it, so past withdrawals keep it. */
@Entity('bank_accounts')
@Index('idx_bank_accounts_seller', ['sellerId', 'createdAt', 'id'])
@Index('idx_bank_accounts_live_number', ['sellerId', 'bankCode', 'accountNumber'], {
  unique: true,
  where: 'deleted_at IS NULL',
})
export class BankAccount {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  sellerId!: string;

  @Column('text')
  bankCode!: string;

  /** Digits only. Answered masked. */
  @Column('text')
  accountNumber!: string;

  @Column('text')
  accountName!: string;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  deletedAt!: Date | null;
}
