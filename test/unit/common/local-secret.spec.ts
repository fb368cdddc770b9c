import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from 'config';
import { localSecret } from 'src/common/local-secret';

describe('a generated development secret', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kirim-secret-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is made once, whole, readable only by its owner, and read back the same', () => {
    const first = localSecret(dir, 'jwt-secret', 'JWT_SECRET', 32);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(localSecret(dir, 'jwt-secret', 'JWT_SECRET', 32)).toBe(first);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8')).toBe(first);
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    // Nothing written aside is left behind.
    expect(readdirSync(dir)).toEqual(['jwt-secret']);
  });

  it.each([
    ['empty', '', 'holds nothing'],
    ['only spaces', '   \n', 'holds nothing'],
    ['cut short', 'abc', 'holds only 3 characters'],
  ])('stops the start when its file is %s, naming the setting and the file', (_what, content, says) => {
    writeFileSync(join(dir, 'jwt-secret'), content);
    let error: unknown;
    try {
      localSecret(dir, 'jwt-secret', 'JWT_SECRET', 32);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { name: 'JWT_SECRET', message: expect.stringContaining(`${join(dir, 'jwt-secret')} ${says}`) },
    ]);
  });
});
