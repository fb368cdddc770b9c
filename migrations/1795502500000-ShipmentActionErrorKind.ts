import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `shipment_actions.error_kind`: why a failed action failed, as a kind a client can word in the seller's
 * language (the dashboard is Indonesian; `error` is the courier's words, or Kirim's own in English):
 * `refused` by the courier, the courier `unreachable` (nothing changed), its `answer_lost` (it may have
 * taken it), `superseded` (taken for a booking the shipment no longer has), `interrupted` (its sender died
 * and it was not sent again). Set exactly on failed actions. Rows failed before are classed by what was
 * recorded of them: `outcome_unknown`, and Kirim's own wording of the other kinds, which it wrote and no
 * courier's words match. A timeout recorded before `outcome_unknown` was kept reads "could not be reached
 * (timeout)": `answer_lost` too (the courier may have taken it), though the rules, which read
 * `outcome_unknown`, keep it as unanswered. A connection reset recorded before lost answers were told apart
 * stays `unreachable`: its words name no code.
 */
export class ShipmentActionErrorKind1795502500000 implements MigrationInterface {
  name = 'ShipmentActionErrorKind1795502500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipment_actions ADD COLUMN error_kind text');
    await q.query(
      `UPDATE shipment_actions SET error_kind = CASE
         WHEN outcome_unknown OR error LIKE '% could not be reached (timeout);%' THEN 'answer_lost'
         WHEN error LIKE 'interrupted%' THEN 'interrupted'
         WHEN error LIKE '% took the correction for %, but the shipment %' THEN 'superseded'
         WHEN error LIKE '% could not be reached (%); nothing was changed, ask again' THEN 'unreachable'
         ELSE 'refused' END
       WHERE status = 'failed'`,
    );
    await q.query(
      `ALTER TABLE shipment_actions
         ADD CONSTRAINT chk_shipment_actions_error_kind
           CHECK (error_kind IN ('refused', 'unreachable', 'answer_lost', 'superseded', 'interrupted')),
         ADD CONSTRAINT chk_shipment_actions_error_kind_when_failed
           CHECK ((status = 'failed') = (error_kind IS NOT NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipment_actions DROP COLUMN error_kind');
  }
}
