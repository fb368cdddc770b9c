import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A seller's bank account for withdrawals. Deleting only hides it, so past withdrawals keep it. */
@Entity('bank_accounts')
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
