import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seller actions each sandbox courier took about a parcel (re-attempt, return, address correction,
 * hold), kept beside its plan: whether it is held and whether its address was corrected decide its future.
 */
export class SandboxParcelActions1795470600000 implements MigrationInterface {
  name = 'SandboxParcelActions1795470600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sandbox.parcels ADD COLUMN actions jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sandbox.parcels DROP COLUMN actions');
  }
}
