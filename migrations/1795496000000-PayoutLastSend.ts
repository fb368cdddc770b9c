import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `withdrawals.last_sent_at`: when Kirim last asked the provider to pay (committed before the call). A payout
 * unanswered past `giveUpHours` fails as `timed_out` only `lateSendMinutes` after its last send, so a send
 * that reaches the provider late is found, not paid on top of the money given back. Payouts being sent now
 * take their last change as their last send: never earlier than the send itself.
 *
 * `sandbox_payout_faults.send_timeout_rate`: the sandbox provider's sends unanswered (and not taken) while
 * its lookups answer.
 */
export class PayoutLastSend1795496000000 implements MigrationInterface {
  name = 'PayoutLastSend1795496000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE withdrawals ADD COLUMN last_sent_at timestamptz');
    await q.query(
      "UPDATE withdrawals SET last_sent_at = updated_at WHERE status = 'approved' AND payout_state = 'sending'",
    );
    await q.query(
      'ALTER TABLE sandbox_payout_faults ADD COLUMN send_timeout_rate double precision NOT NULL DEFAULT 0',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sandbox_payout_faults DROP COLUMN send_timeout_rate');
    await q.query('ALTER TABLE withdrawals DROP COLUMN last_sent_at');
  }
}
