import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transit days the booked service was quoted at booking, in two small columns beside the shipment. The
 * tracker needs them on every poll of every parcel (the late rule measures against them), and reading them
 * out of the booking decision (about 2 KB, stored compressed out of line) cost PostgreSQL more than the rest
 * of the tracker's read together. Existing rows take them from their decision, where it holds them.
 */
export class ShipmentQuotedEta1795473800000 implements MigrationInterface {
  name = 'ShipmentQuotedEta1795473800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE shipments
      ADD COLUMN quoted_eta_min_days smallint,
      ADD COLUMN quoted_eta_max_days smallint,
      ADD CONSTRAINT chk_shipments_quoted_eta CHECK (
        (quoted_eta_min_days IS NULL) = (quoted_eta_max_days IS NULL)
        AND (quoted_eta_min_days IS NULL OR 0 <= quoted_eta_min_days AND quoted_eta_min_days <= quoted_eta_max_days))`);
    // What the tracker read before: the decision's candidate for the booked courier and service. Days that
    // are not whole numbers in order stay null, and the tracker falls back on the catalogue's promise.
    await q.query(`UPDATE shipments s SET quoted_eta_min_days = (x.eta->>'min')::smallint,
        quoted_eta_max_days = (x.eta->>'max')::smallint
      FROM (
        SELECT id, jsonb_path_query_first(decision,
          '$.candidates[*] ? (@.courier == $c && @.service == $s).etaDays',
          jsonb_build_object('c', courier, 's', service)) AS eta
        FROM shipments WHERE decision IS NOT NULL AND courier IS NOT NULL AND service IS NOT NULL
      ) x
      WHERE x.id = s.id
        AND jsonb_typeof(x.eta->'min') = 'number' AND jsonb_typeof(x.eta->'max') = 'number'
        AND (x.eta->>'min') ~ '^[0-9]{1,4}$' AND (x.eta->>'max') ~ '^[0-9]{1,4}$'
        AND (x.eta->>'min')::int <= (x.eta->>'max')::int`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE shipments DROP CONSTRAINT chk_shipments_quoted_eta,
      DROP COLUMN quoted_eta_min_days, DROP COLUMN quoted_eta_max_days`);
  }
}
