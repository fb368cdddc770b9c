import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The double-entry ledger. Accounts carry a cached balance in their own sense (a debit-normal account grows
 * by debits), which a seller's account may never take below zero (a CHECK, so no code path can). Entries are
 * debit-positive and immutable: UPDATE, DELETE and TRUNCATE of transactions and entries raise. Each
 * transaction has a unique idempotency key, so a business event posts once. Holds are money that moves
 * on by itself later (COD cash from pending to available), released once by the `ledger-holds` job.
 */
export class Ledger1795472000000 implements MigrationInterface {
  name = 'Ledger1795472000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_accounts (
        code text PRIMARY KEY,
        kind text NOT NULL,
        seller_id uuid,
        debit_normal boolean NOT NULL,
        may_go_negative boolean NOT NULL,
        balance bigint NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT fk_ledger_accounts_seller FOREIGN KEY (seller_id) REFERENCES sellers(id)
      )`);
    // Not a CHECK: PostgreSQL checks those on the row an upsert proposes, before it finds the conflict,
    // so a debit of an existing account would fail on its own delta. An AFTER trigger sees the real row.
    await q.query(`
      CREATE FUNCTION ledger_not_negative() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger account % would go below zero', NEW.code
          USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_ledger_accounts_not_negative',
                DETAIL = NEW.code;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_ledger_accounts_not_negative AFTER INSERT OR UPDATE ON ledger_accounts
        FOR EACH ROW WHEN (NOT NEW.may_go_negative AND NEW.balance < 0) EXECUTE FUNCTION ledger_not_negative()`);
    await q.query(
      'CREATE INDEX idx_ledger_accounts_seller ON ledger_accounts (seller_id) WHERE seller_id IS NOT NULL',
    );
    await q.query(`
      CREATE TABLE ledger_transactions (
        id uuid PRIMARY KEY,
        key text NOT NULL,
        type text NOT NULL,
        seller_id uuid,
        reference text,
        at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_ledger_transactions_key UNIQUE (key),
        CONSTRAINT fk_ledger_transactions_seller FOREIGN KEY (seller_id) REFERENCES sellers(id)
      )`);
    await q.query(`
      CREATE TABLE ledger_entries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id uuid NOT NULL,
        account_code text NOT NULL,
        seller_id uuid,
        amount bigint NOT NULL,
        balance_after bigint NOT NULL,
        at timestamptz NOT NULL,
        CONSTRAINT fk_ledger_entries_transaction FOREIGN KEY (transaction_id) REFERENCES ledger_transactions(id),
        CONSTRAINT fk_ledger_entries_account FOREIGN KEY (account_code) REFERENCES ledger_accounts(code),
        CONSTRAINT chk_ledger_entries_amount CHECK (amount <> 0)
      )`);
    await q.query('CREATE INDEX idx_ledger_entries_transaction ON ledger_entries (transaction_id)');
    await q.query(
      'CREATE INDEX idx_ledger_entries_seller ON ledger_entries (seller_id, id) WHERE seller_id IS NOT NULL',
    );
    await q.query(`
      CREATE TABLE ledger_holds (
        id uuid PRIMARY KEY,
        transaction_id uuid NOT NULL,
        seller_id uuid,
        from_account text NOT NULL,
        to_account text NOT NULL,
        amount bigint NOT NULL,
        release_at timestamptz NOT NULL,
        released_at timestamptz,
        CONSTRAINT fk_ledger_holds_transaction FOREIGN KEY (transaction_id) REFERENCES ledger_transactions(id),
        CONSTRAINT fk_ledger_holds_from FOREIGN KEY (from_account) REFERENCES ledger_accounts(code),
        CONSTRAINT fk_ledger_holds_to FOREIGN KEY (to_account) REFERENCES ledger_accounts(code),
        CONSTRAINT chk_ledger_holds_amount CHECK (amount > 0)
      )`);
    await q.query('CREATE INDEX idx_ledger_holds_due ON ledger_holds (release_at) WHERE released_at IS NULL');
    await q.query(
      'CREATE INDEX idx_ledger_holds_seller ON ledger_holds (seller_id) WHERE released_at IS NULL',
    );
    await q.query(`
      CREATE FUNCTION ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger % are immutable: post a correcting transaction instead', TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END $$`);
    // Entries are written a transaction at a time (one statement): each statement's entries must leave
    // every transaction they touch balanced, with at least two entries.
    await q.query(`
      CREATE FUNCTION ledger_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE bad uuid;
      BEGIN
        SELECT transaction_id INTO bad FROM new_entries GROUP BY transaction_id
         HAVING sum(amount) <> 0 OR count(*) < 2 LIMIT 1;
        IF bad IS NOT NULL THEN
          RAISE EXCEPTION 'ledger transaction % does not balance', bad USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_ledger_entries_balanced AFTER INSERT ON ledger_entries
        REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_balanced()`);
    for (const table of ['ledger_transactions', 'ledger_entries']) {
      await q.query(
        `CREATE TRIGGER trg_${table}_immutable BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_immutable()`,
      );
      await q.query(
        `CREATE TRIGGER trg_${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_immutable()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ledger_holds');
    await q.query('DROP TABLE ledger_entries');
    await q.query('DROP TABLE ledger_transactions');
    await q.query('DROP TABLE ledger_accounts');
    await q.query('DROP FUNCTION ledger_immutable()');
    await q.query('DROP FUNCTION ledger_not_negative()');
    await q.query('DROP FUNCTION ledger_balanced()');
  }
}
