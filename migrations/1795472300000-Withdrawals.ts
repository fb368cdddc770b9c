import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Withdrawals: a seller's request to move money to its bank account, with a snapshot of that account (the
 * full number stays in bank_accounts), the amounts (amount = fee + net, rupiah), the status and the payout's
 * progress at the provider (payout_state, provider_id, the job's lease and next check). Every status change
 * posts a ledger transaction in the same database transaction.
 *
 * sandbox_disbursements is the sandbox disbursement provider's own store (unique on external_id, so a
 * restarted process sees what the provider already accepted); sandbox_payout_faults its injected faults.
 */
export class Withdrawals1795472300000 implements MigrationInterface {
  name = 'Withdrawals1795472300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE withdrawals (
        id uuid PRIMARY KEY,
        seller_id uuid NOT NULL,
        bank_account_id uuid NOT NULL,
        bank_code text NOT NULL,
        account_number_masked text NOT NULL,
        account_name text NOT NULL,
        amount bigint NOT NULL,
        fee bigint NOT NULL,
        net_amount bigint NOT NULL,
        status text NOT NULL,
        payout_state text,
        provider_id text,
        payout_claimed_until timestamptz,
        next_check_at timestamptz,
        first_sent_at timestamptz,
        bounce_watch_until timestamptz,
        failure_reason text,
        rejection_reason text,
        decided_by uuid,
        approved_at timestamptz,
        paid_at timestamptz,
        failed_at timestamptz,
        rejected_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT fk_withdrawals_seller FOREIGN KEY (seller_id) REFERENCES sellers(id),
        CONSTRAINT fk_withdrawals_bank_account FOREIGN KEY (bank_account_id) REFERENCES bank_accounts(id),
        CONSTRAINT chk_withdrawals_amounts CHECK (fee >= 0 AND net_amount > 0 AND amount = fee + net_amount),
        CONSTRAINT chk_withdrawals_status
          CHECK (status IN ('requested', 'approved', 'paid', 'failed', 'rejected')),
        CONSTRAINT chk_withdrawals_payout_state
          CHECK (payout_state IS NULL OR payout_state IN ('sending', 'pending', 'completed', 'failed')),
        CONSTRAINT chk_withdrawals_rejection CHECK (status <> 'rejected' OR rejection_reason IS NOT NULL),
        CONSTRAINT chk_withdrawals_failure CHECK (status <> 'failed' OR failure_reason IS NOT NULL)
      )`);
    await q.query('CREATE INDEX idx_withdrawals_seller ON withdrawals (seller_id, created_at, id)');
    // The finance queue: by status, newest first.
    await q.query('CREATE INDEX idx_withdrawals_status ON withdrawals (status, created_at, id)');
    // The payout job's claim: only rows with work left (approved, or paid and still watched for a bounce).
    await q.query(
      'CREATE INDEX idx_withdrawals_payout_due ON withdrawals (next_check_at) WHERE next_check_at IS NOT NULL',
    );
    // Money on its way out per seller (GET /v1/balance's inWithdrawal).
    await q.query(
      "CREATE INDEX idx_withdrawals_approved ON withdrawals (seller_id) WHERE status = 'approved'",
    );

    await q.query(`
      CREATE TABLE sandbox_disbursements (
        id text PRIMARY KEY,
        external_id text NOT NULL,
        amount bigint NOT NULL,
        bank_code text NOT NULL,
        account_holder_name text NOT NULL,
        account_number text NOT NULL,
        description text,
        fate text NOT NULL,
        failure_code text,
        created_at timestamptz NOT NULL,
        settles_at timestamptz NOT NULL,
        bounces_at timestamptz,
        CONSTRAINT uq_sandbox_disbursements_external_id UNIQUE (external_id),
        CONSTRAINT chk_sandbox_disbursements_fate CHECK (fate IN ('complete', 'fail', 'bounce'))
      )`);
    await q.query(`
      CREATE TABLE sandbox_payout_faults (
        id integer PRIMARY KEY,
        fail_rate double precision NOT NULL,
        timeout_rate double precision NOT NULL,
        bounce_rate double precision NOT NULL,
        latency_ms integer NOT NULL,
        CONSTRAINT chk_sandbox_payout_faults_one CHECK (id = 1)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sandbox_payout_faults');
    await q.query('DROP TABLE sandbox_disbursements');
    await q.query('DROP TABLE withdrawals');
  }
}
