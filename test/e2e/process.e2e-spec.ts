import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAll, runBuilt, startService, stopCleanly } from '../support/process';
import { startTestApp, TEST_JWT_SECRET } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-db';

const json = { 'content-type': 'application/json' };

async function post(url: string, body: object, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...json, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the built service as a process', () => {
  afterAll(killAll);

  describe('refuses to start on bad configuration, naming the setting', () => {
    it.each([
      [{ PORT: 'abc' }, ['PORT']],
      [{ PORT: '70000' }, ['PORT']],
      [{ DATABASE_URL: 'mysql://localhost/kirim' }, ['DATABASE_URL']],
      [{ NODE_ENV: 'production' }, ['JWT_SECRET', 'PHONE_HASH_SALT', 'METRICS_TOKEN']],
      [{ JWT_SECRET: 'too-short' }, ['JWT_SECRET']],
      [{ LOG_LEVEL: 'loud' }, ['LOG_LEVEL']],
      [{ RUN_MIGRATIONS: 'maybe' }, ['RUN_MIGRATIONS']],
      [{ PORT: '-1', DATABASE_POOL_SIZE: '0' }, ['PORT', 'DATABASE_POOL_SIZE']],
      [{ SANDBOX_CLOCK: 'stepped', SANDBOX_CLOCK_START: '2026-02-30T00:00:00Z' }, ['SANDBOX_CLOCK_START']],
    ])('%j', async (env, names) => {
      const proc = runBuilt('main', {
        NODE_ENV: 'test',
        DATA_DIR: join(tmpdir(), 'kirim-never-used'),
        ...env,
      });
      expect(await proc.exited).toBe(78);
      for (const name of names) expect(proc.stderr()).toContain(`${name}:`);
      expect(proc.stdout()).not.toContain('listening');
    });
  });

  it('refuses a generated secret file left empty, naming the setting and the file, before starting anything', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kirim-empty-secret-'));
    try {
      writeFileSync(join(dataDir, 'jwt-secret'), '');
      const proc = runBuilt('main', { NODE_ENV: 'test', DATA_DIR: dataDir });
      expect(await proc.exited).toBe(78);
      expect(proc.stderr()).toContain(
        `JWT_SECRET: unset, and its generated file ${join(dataDir, 'jwt-secret')} holds nothing`,
      );
      expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('with DATABASE_URL', () => {
    let db: TestDatabase;
    beforeAll(async () => (db = await createTestDatabase()));
    afterAll(() => db.drop());

    it('names the setting, in one line without a stack, when the database, the port or the schema stops the start', async () => {
      const base = { NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, JOBS_ENABLED: 'false' };
      const wrong = new URL(db.url);
      wrong.password = 'not-the-password-9731';
      const blocker = createServer();
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
      const taken = (blocker.address() as AddressInfo).port;
      const empty = await createTestDatabase(null);
      try {
        for (const [env, said] of [
          [{ DATABASE_URL: wrong.toString() }, 'DATABASE_URL: the database refused or could not be reached'],
          [
            { DATABASE_URL: db.url, HOST: '127.0.0.1', PORT: String(taken) },
            `PORT: ${taken} is already in use`,
          ],
          [
            { DATABASE_URL: empty.url, RUN_MIGRATIONS: 'false' },
            'RUN_MIGRATIONS: false, and the database has not been migrated',
          ],
        ] as const) {
          const proc = runBuilt('main', { ...base, ...env });
          expect({ said, exited: await proc.exited }).toEqual({ said, exited: 78 });
          const stderr = proc.stderr();
          expect(stderr).toContain(`Kirim failed to start: ${said}`);
          expect(stderr).not.toMatch(/\n\s+at /);
          expect(stderr + proc.stdout()).not.toContain('not-the-password-9731');
        }
      } finally {
        blocker.close();
        await empty.drop();
      }
    });

    it('serves, logs JSON with request ids and no secrets, and shuts down cleanly on SIGTERM', async () => {
      const { proc, base } = await startService({
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'trace',
        JOBS_ENABLED: 'false',
      });

      const password = 'a very secret password 42';
      const signup = await post(`${base}/v1/auth/signup`, {
        sellerName: 'Log Check',
        email: 'log-check@example.id',
        password,
      });
      expect(signup.status).toBe(201);
      const token = signup.body.accessToken as string;
      const login = await post(`${base}/v1/auth/login`, { email: 'log-check@example.id', password });
      expect(login.status).toBe(200);
      const key = await post(`${base}/v1/api-keys`, {}, { authorization: `Bearer ${token}` });
      expect(key.status).toBe(201);
      await fetch(`${base}/v1/me`, {
        headers: { 'x-api-key': key.body.key as string, 'x-request-id': 'log-trace-1' },
      });
      await post(`${base}/v1/auth/login`, { email: 'log-check@example.id', password: 'wrong password here' });
      // A phone typed into a search, percent-encoded as a browser sends it, and one sent as a request id.
      await fetch(`${base}/v1/shipments?q=%2B62%20813%207654%203210`, {
        headers: { authorization: `Bearer ${token}`, 'x-request-id': '081376543210' },
      });

      await stopCleanly(proc);
      const lines = proc.stdout().trim().split('\n');
      const records = lines.map((l) => JSON.parse(l) as { req?: { id: string; url: string } });
      expect(records.some((r) => r.req?.id === 'log-trace-1' && r.req.url === '/v1/me')).toBe(true);
      const log = proc.stdout() + proc.stderr();
      for (const secret of [
        password,
        'wrong password here',
        token,
        login.body.accessToken as string,
        key.body.key as string,
        TEST_JWT_SECRET,
        new URL(db.url).password,
        '7654',
      ]) {
        expect(log).not.toContain(secret);
      }
    });

    it('starts a stepped sandbox clock at SANDBOX_CLOCK_START, and keeps its time after a restart', async () => {
      const fresh = await createTestDatabase();
      const operatorToken = 'operator-token-for-the-clock-start-test-0123';
      const clockAt = async (base: string) => {
        const res = await post(
          `${base}/sandbox/clock`,
          { advanceHours: 0 },
          { 'x-sandbox-operator-token': operatorToken },
        );
        expect(res.status).toBe(200);
        return res.body.now;
      };
      try {
        const env = {
          NODE_ENV: 'test',
          DATABASE_URL: fresh.url,
          JWT_SECRET: TEST_JWT_SECRET,
          JOBS_ENABLED: 'false',
          SANDBOX_OPERATOR_TOKEN: operatorToken,
          SANDBOX_CLOCK: 'stepped',
        };
        const first = await startService({ ...env, SANDBOX_CLOCK_START: '2026-01-04T17:00:00Z' });
        expect(await clockAt(first.base)).toBe('2026-01-04T17:00:00.000Z');
        const moved = await post(
          `${first.base}/sandbox/clock`,
          { advanceHours: 31 },
          { 'x-sandbox-operator-token': operatorToken },
        );
        expect(moved.body.now).toBe('2026-01-06T00:00:00.000Z');
        await stopCleanly(first.proc);
        // Restarted with another start: the clock on this database has started, and keeps its time.
        const again = await startService({ ...env, SANDBOX_CLOCK_START: '2030-06-01T00:00:00Z' });
        expect(await clockAt(again.base)).toBe('2026-01-06T00:00:00.000Z');
        await stopCleanly(again.proc);
      } finally {
        await fresh.drop();
      }
    });

    it('creates finance users from the command line, who can then log in', async () => {
      const env = {
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        JWT_SECRET: TEST_JWT_SECRET,
        KIRIM_PASSWORD: 'finance password 1',
      };
      const ok = runBuilt('cli', env, ['users:create', '--email', 'Finance@Kirim.id', '--role', 'finance']);
      expect(await ok.exited).toBe(0);
      expect(ok.stdout()).toMatch(/created finance user finance@kirim\.id/);
      const bad = runBuilt('cli', env, ['users:create', '--email', 'x@kirim.id', '--role', 'seller_owner']);
      expect(await bad.exited).toBe(1);
      expect(bad.stderr()).toContain('--role must be finance or admin');

      const t = await startTestApp({}, db);
      try {
        const login = await t
          .http()
          .post('/v1/auth/login')
          .send({ email: 'finance@kirim.id', password: 'finance password 1' })
          .expect(200);
        const me = await t
          .http()
          .get('/v1/me')
          .set('authorization', `Bearer ${login.body.accessToken}`)
          .expect(200);
        expect(me.body).toMatchObject({ user: { email: 'finance@kirim.id', role: 'finance' }, seller: null });
      } finally {
        await t.close();
      }
    });
  });

  describe('without DATABASE_URL (embedded PostgreSQL)', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'kirim-embedded-'));
      chmodSync(dataDir, 0o755);
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    const env = () => ({ NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const clusterRunning = () => existsSync(join(dataDir, 'postgres', 'postmaster.pid'));

    it('starts its own PostgreSQL, keeps data across restarts, refuses a second instance, and stops it', async () => {
      const { proc: a, base: baseA } = await startService(env());
      expect(a.stdout()).toContain('embedded PostgreSQL started');
      // Through the Unix socket in the data folder, not loopback TCP.
      expect(a.stdout()).toContain(`connected to PostgreSQL at ${dataDir}/socket/.s.PGSQL.`);
      const signup = await post(`${baseA}/v1/auth/signup`, {
        sellerName: 'Persisted',
        email: 'keep@example.id',
        password: 'persist me please',
      });
      expect(signup.status).toBe(201);
      expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').length).toBeGreaterThanOrEqual(32);

      // A second service on the same data folder refuses to start, naming the first; the first serves on.
      const b = runBuilt('main', { ...env(), PORT: '0' });
      expect(await b.exited).toBe(1);
      expect(b.stdout() + b.stderr()).toContain(
        `the data folder ${dataDir} is in use by process ${a.child.pid}`,
      );
      expect(b.stdout()).not.toContain('listening');
      const me = await fetch(`${baseA}/v1/me`, {
        headers: { authorization: `Bearer ${signup.body.accessToken as string}` },
      });
      expect(me.status).toBe(200);
      expect(clusterRunning()).toBe(true);

      await stopCleanly(a);
      expect(clusterRunning()).toBe(false);

      const { proc: c, base: baseC } = await startService(env());
      const login = await post(`${baseC}/v1/auth/login`, {
        email: 'keep@example.id',
        password: 'persist me please',
      });
      expect(login.status).toBe(200);
      const oldToken = await fetch(`${baseC}/v1/me`, {
        headers: { authorization: `Bearer ${signup.body.accessToken as string}` },
      });
      expect(oldToken.status).toBe(200);
      await stopCleanly(c, 'SIGINT');
      expect(clusterRunning()).toBe(false);
    }, 180_000);

    it('stops (exit 1), saying why, when its embedded PostgreSQL is killed under it', async () => {
      const { proc } = await startService(env());
      const postmaster = Number(
        readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      process.kill(postmaster, 'SIGKILL');
      expect(await proc.exited).toBe(1);
      expect(proc.stdout() + proc.stderr()).toContain(
        'the embedded PostgreSQL stopped unexpectedly (SIGKILL)',
      );
      // Its lock is released: the next start on the folder serves.
      const { proc: again } = await startService(env());
      await stopCleanly(again);
    }, 120_000);
  });

  // As root the server runs as "postgres"; as a normal user it runs as that user. Under root this test
  // switches to "nobody"; otherwise the test runner is already a normal user.
  it('runs the embedded PostgreSQL as a normal user too', async () => {
    const asUser =
      process.getuid?.() === 0
        ? {
            uid: Number(execFileSync('id', ['-u', 'nobody']).toString()),
            gid: Number(execFileSync('id', ['-g', 'nobody']).toString()),
          }
        : undefined;
    const dataDir = mkdtempSync(join(tmpdir(), 'kirim-user-'));
    if (asUser) chownSync(dataDir, asUser.uid, asUser.gid);
    try {
      const { proc, base } = await startService({ NODE_ENV: 'development', DATA_DIR: dataDir }, { asUser });
      const signup = await post(`${base}/v1/auth/signup`, {
        sellerName: 'As nobody',
        email: 'nobody@example.id',
        password: 'nobody password 1',
      });
      expect(signup.status).toBe(201);
      await stopCleanly(proc);
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
