import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * COD parcels learn apart from prepaid ones: a buyer who refuses to pay at the door is a COD failure a
 * prepaid parcel never has, so a lane's prepaid deliveries made its COD success look better than it is.
 * Statistics rows and recipients keep their COD outcomes beside their totals (prepaid = total − COD; the
 * transit histogram stays shared: a parcel travels alike however it is paid), and each recorded outcome says
 * whether it was COD (a first attempt taken back is taken from the right counts; null: counted as prepaid).
 *
 * Existing figures: an outcome whose statistics rows are known (`stats_keys`) and whose shipment was prepaid
 * is taken out of the COD counts of those rows; every other outcome counted so far is taken as COD (Kirim
 * ships COD first; outcomes recorded before their rows were kept cannot be placed). Recipients are known only
 * by a salted hash SQL cannot make, so their records so far are taken as COD.
 */
export class DeliveryStatsCodCounts1795502900000 implements MigrationInterface {
  name = 'DeliveryStatsCodCounts1795502900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery_outcomes ADD COLUMN cod boolean`);
    // A COD parcel delivered without its cash is no success (not delivered and paid): how it was counted.
    // Counted so far as delivered, whatever its cash: false.
    await q.query('ALTER TABLE delivery_outcomes ADD COLUMN unpaid boolean NOT NULL DEFAULT false');
    await q.query(`UPDATE delivery_outcomes o SET cod = s.cod_amount > 0
                     FROM shipments s WHERE s.id::text = o.shipment_id`);
    // Counted as COD below (no shipment left to tell): said so, as a first attempt taken back reads it.
    // A null from here on is an outcome an instance still on the former code recorded while this ran,
    // counted in the totals alone: as prepaid.
    await q.query('UPDATE delivery_outcomes SET cod = true WHERE cod IS NULL');
    await q.query(`ALTER TABLE delivery_stats
                     ADD COLUMN cod_outcomes integer NOT NULL DEFAULT 0,
                     ADD COLUMN cod_failures integer NOT NULL DEFAULT 0,
                     ADD COLUMN cod_first_attempt integer NOT NULL DEFAULT 0`);
    await q.query(`UPDATE delivery_stats SET cod_outcomes = outcomes, cod_failures = failures,
                     cod_first_attempt = first_attempt`);
    await q.query(`
      WITH prepaid AS (
        SELECT split_part(k, ':', 1) AS level, substr(k, strpos(k, ':') + 1) AS key, count(*)::int AS outcomes,
               (count(*) FILTER (WHERE o.outcome <> 'delivered'))::int AS failures,
               (count(*) FILTER (WHERE o.outcome = 'delivered' AND o.failed_attempts = 0))::int AS first_attempt
          FROM delivery_outcomes o, unnest(o.stats_keys) AS k
         WHERE o.cod = false
         GROUP BY k
      )
      UPDATE delivery_stats d SET cod_outcomes = GREATEST(0, d.cod_outcomes - p.outcomes),
             cod_failures = GREATEST(0, d.cod_failures - p.failures),
             cod_first_attempt = GREATEST(0, d.cod_first_attempt - p.first_attempt)
        FROM prepaid p WHERE d.level = p.level AND d.key = p.key`);
    await q.query(`ALTER TABLE recipient_stats
                     ADD COLUMN cod_outcomes integer NOT NULL DEFAULT 0,
                     ADD COLUMN cod_failures integer NOT NULL DEFAULT 0`);
    await q.query('UPDATE recipient_stats SET cod_outcomes = outcomes, cod_failures = failures');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE recipient_stats DROP COLUMN cod_outcomes, DROP COLUMN cod_failures');
    await q.query(`ALTER TABLE delivery_stats DROP COLUMN cod_outcomes, DROP COLUMN cod_failures,
                     DROP COLUMN cod_first_attempt`);
    await q.query('ALTER TABLE delivery_outcomes DROP COLUMN cod, DROP COLUMN unpaid');
  }
}
