import { Injectable } from '@nestjs/common';
import { Transactions } from 'src/database/transaction';
import { CodSettlement } from './cod-settlement.entity';

/** Finance's settlements of COD deliveries taken back, one per COD credit of a shipment. */
@Injectable()
export class CodSettlementsRepository {
  constructor(private readonly tx: Transactions) {}

  /** The settlement of the shipment's credit `creditKey` (CodCreditPosting.latestCredits), if any. */
  find(shipmentId: string, creditKey: string): Promise<CodSettlement | null> {
    return this.tx.manager.findOneBy(CodSettlement, { shipmentId, creditKey });
  }

  /** Which of the credits, by shipment (its latest credit's key), finance has settled. */
  async settledOf(credits: ReadonlyMap<string, string>): Promise<Set<string>> {
    if (!credits.size) return new Set();
    const rows = await this.tx.manager.query<{ shipment_id: string }[]>(
      `SELECT c.shipment_id FROM cod_settlements c
         JOIN unnest($1::uuid[], $2::text[]) AS x(id, credit_key)
           ON c.shipment_id = x.id AND c.credit_key = x.credit_key`,
      [[...credits.keys()], [...credits.values()]],
    );
    return new Set(rows.map((r) => r.shipment_id));
  }

  /** Records it, unless its credit was settled already (the primary key decides): whether it was recorded. */
  async insert(s: CodSettlement): Promise<boolean> {
    const result = await this.tx.manager
      .createQueryBuilder()
      .insert()
      .into(CodSettlement)
      .values(s)
      .orIgnore()
      .returning('shipment_id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }
}
