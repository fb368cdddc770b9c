import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A remittance report taken by mistake (the wrong courier chosen, a courier's report that repeats earlier
 * days) can be voided by finance: its cash posting is reversed by a new transaction, and its lines settle
 * nothing any more, so its parcels are owed again and may be settled by another report. The report and its
 * lines stay, marked, as they were decided. A line carries its report's mark so the indexes that keep a
 * parcel settled once can pass over voided lines; so does the rule that the same file is taken once.
 */
export class RemittanceVoids1795483000000 implements MigrationInterface {
  name = 'RemittanceVoids1795483000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE remittances
        ADD COLUMN voided_at timestamptz,
        ADD COLUMN voided_by uuid CONSTRAINT fk_remittances_voided_by REFERENCES users(id),
        ADD COLUMN void_reason text,
        ADD CONSTRAINT chk_remittances_void CHECK (
          (voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL))`);
    await q.query('ALTER TABLE remittances DROP CONSTRAINT uq_remittances_file');
    await q.query(
      'CREATE UNIQUE INDEX uq_remittances_file ON remittances (courier, file_sha256) WHERE voided_at IS NULL',
    );
    await q.query('ALTER TABLE remittance_lines ADD COLUMN voided boolean NOT NULL DEFAULT false');
    await q.query('DROP INDEX uq_remittance_lines_settled_awb');
    await q.query('DROP INDEX uq_remittance_lines_settled_shipment');
    await q.query('DROP INDEX idx_remittance_lines_settled_delivered');
    await q.query('DROP INDEX idx_remittance_lines_exceptions');
    await q.query(
      `CREATE UNIQUE INDEX uq_remittance_lines_settled_awb ON remittance_lines (courier, awb)
         WHERE outcome = 'matched' AND NOT voided`,
    );
    await q.query(
      `CREATE UNIQUE INDEX uq_remittance_lines_settled_shipment ON remittance_lines (shipment_id)
         WHERE outcome = 'matched' AND NOT voided`,
    );
    await q.query(
      `CREATE INDEX idx_remittance_lines_settled_delivered ON remittance_lines (courier, delivered_at)
         WHERE outcome = 'matched' AND NOT voided`,
    );
    await q.query(
      `CREATE INDEX idx_remittance_lines_exceptions ON remittance_lines (outcome, created_at, remittance_id, row_no)
         WHERE outcome <> 'matched' AND NOT voided`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // A void's reversal stays in the ledger: un-marking its report would settle its parcels a second time.
    const [{ voided }] = (await q.query(
      'SELECT EXISTS (SELECT 1 FROM remittances WHERE voided_at IS NOT NULL) AS voided',
    )) as { voided: boolean }[];
    if (voided)
      throw new Error(
        'RemittanceVoids cannot be reverted: remittance reports were voided, and their reversals are in the ledger',
      );
    await q.query('DROP INDEX idx_remittance_lines_exceptions');
    await q.query('DROP INDEX idx_remittance_lines_settled_delivered');
    await q.query('DROP INDEX uq_remittance_lines_settled_shipment');
    await q.query('DROP INDEX uq_remittance_lines_settled_awb');
    await q.query(
      `CREATE UNIQUE INDEX uq_remittance_lines_settled_awb ON remittance_lines (courier, awb) WHERE outcome = 'matched'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX uq_remittance_lines_settled_shipment ON remittance_lines (shipment_id) WHERE outcome = 'matched'`,
    );
    await q.query(
      `CREATE INDEX idx_remittance_lines_settled_delivered ON remittance_lines (courier, delivered_at)
         WHERE outcome = 'matched'`,
    );
    await q.query(
      `CREATE INDEX idx_remittance_lines_exceptions ON remittance_lines (outcome, created_at, remittance_id, row_no)
         WHERE outcome <> 'matched'`,
    );
    await q.query('ALTER TABLE remittance_lines DROP COLUMN voided');
    await q.query('DROP INDEX uq_remittances_file');
    await q.query('ALTER TABLE remittances ADD CONSTRAINT uq_remittances_file UNIQUE (courier, file_sha256)');
    await q.query(
      'ALTER TABLE remittances DROP CONSTRAINT chk_remittances_void, DROP COLUMN void_reason, DROP COLUMN voided_by, DROP COLUMN voided_at',
    );
  }
}
