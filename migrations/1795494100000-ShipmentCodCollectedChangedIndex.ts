import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivered COD parcels whose cash was found not collected, or collected, after their end, by when Kirim
 * recorded it: invoicing reads a period's range of it (few rows: finance's reversals and the deliveries after
 * them) for the sellers to invoice and each seller's COD fee adjustments.
 */
export class ShipmentCodCollectedChangedIndex1795494100000 implements MigrationInterface {
  name = 'ShipmentCodCollectedChangedIndex1795494100000';
  // Built CONCURRENTLY, outside a transaction: shipments keep being written meanwhile.
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_shipments_cod_collected_changed
         ON shipments (cod_collected_changed_at, seller_id) WHERE cod_collected_changed_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_shipments_cod_collected_changed');
  }
}
