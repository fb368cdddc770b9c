import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shipment list's search (`q`), each part by an index of its own: a reference or airway bill by its start
 * (lower-cased, text_pattern_ops for LIKE 'x%'), a recipient's name by any part (trigrams), a phone by equality.
 * A seller with 300k shipments waited 300–540 ms for a search that read them all.
 */
export class ShipmentSearchIndexes1795488000000 implements MigrationInterface {
  name = 'ShipmentSearchIndexes1795488000000';
  // Built CONCURRENTLY, outside a transaction: a big table keeps taking writes while its index is made
  // (dropping one is quick: undone plainly).
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await q.query(
      'CREATE INDEX CONCURRENTLY idx_shipments_reference_prefix ON shipments (seller_id, lower(reference) text_pattern_ops)',
    );
    await q.query(
      'CREATE INDEX CONCURRENTLY idx_shipments_awb_prefix ON shipments (seller_id, lower(awb) text_pattern_ops)',
    );
    await q.query(
      'CREATE INDEX CONCURRENTLY idx_shipments_recipient_name_trgm ON shipments USING gin (recipient_name gin_trgm_ops)',
    );
    await q.query(
      'CREATE INDEX CONCURRENTLY idx_shipments_seller_phone ON shipments (seller_id, recipient_phone)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_shipments_seller_phone');
    await q.query('DROP INDEX idx_shipments_recipient_name_trgm');
    await q.query('DROP INDEX idx_shipments_awb_prefix');
    await q.query('DROP INDEX idx_shipments_reference_prefix');
  }
}
