import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A shipment keeps whether a remittance line settled its COD cash (`cod_remitted`, kept by the remittances
 * module through the shipments' service: set when a matched line settles the parcel, cleared when its report
 * is voided), backfilled here from the lines that settle parcels now. The reconciliation's overdue list and
 * its totals then read an index of the delivered COD parcels not remitted, not every delivered COD parcel
 * since the platform began; that index replaces idx_shipments_cod_delivered, which nothing else read.
 */
export class CodRemitted1795491500000 implements MigrationInterface {
  name = 'CodRemitted1795491500000';
  // Indexes built CONCURRENTLY, outside a transaction: shipments keeps taking writes meanwhile. Each step can
  // be run again (IF [NOT] EXISTS; the backfill sets what is not set yet), should one fail half-way.
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE shipments ADD COLUMN IF NOT EXISTS cod_remitted boolean NOT NULL DEFAULT false',
    );
    await q.query(`
      UPDATE shipments s SET cod_remitted = true
        FROM remittance_lines l
       WHERE l.shipment_id = s.id AND l.outcome = 'matched' AND NOT l.voided AND NOT s.cod_remitted`);
    await q.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_shipments_cod_unremitted ON shipments (ended_at, id)
        WHERE status = 'delivered' AND cod_collected AND NOT cod_remitted`,
    );
    await q.query('DROP INDEX CONCURRENTLY IF EXISTS idx_shipments_cod_delivered');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX idx_shipments_cod_delivered ON shipments (ended_at, id) WHERE status = 'delivered' AND cod_collected`,
    );
    await q.query('DROP INDEX idx_shipments_cod_unremitted');
    await q.query('ALTER TABLE shipments DROP COLUMN cod_remitted');
  }
}
