import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from 'config';
import { everyCourierConfigured } from '../../support/courier-settings';
import { defaultWorldFile, MAX_WORLD_FILE_BYTES } from 'config/sandbox-world';
import { defaults } from 'config/defaults';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({}, {});
    expect(c.http).toEqual({
      host: '0.0.0.0',
      port: 3000,
      trustProxy: false,
      shutdownGraceMs: 10000,
      requestTimeoutMs: 120000,
      metricsToken: undefined,
      validationFastPath: true,
      dashboardDir: join(__dirname, '..', '..', '..', 'dist', 'dashboard'),
    });
    expect(c.database).toEqual({
      url: undefined,
      poolSize: 10,
      connectTimeoutMs: 5000,
      listenerCheckMs: 30_000,
      dataDir: '.data',
      embeddedPort: undefined,
      shareEmbedded: false, // only the CLI shares a running service's embedded PostgreSQL
      runMigrations: true,
    });
    expect(c.auth.loginRateLimit).toEqual({ perEmail: 10, perIp: 100, perAccount: 50, windowSeconds: 900 });
    expect(c.idempotencyTtlHours).toBe(24);
    expect(c.jobsEnabled).toBe(true);
  });

  it('parses numbers and booleans from strings and treats empty as unset', () => {
    const c = loadConfig(
      { PORT: '8080', JOBS_ENABLED: 'off', RUN_MIGRATIONS: 'false', DATABASE_URL: '' },
      {},
    );
    expect([c.http.port, c.jobsEnabled, c.database.runMigrations, c.database.url]).toEqual([
      8080,
      false,
      false,
      undefined,
    ]);
  });

  it('serves the dashboard from dist/dashboard of this checkout unless DASHBOARD_DIR says otherwise', () => {
    expect(loadConfig({}, {}).http.dashboardDir).toBe(join(__dirname, '..', '..', '..', 'dist', 'dashboard'));
    expect(loadConfig({ DASHBOARD_DIR: '/srv/kirim/web' }, {}).http.dashboardDir).toBe('/srv/kirim/web');
    expect(loadConfig({ DASHBOARD_DIR: 'web' }, {}).http.dashboardDir).toBe(resolve('web'));
  });

  it('turns the validation fast path off with VALIDATION_FAST_PATH=false, and refuses a non-boolean', () => {
    expect(loadConfig({ VALIDATION_FAST_PATH: 'false' }, {}).http.validationFastPath).toBe(false);
    expect(() => loadConfig({ VALIDATION_FAST_PATH: 'sometimes' }, {})).toThrow(/VALIDATION_FAST_PATH/);
  });

  it('reads TRUST_PROXY as nobody, a number of proxies (true is one) or their addresses, and names a bad one', () => {
    const trust = (v: string) => loadConfig({ TRUST_PROXY: v }, {}).http.trustProxy;
    expect([trust('false'), trust('true'), trust('2'), trust(' 10.0.0.0/8, 192.0.2.7,fd00::/8 ')]).toEqual([
      false,
      1,
      2,
      ['10.0.0.0/8', '192.0.2.7', 'fd00::/8'],
    ]);
    for (const bad of ['maybe', '10.0.0.0/33', '300.1.1.1', '10.0.0.1,', '100'])
      expect(() => loadConfig({ TRUST_PROXY: bad }, {})).toThrow(/TRUST_PROXY: must be false, true/);
  });

  it('bounds the database connect timeout', () => {
    expect(loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '1500' }, {}).database.connectTimeoutMs).toBe(1500);
    expect(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '10' }, {})).toThrow(
      /DATABASE_CONNECT_TIMEOUT_MS:/,
    );
  });

  it('checks the listening connection every 30 s unless told, bounded', () => {
    expect(loadConfig({}, {}).database.listenerCheckMs).toBe(30_000);
    expect(loadConfig({ DATABASE_LISTENER_CHECK_MS: '5000' }, {}).database.listenerCheckMs).toBe(5000);
    for (const bad of ['10', '0', '600001', 'soon'])
      expect(() => loadConfig({ DATABASE_LISTENER_CHECK_MS: bad }, {})).toThrow(
        /DATABASE_LISTENER_CHECK_MS:/,
      );
  });

  it('names every invalid setting at once', () => {
    let error: unknown;
    try {
      loadConfig(
        { PORT: 'x', LOG_LEVEL: 'chatty', IDEMPOTENCY_TTL_HOURS: '1', DATABASE_URL: 'http://db' },
        {},
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.name).sort()).toEqual([
      'DATABASE_URL',
      'IDEMPOTENCY_TTL_HOURS',
      'LOG_LEVEL',
      'PORT',
    ]);
    expect((error as Error).message).toContain('PORT:');
  });

  it('says of text in a number’s place only that it is no whole number, and of a number out of bounds its bound', () => {
    const problem = (env: Record<string, string>) => {
      try {
        loadConfig(env, {});
      } catch (e) {
        return (e as ConfigError).problems.find((p) => p.name === 'PORT')?.message;
      }
      return undefined;
    };
    expect(problem({ PORT: 'abc' })).toBe('must be an integer number');
    expect(problem({ PORT: '70000' })).toBe('must not be greater than 65535');
  });

  it('requires a JWT secret and a metrics token in production, and never a short one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, {})).toThrow(
      /JWT_SECRET: is required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ JWT_SECRET: 'short' }, {})).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(32) }, {})).toThrow(
      /PHONE_HASH_SALT: is required/,
    );
    const secrets = { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(32), PHONE_HASH_SALT: 's'.repeat(16) };
    expect(() => loadConfig(secrets, {})).toThrow(/METRICS_TOKEN: is required when NODE_ENV=production/);
    expect(() => loadConfig({ ...secrets, METRICS_TOKEN: 'short' }, {})).toThrow(/METRICS_TOKEN/);
    const config = loadConfig({ ...secrets, METRICS_TOKEN: 'm'.repeat(16) }, {});
    expect([config.auth.jwtSecret, config.http.metricsToken]).toEqual(['p'.repeat(32), 'm'.repeat(16)]);
  });

  it('is frozen all the way down', () => {
    const c = loadConfig({}, {});
    expect(Object.isFrozen(c.http)).toBe(true);
    expect(Object.isFrozen(c.business.bankCodes)).toBe(true);
  });
});

