import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transactions } from 'src/database/transaction';
import { Accounts } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
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

  it('ledger:verify prints the trial balance, exits 0 when the ledger verifies and 1 naming a mismatch', async () => {
    const seller = (
      await t.http().post('/v1/auth/signup').send({
        sellerName: 'Toko Buku',
        email: 'ledger-cli@example.id',
        password: 'long enough password',
      })
    ).body.seller.id as string;
    await t.app.get(Transactions).run(() =>
      t.app.get(LedgerService).post({
        key: 'cli-test:credit',
        type: 'cod_credit',
        at: new Date(),
        sellerId: seller,
        entries: [
          { account: Accounts.courierCodReceivable('jne'), debit: 1_234_567 },
          { account: Accounts.seller(seller, 'pending'), credit: 1_234_567 },
        ],
      }),
    );
    const ok = runBuilt('cli', env(), ['ledger:verify']);
    expect(await ok.exited).toBe(0);
    expect(ok.stdout()).toMatch(/platform:courier_cod_receivable:jne\s+1\.234\.567\s+0\s+1\.234\.567/);
    expect(ok.stdout()).toMatch(/seller:\*:pending \(1 accounts\)\s+0\s+1\.234\.567\s+1\.234\.567/);
    expect(ok.stdout()).toContain('ledger verified: OK');
    // Which database it verified: a mistyped DATA_DIR would make (and verify) a new, empty one.
    expect(ok.stdout()).toMatch(/\n {2}in (PostgreSQL at |the embedded PostgreSQL in )\S+/);

    const code = Accounts.seller(seller, 'pending').code;
    await t.dataSource.query('UPDATE ledger_accounts SET balance = balance + 1 WHERE code = $1', [code]);
    const bad = runBuilt('cli', env(), ['ledger:verify', '--all']);
    expect(await bad.exited).toBe(1);
    expect(bad.stdout()).toContain(`MISMATCH ${code}: cached balance 1234568, entries say 1234567`);
    expect(bad.stdout()).toContain('ledger verification FAILED');
    await t.dataSource.query('UPDATE ledger_accounts SET balance = balance - 1 WHERE code = $1', [code]);
  });

  it('names an unknown command or option and exits 2, as any bad usage; help exits 0', async () => {
    const option = runBuilt('cli', env(), ['users:create', '--email', 'x@kirim.id', '--rol', 'finance']);
    expect(await option.exited).toBe(2);
    expect(option.stderr()).toContain("Unknown option '--rol'");
    const verify = runBuilt('cli', env(), ['ledger:verify', '--everything']);
    expect(await verify.exited).toBe(2);
    const unknown = runBuilt('cli', env(), ['users:delete', '--email', 'x@kirim.id']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr()).toContain('error: unknown command "users:delete"');
    expect(unknown.stderr()).toContain('users:create');
    const help = runBuilt('cli', env(), ['help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toContain('Kirim command line');
    // Words after a command that takes none are refused before it runs: `migrate:revert --help` reverted one.
    const applied = async () =>
      (await t.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM migrations'))[0].n;
    const before = await applied();
    for (const command of ['migrate:revert', 'migrate', 'openapi']) {
      const extra = runBuilt('cli', env(), [command, '--help']);
      expect({ command, exit: await extra.exited }).toEqual({ command, exit: 2 });
      expect(extra.stderr()).toContain(`${command} takes no arguments`);
    }
    expect(await applied()).toBe(before);
    // An option given twice: which user was meant is not guessed.
    const twice = runBuilt('cli', { ...env(), KIRIM_PASSWORD: 'long enough password' }, [
      'users:create',
      '--email',
      'first@kirim.id',
      '--email',
      'second@kirim.id',
      '--role',
      'finance',
    ]);
    expect(await twice.exited).toBe(2);
    expect(twice.stderr()).toContain('--email is given more than once');
    expect((await usersNamed('first@kirim.id')) + (await usersNamed('second@kirim.id'))).toBe(0);
  });

  /** users:create for a finance user, the password piped in (runBuilt gives a process no stdin). */
  const staffFromStdin = (email: string, input: string) =>
    spawnSync(
      process.execPath,
      [
        join(ROOT, 'dist', 'src', 'cli.js'),
        'users:create',
        '--email',
        email,
        '--role',
        'finance',
        '--password-stdin',
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env() },
        input,
        encoding: 'utf8',
      },
    );

  it('takes a password piped in as the line it is (spaces kept, the line break dropped), as the API takes it', async () => {
    const piped = staffFromStdin('piped@kirim.id', '  spaced password  \n');
    expect({ status: piped.status, stderr: piped.stderr }).toEqual({ status: 0, stderr: '' });
    await t
      .http()
      .post('/v1/auth/login')
      .send({ email: 'piped@kirim.id', password: '  spaced password  ' })
      .expect(200);
    await t
      .http()
      .post('/v1/auth/login')
      .send({ email: 'piped@kirim.id', password: 'spaced password' })
      .expect(401);
    // A NUL, which the API refuses at its edge, would make a user that can never log in.
    const nul = staffFromStdin('nul@kirim.id', 'long enough\u0000password\n');
    expect([nul.status, nul.stderr]).toEqual([
      1,
      expect.stringContaining('must not contain a NUL character'),
    ]);
    expect(await usersNamed('nul@kirim.id')).toBe(0);
  }, 60_000);
});

