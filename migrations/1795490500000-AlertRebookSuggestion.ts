import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts may suggest `rebook`: a courier service the seller pinned missed the pickup, so Kirim books no
 * other courier and the seller requests the pickup again or ships with another courier.
 */
export class AlertRebookSuggestion1795490500000 implements MigrationInterface {
  name = 'AlertRebookSuggestion1795490500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE alerts DROP CONSTRAINT chk_alerts_suggested_action');
    await q.query(`
      ALTER TABLE alerts ADD CONSTRAINT chk_alerts_suggested_action CHECK (
        suggested_action IN ('contact', 'reattempt', 'return', 'update_address', 'hold', 'wait', 'rebook')
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    // A `rebook` alert becomes the rule's former suggestion, so the narrower constraint holds.
    await q.query("UPDATE alerts SET suggested_action = 'wait' WHERE suggested_action = 'rebook'");
    await q.query('ALTER TABLE alerts DROP CONSTRAINT chk_alerts_suggested_action');
    await q.query(`
      ALTER TABLE alerts ADD CONSTRAINT chk_alerts_suggested_action CHECK (
        suggested_action IN ('contact', 'reattempt', 'return', 'update_address', 'hold', 'wait')
      )`);
  }
}
