import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stepped sandbox clock (SANDBOX_CLOCK=stepped) stands still between moves: it reads the instant its
 * offset counts from, kept here so every instance reads the same time. Null while the clock runs with real
 * time.
 */
export class SandboxSteppedClock1795473600000 implements MigrationInterface {
  name = 'SandboxSteppedClock1795473600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sandbox.clock ADD COLUMN stepped_from_ms bigint');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sandbox.clock DROP COLUMN stepped_from_ms');
  }
}
