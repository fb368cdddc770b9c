import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finance resolves a remittance line waiting in suspense (unmatched, an amount mismatch, a duplicate), once:
 * the cash refunded to the courier, kept as income, or credited to the seller of a parcel finance names. A
 * line credited to a seller settles that parcel as a matched line does (the unique indexes on matched lines
 * keep it settled once), though Kirim may not know when its courier delivered it (a parcel re-booked away):
 * such a line alone is matched without `delivered_at`. Resolved lines leave the exceptions' index.
 */
export class RemittanceLineResolutions1795500100000 implements MigrationInterface {
  name = 'RemittanceLineResolutions1795500100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE remittance_lines
        ADD COLUMN resolution text,
        ADD COLUMN resolution_note text,
        ADD COLUMN resolved_by uuid CONSTRAINT fk_remittance_lines_resolved_by REFERENCES users(id),
        ADD COLUMN resolved_at timestamptz,
        ADD CONSTRAINT chk_remittance_lines_resolution CHECK (
          (resolution IS NULL) = (resolution_note IS NULL)
          AND (resolution IS NULL) = (resolved_by IS NULL)
          AND (resolution IS NULL) = (resolved_at IS NULL)
          AND (resolution IS NULL OR resolution IN ('refund_courier', 'write_off', 'credit_seller'))
          AND (resolution IS NULL OR (resolution = 'credit_seller') = (outcome = 'matched')))`);
    await q.query('ALTER TABLE remittance_lines DROP CONSTRAINT chk_remittance_lines_settles');
    await q.query(`
      ALTER TABLE remittance_lines ADD CONSTRAINT chk_remittance_lines_settles CHECK (
        outcome <> 'matched' OR (shipment_id IS NOT NULL AND expected_amount = amount
          AND (delivered_at IS NOT NULL OR resolution = 'credit_seller'))) NOT VALID`);
    await q.query('ALTER TABLE remittance_lines VALIDATE CONSTRAINT chk_remittance_lines_settles');
    await q.query('DROP INDEX idx_remittance_lines_exceptions');
    await q.query(
      `CREATE INDEX idx_remittance_lines_exceptions ON remittance_lines (outcome, created_at, remittance_id, row_no)
         WHERE outcome <> 'matched' AND NOT voided AND resolution IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // A resolution's posting stays in the ledger: forgetting it would put the line back in suspense twice.
    const [{ resolved }] = (await q.query(
      'SELECT EXISTS (SELECT 1 FROM remittance_lines WHERE resolution IS NOT NULL) AS resolved',
    )) as { resolved: boolean }[];
    if (resolved)
      throw new Error(
        'RemittanceLineResolutions cannot be reverted: remittance lines were resolved, and their postings are in the ledger',
      );
    await q.query('DROP INDEX idx_remittance_lines_exceptions');
    await q.query(
      `CREATE INDEX idx_remittance_lines_exceptions ON remittance_lines (outcome, created_at, remittance_id, row_no)
         WHERE outcome <> 'matched' AND NOT voided`,
    );
    await q.query('ALTER TABLE remittance_lines DROP CONSTRAINT chk_remittance_lines_settles');
    await q.query(`
      ALTER TABLE remittance_lines ADD CONSTRAINT chk_remittance_lines_settles CHECK (
        outcome <> 'matched' OR (shipment_id IS NOT NULL AND expected_amount = amount AND delivered_at IS NOT NULL))`);
    await q.query(`
      ALTER TABLE remittance_lines DROP CONSTRAINT chk_remittance_lines_resolution,
        DROP COLUMN resolved_at, DROP COLUMN resolved_by, DROP COLUMN resolution_note, DROP COLUMN resolution`);
  }
}
