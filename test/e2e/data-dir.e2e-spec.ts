import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from 'src/database/data-dir-lock';
import { killAll, runBuilt, startService, stop, stopCleanly } from '../support/process';

const ROOT = join(__dirname, '..', '..');

async function post(url: string, body: object, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const postmasterPid = (dataDir: string) =>
  Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

/** One embedded data folder (DATA_DIR) belongs to one service at a time. */
describe('the data folder lock', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kirim-lock-'));
    chmodSync(dataDir, 0o755); // as root the server runs as "postgres"
  });
  afterEach(() => {
    killAll();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => ({ NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'info' });

  it('lets the CLI use the database of the service that holds the folder, and releases it on exit', async () => {
    const { proc: service, base } = await startService(env());
    expect(readFileSync(join(dataDir, 'kirim.pid'), 'utf8').split('\n')[0]).toBe(String(service.child.pid));

    const cli = runBuilt('cli', { DATA_DIR: dataDir, KIRIM_PASSWORD: 'operator password 1' }, [
      'users:create',
      '--email',
      'ops@kirim.id',
      '--role',
      'admin',
    ]);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toContain('created admin user ops@kirim.id');
    const login = await post(`${base}/v1/auth/login`, {
      email: 'ops@kirim.id',
      password: 'operator password 1',
    });
    expect(login.status).toBe(200);

    await stopCleanly(service);
    expect(existsSync(join(dataDir, 'kirim.pid'))).toBe(false);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 120_000);

  it('keeps the CLI’s exit code when it runs its own embedded PostgreSQL: a refused file exits 1', async () => {
    // The embedded PostgreSQL package exits with 0 when the event loop empties; the code must survive it.
    const file = join(dataDir, 'sap-bad.csv');
    writeFileSync(file, 'district_code,code\n31.71.01,JK1001\n31.71.01,JK1001\n');
    const refused = runBuilt('cli', { DATA_DIR: dataDir }, ['couriers:locations', 'sap', file]);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr()).toContain('row 3: district_code 31.71.01 is already given in row 2');
    const verified = runBuilt('cli', { DATA_DIR: dataDir }, ['ledger:verify']);
    expect(await verified.exited).toBe(0);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 120_000);

  it('is taken over from a crashed service, whose orphaned PostgreSQL is stopped rather than shared', async () => {
    const { proc: a, base: baseA } = await startService(env());
    const signup = await post(`${baseA}/v1/auth/signup`, {
      sellerName: 'Survives a crash',
      email: 'crash@example.id',
      password: 'crash test password',
    });
    expect(signup.status).toBe(201);
    const orphan = postmasterPid(dataDir);
    expect(await stop(a, 'SIGKILL')).toBe('SIGKILL');
    expect(isProcessAlive(orphan)).toBe(true); // left running, with a lock naming a dead process

    const { proc: b, base: baseB } = await startService(env());
    expect(b.stdout()).toContain(`stopped the embedded PostgreSQL (process ${orphan})`);
    expect(b.stdout()).toContain('embedded PostgreSQL started');
    expect(isProcessAlive(orphan)).toBe(false);
    expect(postmasterPid(dataDir)).not.toBe(orphan);
    const login = await post(`${baseB}/v1/auth/login`, {
      email: 'crash@example.id',
      password: 'crash test password',
    });
    expect(login.status).toBe(200);

    // B owns it now: a third service is refused, naming B.
    const c = runBuilt('main', { ...env(), PORT: '0' });
    expect(await c.exited).toBe(1);
    expect(c.stdout() + c.stderr()).toContain(
      `the data folder ${dataDir} is in use by process ${b.child.pid}`,
    );

    await stopCleanly(b);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 180_000);

  it('is taken by exactly one of several processes racing for a stale lock', async () => {
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(join(dataDir, 'kirim.pid'), `${dead}\n`);
    // Each racer reports, and a winner holds the lock until the end, so a late starter cannot find it stale.
    const script = `
      const { lockDataDir } = require(${JSON.stringify(join(ROOT, 'dist/src/database/data-dir-lock.js'))});
      try { lockDataDir(process.argv[1]); console.log('locked ' + process.pid); setInterval(() => {}, 1000); }
      catch (e) { console.log(e.message); }`;
    const children = Array.from({ length: 6 }, () =>
      spawn(process.execPath, ['-e', script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] }),
    );
    const results = await Promise.all(
      children.map(
        (child) =>
          new Promise<string>((resolve) => {
            let out = '';
            child.stdout.on('data', (c: Buffer) => {
              out += c.toString();
              if (out.includes('\n')) resolve(out.trim());
            });
          }),
      ),
    );
    for (const child of children) child.kill('SIGKILL');
    const winners = results.filter((r) => r.startsWith('locked '));
    expect(winners).toHaveLength(1);
    const winner = winners[0].slice('locked '.length);
    for (const r of results.filter((x) => x !== winners[0]))
      expect(r).toBe(
        `the data folder ${dataDir} is in use by process ${winner} (another Kirim service): stop it first, or give this one its own DATA_DIR or a DATABASE_URL`,
      );
  });
});