describe('courier credentials', () => {
  it('runs every courier against its sandbox when none is configured', () => {
    const c = loadConfig({}, {});
    expect(c.couriers.sandboxMode).toBe(true);
    expect(Object.values(c.couriers.credentials)).toEqual([null, null, null, null, null]);
  });

  it('takes a courier out of sandbox mode when all its settings are given', () => {
    const ninja = {
      NINJA_BASE_URL: 'https://api.ninjavan.co',
      NINJA_CLIENT_ID: 'id',
      NINJA_CLIENT_SECRET: 'secret',
      NINJA_TRACKING_PREFIX: 'NVIDK',
    };
    const c = loadConfig(ninja, {});
    expect(c.couriers.credentials.ninja).toEqual(ninja);
    expect(c.couriers.credentials.sap).toBeNull();
  });

  it('stops the start of a Ninja account without its tracking-number prefix, saying what it is; none is one', () => {
    const account = {
      NINJA_BASE_URL: 'https://api.ninjavan.co',
      NINJA_CLIENT_ID: 'id',
      NINJA_CLIENT_SECRET: 'secret',
    };
    expect(() => loadConfig(account, {})).toThrow(
      /NINJA_TRACKING_PREFIX: is required with .*: the prefix Ninja puts before the account's tracking numbers, or none/,
    );
    expect(loadConfig({ ...account, NINJA_TRACKING_PREFIX: 'none' }, {}).couriers.credentials.ninja).toEqual({
      ...account,
      NINJA_TRACKING_PREFIX: 'none',
    });
    expect(() => loadConfig({ ...account, NINJA_TRACKING_PREFIX: 'NV ID' }, {})).toThrow(
      /NINJA_TRACKING_PREFIX: must be the account's tracking-number prefix/,
    );
  });

  it('takes a courier proxy URL, and stops the start on one that is no http(s) URL, naming it', () => {
    expect(loadConfig({}, {}).couriers.proxyUrl).toBeUndefined();
    expect(loadConfig({ COURIER_PROXY_URL: 'http://kirim:pw@10.0.0.5:3128' }, {}).couriers.proxyUrl).toBe(
      'http://kirim:pw@10.0.0.5:3128',
    );
    for (const url of ['socks5://10.0.0.5:1080', 'proxy.internal:3128', 'http://'])
      expect(() => loadConfig({ COURIER_PROXY_URL: url }, {})).toThrow(/COURIER_PROXY_URL/);
  });

  it('takes a push token per courier, refusing a short one and the former shared token, naming each', () => {
    expect(loadConfig({}, {}).couriers.webhookTokens).toEqual({});
    const tokens = {
      JNE_WEBHOOK_TOKEN: 'jne-token-0123456789',
      SAP_WEBHOOK_TOKEN: 'sap-token-0123456789',
      IDEXPRESS_WEBHOOK_TOKEN: 'ide-token-0123456789',
    };
    expect(loadConfig(tokens, {}).couriers.webhookTokens).toEqual({
      jne: 'jne-token-0123456789',
      sap: 'sap-token-0123456789',
      idexpress: 'ide-token-0123456789',
    });
    let error: unknown;
    try {
      loadConfig({ SAP_WEBHOOK_TOKEN: 'short', COURIER_WEBHOOK_TOKEN: 'one-token-for-all-three' }, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.name).sort()).toEqual([
      'COURIER_WEBHOOK_TOKEN',
      'SAP_WEBHOOK_TOKEN',
    ]);
    expect((error as ConfigError).message).not.toContain('one-token-for-all-three');
  });

  it('names the missing settings of a half-configured courier', () => {
    expect(() => loadConfig({ SAP_API_KEY: 'key' }, {})).toThrow(
      /SAP_BASE_URL: is required with SAP_API_KEY/,
    );
    expect(() => loadConfig({ SAP_API_KEY: 'key' }, {})).toThrow(/SAP_COD_CUSTOMER_CODE/);
  });
});

