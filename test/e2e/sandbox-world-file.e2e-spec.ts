import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultWorldFile } from 'config/sandbox-world';
import { killAll, runBuilt } from '../support/process';

/** The built service refuses to start on a bad sandbox world file, saying which setting and field (exit 78). */
describe('SANDBOX_WORLD_FILE at start-up', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'kirim-world-'))));
  afterAll(() => {
    killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops the start on an out-of-range field, naming the setting and the field', async () => {
    const world = defaultWorldFile() as unknown as { couriers: { jnt: Record<string, unknown> } };
    world.couriers.jnt.maxAttempts = 9;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(world));
    const proc = runBuilt('main', { SANDBOX_WORLD_FILE: file, DATA_DIR: join(dir, 'data'), PORT: '0' });
    expect(await proc.exited).toBe(78);
    const output = proc.stdout() + proc.stderr();
    expect(output).toContain('SANDBOX_WORLD_FILE');
    expect(output).toContain('field couriers.jnt.maxAttempts must be between 1 and 5');
  });
});
