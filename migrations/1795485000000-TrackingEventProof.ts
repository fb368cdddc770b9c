import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A courier event's proof of delivery (couriers README §3: who took the parcel, who they are to the
 * recipient, links to photos and signatures), as the adapter read it from the courier's line. Earlier
 * events keep theirs in `raw` only.
 */
export class TrackingEventProof1795485000000 implements MigrationInterface {
  name = 'TrackingEventProof1795485000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tracking_events ADD COLUMN pod jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tracking_events DROP COLUMN pod');
  }
}
