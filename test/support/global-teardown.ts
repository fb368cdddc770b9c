import { rmSync } from 'node:fs';
import { EmbeddedDatabase } from '../../src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { kirimTestPostgres?: { pg: EmbeddedDatabase; dataDir: string } })
    .kirimTestPostgres;
  if (!state) return;
  await state.pg.stop();
  rmSync(state.dataDir, { recursive: true, force: true });
}