describe('webhook targets, signup limits and the sandbox operator token', () => {
  it('allows private webhook targets by default in development and test only', () => {
    expect(loadConfig({}, {}).webhooks.allowPrivateNetworks).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }, {}).webhooks.allowPrivateNetworks).toBe(true);
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'p'.repeat(32),
      PHONE_HASH_SALT: 's'.repeat(16),
      METRICS_TOKEN: 'm'.repeat(16),
    };
    expect(loadConfig(production, {}).webhooks.allowPrivateNetworks).toBe(false);
    expect(
      loadConfig({ ...production, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }, {}).webhooks.allowPrivateNetworks,
    ).toBe(true);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'off' }, {}).webhooks.allowPrivateNetworks).toBe(
      false,
    );
  });

  it('reads WEBHOOK_DNS_SERVERS as addresses with optional ports', () => {
    expect(loadConfig({}, {}).webhooks.dnsServers).toBeUndefined();
    expect(
      loadConfig({ WEBHOOK_DNS_SERVERS: '127.0.0.1:5353, 10.0.0.2, [fd00::53]:5300, fd00::54' }, {}).webhooks
        .dnsServers,
    ).toEqual(['127.0.0.1:5353', '10.0.0.2:53', '[fd00::53]:5300', '[fd00::54]:53']);
  });

  it.each([
    [
      'a password with a bare %',
      { DATABASE_URL: 'postgres://kirim:50%off@127.0.0.1:5432/kirim' },
      'DATABASE_URL',
    ],
    [
      'a password with a bare #',
      { DATABASE_URL: 'postgres://kirim:Secret#Tail@127.0.0.1:5432/kirim' },
      'DATABASE_URL',
    ],
    [
      'a port that is no number',
      { DATABASE_URL: 'postgres://kirim:pw@127.0.0.1:notaport/kirim' },
      'DATABASE_URL',
    ],
    ['a grace beyond what a timer holds', { SHUTDOWN_GRACE_MS: '2147483648' }, 'SHUTDOWN_GRACE_MS'],
    [
      'an idempotency window no date can end',
      { IDEMPOTENCY_TTL_HOURS: '9999999999' },
      'IDEMPOTENCY_TTL_HOURS',
    ],
    ['a login window no date can start', { LOGIN_RATE_WINDOW_SECONDS: '1e24' }, 'LOGIN_RATE_WINDOW_SECONDS'],
    ['a login limit past any count', { LOGIN_RATE_LIMIT: '1e24' }, 'LOGIN_RATE_LIMIT'],
    ['a blank JWT secret', { JWT_SECRET: ' '.repeat(32) }, 'JWT_SECRET'],
    ['a blank phone salt', { PHONE_HASH_SALT: ' '.repeat(16) }, 'PHONE_HASH_SALT'],
    [
      'a metrics token that cannot be sent',
      { METRICS_TOKEN: 'scrape token with spaces 2026' },
      'METRICS_TOKEN',
    ],
    [
      'a push token that cannot be sent',
      { JNE_WEBHOOK_TOKEN: 'jne push token with spaces' },
      'JNE_WEBHOOK_TOKEN',
    ],
    ['a host that is no address', { HOST: 'not a host!' }, 'HOST'],
    ['a blank data folder', { DATA_DIR: '   ' }, 'DATA_DIR'],
    ['a data folder that is a file', { DATA_DIR: __filename }, 'DATA_DIR'],
  ])('stops the start on %s, naming the setting and never echoing a secret', (_what, env, name) => {
    let error: unknown;
    try {
      loadConfig(env, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.name)).toEqual([name]);
    for (const value of Object.values(env))
      if (/pw|off|Secret|token/.test(value)) expect((error as ConfigError).message).not.toContain(value);
  });

  it('takes the hosts a service listens on', () => {
    for (const host of ['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost', 'kirim-api.internal'])
      expect(loadConfig({ HOST: host }, {}).http.host).toBe(host);
  });

  it('names each bad new setting', () => {
    let error: unknown;
    try {
      loadConfig(
        {
          WEBHOOK_DNS_SERVERS: 'dns.example.id:53',
          WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'maybe',
          SIGNUP_RATE_LIMIT: '0',
          SIGNUP_RATE_WINDOW_SECONDS: 'x',
          USER_CREATE_RATE_LIMIT: '0',
          SANDBOX_OPERATOR_TOKEN: 'short',
        },
        {},
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.name).sort()).toEqual([
      'SANDBOX_OPERATOR_TOKEN',
      'SIGNUP_RATE_LIMIT',
      'SIGNUP_RATE_WINDOW_SECONDS',
      'USER_CREATE_RATE_LIMIT',
      'WEBHOOK_ALLOW_PRIVATE_NETWORKS',
      'WEBHOOK_DNS_SERVERS',
    ]);
    expect(() => loadConfig({ WEBHOOK_DNS_SERVERS: '127.0.0.1:70000' }, {})).toThrow(/WEBHOOK_DNS_SERVERS/);
  });

  it('reads the seller webhook sender settings, with defaults, and names a bad one', () => {
    expect(loadConfig({}, {}).webhooks).toMatchObject({
      timeoutMs: 10_000,
      concurrency: 32,
      perSellerConcurrency: 4,
    });
    expect(
      loadConfig(
        { WEBHOOK_TIMEOUT_MS: '2500', WEBHOOK_CONCURRENCY: '8', WEBHOOK_CONCURRENCY_PER_SELLER: '2' },
        {},
      ).webhooks,
    ).toMatchObject({ timeoutMs: 2500, concurrency: 8, perSellerConcurrency: 2 });
    let error: unknown;
    try {
      loadConfig(
        { WEBHOOK_TIMEOUT_MS: '50', WEBHOOK_CONCURRENCY: 'many', WEBHOOK_CONCURRENCY_PER_SELLER: '0' },
        {},
      );
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.map((p) => p.name).sort()).toEqual([
      'WEBHOOK_CONCURRENCY',
      'WEBHOOK_CONCURRENCY_PER_SELLER',
      'WEBHOOK_TIMEOUT_MS',
    ]);
  });

  it('keeps finished seller webhook deliveries 30 days unless told otherwise, and names a bad retention', () => {
    expect(loadConfig({}, {}).webhooks.retentionDays).toBe(30);
    expect(loadConfig({ WEBHOOK_DELIVERY_RETENTION_DAYS: '90' }, {}).webhooks.retentionDays).toBe(90);
    for (const bad of ['0', '3651', 'forever', '7.5'])
      expect(() => loadConfig({ WEBHOOK_DELIVERY_RETENTION_DAYS: bad }, {})).toThrow(
        /WEBHOOK_DELIVERY_RETENTION_DAYS/,
      );
  });

  it('keeps courier pushes 30 days and raw lines 90 unless told otherwise, and names a bad retention', () => {
    expect(loadConfig({}, {}).tracking).toEqual({ pushRetentionDays: 30, rawRetentionDays: 90 });
    expect(
      loadConfig({ COURIER_PUSH_RETENTION_DAYS: '7', TRACKING_RAW_RETENTION_DAYS: '365' }, {}).tracking,
    ).toEqual({ pushRetentionDays: 7, rawRetentionDays: 365 });
    for (const name of ['COURIER_PUSH_RETENTION_DAYS', 'TRACKING_RAW_RETENTION_DAYS'])
      for (const bad of ['0', '3651', 'forever', '7.5', '-1'])
        expect(() => loadConfig({ [name]: bad }, {})).toThrow(new RegExp(name));
  });

  it('refuses a push retention shorter than the replay window a push may still come in', () => {
    const window = defaults.couriers.webhookMaxAgeSeconds;
    try {
      (defaults.couriers as { webhookMaxAgeSeconds: number }).webhookMaxAgeSeconds = 3 * 86_400;
      expect(() => loadConfig({ COURIER_PUSH_RETENTION_DAYS: '2' }, {})).toThrow(
        /COURIER_PUSH_RETENTION_DAYS.*replay window/,
      );
      expect(loadConfig({ COURIER_PUSH_RETENTION_DAYS: '3' }, {}).tracking.pushRetentionDays).toBe(3);
    } finally {
      (defaults.couriers as { webhookMaxAgeSeconds: number }).webhookMaxAgeSeconds = window;
    }
  });

  it('applies the signup limit defaults and keeps the operator token', () => {
    const c = loadConfig({ SANDBOX_OPERATOR_TOKEN: 'o'.repeat(32) }, {});
    expect(c.auth.signupRateLimit).toEqual({ perIp: 10, windowSeconds: 3600 });
    expect(c.couriers.sandboxOperatorToken).toBe('o'.repeat(32));
  });
});

