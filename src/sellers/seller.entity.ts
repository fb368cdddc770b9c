import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A business that ships with Kirim; owns users, addresses, bank accounts, settings and everything after. */
@Entity('sellers')
export class Seller {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('timestamptz')
  createdAt!: Date;
}
