import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Following a parcel to its end: the inbox of courier events (each stored once, raw kept for audit), the
 * record of every status transition with its cause, and the shipment's poll schedule. The pickup watch's
 * own check time becomes the one poll time: a booked shipment is polled like any other.
 */
export class Tracking1795469000000 implements MigrationInterface {
  name = 'Tracking1795469000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tracking_events (
        id uuid PRIMARY KEY,
        courier text NOT NULL,
        awb text NOT NULL,
        raw_code text NOT NULL,
        occurred_at timestamptz NOT NULL,
        raw_text text NOT NULL,
        status text,
        reason text,
        location text,
        is_return_leg boolean NOT NULL,
        cod_collected boolean,
        unmapped boolean NOT NULL,
        source text NOT NULL,
        raw jsonb NOT NULL,
        push_id uuid,
        shipment_id uuid,
        received_at timestamptz NOT NULL,
        processed_at timestamptz,
        CONSTRAINT chk_tracking_events_source CHECK (source IN ('poll', 'webhook'))
      )`);
    // Dedupe key (couriers/README.md §3.1): the same event polled and pushed, or pushed five times, is one row.
    await q.query(
      'CREATE UNIQUE INDEX idx_tracking_events_key ON tracking_events (courier, awb, raw_code, occurred_at)',
    );
    await q.query('CREATE INDEX idx_tracking_events_shipment ON tracking_events (shipment_id, occurred_at)');
    await q.query(
      'CREATE INDEX idx_tracking_events_unprocessed ON tracking_events (received_at) WHERE processed_at IS NULL',
    );
    await q.query(
      'CREATE INDEX idx_tracking_events_unmapped ON tracking_events (courier, raw_code) WHERE unmapped',
    );
    // A courier push exactly as received (verified before it is stored), for audit.
    await q.query(`
      CREATE TABLE courier_pushes (
        id uuid PRIMARY KEY,
        courier text NOT NULL,
        body text NOT NULL,
        content_type text,
        received_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE shipment_transitions (
        id uuid PRIMARY KEY,
        shipment_id uuid NOT NULL REFERENCES shipments(id),
        from_status text NOT NULL,
        to_status text NOT NULL,
        reason text,
        cause text NOT NULL,
        cause_event_id uuid REFERENCES tracking_events(id),
        at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX idx_shipment_transitions_shipment ON shipment_transitions (shipment_id, at)');

    await q.query('ALTER TABLE shipments RENAME COLUMN pickup_check_at TO next_poll_at');
    await q.query('DROP INDEX idx_shipments_pickup_check');
    // Each courier's poller claims its own due shipments: an index scan over the due ones only.
    await q.query(
      'CREATE INDEX idx_shipments_next_poll ON shipments (courier, next_poll_at) WHERE next_poll_at IS NOT NULL',
    );
    await q.query(`
      ALTER TABLE shipments
        ADD COLUMN booked_at timestamptz,
        ADD COLUMN picked_up_at timestamptz,
        ADD COLUMN ended_at timestamptz,
        ADD COLUMN last_event_at timestamptz,
        ADD COLUMN failed_attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN status_event_id uuid,
        ADD COLUMN cod_collected_event_id uuid,
        ADD CONSTRAINT fk_shipments_status_event FOREIGN KEY (status_event_id) REFERENCES tracking_events(id),
        ADD CONSTRAINT fk_shipments_cod_collected_event FOREIGN KEY (cod_collected_event_id) REFERENCES tracking_events(id)`);
    // Everything handed to a courier and not finished is followed from now on.
    await q.query(
      `UPDATE shipments SET next_poll_at = COALESCE(next_poll_at, now()),
         booked_at = CASE WHEN status = 'booked' THEN updated_at END
       WHERE status IN ('booked', 'picked_up', 'in_transit', 'out_for_delivery', 'delivery_failed', 'returning')`,
    );
    // The seller's monitoring figures: shipments that ended in a window.
    await q.query(
      'CREATE INDEX idx_shipments_seller_ended ON shipments (seller_id, ended_at) WHERE ended_at IS NOT NULL',
    );
    await q.query(
      'CREATE INDEX idx_booking_attempts_awb ON booking_attempts (courier, awb) WHERE awb IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_booking_attempts_awb');
    await q.query('DROP INDEX idx_shipments_seller_ended');
    await q.query(
      `ALTER TABLE shipments DROP COLUMN booked_at, DROP COLUMN picked_up_at, DROP COLUMN ended_at,
         DROP COLUMN last_event_at, DROP COLUMN failed_attempts, DROP COLUMN status_event_id, DROP COLUMN cod_collected_event_id`,
    );
    await q.query("UPDATE shipments SET next_poll_at = NULL WHERE status <> 'booked'");
    await q.query('DROP INDEX idx_shipments_next_poll');
    await q.query('ALTER TABLE shipments RENAME COLUMN next_poll_at TO pickup_check_at');
    await q.query(
      'CREATE INDEX idx_shipments_pickup_check ON shipments (pickup_check_at) WHERE pickup_check_at IS NOT NULL',
    );
    await q.query('DROP TABLE shipment_transitions');
    await q.query('DROP TABLE courier_pushes');
    await q.query('DROP TABLE tracking_events');
  }
}
