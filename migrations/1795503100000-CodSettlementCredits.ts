import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `cod_settlements.credit_key`: the COD credit finance settled, its once-only ledger key — the delivery's
 * (`cod-credit:<shipmentId>`) or, for a parcel whose reversed credit a delivery again credited, that one's
 * (`cod-credit-redelivered:<shipmentId>`). One settlement per credit, not per shipment: the second credit
 * taken back is settled apart. The settlements so far were all of the first credit.
 */
export class CodSettlementCredits1795503100000 implements MigrationInterface {
  name = 'CodSettlementCredits1795503100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE cod_settlements ADD COLUMN credit_key text');
    await q.query("UPDATE cod_settlements SET credit_key = 'cod-credit:' || shipment_id");
    await q.query('ALTER TABLE cod_settlements ALTER COLUMN credit_key SET NOT NULL');
    await q.query('ALTER TABLE cod_settlements DROP CONSTRAINT cod_settlements_pkey');
    await q.query(
      'ALTER TABLE cod_settlements ADD CONSTRAINT cod_settlements_pkey PRIMARY KEY (shipment_id, credit_key)',
    );
    await q.query(`
      ALTER TABLE cod_settlements ADD CONSTRAINT chk_cod_settlements_credit CHECK (
        credit_key IN ('cod-credit:' || shipment_id, 'cod-credit-redelivered:' || shipment_id))`);
    // A parcel reversed, credited again and taken back again before this: its alert is open, and its second
    // credit's hold was never withheld (withholding named the first credit alone). Withheld now, as then; not
    // one whose cash its courier remitted (finance credited it from that line: the cash is in).
    await q.query(`
      UPDATE ledger_holds h SET withheld_since = a.opened_at
        FROM alerts a
        JOIN shipments s ON s.id = a.shipment_id AND NOT s.cod_remitted
        JOIN ledger_transactions t ON t.key = 'cod-credit-redelivered:' || a.shipment_id
       WHERE a.rule = 'delivery_contradicted' AND a.resolved_at IS NULL
         AND h.transaction_id = t.id AND h.released_at IS NULL AND h.withheld_since IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The code before this reads neither a second credit's settlement nor its reversal: a parcel reversed
    // twice would be owed by its courier again, and its cash matched and released. Refused rather than that.
    const [{ n }] = (await q.query(
      "SELECT count(*)::int AS n FROM cod_settlements WHERE credit_key <> 'cod-credit:' || shipment_id",
    )) as { n: number }[];
    if (n > 0)
      throw new Error(
        `CodSettlementCredits cannot be reverted: ${n} settlement(s) of a parcel's second COD credit, which the code before it cannot read`,
      );
    await q.query('ALTER TABLE cod_settlements DROP CONSTRAINT chk_cod_settlements_credit');
    await q.query('ALTER TABLE cod_settlements DROP CONSTRAINT cod_settlements_pkey');
    await q.query(
      'ALTER TABLE cod_settlements ADD CONSTRAINT cod_settlements_pkey PRIMARY KEY (shipment_id)',
    );
    await q.query('ALTER TABLE cod_settlements DROP COLUMN credit_key');
  }
}
