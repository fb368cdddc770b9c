import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A seller's shipments at risk, newest first: the list's risk filter. Few of a seller's shipments are at risk
 * at once, and without this index a filter matching fewer than a page read all of them (230–250 ms for
 * `risk=at_risk&courier=sap` in 300k shipments).
 */
export class ShipmentsAtRiskIndex1795488500000 implements MigrationInterface {
  name = 'ShipmentsAtRiskIndex1795488500000';
  // Built CONCURRENTLY, outside a transaction: a big table keeps taking writes while its index is made
  // (dropping one is quick: undone plainly).
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX CONCURRENTLY idx_shipments_seller_at_risk ON shipments (seller_id, created_at, id) WHERE risk = 'at_risk'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_shipments_seller_at_risk');
  }
}
