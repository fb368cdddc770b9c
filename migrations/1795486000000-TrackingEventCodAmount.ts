import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The COD cash a courier's delivery line says it took (rupiah), where the line carries an amount: beside
 * the shipment's own COD amount it shows a short collection before the courier's remittance does.
 */
export class TrackingEventCodAmount1795486000000 implements MigrationInterface {
  name = 'TrackingEventCodAmount1795486000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tracking_events ADD COLUMN cod_amount bigint');
    // The deliveries that said something of the cash, newest first: what the discrepancy list reads.
    await q.query(
      `CREATE INDEX idx_tracking_events_cod_said ON tracking_events (received_at)
        WHERE status = 'delivered' AND (cod_collected = false OR cod_amount IS NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_tracking_events_cod_said');
    await q.query('ALTER TABLE tracking_events DROP COLUMN cod_amount');
  }
}
