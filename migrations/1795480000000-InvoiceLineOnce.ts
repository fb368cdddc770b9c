import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A shipment is charged each kind of line once, on one invoice: what invoicing assumes (a shipment's end is
 * recorded once), now kept by the database too, so a path that re-stamped a charged shipment's end would fail
 * its invoice loudly instead of charging the seller twice.
 */
export class InvoiceLineOnce1795480000000 implements MigrationInterface {
  name = 'InvoiceLineOnce1795480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE UNIQUE INDEX uq_invoice_lines_shipment_kind ON invoice_lines (shipment_id, kind)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX uq_invoice_lines_shipment_kind');
  }
}
