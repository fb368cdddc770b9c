import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Courier remittance reports and their lines. A parcel's COD cash is settled by at most one line: a
 * partial unique index on (courier, awb) and one on shipment_id, both WHERE outcome = 'matched', so no
 * race or bug can settle it twice. The same file (by SHA-256) is taken once per courier. Delivered COD
 * parcels get an index by delivery time, for the "not remitted after N days" list and its totals.
 */
export class Remittances1795472400000 implements MigrationInterface {
  name = 'Remittances1795472400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE remittances (
        id uuid PRIMARY KEY,
        courier text NOT NULL,
        uploaded_by uuid NOT NULL,
        file_sha256 text NOT NULL,
        line_count integer NOT NULL,
        total_amount bigint NOT NULL,
        matched_count integer NOT NULL,
        matched_amount bigint NOT NULL,
        mismatch_count integer NOT NULL,
        mismatch_amount bigint NOT NULL,
        unmatched_count integer NOT NULL,
        unmatched_amount bigint NOT NULL,
        duplicate_count integer NOT NULL,
        duplicate_amount bigint NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT uq_remittances_file UNIQUE (courier, file_sha256),
        CONSTRAINT fk_remittances_uploaded_by FOREIGN KEY (uploaded_by) REFERENCES users(id),
        CONSTRAINT chk_remittances_sha256 CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT chk_remittances_counts CHECK (
          line_count > 0 AND line_count = matched_count + mismatch_count + unmatched_count + duplicate_count),
        CONSTRAINT chk_remittances_amounts CHECK (
          total_amount > 0 AND total_amount = matched_amount + mismatch_amount + unmatched_amount + duplicate_amount)
      )`);
    await q.query('CREATE INDEX idx_remittances_created ON remittances (created_at, id)');
    await q.query(`
      CREATE TABLE remittance_lines (
        remittance_id uuid NOT NULL,
        row_no integer NOT NULL,
        courier text NOT NULL,
        awb text NOT NULL,
        amount bigint NOT NULL,
        remitted_on date NOT NULL,
        outcome text NOT NULL,
        reason text,
        shipment_id uuid,
        expected_amount bigint,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL,
        CONSTRAINT pk_remittance_lines PRIMARY KEY (remittance_id, row_no),
        CONSTRAINT fk_remittance_lines_remittance FOREIGN KEY (remittance_id) REFERENCES remittances(id),
        CONSTRAINT fk_remittance_lines_shipment FOREIGN KEY (shipment_id) REFERENCES shipments(id),
        CONSTRAINT chk_remittance_lines_amount CHECK (amount > 0),
        CONSTRAINT chk_remittance_lines_outcome CHECK (
          outcome IN ('matched', 'amount_mismatch', 'unmatched', 'duplicate')),
        CONSTRAINT chk_remittance_lines_settles CHECK (
          outcome <> 'matched' OR (shipment_id IS NOT NULL AND expected_amount = amount AND delivered_at IS NOT NULL)),
        CONSTRAINT chk_remittance_lines_mismatch CHECK (
          outcome <> 'amount_mismatch' OR (shipment_id IS NOT NULL AND expected_amount <> amount)),
        CONSTRAINT chk_remittance_lines_reason CHECK (
          (outcome = 'unmatched') = (reason IS NOT NULL)
          AND (reason IS NULL OR reason IN ('unknown_awb', 'not_delivered_cod')))
      )`);
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
    await q.query(
      `CREATE INDEX idx_shipments_cod_delivered ON shipments (ended_at, id) WHERE status = 'delivered' AND cod_collected`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_shipments_cod_delivered');
    await q.query('DROP TABLE remittance_lines');
    await q.query('DROP TABLE remittances');
  }
}
