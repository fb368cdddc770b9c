import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sellers, users, API keys, login counters, pickup addresses, bank accounts, settings, idempotency keys. */
export class Foundation1795455529391 implements MigrationInterface {
  name = 'Foundation1795455529391';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sellers (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL,
        seller_id uuid,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL,
        CONSTRAINT fk_users_seller FOREIGN KEY (seller_id) REFERENCES sellers(id),
        CONSTRAINT chk_users_role CHECK (role IN ('seller_owner', 'seller_staff', 'finance', 'admin')),
        CONSTRAINT chk_users_seller_role CHECK ((seller_id IS NOT NULL) = (role IN ('seller_owner', 'seller_staff')))
      )`);
    await q.query('CREATE UNIQUE INDEX idx_users_active_email ON users (email) WHERE disabled_at IS NULL');
    await q.query('CREATE INDEX idx_users_seller ON users (seller_id, created_at, id)');
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        seller_id uuid NOT NULL,
        created_by_user_id uuid NOT NULL,
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL,
        CONSTRAINT fk_api_keys_seller FOREIGN KEY (seller_id) REFERENCES sellers(id),
        CONSTRAINT fk_api_keys_created_by FOREIGN KEY (created_by_user_id) REFERENCES users(id)
      )`);
    await q.query('CREATE UNIQUE INDEX idx_api_keys_key_hash ON api_keys (key_hash)');
    await q.query('CREATE INDEX idx_api_keys_seller ON api_keys (seller_id, created_at, id)');
    await q.query(`
      CREATE TABLE rate_limit_counters (
        key text NOT NULL,
        window_start timestamptz NOT NULL,
        hits integer NOT NULL,
        PRIMARY KEY (key, window_start)
      )`);
    await q.query(`
      CREATE TABLE pickup_addresses (
        id uuid PRIMARY KEY,
        seller_id uuid NOT NULL,
        label text NOT NULL,
        contact_name text NOT NULL,
        phone text NOT NULL,
        address text NOT NULL,
        district text NOT NULL,
        city text NOT NULL,
        province text NOT NULL,
        postal_code text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz,
        CONSTRAINT fk_pickup_addresses_seller FOREIGN KEY (seller_id) REFERENCES sellers(id)
      )`);
    await q.query('CREATE INDEX idx_pickup_addresses_seller ON pickup_addresses (seller_id, created_at, id)');
    await q.query(`
      CREATE TABLE bank_accounts (
        id uuid PRIMARY KEY,
        seller_id uuid NOT NULL,
        bank_code text NOT NULL,
        account_number text NOT NULL,
        account_name text NOT NULL,
        created_at timestamptz NOT NULL,
        deleted_at timestamptz,
        CONSTRAINT fk_bank_accounts_seller FOREIGN KEY (seller_id) REFERENCES sellers(id)
      )`);
    await q.query('CREATE INDEX idx_bank_accounts_seller ON bank_accounts (seller_id, created_at, id)');
    await q.query(
      'CREATE UNIQUE INDEX idx_bank_accounts_live_number ON bank_accounts (seller_id, bank_code, account_number) WHERE deleted_at IS NULL',
    );
    await q.query(`
      CREATE TABLE seller_settings (
        seller_id uuid PRIMARY KEY,
        scoring_preset text NOT NULL,
        webhook_url text,
        webhook_secret text,
        lost_margin_per_failure bigint NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT fk_seller_settings_seller FOREIGN KEY (seller_id) REFERENCES sellers(id),
        CONSTRAINT chk_seller_settings_preset CHECK (scoring_preset IN ('cheapest', 'fastest', 'safest', 'balanced')),
        CONSTRAINT chk_seller_settings_margin CHECK (lost_margin_per_failure >= 0)
      )`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        response_status integer NOT NULL,
        response_body text,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key)
      )`);
    await q.query('CREATE INDEX idx_idempotency_keys_expires ON idempotency_keys (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'seller_settings',
      'bank_accounts',
      'pickup_addresses',
      'rate_limit_counters',
      'api_keys',
      'users',
      'sellers',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
