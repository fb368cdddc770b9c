import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An invoice adjusts a COD fee charged on an earlier one when the parcel's cash turned out otherwise: finance
 * reversed its credit (the cash was never collected: `cod_fee_refund`, a negative line) or it was delivered
 * with its cash after all (`cod_fee` when never charged, `cod_fee_recharge` when refunded since). A shipment
 * keeps at most one line of each kind (uq_invoice_lines_shipment_kind): a fee is refunded once, charged
 * again once. Refunds are totalled apart (`cod_fee_refund_total`, positive, deducted like cashback), so an
 * invoice may total below zero: Kirim then owes the seller.
 *
 * `shipments.cod_collected_changed_at` is when Kirim recorded such a change (its index comes in the next
 * migration, built concurrently): the invoice of that period makes the adjustment, as an end is invoiced
 * in the period it was recorded in.
 *
 * The checks are swapped NOT VALID, then validated: no scan while invoices' writers wait.
 */
export class InvoiceCodFeeAdjustments1795494000000 implements MigrationInterface {
  name = 'InvoiceCodFeeAdjustments1795494000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE shipments ADD COLUMN cod_collected_changed_at timestamptz');
    await q.query('ALTER TABLE invoices ADD COLUMN cod_fee_refund_total bigint NOT NULL DEFAULT 0');
    await q.query('ALTER TABLE invoices DROP CONSTRAINT chk_invoices_total');
    await q.query(`
      ALTER TABLE invoices ADD CONSTRAINT chk_invoices_total CHECK (
        total = shipping_total + cod_fee_total + return_fee_total - cashback_total - cod_fee_refund_total
        AND cod_fee_refund_total >= 0) NOT VALID`);
    await q.query('ALTER TABLE invoices VALIDATE CONSTRAINT chk_invoices_total');
    await q.query('ALTER TABLE invoice_lines DROP CONSTRAINT chk_invoice_lines_kind');
    await q.query('ALTER TABLE invoice_lines DROP CONSTRAINT chk_invoice_lines_amount');
    await q.query(`
      ALTER TABLE invoice_lines ADD CONSTRAINT chk_invoice_lines_kind CHECK (
        kind IN ('shipping', 'cod_fee', 'return_fee', 'cashback', 'cod_fee_refund', 'cod_fee_recharge')) NOT VALID`);
    await q.query(`
      ALTER TABLE invoice_lines ADD CONSTRAINT chk_invoice_lines_amount CHECK (
        (kind IN ('cashback', 'cod_fee_refund')) = (amount < 0) AND amount <> 0) NOT VALID`);
    await q.query('ALTER TABLE invoice_lines VALIDATE CONSTRAINT chk_invoice_lines_kind');
    await q.query('ALTER TABLE invoice_lines VALIDATE CONSTRAINT chk_invoice_lines_amount');
  }

  async down(q: QueryRunner): Promise<void> {
    // Issued invoices are money records: an adjustment the narrower schema cannot hold is not dropped.
    const [{ n }] = (await q.query(
      "SELECT count(*)::int AS n FROM invoice_lines WHERE kind IN ('cod_fee_refund', 'cod_fee_recharge')",
    )) as { n: number }[];
    if (n > 0)
      throw new Error(
        `${n} invoice lines refund or charge again a COD fee: the migration cannot be reverted`,
      );
    await q.query('ALTER TABLE invoice_lines DROP CONSTRAINT chk_invoice_lines_amount');
    await q.query('ALTER TABLE invoice_lines DROP CONSTRAINT chk_invoice_lines_kind');
    await q.query(`
      ALTER TABLE invoice_lines ADD CONSTRAINT chk_invoice_lines_kind CHECK (
        kind IN ('shipping', 'cod_fee', 'return_fee', 'cashback'))`);
    await q.query(`
      ALTER TABLE invoice_lines ADD CONSTRAINT chk_invoice_lines_amount CHECK (
        (kind = 'cashback') = (amount < 0) AND amount <> 0)`);
    await q.query('ALTER TABLE invoices DROP CONSTRAINT chk_invoices_total');
    await q.query('ALTER TABLE invoices DROP COLUMN cod_fee_refund_total');
    await q.query(`
      ALTER TABLE invoices ADD CONSTRAINT chk_invoices_total CHECK (
        total = shipping_total + cod_fee_total + return_fee_total - cashback_total)`);
    await q.query('ALTER TABLE shipments DROP COLUMN cod_collected_changed_at');
  }
}
