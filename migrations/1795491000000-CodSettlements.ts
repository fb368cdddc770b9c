import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finance's settlements of COD deliveries their couriers took back (release: the cash was collected after
 * all; reverse: it never was), one per shipment; and a remittance line naming a parcel whose COD credit was
 * reversed is `unmatched` for that reason (`cod_reversed`), its cash left in suspense.
 */
export class CodSettlements1795491000000 implements MigrationInterface {
  name = 'CodSettlements1795491000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cod_settlements (
        shipment_id uuid PRIMARY KEY,
        seller_id uuid NOT NULL,
        alert_id uuid NOT NULL,
        decision text NOT NULL,
        reason text NOT NULL,
        amount bigint NOT NULL,
        from_pending bigint NOT NULL,
        from_available bigint NOT NULL,
        settled_by uuid NOT NULL,
        settled_at timestamptz NOT NULL,
        CONSTRAINT fk_cod_settlements_shipment FOREIGN KEY (shipment_id) REFERENCES shipments(id),
        CONSTRAINT fk_cod_settlements_alert FOREIGN KEY (alert_id) REFERENCES alerts(id),
        CONSTRAINT fk_cod_settlements_settled_by FOREIGN KEY (settled_by) REFERENCES users(id),
        CONSTRAINT chk_cod_settlements_decision CHECK (decision IN ('release', 'reverse')),
        CONSTRAINT chk_cod_settlements_amounts CHECK (
          from_pending >= 0 AND from_available >= 0 AND amount = from_pending + from_available)
      )`);
    // NOT VALID then VALIDATE: the check is swapped without holding remittance lines' writers for a scan.
    await q.query('ALTER TABLE remittance_lines DROP CONSTRAINT chk_remittance_lines_reason');
    await q.query(`
      ALTER TABLE remittance_lines ADD CONSTRAINT chk_remittance_lines_reason CHECK (
        (outcome = 'unmatched') = (reason IS NOT NULL)
        AND (reason IS NULL OR reason IN ('unknown_awb', 'not_delivered_cod', 'cod_reversed'))) NOT VALID`);
    await q.query('ALTER TABLE remittance_lines VALIDATE CONSTRAINT chk_remittance_lines_reason');
  }

  async down(q: QueryRunner): Promise<void> {
    // A line refused for a reversed credit becomes what it was before reversals existed: not a delivered COD
    // parcel's (its cash was never collected), so the narrower check holds.
    await q.query("UPDATE remittance_lines SET reason = 'not_delivered_cod' WHERE reason = 'cod_reversed'");
    await q.query('ALTER TABLE remittance_lines DROP CONSTRAINT chk_remittance_lines_reason');
    await q.query(`
      ALTER TABLE remittance_lines ADD CONSTRAINT chk_remittance_lines_reason CHECK (
        (outcome = 'unmatched') = (reason IS NOT NULL)
        AND (reason IS NULL OR reason IN ('unknown_awb', 'not_delivered_cod')))`);
    await q.query('DROP TABLE cod_settlements');
  }
}
