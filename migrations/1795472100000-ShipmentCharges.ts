import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a shipment costs the seller, in rupiah, as quoted by the booked courier service: the shipping price,
 * the COD fee, the cashback Kirim earns back and the return fee. Set at booking from the chosen option (and
 * kept on the booking attempt when it starts, so a booking reconciled after a crash copies them from it);
 * null while nothing is booked. Invoicing reads them once the shipment has ended.
 *
 * `outcome_recorded_at` is when Kirim recorded the shipment's end (its `ended_at` is the courier's event
 * time); invoices are by it, so nothing ended is left off every invoice by a late courier report.
 *
 * Existing booked shipments are filled from their stored decision (`decision->'candidates'`) where the booked
 * courier service had a price. The decision does not hold the return fee: it is the courier's contract
 * share of the price (config `business.couriers.terms[courier].returnFeeBasisPoints`, copied below as it
 * stood when this migration was written — a migration must not read changing config).
 */
export class ShipmentCharges1795472100000 implements MigrationInterface {
  name = 'ShipmentCharges1795472100000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['shipments', 'booking_attempts']) {
      await q.query(`
        ALTER TABLE ${table}
          ADD COLUMN shipping_fee bigint,
          ADD COLUMN cod_fee bigint,
          ADD COLUMN cashback bigint,
          ADD COLUMN return_fee bigint,
          ADD CONSTRAINT chk_${table}_charges CHECK (
            shipping_fee >= 0 AND cod_fee >= 0 AND cashback >= 0 AND return_fee >= 0)`);
    }
    await q.query(`
      UPDATE shipments s SET
        shipping_fee = x.price,
        cod_fee = x.cod_fee,
        cashback = x.cashback,
        return_fee = round(x.price * x.basis_points / 10000.0)::bigint
      FROM (
        SELECT b.id, (pick.c->>'price')::bigint AS price, coalesce((pick.c->>'codFee')::bigint, 0) AS cod_fee,
               coalesce((pick.c->>'cashback')::bigint, 0) AS cashback, t.basis_points
          FROM shipments b
          JOIN (VALUES ('jne', 10000), ('jnt', 10000), ('sap', 5000), ('ninja', 10000), ('idexpress', 7500))
                 AS t(courier, basis_points) ON t.courier = b.courier
          CROSS JOIN LATERAL (
            SELECT c FROM jsonb_array_elements(b.decision->'candidates') c
             WHERE c->>'courier' = b.courier AND c->>'service' = b.service AND jsonb_typeof(c->'price') = 'number'
             LIMIT 1) pick
         WHERE b.awb IS NOT NULL AND jsonb_typeof(b.decision->'candidates') = 'array'
      ) x
      WHERE s.id = x.id`);
    // When Kirim recorded a shipment's outcome (delivered, returned, lost): invoices take the shipments
    // recorded in their period, so an outcome reported late lands on the next invoice instead of on none.
    await q.query('ALTER TABLE shipments ADD COLUMN outcome_recorded_at timestamptz');
    await q.query(`UPDATE shipments SET outcome_recorded_at = ended_at WHERE ended_at IS NOT NULL`);
    // Invoicing finds the sellers with outcomes recorded in a period, then each seller's shipments, by these.
    await q.query(
      `CREATE INDEX idx_shipments_outcome_recorded ON shipments (outcome_recorded_at, seller_id)
         WHERE outcome_recorded_at IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX idx_shipments_seller_outcome_recorded ON shipments (seller_id, outcome_recorded_at, id)
         WHERE outcome_recorded_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_shipments_seller_outcome_recorded');
    await q.query('DROP INDEX idx_shipments_outcome_recorded');
    await q.query('ALTER TABLE shipments DROP COLUMN outcome_recorded_at');
    for (const table of ['shipments', 'booking_attempts']) {
      await q.query(`
        ALTER TABLE ${table}
          DROP CONSTRAINT chk_${table}_charges,
          DROP COLUMN shipping_fee, DROP COLUMN cod_fee, DROP COLUMN cashback, DROP COLUMN return_fee`);
    }
  }
}
