import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seller notifications: an outbox of signed webhooks, one row per event, written in the transaction of
 * the change it reports and delivered by a worker that claims rows with a lease. A row in flight carries
 * its claim (claimed_until, claim_token); in-flight rows are counted per seller when claiming, so the
 * per-seller limit holds across instances.
 */
export class SellerWebhooks1795470400000 implements MigrationInterface {
  name = 'SellerWebhooks1795470400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        event_id uuid NOT NULL,
        seller_id uuid NOT NULL,
        type text NOT NULL,
        body text NOT NULL,
        status text NOT NULL,
        auto_retry boolean NOT NULL,
        attempts integer NOT NULL,
        window_attempts integer NOT NULL,
        window_started_at timestamptz,
        next_attempt_at timestamptz NOT NULL,
        claimed_until timestamptz,
        claim_token uuid,
        last_response_code integer,
        last_error text,
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT fk_webhook_deliveries_seller FOREIGN KEY (seller_id) REFERENCES sellers(id),
        CONSTRAINT chk_webhook_deliveries_status CHECK (status IN ('pending', 'delivered', 'failed'))
      )`);
    await q.query('CREATE UNIQUE INDEX idx_webhook_deliveries_event ON webhook_deliveries (event_id)');
    await q.query(
      'CREATE INDEX idx_webhook_deliveries_seller ON webhook_deliveries (seller_id, created_at, id)',
    );
    // The claim walks the sellers with pending rows and takes each one's earliest: both from this index.
    await q.query(
      "CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (seller_id, next_attempt_at) WHERE status = 'pending'",
    );
    await q.query(
      'CREATE INDEX idx_webhook_deliveries_in_flight ON webhook_deliveries (seller_id) WHERE claimed_until IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhook_deliveries');
  }
}
