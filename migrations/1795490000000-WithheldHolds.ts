import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A hold can be withheld: not released however due while the business event it holds money for is in
 * doubt (a COD delivery its courier took back). The job's claim reads only releasable holds from an index
 * of its own, so withheld ones, which may wait for months, are never read again by it; a hold is found by
 * its posting (withheld or let go by the posting's key). Holds of deliveries already taken back (an open
 * `delivery_contradicted` alert) are withheld here. Also an index of the open deliveries taken back, for
 * finance's COD discrepancies.
 */
export class WithheldHolds1795490000000 implements MigrationInterface {
  name = 'WithheldHolds1795490000000';
  // Indexes built CONCURRENTLY, outside a transaction: the big tables keep taking writes meanwhile. Each
  // step can be run again (IF [NOT] EXISTS), should one fail half-way.
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE ledger_holds ADD COLUMN IF NOT EXISTS withheld_since timestamptz');
    await q.query(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_ledger_holds_posting ON ledger_holds (transaction_id) WHERE released_at IS NULL',
    );
    await q.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_alerts_delivery_taken_back ON alerts (opened_at)
        WHERE rule = 'delivery_contradicted' AND resolved_at IS NULL`,
    );
    await q.query(`
      UPDATE ledger_holds h SET withheld_since = a.opened_at
        FROM alerts a JOIN ledger_transactions t ON t.key = 'cod-credit:' || a.shipment_id
       WHERE a.rule = 'delivery_contradicted' AND a.resolved_at IS NULL
         AND h.transaction_id = t.id AND h.released_at IS NULL AND h.withheld_since IS NULL`);
    await q.query(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_ledger_holds_releasable ON ledger_holds (release_at) WHERE released_at IS NULL AND withheld_since IS NULL',
    );
    await q.query('DROP INDEX CONCURRENTLY IF EXISTS idx_ledger_holds_due');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX idx_ledger_holds_due ON ledger_holds (release_at) WHERE released_at IS NULL');
    await q.query('DROP INDEX idx_ledger_holds_releasable');
    await q.query('DROP INDEX idx_alerts_delivery_taken_back');
    await q.query('DROP INDEX idx_ledger_holds_posting');
    await q.query('ALTER TABLE ledger_holds DROP COLUMN withheld_since');
  }
}
