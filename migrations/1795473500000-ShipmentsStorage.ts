import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shipments are updated often (every poll moves `next_poll_at`, each courier event the status and facts)
 * but carry a large, write-once scoring decision. The decision now lives out of line (TOAST), so an update
 * copies a row of a few hundred bytes, not 2.5 KB; free room on each page lets updates that change no
 * indexed column stay on the page (HOT); and the table is vacuumed after 2 % of its rows changed, not 20 %,
 * so the poll index does not fill with dead entries between vacuums.
 */
export class ShipmentsStorage1795473500000 implements MigrationInterface {
  name = 'ShipmentsStorage1795473500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE shipments SET (toast_tuple_target = 128, fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE shipments RESET (toast_tuple_target, fillfactor, autovacuum_vacuum_scale_factor)',
    );
  }
}
