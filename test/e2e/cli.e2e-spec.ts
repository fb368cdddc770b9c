import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuilt } from '../support/process';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-db';

const ROOT = join(__dirname, '..', '..');

describe('the command line, as a process', () => {
  let db: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp({}, db);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  const env = () => ({ NODE_ENV: 'test', DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET });
  const usersNamed = async (email: string) => {
    const rows = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM users WHERE email = $1',
      [email],
    );
    return rows[0].n;
  };

  it('checks the email with the same rules as the API, and creates nothing when it is bad', async () => {
    const api = await t
      .http()
      .post('/v1/auth/signup')
      .send({ sellerName: 'Toko', email: 'not-an-email', password: 'long enough password' })
      .expect(400);
    const rule = (api.body.details as { field: string; message: string }[]).find((d) => d.field === 'email');
    expect(rule).toBeDefined();

    const cli = runBuilt('cli', { ...env(), KIRIM_PASSWORD: 'long enough password' }, [
      'users:create',
      '--email',
      'not-an-email',
      '--role',
      'admin',
    ]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain(`--email: ${rule!.message}`);
    expect(await usersNamed('not-an-email')).toBe(0);

    const short = runBuilt('cli', { ...env(), KIRIM_PASSWORD: 'short' }, [
      'users:create',
      '--email',
      'short@kirim.id',
      '--role',
      'finance',
    ]);
    expect(await short.exited).toBe(1);
    expect(short.stderr()).toContain('password (--password, --password-stdin or KIRIM_PASSWORD): ');
    expect(await usersNamed('short@kirim.id')).toBe(0);

    // Normalized as the API does (trimmed, lower case).
    const ok = runBuilt('cli', { ...env(), KIRIM_PASSWORD: 'long enough password' }, [
      'users:create',
      '--email',
      '  Ops.Admin@Kirim.ID ',
      '--role',
      'admin',
    ]);
    expect(await ok.exited).toBe(0);
    expect(await usersNamed('ops.admin@kirim.id')).toBe(1);
  }, 60_000);

  it('names an unknown command and exits non-zero; help exits 0', async () => {
    const unknown = runBuilt('cli', env(), ['users:delete', '--email', 'x@kirim.id']);
    expect(await unknown.exited).toBe(64);
    expect(unknown.stderr()).toContain('error: unknown command "users:delete"');
    expect(unknown.stderr()).toContain('users:create');
    const help = runBuilt('cli', env(), ['help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain('Kirim command line');
  });
});

describe('npm start and npm run cli use the compiled build while it is current', () => {
  const launch = (root: string) =>
    spawnSync(process.execPath, [join(root, 'config/build-if-stale.cjs')], { cwd: root, encoding: 'utf8' });

  it('runs the CLI from dist without building when nothing changed', () => {
    const before = statSync(join(ROOT, 'dist/src/cli.js')).mtimeMs;
    const run = spawnSync('npm', ['run', '--silent', 'cli', '--', 'help'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Kirim command line');
    expect(run.stderr).not.toContain('building');
    expect(statSync(join(ROOT, 'dist/src/cli.js')).mtimeMs).toBe(before);
  });

  it('builds again when a source changed, and only then', () => {
    // A copy of the project with its current build, so the change stays out of the real tree.
    const root = mkdtempSync(join(tmpdir(), 'kirim-launcher-'));
    try {
      for (const f of [
        'src',
        'config',
        'migrations',
        'dist',
        'tsconfig.json',
        'nest-cli.json',
        'package-lock.json',
      ])
        cpSync(join(ROOT, f), join(root, f), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));

      const unchanged = launch(root);
      expect([unchanged.status, unchanged.stderr]).toEqual([0, '']);

      appendFileSync(join(root, 'src/common/money.ts'), "\nexport const LAUNCHER_PROBE = 'rebuilt';\n");
      const changed = launch(root);
      expect(changed.status).toBe(0);
      expect(changed.stderr).toContain('building dist/');
      expect(readFileSync(join(root, 'dist/src/common/money.js'), 'utf8')).toContain('LAUNCHER_PROBE');

      const again = launch(root);
      expect([again.status, again.stderr]).toEqual([0, '']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
