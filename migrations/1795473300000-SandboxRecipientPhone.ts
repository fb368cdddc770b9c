import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The recipient's phone on a sandbox parcel, as its courier received it: the world's recipients behave by
 * phone (a refuser refuses every COD parcel's attempts, re-planned ones too). Null for parcels from before.
 */
export class SandboxRecipientPhone1795473300000 implements MigrationInterface {
  name = 'SandboxRecipientPhone1795473300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sandbox.parcels ADD COLUMN recipient_phone text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sandbox.parcels DROP COLUMN recipient_phone');
  }
}
