import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The periods invoicing has finished: found, after they closed, with every seller that has charged shipments
 * in them invoiced. A closed period gains no charged shipments (an outcome is stamped when Kirim records it,
 * and a period is read only `closeGraceMinutes` after its end), so the job need not read it again: a run
 * revisited every period since the first charged shipment (49 after two years, 523–655 ms for a run with
 * nothing to issue). Keyed by start and end, so a changed period rule finds none of the old rule's.
 */
export class InvoicedPeriods1795489500000 implements MigrationInterface {
  name = 'InvoicedPeriods1795489500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE invoiced_periods (
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        sellers integer NOT NULL,
        invoiced_at timestamptz NOT NULL,
        PRIMARY KEY (period_start, period_end),
        CONSTRAINT chk_invoiced_periods_period CHECK (period_end > period_start),
        CONSTRAINT chk_invoiced_periods_sellers CHECK (sellers > 0)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE invoiced_periods');
  }
}
