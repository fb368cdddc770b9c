import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A seller's entries by Jakarta month, newest id first within each: `GET /v1/ledger/entries?from=&to=` reads
 * the months its window touches from here (ledger.repository.ts sellerEntries) instead of walking every later
 * entry of the seller by id. `at` is included so that the window's own bounds are checked in the index.
 */
export class LedgerEntriesSellerMonth1795491600000 implements MigrationInterface {
  name = 'LedgerEntriesSellerMonth1795491600000';
  // Built CONCURRENTLY, outside a transaction: ledger_entries keeps taking postings meanwhile.
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_ledger_entries_seller_month
         ON ledger_entries (seller_id, (date_trunc('month', at AT TIME ZONE 'Asia/Jakarta')), id) INCLUDE (at)
        WHERE seller_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_ledger_entries_seller_month');
  }
}
