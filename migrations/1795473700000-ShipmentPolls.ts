import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each followed shipment is next asked about moves out of `shipments` into a narrow table of its own.
 * Every poll wrote it twice (the claim's lease, then the next poll), and as an indexed column each write was
 * a new version of the whole shipments row with an entry in each of its indexes: the most expensive
 * statements of a tracking run. A row here exists exactly while the shipment is followed (booked until it
 * ends); the courier is kept beside the time so a courier's claim is one index scan.
 */
export class ShipmentPolls1795473700000 implements MigrationInterface {
  name = 'ShipmentPolls1795473700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE shipment_polls (
      shipment_id uuid PRIMARY KEY,
      courier text NOT NULL,
      next_poll_at timestamptz NOT NULL,
      CONSTRAINT fk_shipment_polls_shipment FOREIGN KEY (shipment_id) REFERENCES shipments (id) ON DELETE CASCADE
    ) WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02)`);
    await q.query(`INSERT INTO shipment_polls (shipment_id, courier, next_poll_at)
      SELECT id, courier, next_poll_at FROM shipments WHERE next_poll_at IS NOT NULL AND courier IS NOT NULL`);
    await q.query('CREATE INDEX idx_shipment_polls_due ON shipment_polls (courier, next_poll_at)');
    await q.query('DROP INDEX idx_shipments_next_poll');
    await q.query('ALTER TABLE shipments DROP COLUMN next_poll_at');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipments ADD COLUMN next_poll_at timestamptz');
    await q.query(
      'UPDATE shipments s SET next_poll_at = p.next_poll_at FROM shipment_polls p WHERE p.shipment_id = s.id',
    );
    await q.query(
      'CREATE INDEX idx_shipments_next_poll ON shipments (courier, next_poll_at) WHERE next_poll_at IS NOT NULL',
    );
    await q.query('DROP TABLE shipment_polls');
  }
}
