import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seller actions on a shipment (re-attempt, return, address correction, hold): recorded `pending` before
 * the courier is asked, then `sent`, `manual` (the courier has no call for it: operations arrange it) or
 * `failed`. At most one action of a shipment is in flight at once (a partial unique index on the pending
 * ones), and a pending action carries a claim (`claimed_until`) so one whose sender died is resumed.
 */
export class ShipmentActions1795471000000 implements MigrationInterface {
  name = 'ShipmentActions1795471000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE shipment_actions (
        id uuid PRIMARY KEY,
        seller_id uuid NOT NULL,
        shipment_id uuid NOT NULL,
        action text NOT NULL,
        note text,
        address jsonb,
        confirmed_with_buyer boolean NOT NULL DEFAULT false,
        alert_id uuid,
        status text NOT NULL,
        courier text NOT NULL,
        awb text NOT NULL,
        courier_reference text,
        error text,
        requested_by text NOT NULL,
        sends integer NOT NULL DEFAULT 0,
        claimed_until timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT fk_shipment_actions_seller FOREIGN KEY (seller_id) REFERENCES sellers(id),
        CONSTRAINT fk_shipment_actions_shipment FOREIGN KEY (shipment_id) REFERENCES shipments(id),
        CONSTRAINT fk_shipment_actions_alert FOREIGN KEY (alert_id) REFERENCES alerts(id),
        CONSTRAINT chk_shipment_actions_action CHECK (action IN ('reattempt', 'return', 'update_address', 'hold')),
        CONSTRAINT chk_shipment_actions_status CHECK (status IN ('pending', 'sent', 'manual', 'failed')),
        CONSTRAINT chk_shipment_actions_address CHECK ((action = 'update_address') = (address IS NOT NULL)),
        CONSTRAINT chk_shipment_actions_claim CHECK ((status = 'pending') = (claimed_until IS NOT NULL)),
        CONSTRAINT chk_shipment_actions_note CHECK (char_length(note) <= 500),
        CONSTRAINT chk_shipment_actions_sends CHECK (sends >= 0)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX idx_shipment_actions_in_flight ON shipment_actions (shipment_id) WHERE status = 'pending'`,
    );
    await q.query('CREATE INDEX idx_shipment_actions_shipment ON shipment_actions (shipment_id, created_at)');
    await q.query(
      `CREATE INDEX idx_shipment_actions_claims ON shipment_actions (claimed_until) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE shipment_actions');
  }
}
