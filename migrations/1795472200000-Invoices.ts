import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Biweekly invoices. One per seller and period (a unique key: a second run, or a second instance, issues
 * nothing), numbered `<prefix>/<year>/<month>/<sequence>` from a per-month counter row taken in the issuing
 * transaction (so numbers never repeat and a rolled-back issue leaves no gap). Lines are a stored copy of
 * what each shipment was charged (awb and courier included), so exports never recompute or join shipments;
 * they carry their period so a period's lines stream by one index range. `paid` only grows (settlements
 * from the seller's available money); the status follows it. A run row per period a run looked at says
 * what it issued, or why it failed.
 */
export class Invoices1795472200000 implements MigrationInterface {
  name = 'Invoices1795472200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE invoices (
        id uuid PRIMARY KEY,
        seller_id uuid NOT NULL,
        number text NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        status text NOT NULL,
        shipping_total bigint NOT NULL,
        cod_fee_total bigint NOT NULL,
        return_fee_total bigint NOT NULL,
        cashback_total bigint NOT NULL,
        total bigint NOT NULL,
        paid bigint NOT NULL DEFAULT 0,
        line_count integer NOT NULL,
        issued_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT uq_invoices_seller_period UNIQUE (seller_id, period_start),
        CONSTRAINT uq_invoices_number UNIQUE (number),
        CONSTRAINT fk_invoices_seller FOREIGN KEY (seller_id) REFERENCES sellers(id),
        CONSTRAINT chk_invoices_status CHECK (status IN ('issued', 'partially_paid', 'paid')),
        CONSTRAINT chk_invoices_period CHECK (period_end > period_start),
        CONSTRAINT chk_invoices_total CHECK (
          total = shipping_total + cod_fee_total + return_fee_total - cashback_total),
        CONSTRAINT chk_invoices_paid CHECK (paid >= 0 AND paid <= greatest(total, 0))
      )`);
    await q.query('CREATE INDEX idx_invoices_seller ON invoices (seller_id, period_start DESC)');
    await q.query('CREATE INDEX idx_invoices_period ON invoices (period_start, number)');
    await q.query(
      "CREATE INDEX idx_invoices_outstanding ON invoices (seller_id, period_start) WHERE status <> 'paid'",
    );
    await q.query(`
      CREATE TABLE invoice_lines (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        invoice_id uuid NOT NULL,
        period_start timestamptz NOT NULL,
        shipment_id uuid NOT NULL,
        awb text NOT NULL,
        courier text NOT NULL,
        kind text NOT NULL,
        amount bigint NOT NULL,
        CONSTRAINT fk_invoice_lines_invoice FOREIGN KEY (invoice_id) REFERENCES invoices(id),
        CONSTRAINT chk_invoice_lines_kind CHECK (kind IN ('shipping', 'cod_fee', 'return_fee', 'cashback')),
        CONSTRAINT chk_invoice_lines_amount CHECK ((kind = 'cashback') = (amount < 0) AND amount <> 0)
      )`);
    await q.query('CREATE INDEX idx_invoice_lines_invoice ON invoice_lines (invoice_id, id)');
    await q.query('CREATE INDEX idx_invoice_lines_period ON invoice_lines (period_start, id)');
    await q.query(`
      CREATE TABLE invoice_number_counters (
        month text PRIMARY KEY,
        last_number integer NOT NULL,
        CONSTRAINT chk_invoice_number_counters_last CHECK (last_number > 0)
      )`);
    await q.query(`
      CREATE TABLE invoice_runs (
        id uuid PRIMARY KEY,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        as_of timestamptz NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        invoices_issued integer NOT NULL DEFAULT 0,
        error text
      )`);
    await q.query('CREATE INDEX idx_invoice_runs_period ON invoice_runs (period_start, started_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE invoice_runs');
    await q.query('DROP TABLE invoice_number_counters');
    await q.query('DROP TABLE invoice_lines');
    await q.query('DROP TABLE invoices');
  }
}
