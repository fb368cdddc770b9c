import { MigrationInterface, QueryRunner } from 'typeorm';
import { STORED_CONTENT_SHA256 } from './1795473900000-RemittanceContentHash';

/**
 * A stored report's `remittanceContentSha256`, for a row `r` of remittances: its lines in byte order of their
 * text (COLLATE "C" compares UTF-8 bytes, as the service sorts them), not in the order they were written, each
 * airway bill in capitals (`upper` of the C collation changes ASCII letters only, as the service does).
 */
export const STORED_UNORDERED_CONTENT_SHA256 = `encode(sha256(convert_to(coalesce((
    SELECT string_agg(x.text, E'\\n' ORDER BY x.text COLLATE "C")
      FROM (SELECT upper(l.awb COLLATE "C") || E'\\t' || l.amount::text || E'\\t' || to_char(l.remitted_on, 'YYYY-MM-DD') AS text
              FROM remittance_lines l WHERE l.remittance_id = r.id) x), ''), 'UTF8')), 'hex')`;

/**
 * The same report re-sorted (by amount, say, in a spreadsheet) was taken as a new report: each of its lines
 * a duplicate, and its cash counted into the bank a second time. A report's lines are now hashed in one
 * order whatever order they were written in; earlier reports are hashed again so.
 */
export class RemittanceContentUnordered1795482000000 implements MigrationInterface {
  name = 'RemittanceContentUnordered1795482000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE remittances r SET content_sha256 = ${STORED_UNORDERED_CONTENT_SHA256}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE remittances r SET content_sha256 = ${STORED_CONTENT_SHA256}`);
  }
}
