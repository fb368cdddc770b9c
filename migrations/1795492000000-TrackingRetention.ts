import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention of what couriers sent as it came: pushes (courier_pushes, audit only) are deleted
 * COURIER_PUSH_RETENTION_DAYS after they arrived, and an applied event's raw line (tracking_events.raw) is
 * cleared after TRACKING_RAW_RETENTION_DAYS, its normalized columns kept. Both grew forever (2.6M events
 * after two years of a busy platform, a scale probe found); the cleanup jobs take the oldest first from
 * these indexes instead of reading the tables.
 */
export class TrackingRetention1795492000000 implements MigrationInterface {
  name = 'TrackingRetention1795492000000';
  // Built CONCURRENTLY, outside a transaction: both tables keep taking pushes and polls while their indexes
  // are made (dropping one is quick: undone plainly).
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    // Dropping NOT NULL only changes the catalogue: no rewrite, no scan.
    await q.query('ALTER TABLE tracking_events ALTER COLUMN raw DROP NOT NULL');
    await q.query('CREATE INDEX CONCURRENTLY idx_courier_pushes_received ON courier_pushes (received_at)');
    // A delivery's line is never cleared (its proof of delivery), so it is not in the index either.
    await q.query(
      `CREATE INDEX CONCURRENTLY idx_tracking_events_raw_kept ON tracking_events (received_at)
         WHERE raw IS NOT NULL AND processed_at IS NOT NULL AND status IS DISTINCT FROM 'delivered'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_tracking_events_raw_kept');
    await q.query('DROP INDEX idx_courier_pushes_received');
    // A cleared line gets back what the tracker stores when a courier kept none: the normalized event.
    await q.query(
      `UPDATE tracking_events SET raw = jsonb_strip_nulls(jsonb_build_object(
         'awb', awb, 'rawCode', raw_code, 'rawText', raw_text, 'occurredAt', occurred_at, 'status', status,
         'reason', reason, 'location', location, 'isReturnLeg', is_return_leg, 'codCollected', cod_collected,
         'pod', pod, 'codAmount', cod_amount))
       WHERE raw IS NULL`,
    );
    await q.query('ALTER TABLE tracking_events ALTER COLUMN raw SET NOT NULL');
  }
}
