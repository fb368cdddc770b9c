import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts: the problems the risk rules find on a shipment. At most one open alert per shipment and rule
 * (a partial unique index, so concurrent evaluations never open two); the seller's inbox is read most
 * severe and newest first. `cause_event_id` points at the tracking inbox, which has no table yet.
 */
export class Alerts1795470300000 implements MigrationInterface {
  name = 'Alerts1795470300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY,
        seller_id uuid NOT NULL,
        shipment_id uuid NOT NULL,
        rule text NOT NULL,
        rule_version integer NOT NULL,
        severity text NOT NULL,
        severity_rank smallint NOT NULL,
        reason text NOT NULL,
        message text NOT NULL,
        suggested_action text NOT NULL,
        whatsapp_url text,
        opened_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        resolved_at timestamptz,
        cause_event_id uuid,
        details jsonb NOT NULL,
        CONSTRAINT fk_alerts_seller FOREIGN KEY (seller_id) REFERENCES sellers(id),
        CONSTRAINT fk_alerts_shipment FOREIGN KEY (shipment_id) REFERENCES shipments(id),
        CONSTRAINT chk_alerts_severity CHECK (
          (severity, severity_rank) IN (('low', 1), ('medium', 2), ('high', 3), ('critical', 4))
        ),
        CONSTRAINT chk_alerts_suggested_action CHECK (
          suggested_action IN ('contact', 'reattempt', 'return', 'update_address', 'hold', 'wait')
        ),
        CONSTRAINT chk_alerts_rule_version CHECK (rule_version > 0)
      )`);
    await q.query(
      'CREATE UNIQUE INDEX idx_alerts_open_rule ON alerts (shipment_id, rule) WHERE resolved_at IS NULL',
    );
    await q.query(
      'CREATE INDEX idx_alerts_seller_listing ON alerts (seller_id, resolved_at, severity_rank, opened_at, id)',
    );
    await q.query('CREATE INDEX idx_alerts_shipment ON alerts (shipment_id, opened_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE alerts');
  }
}