describe('the payout provider', () => {
  it('pays through the built-in sandbox provider when none is configured', () => {
    expect(loadConfig({}, {}).payouts.provider).toBeNull();
  });

  /** Every courier's settings given: no courier runs against its sandbox. */
  const everyCourier = everyCourierConfigured('https://courier.example.id');

  it('takes both the provider URL and its secret key, and names the one missing', () => {
    const c = loadConfig(
      {
        ...everyCourier,
        PAYOUT_PROVIDER_URL: 'https://api.xendit.co',
        PAYOUT_SECRET_KEY: 'xnd_production_secret',
      },
      {},
    );
    expect(c.payouts.provider).toEqual({ url: 'https://api.xendit.co', secretKey: 'xnd_production_secret' });
    expect(() => loadConfig({ PAYOUT_PROVIDER_URL: 'https://api.xendit.co' }, {})).toThrow(
      /PAYOUT_SECRET_KEY: is required with PAYOUT_PROVIDER_URL/,
    );
    expect(() => loadConfig({ PAYOUT_SECRET_KEY: 'xnd_production_secret' }, {})).toThrow(
      /PAYOUT_PROVIDER_URL: is required with PAYOUT_SECRET_KEY/,
    );
    for (const url of ['ftp://xendit.co', 'not a url'])
      expect(() =>
        loadConfig(
          { ...everyCourier, PAYOUT_PROVIDER_URL: url, PAYOUT_SECRET_KEY: 'xnd_production_secret' },
          {},
        ),
      ).toThrow(/PAYOUT_PROVIDER_URL/);
  });

  it('refuses real payouts while a courier runs against its sandbox, where a seller can mark a parcel delivered', () => {
    const payouts = {
      PAYOUT_PROVIDER_URL: 'https://api.xendit.co',
      PAYOUT_SECRET_KEY: 'xnd_production_secret',
    };
    const withoutNinja = Object.fromEntries(
      Object.entries(everyCourier).filter(([k]) => !k.startsWith('NINJA_')),
    );
    expect(() => loadConfig({ ...withoutNinja, ...payouts }, {})).toThrow(
      /PAYOUT_PROVIDER_URL: pays real money, but ninja run against the sandbox/,
    );
    expect(() => loadConfig(payouts, {})).toThrow(
      /but jne, jnt, sap, ninja, idexpress run against the sandbox/,
    );
    expect(loadConfig(withoutNinja, {}).couriers.credentials.ninja).toBeNull(); // the sandbox payout provider
  });

  /** A directory for world files, removed after the test. */
  const worldDirs: string[] = [];
  const worldDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kirim-world-'));
    worldDirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of worldDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('draws each sandbox parcel its own fate unless SANDBOX_DRAWS says per order, and names a bad value', () => {
    expect(loadConfig({}, {}).couriers.sandboxDraws).toBe('per_parcel');
    expect(loadConfig({ SANDBOX_DRAWS: 'per_order' }, {}).couriers.sandboxDraws).toBe('per_order');
    expect(() => loadConfig({ SANDBOX_DRAWS: 'per_buyer' }, {})).toThrow(/SANDBOX_DRAWS:/);
  });

  it('runs the sandbox clock with real time unless SANDBOX_CLOCK says stepped, and names a bad value', () => {
    expect(loadConfig({}, {}).couriers.sandboxClock).toBe('running');
    expect(loadConfig({ SANDBOX_CLOCK: 'stepped' }, {}).couriers.sandboxClock).toBe('stepped');
    expect(() => loadConfig({ SANDBOX_CLOCK: 'frozen' }, {})).toThrow(/SANDBOX_CLOCK:/);
    // With every courier real there is no sandbox clock to step.
    const real = { ...everyCourierConfigured('https://courier.example'), SANDBOX_CLOCK: 'stepped' };
    const c = loadConfig(real, {});
    expect(c.couriers.sandboxMode).toBe(false);
    expect(c.couriers.sandboxClock).toBe('running');
  });

  it('starts a stepped clock at SANDBOX_CLOCK_START when given, refusing a moment that does not exist', () => {
    expect(loadConfig({}, {}).couriers.sandboxClockStartMs).toBeNull();
    const stepped = { SANDBOX_CLOCK: 'stepped' };
    expect(
      loadConfig({ ...stepped, SANDBOX_CLOCK_START: '2026-01-04T17:00:00Z' }, {}).couriers
        .sandboxClockStartMs,
    ).toBe(Date.UTC(2026, 0, 4, 17));
    expect(
      loadConfig({ ...stepped, SANDBOX_CLOCK_START: '2026-01-05T00:00:00.000+07:00' }, {}).couriers
        .sandboxClockStartMs,
    ).toBe(Date.UTC(2026, 0, 4, 17));
    for (const bad of [
      '2026-02-30T00:00:00Z',
      '2026-01-04T24:30:00Z',
      '2026-01-04',
      '2026-01-04T17:00:00',
      'soon',
    ])
      expect(() => loadConfig({ ...stepped, SANDBOX_CLOCK_START: bad }, {})).toThrow(/SANDBOX_CLOCK_START:/);
    // A clock running with real time has no start of its own to set.
    expect(() => loadConfig({ SANDBOX_CLOCK_START: '2026-01-04T17:00:00Z' }, {})).toThrow(
      /SANDBOX_CLOCK_START: applies only with SANDBOX_CLOCK=stepped/,
    );
  });

  it('runs the default sandbox world without SANDBOX_WORLD_FILE, and reads a given world file', () => {
    expect(loadConfig({}, {}).couriers.sandboxWorld).toEqual(defaultWorldFile());
    const dir = worldDir();
    const untuned = {
      ...defaultWorldFile(),
      lanes: { islandGroupSpread: 0, provinceSpread: 0.2, regencySpread: 1 },
    };
    writeFileSync(join(dir, 'untuned.json'), JSON.stringify(untuned));
    expect(
      loadConfig({ SANDBOX_WORLD_FILE: join(dir, 'untuned.json') }, {}).couriers.sandboxWorld.lanes,
    ).toEqual(untuned.lanes);
  });

  it('stops the start on a missing, non-JSON or out-of-range world file, naming SANDBOX_WORLD_FILE and the field', () => {
    const dir = worldDir();
    const bad = defaultWorldFile() as unknown as { recipients: Record<string, unknown> };
    bad.recipients.refuserShare = 0.9;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    writeFileSync(join(dir, 'broken.json'), '{ "version": 1,');
    const problem = (file: string) => {
      try {
        loadConfig({ SANDBOX_WORLD_FILE: file }, {});
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).problems;
      }
      throw new Error(`${file} was accepted`);
    };
    expect(problem(join(dir, 'bad.json'))).toEqual([
      {
        name: 'SANDBOX_WORLD_FILE',
        message: `${join(dir, 'bad.json')}: field recipients.refuserShare must be between 0 and 0.5`,
      },
    ]);
    expect(problem(join(dir, 'broken.json'))[0].message).toMatch(/broken\.json: the file is not JSON/);
    expect(problem(join(dir, 'missing.json'))[0].message).toMatch(
      /missing\.json: the file cannot be read \(ENOENT\)/,
    );
    // Not a world file at all: read no further than a world file could be (/dev/zero has no end).
    expect(problem('/dev/zero')[0].message).toBe('/dev/zero: the file is not a regular file');
    expect(problem(dir)[0].message).toBe(`${dir}: the file is not a regular file`);
    writeFileSync(join(dir, 'huge.json'), `{"version":1,"x":"${'a'.repeat(MAX_WORLD_FILE_BYTES)}"}`);
    expect(problem(join(dir, 'huge.json'))[0].message).toBe(
      `${join(dir, 'huge.json')}: the file is larger than ${MAX_WORLD_FILE_BYTES} bytes: not a world file`,
    );
  });
});
