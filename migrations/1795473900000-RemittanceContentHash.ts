import { MigrationInterface, QueryRunner } from 'typeorm';

/** A stored report's `remittanceContentSha256`, from its lines, for a row `r` of remittances. */
export const STORED_CONTENT_SHA256 = `encode(sha256(convert_to(coalesce((
    SELECT string_agg(l.awb || E'\\t' || l.amount::text || E'\\t' || to_char(l.remitted_on, 'YYYY-MM-DD'), E'\\n'
                      ORDER BY l.row_no)
      FROM remittance_lines l WHERE l.remittance_id = r.id), ''), 'UTF8')), 'hex')`;

/**
 * A remittance report's lines, hashed: the same report saved again with other line endings, a BOM, another
 * delimiter or quoting has other bytes but the same lines, and was taken as a new report whose cash was
 * counted again. Existing reports are hashed from their stored lines the way the service hashes a new one
 * (`remittanceContentSha256`). Not unique: reports uploaded twice before this may share one.
 */
export class RemittanceContentHash1795473900000 implements MigrationInterface {
  name = 'RemittanceContentHash1795473900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE remittances ADD COLUMN content_sha256 text');
    await q.query(`UPDATE remittances r SET content_sha256 = ${STORED_CONTENT_SHA256}`);
    await q.query('ALTER TABLE remittances ALTER COLUMN content_sha256 SET NOT NULL');
    await q.query('CREATE INDEX idx_remittances_content ON remittances (courier, content_sha256)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_remittances_content');
    await q.query('ALTER TABLE remittances DROP COLUMN content_sha256');
  }
}
