import { Injectable } from '@nestjs/common';
import { Transactions } from 'src/database/transaction';
import { CodSettlement } from './cod-settlement.entity';

/** Finance's settlements of COD deliveries taken back, one per shipment. */
@Injectable()
export class CodSettlementsRepository {
  constructor(private readonly tx: Transactions) {}

  find(shipmentId: string): Promise<CodSettlement | null> {
    return this.tx.manager.findOneBy(CodSettlement, { shipmentId });
  }

  /** Which of the shipments finance has settled. */
  async settledOf(shipmentIds: string[]): Promise<Set<string>> {
    if (!shipmentIds.length) return new Set();
    const rows = await this.tx.manager.query<{ shipment_id: string }[]>(
      'SELECT shipment_id FROM cod_settlements WHERE shipment_id = ANY($1::uuid[])',
      [shipmentIds],
    );
    return new Set(rows.map((r) => r.shipment_id));
  }

  /** Records it, unless the shipment was settled already (the primary key decides): whether it was recorded. */
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
