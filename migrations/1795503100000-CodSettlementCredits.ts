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
  }

  async down(q: QueryRunner): Promise<void> {
    // Before this, a shipment had one settlement: a second credit's settlement is dropped (its postings stay).
    await q.query("DELETE FROM cod_settlements WHERE credit_key <> 'cod-credit:' || shipment_id");
    await q.query('ALTER TABLE cod_settlements DROP CONSTRAINT chk_cod_settlements_credit');
    await q.query('ALTER TABLE cod_settlements DROP CONSTRAINT cod_settlements_pkey');
    await q.query(
      'ALTER TABLE cod_settlements ADD CONSTRAINT cod_settlements_pkey PRIMARY KEY (shipment_id)',
    );
    await q.query('ALTER TABLE cod_settlements DROP COLUMN credit_key');
  }
}
