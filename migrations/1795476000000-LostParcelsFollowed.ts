import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A parcel its courier reported lost is still polled, daily, for tracking.lostFollowDays (30): couriers find
 * some again, and one delivered after all must be credited even when its courier does not push. The lost
 * parcels of the last 30 days had their polls removed when they were lost; they are followed again.
 */
export class LostParcelsFollowed1795476000000 implements MigrationInterface {
  name = 'LostParcelsFollowed1795476000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO shipment_polls (shipment_id, courier, next_poll_at)
      SELECT id, courier, now() FROM shipments
       WHERE status = 'lost' AND courier IS NOT NULL AND awb IS NOT NULL
         AND ended_at > now() - interval '30 days'
      ON CONFLICT (shipment_id) DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      "DELETE FROM shipment_polls p USING shipments s WHERE s.id = p.shipment_id AND s.status = 'lost'",
    );
  }
}