describe('npm start and npm run cli use the compiled build while it is current', () => {
  const launch = (root: string) =>
    spawnSync(process.execPath, [join(root, 'config/build-if-stale.cjs')], { cwd: root, encoding: 'utf8' });
  /**
   * The files the build's incremental state lists as still to check: the next build checks each again,
   * whether it changed or not. (Numbers are files to check; a file with problems is listed with them.)
   */
  const leftToCheck = (root: string) => {
    const state = JSON.parse(readFileSync(join(root, 'dist/.tsbuildinfo'), 'utf8')) as {
      fileNames: string[];
      semanticDiagnosticsPerFile?: (number | [number, unknown])[];
    };
    return (state.semanticDiagnosticsPerFile ?? [])
      .filter((entry) => typeof entry === 'number')
      .map((id) => state.fileNames[id - 1]);
  };

  it('leaves an incremental state with no file left to check, so the next build checks only what changed', () => {
    expect(leftToCheck(ROOT)).toEqual([]);
  });

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

      // main.ts, which nothing imports: the incremental build then checks that file alone.
      appendFileSync(join(root, 'src/main.ts'), "\nexport const LAUNCHER_PROBE = 'rebuilt';\n");
      const changed = launch(root);
      expect(changed.status).toBe(0);
      expect(changed.stderr).toContain('building dist/');
      expect(readFileSync(join(root, 'dist/src/main.js'), 'utf8')).toContain('LAUNCHER_PROBE');
      expect(leftToCheck(root)).toEqual([]);

      const again = launch(root);
      expect([again.status, again.stderr]).toEqual([0, '']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('couriers:decode, as a process (no database, no settings)', () => {
  const SAMPLES = join(__dirname, '..', 'fixtures', 'courier-samples');
  const decode = async (args: string[]) => {
    // Nothing but PATH and HOME: the command must need no DATABASE_URL, secrets or NODE_ENV.
    const cli = runBuilt('cli', {}, ['couriers:decode', ...args]);
    const code = await cli.exited;
    return { code, stdout: cli.stdout(), stderr: cli.stderr() };
  };
  const json = (text: string) => JSON.parse(text) as Record<string, unknown>;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kirim-decode-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A courier body in a file of its own, as an operator would save it. */
  const bodyFile = (name: string, body: string) => {
    const file = join(dir, name);
    writeFileSync(file, body);
    return file;
  };

  it('prints a tracking answer’s events in Kirim’s terms, every field present', async () => {
    const { code, stdout } = await decode(['jne', 'tracking', join(SAMPLES, 'jne-tracking-3.json')]);
    expect(code).toBe(0);
    const out = json(stdout) as { found: boolean; events: Record<string, unknown>[] };
    expect(out.found).toBe(true);
    expect(out.events.map((e) => e.status)).toEqual([
      'picked_up',
      'picked_up',
      'in_transit',
      'in_transit',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
    expect(out.events[7]).toEqual({
      status: 'delivered',
      reason: null,
      rawCode: 'D01',
      rawText: 'DELIVERED TO [MASKED | 03-04-2022 13:31 | BANDUNG ]',
      occurredAt: '2022-04-03T06:31:00.000Z',
      location: 'BANDUNG',
      codCollected: null,
      isReturnLeg: false,
      unmapped: false,
      pod: {
        receiver: 'MASKED',
        relation: 'YANG BERSANGKUTAN',
        photoUrls: ['https://s3-ap-southeast-1.amazonaws.com/pod.paket.id/1648967469777P||xXXXXX.jpeg'],
        signatureUrls: ['https://s3-ap-southeast-1.amazonaws.com/pod.paket.id/1648967500876S||XXXXX.jpeg'],
      },
    });
  });

  it('reads a file named from the folder `npm run cli` was called in (INIT_CWD), not the project’s', async () => {
    const file = bodyFile('relative.json', readFileSync(join(SAMPLES, 'jne-tracking-1.json'), 'utf8'));
    const cli = runBuilt('cli', { INIT_CWD: dir }, ['couriers:decode', 'jne', 'tracking', 'relative.json']);
    expect(await cli.exited).toBe(0);
    expect(json(cli.stdout())).toEqual(json((await decode(['jne', 'tracking', file])).stdout));
  });

  it('reads a raw body saved from a courier, with the AWB asked', async () => {
    const sample = JSON.parse(readFileSync(join(SAMPLES, 'idexpress-tracking-1.json'), 'utf8')) as {
      payload: unknown;
    };
    // The recorded answer with its masked waybill number given back a real-looking one.
    const file = bodyFile(
      'idexpress.json',
      JSON.stringify(sample.payload).replace(/X{12}/g, 'IDE004784713203'),
    );
    const { code, stdout } = await decode(['idexpress', 'tracking', file, '--awb', 'IDE004784713203']);
    expect(code).toBe(0);
    const out = json(stdout) as { awb: string; events: { status: string; reason: string | null }[] };
    expect(out.awb).toBe('IDE004784713203');
    expect(out.events.filter((e) => e.status === 'delivery_failed').map((e) => e.reason)).toEqual([
      'consignee_absent',
      'consignee_absent',
    ]);
    expect(out.events.at(-1)!.status).toBe('delivered');
  });

  it('says found: false for an unknown AWB, and prints quotes, orders and pushes', async () => {
    expect(json((await decode(['jnt', 'tracking', join(SAMPLES, 'jnt-error-1.json')])).stdout)).toMatchObject(
      {
        found: false,
        events: [],
      },
    );
    const quotes = json((await decode(['sap', 'tariff', join(SAMPLES, 'sap-rate-2.json')])).stdout) as {
      quotes: { service: string; price: number; codFee: number }[];
    };
    expect(quotes.quotes.map((q) => [q.service, q.price])).toEqual([
      ['DRGREG', 4500],
      ['UDRREG', 10500],
      ['UDRONS', 18000],
    ]);
    expect(json((await decode(['ninja', 'create', join(SAMPLES, 'ninja-create-1.json')])).stdout)).toEqual({
      order: { courier: 'ninja', awb: 'PREFIX1234-56789', reference: 'SHIP-1234-56789', service: 'STANDARD' },
    });
    const push = json((await decode(['sap', 'webhook', join(SAMPLES, 'sap-webhook-1.json')])).stdout) as {
      events: { status: string; occurredAt: string }[];
    };
    expect(push.events.map((e) => [e.status, e.occurredAt])).toEqual([
      ['pickup_requested', '2023-02-17T07:55:41.000Z'],
    ]);
  }, 30_000);

  it('prints a courier’s refusal as an error and exits 1, with --status for a body saved without it', async () => {
    const duplicate = await decode(['jnt', 'create', join(SAMPLES, 'jnt-create-2.json')]);
    expect(duplicate.code).toBe(1);
    expect(json(duplicate.stdout)).toEqual({
      error: { kind: 'duplicate', message: 'Orderid tidak boleh sama', rawCode: 'Error', retriable: false },
    });
    const auth = await decode([
      'jne',
      'tracking',
      bodyFile('auth.json', '{"error":"Username Or API KEY Not Found.","status":false}'),
    ]);
    expect([auth.code, (json(auth.stdout).error as { kind: string }).kind]).toEqual([1, 'auth']);
    const gateway = await decode([
      'idexpress',
      'tracking',
      bodyFile('gateway.html', '<html><body>502 Bad Gateway</body></html>'),
      '--status',
      '502',
    ]);
    expect([gateway.code, json(gateway.stdout).error]).toEqual([
      1,
      expect.objectContaining({ kind: 'server_error', retriable: true }),
    ]);
  }, 30_000);

  it('exits 2 on bad usage, naming the problem', async () => {
    const courier = await decode(['dhl', 'tracking', join(SAMPLES, 'jne-error-1.json')]);
    expect(courier.code).toBe(2);
    expect(courier.stderr).toContain('unknown courier "dhl"');
    const operation = await decode(['jne', 'pickup', join(SAMPLES, 'jne-error-1.json')]);
    expect([operation.code, operation.stderr]).toEqual([
      2,
      expect.stringContaining('unknown operation "pickup"'),
    ]);
    const missing = await decode(['jne', 'tracking', join(dir, 'nope.json')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('cannot read')]);
    const option = await decode(['jne', 'tariff', join(SAMPLES, 'jne-tariff-1.json'), '--weight', 'heavy']);
    expect([option.code, option.stderr]).toEqual([2, expect.stringContaining('--weight')]);
    expect(option.stdout).toBe('');
    // No larger than any courier answer Kirim reads over HTTP (8 MB): /dev/zero took 17 GB and crashed.
    const huge = await decode(['jne', 'tracking', bodyFile('huge.json', ' '.repeat(8 * 1024 * 1024 + 1))]);
    expect([huge.code, huge.stderr]).toEqual([2, expect.stringContaining('is larger than 8 MB')]);
  }, 30_000);
});
