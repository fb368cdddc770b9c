import { runBuilt } from '../support/process';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-db';

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
