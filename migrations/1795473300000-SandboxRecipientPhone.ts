import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The recipient's phone on a sandbox parcel, as its courier received it: the world's recipients behave by
 * phone (a refuser refuses every COD parcel's attempts, re-planned ones too). And the regencies its
 * courier's location codes stand for, where the request carries codes rather than names: the world's lanes
 * are per regency. Null for parcels from before (and places the sandbox knows by name only).
 */
export class SandboxRecipientPhone1795473300000 implements MigrationInterface {
  name = 'SandboxRecipientPhone1795473300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE sandbox.parcels ADD COLUMN recipient_phone text, ADD COLUMN origin_regency text, ADD COLUMN destination_regency text',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE sandbox.parcels DROP COLUMN recipient_phone, DROP COLUMN origin_regency, DROP COLUMN destination_regency',
    );
  }
}
