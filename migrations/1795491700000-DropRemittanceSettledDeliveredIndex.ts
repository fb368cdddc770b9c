import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reconciliation's overdue totals read the parcels not remitted from their own index (CodRemitted), no
 * longer the settled lines by delivery date: this index is read by nothing and only slows every line written.
 */
export class DropRemittanceSettledDeliveredIndex1795491700000 implements MigrationInterface {
  name = 'DropRemittanceSettledDeliveredIndex1795491700000';
  // Dropped and built CONCURRENTLY, outside a transaction: remittance uploads go on meanwhile.
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX CONCURRENTLY IF EXISTS idx_remittance_lines_settled_delivered');
  }

  // Undone in the transaction a revert runs each migration in, so built plainly.
  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS idx_remittance_lines_settled_delivered ON remittance_lines (courier, delivered_at)
         WHERE outcome = 'matched' AND NOT voided`,
    );
  }
}
