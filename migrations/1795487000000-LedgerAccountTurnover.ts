import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each account's debits and credits so far, kept by the posting statement beside its balance: the trial
 * balance reads the accounts, not every entry (two years of a busy platform took 8 s a request).
 */
export class LedgerAccountTurnover1795487000000 implements MigrationInterface {
  name = 'LedgerAccountTurnover1795487000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE ledger_accounts ADD COLUMN debits bigint NOT NULL DEFAULT 0,
                                   ADD COLUMN credits bigint NOT NULL DEFAULT 0`,
    );
    await q.query(
      `UPDATE ledger_accounts a SET debits = s.debits, credits = s.credits
         FROM (SELECT account_code, coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS debits,
                      coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS credits
                 FROM ledger_entries GROUP BY account_code) s
        WHERE s.account_code = a.code`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE ledger_accounts DROP COLUMN debits, DROP COLUMN credits');
  }
}
