import { Global, Module } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { existsSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { BusinessDefaults, defaults } from './defaults';
import { unreadableUrl } from './database-url';
import { EnvSchema, LogLevel, TrustedProxies } from './env.schema';
import { defaultWorldFile, readWorldFile, WorldFile, WorldFileError } from './sandbox-world';

export { EnvSchema, SECRET_MIN_LENGTH } from './env.schema';

/** Thrown at start-up when a setting is missing or invalid; the message names every offending variable. */
export class ConfigError extends Error {
  constructor(readonly problems: { name: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.name}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The validated, frozen configuration of one running service. Injected by class. */
export class AppConfig {
  readonly env!: 'development' | 'production' | 'test';
  readonly http!: {
    host: string;
    port: number;
    /** TRUST_PROXY: false, how many proxies are in front, or their addresses and ranges. */
    trustProxy: TrustedProxies;
    shutdownGraceMs: number;
    /** REQUEST_TIMEOUT_MS: the longest a client may take to send a whole request. */
    requestTimeoutMs: number;
    /** METRICS_TOKEN: the bearer token /metrics asks for; none, /metrics is open (never in production). */
    metricsToken: string | undefined;
    /** Validated bodies built by the compiled fast path (VALIDATION_FAST_PATH). */
    validationFastPath: boolean;
    /** Absolute folder of the built dashboard (DASHBOARD_DIR); it may not exist (not built). */
    dashboardDir: string;
  };
  readonly database!: {
    url?: string;
    poolSize: number;
    connectTimeoutMs: number;
    /** DATABASE_LISTENER_CHECK_MS: how often the listening connection is checked alive. */
    listenerCheckMs: number;
    dataDir: string;
    embeddedPort?: number;
    /** Connect to the embedded PostgreSQL of the service holding DATA_DIR instead of refusing (the CLI). */
    shareEmbedded: boolean;
    runMigrations: boolean;
  };
  readonly auth!: {
    jwtSecret?: string;
    jwtTtlSeconds: number;
    /** perEmail counts failures per email and client address; perIp counts every attempt per address. */
    /** Failures per email and address, attempts per address, failures per email from anywhere. */
    loginRateLimit: { perEmail: number; perIp: number; perAccount: number; windowSeconds: number };
    signupRateLimit: { perIp: number; windowSeconds: number };
    /** Users added per seller per window (the signup window). */
    userCreateRateLimit: { perSeller: number; windowSeconds: number };
    passwordHashMemoryKib: number;
    /** Unset in development: generated into DATA_DIR. */
    phoneHashSalt?: string;
  };
  readonly logLevel!: LogLevel;
  readonly jobsEnabled!: boolean;
  readonly idempotencyTtlHours!: number;
  readonly quoteDeadlineMs!: number;
  readonly pickupSlaHours!: number;
  readonly couriers!: {
    /** Per courier: its credentials, or null to run against the built-in sandbox. */
    credentials: Record<CourierCodeName, Record<string, string> | null>;
    /** Some courier runs against its sandbox: the sandbox routes and the movable clock exist. */
    sandboxMode: boolean;
    /** Per courier that authenticates its pushes by a token alone: the token (its <COURIER>_WEBHOOK_TOKEN). */
    webhookTokens: Partial<Record<CourierCodeName, string>>;
    /** The proxy real couriers are called through (COURIER_PROXY_URL); undefined: directly. */
    proxyUrl?: string;
    sandboxSeed: string;
    /** How the sandbox names a parcel's random draws (SANDBOX_DRAWS). */
    sandboxDraws: 'per_parcel' | 'per_order';
    /** How the sandbox clock moves (SANDBOX_CLOCK): with real time, or only when moved. */
    sandboxClock: 'running' | 'stepped';
    /** Where a stepped clock starts (SANDBOX_CLOCK_START, epoch ms); null: the real time of its first start. */
    sandboxClockStartMs: number | null;
    /** The sandbox world's distributions (SANDBOX_WORLD_FILE, or config/worlds/default.json). */
    sandboxWorld: WorldFile;
    /** Accepted on the sandbox routes only, as an operator (admin). */
    sandboxOperatorToken?: string;
  };
  readonly webhooks!: {
    /** Seller webhooks may target loopback and private networks (and use plain http there). */
    allowPrivateNetworks: boolean;
    /** DNS servers for webhook hosts (`ip:port` / `[ipv6]:port`); undefined: the system resolver. */
    dnsServers?: string[];
    /** One delivery's deadline (connect, send, answer), milliseconds. */
    timeoutMs: number;
    /** Deliveries in flight in this instance, all sellers together. */
    concurrency: number;
    /** Deliveries in flight per seller across all instances. */
    perSellerConcurrency: number;
    /** Days a delivered or finally failed delivery is kept after its last attempt, then deleted. */
    retentionDays: number;
  };
  readonly tracking!: {
    /** Days a courier push is kept after it was received (its events applied), then deleted. */
    pushRetentionDays: number;
    /** Days an applied courier event keeps its raw line after it was received, then `raw` is cleared. */
    rawRetentionDays: number;
  };
  readonly payouts!: {
    /** The disbursement provider; null: the built-in sandbox provider (started in-process). */
    provider: { url: string; secretKey: string } | null;
  };
  readonly business!: BusinessDefaults;
}

type CourierCodeName = 'jne' | 'jnt' | 'sap' | 'ninja' | 'idexpress';

/** The env variables each courier needs; all set means real mode, none set means sandbox. */
export const COURIER_ENV: Record<CourierCodeName, string[]> = {
  jne: [
    'JNE_BASE_URL',
    'JNE_USERNAME',
    'JNE_API_KEY',
    'JNE_CUSTOMER_NO',
    'JNE_COD_CUSTOMER_NO',
    'JNE_BRANCH',
  ],
  jnt: [
    'JNT_BASE_URL',
    'JNT_USERNAME',
    'JNT_API_KEY',
    'JNT_ORDER_KEY',
    'JNT_TARIFF_KEY',
    'JNT_CUSTOMER_NAME',
    'JNT_ECCOMPANY_ID',
    'JNT_TRACKING_PASSWORD',
  ],
  sap: ['SAP_BASE_URL', 'SAP_API_KEY', 'SAP_CUSTOMER_CODE', 'SAP_COD_CUSTOMER_CODE'],
  ninja: ['NINJA_BASE_URL', 'NINJA_CLIENT_ID', 'NINJA_CLIENT_SECRET', 'NINJA_TRACKING_PREFIX'],
  idexpress: ['IDEXPRESS_BASE_URL', 'IDEXPRESS_APP_ID', 'IDEXPRESS_SECRET_KEY'],
};

/** Settings a configured courier may have besides its required ones. */
const COURIER_OPTIONAL_ENV: Partial<Record<CourierCodeName, string[]>> = {
  jnt: ['JNT_TARIFF_URL', 'JNT_ORDER_URL', 'JNT_CANCEL_URL', 'JNT_TRACKING_URL', 'JNT_CANCEL_KEY'],
};

/** What a required courier setting is, where its name alone does not say. */
const COURIER_ENV_HINTS: Record<string, string> = {
  NINJA_TRACKING_PREFIX:
    "the prefix Ninja puts before the account's tracking numbers, or none for an account without one: an order whose answer was lost is looked up by it",
};

type Env = Record<string, string | undefined>;

function describe(errors: ValidationError[]): { name: string; message: string }[] {
  return errors.map((e) => {
    const constraints = { ...e.constraints };
    // Text that is no number fails its bounds too ("must not be greater than 65535; must not be less than
    // 0; must be an integer number"): only that it is no whole number is said.
    if (constraints.isInt) for (const bound of ['min', 'max']) delete constraints[bound];
    const said = Object.values(constraints).map((m) => m.replace(new RegExp(`^${e.property} `), ''));
    return { name: e.property, message: said.join('; ') || 'is invalid' };
  });
}

/** `ip`, `ip:port` or `[ipv6]:port`, comma-separated → entries for dns.Resolver#setServers, or a problem. */
function parseDnsServers(value: string): string[] | string {
  const servers: string[] = [];
  for (const entry of value.split(',').map((e) => e.trim())) {
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? /^([^:]+)(?::(\d+))?$/.exec(entry) ?? [entry, entry];
    const [, host, port] = m;
    const family = isIP(host);
    if (!family || (port !== undefined && (Number(port) < 1 || Number(port) > 65535)))
      return `"${entry}" is not an IP address with an optional port (e.g. 10.0.0.2:53 or [fd00::2]:53)`;
    servers.push(family === 6 ? `[${host}]:${port ?? 53}` : `${host}:${port ?? 53}`);
  }
  return servers;
}

/**
 * Epoch ms of an ISO 8601 instant already shaped as `YYYY-MM-DDTHH:MM[:SS[.mmm]](Z|±HH:MM)`; null for one
 * that names no real moment (February 30th, 24:30), which Date.parse would roll over instead of refusing.
 */
function exactInstant(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  const ms = Date.parse(value);
  if (!m || !Number.isFinite(ms)) return null;
  const [y, mo, d, h, mi, sec] = m.slice(1).map((x) => Number(x ?? 0));
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
  const exact =
    local.getUTCFullYear() === y &&
    local.getUTCMonth() === mo - 1 &&
    local.getUTCDate() === d &&
    local.getUTCHours() === h &&
    local.getUTCMinutes() === mi &&
    local.getUTCSeconds() === sec;
  return exact ? ms : null;
}

/** The folder holding package.json above this file (config/ in the sources, dist/config/ when built). */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Validates the environment (process.env merged with overrides) and builds the frozen AppConfig.
 * Empty strings count as unset, so `FOO=` falls back to the default.
 * @throws ConfigError naming each invalid variable.
 */
export function loadConfig(overrides: Env = {}, env: Env = process.env): AppConfig {
  const merged: Env = { ...env, ...overrides };
  const known = Object.keys(new EnvSchema());
  const raw: Record<string, string> = {};
  const courierVars = [...Object.values(COURIER_ENV), ...Object.values(COURIER_OPTIONAL_ENV)].flat();
  for (const name of [
    ...known,
    'DATABASE_URL',
    'EMBEDDED_POSTGRES_PORT',
    'JWT_SECRET',
    'PHONE_HASH_SALT',
    'METRICS_TOKEN',
    'COURIER_WEBHOOK_TOKEN',
    'JNE_WEBHOOK_TOKEN',
    'SAP_WEBHOOK_TOKEN',
    'IDEXPRESS_WEBHOOK_TOKEN',
    'COURIER_PROXY_URL',
    'SANDBOX_OPERATOR_TOKEN',
    'SANDBOX_CLOCK_START',
    'SANDBOX_WORLD_FILE',
    'WEBHOOK_ALLOW_PRIVATE_NETWORKS',
    'WEBHOOK_DNS_SERVERS',
    'PAYOUT_PROVIDER_URL',
    'PAYOUT_SECRET_KEY',
    'DASHBOARD_DIR',
    ...courierVars,
  ]) {
    const v = merged[name];
    if (v !== undefined && v !== '') raw[name] = v;
  }
  const parsed = plainToInstance(EnvSchema, raw);
  const errors = validateSync(parsed, { whitelist: true });
  const problems = describe(errors);
  for (const secret of ['JWT_SECRET', 'PHONE_HASH_SALT', 'METRICS_TOKEN'] as const) {
    if (parsed.NODE_ENV === 'production' && !parsed[secret])
      problems.push({ name: secret, message: 'is required when NODE_ENV=production' });
  }
  if (raw.COURIER_WEBHOOK_TOKEN !== undefined)
    problems.push({
      name: 'COURIER_WEBHOOK_TOKEN',
      message:
        "is replaced by JNE_WEBHOOK_TOKEN, SAP_WEBHOOK_TOKEN and IDEXPRESS_WEBHOOK_TOKEN (one token for all three let each courier push events for the others' parcels)",
    });
  const databaseUrl = parsed.DATABASE_URL ? unreadableUrl(parsed.DATABASE_URL) : null;
  if (databaseUrl) problems.push({ name: 'DATABASE_URL', message: databaseUrl });
  const dataDir = parsed.DATA_DIR ? resolve(parsed.DATA_DIR) : null;
  if (dataDir && existsSync(dataDir) && !statSync(dataDir).isDirectory())
    problems.push({ name: 'DATA_DIR', message: `${dataDir} is a file, not a folder` });
  const dnsServers = parsed.WEBHOOK_DNS_SERVERS ? parseDnsServers(parsed.WEBHOOK_DNS_SERVERS) : undefined;
  if (typeof dnsServers === 'string') problems.push({ name: 'WEBHOOK_DNS_SERVERS', message: dnsServers });
  const credentials = {} as Record<CourierCodeName, Record<string, string> | null>;
  for (const [courier, names] of Object.entries(COURIER_ENV) as [CourierCodeName, string[]][]) {
    const given = names.filter((n) => raw[n] !== undefined);
    if (given.length && given.length < names.length) {
      for (const n of names.filter((x) => raw[x] === undefined)) {
        problems.push({
          name: n,
          message: `is required with ${given.join(', ')} (set all of ${courier}'s credentials, or none for its sandbox)${COURIER_ENV_HINTS[n] ? `: ${COURIER_ENV_HINTS[n]}` : ''}`,
        });
      }
    }
    const optional = (COURIER_OPTIONAL_ENV[courier] ?? []).filter((n) => raw[n] !== undefined);
    credentials[courier] =
      given.length === names.length
        ? Object.fromEntries([...names, ...optional].map((n) => [n, raw[n]]))
        : null;
  }
  const payoutVars = ['PAYOUT_PROVIDER_URL', 'PAYOUT_SECRET_KEY'] as const;
  const payoutGiven = payoutVars.filter((n) => raw[n] !== undefined);
  if (payoutGiven.length === 1)
    for (const n of payoutVars.filter((x) => raw[x] === undefined))
      problems.push({
        name: n,
        message: `is required with ${payoutGiven[0]} (set both for a real provider, or neither for the sandbox)`,
      });
  // A sandbox parcel can be moved to delivered by its own seller (POST /sandbox/parcels/:awb/advance): with
  // real payouts, that COD would be real money to withdraw.
  const sandboxed = (Object.keys(credentials) as CourierCodeName[]).filter((c) => !credentials[c]);
  if (payoutGiven.length === payoutVars.length && sandboxed.length)
    problems.push({
      name: 'PAYOUT_PROVIDER_URL',
      message: `pays real money, but ${sandboxed.join(', ')} run against the sandbox (where a seller can mark a parcel delivered): configure every courier, or use the sandbox payout provider`,
    });
  // A push still inside the replay window is one the courier may send again: keep it at least that long.
  const replayWindowSeconds = defaults.couriers.webhookMaxAgeSeconds;
  if (
    !problems.some((p) => p.name === 'COURIER_PUSH_RETENTION_DAYS') &&
    parsed.COURIER_PUSH_RETENTION_DAYS * 86_400 < replayWindowSeconds
  )
    problems.push({
      name: 'COURIER_PUSH_RETENTION_DAYS',
      message: `must be at least the courier push replay window (couriers.webhookMaxAgeSeconds: ${replayWindowSeconds} s)`,
    });
  const clockStartMs = parsed.SANDBOX_CLOCK_START ? exactInstant(parsed.SANDBOX_CLOCK_START) : null;
  if (parsed.SANDBOX_CLOCK_START && !problems.some((p) => p.name === 'SANDBOX_CLOCK_START')) {
    if (clockStartMs === null)
      problems.push({ name: 'SANDBOX_CLOCK_START', message: 'is not a real date and time of day' });
    else if (parsed.SANDBOX_CLOCK !== 'stepped')
      problems.push({ name: 'SANDBOX_CLOCK_START', message: 'applies only with SANDBOX_CLOCK=stepped' });
  }
  let sandboxWorld: WorldFile | undefined;
  try {
    sandboxWorld = parsed.SANDBOX_WORLD_FILE
      ? readWorldFile(resolve(parsed.SANDBOX_WORLD_FILE))
      : defaultWorldFile();
  } catch (e) {
    if (!(e instanceof WorldFileError)) throw e;
    problems.push({
      name: 'SANDBOX_WORLD_FILE',
      message: `${parsed.SANDBOX_WORLD_FILE}: ${e.field === '$' ? 'the file' : `field ${e.field}`} ${e.problem}`,
    });
  }
  if (problems.length || !sandboxWorld) throw new ConfigError(problems);

  const config: AppConfig = Object.assign(Object.create(AppConfig.prototype) as AppConfig, {
    env: parsed.NODE_ENV,
    http: {
      host: parsed.HOST,
      port: parsed.PORT,
      trustProxy: parsed.TRUST_PROXY,
      shutdownGraceMs: parsed.SHUTDOWN_GRACE_MS,
      requestTimeoutMs: parsed.REQUEST_TIMEOUT_MS,
      metricsToken: parsed.METRICS_TOKEN,
      validationFastPath: parsed.VALIDATION_FAST_PATH,
      dashboardDir: resolve(parsed.DASHBOARD_DIR ?? join(projectRoot(), 'dist', 'dashboard')),
    },
    database: {
      url: parsed.DATABASE_URL,
      poolSize: parsed.DATABASE_POOL_SIZE,
      connectTimeoutMs: parsed.DATABASE_CONNECT_TIMEOUT_MS,
      listenerCheckMs: parsed.DATABASE_LISTENER_CHECK_MS,
      dataDir: parsed.DATA_DIR,
      embeddedPort: parsed.EMBEDDED_POSTGRES_PORT,
      shareEmbedded: false,
      runMigrations: parsed.RUN_MIGRATIONS,
    },
    auth: {
      jwtSecret: parsed.JWT_SECRET,
      jwtTtlSeconds: parsed.JWT_TTL_SECONDS,
      loginRateLimit: {
        perEmail: parsed.LOGIN_RATE_LIMIT,
        perIp: parsed.LOGIN_RATE_LIMIT_PER_IP,
        perAccount: parsed.LOGIN_RATE_LIMIT_PER_ACCOUNT,
        windowSeconds: parsed.LOGIN_RATE_WINDOW_SECONDS,
      },
      signupRateLimit: { perIp: parsed.SIGNUP_RATE_LIMIT, windowSeconds: parsed.SIGNUP_RATE_WINDOW_SECONDS },
      userCreateRateLimit: {
        perSeller: parsed.USER_CREATE_RATE_LIMIT,
        windowSeconds: parsed.SIGNUP_RATE_WINDOW_SECONDS,
      },
      passwordHashMemoryKib: parsed.PASSWORD_HASH_MEMORY_KIB,
      phoneHashSalt: parsed.PHONE_HASH_SALT,
    },
    logLevel: parsed.LOG_LEVEL,
    jobsEnabled: parsed.JOBS_ENABLED,
    idempotencyTtlHours: parsed.IDEMPOTENCY_TTL_HOURS,
    quoteDeadlineMs: parsed.QUOTE_DEADLINE_MS,
    pickupSlaHours: parsed.PICKUP_SLA_HOURS,
    couriers: {
      credentials,
      sandboxMode: Object.values(credentials).some((c) => c === null),
      webhookTokens: {
        ...(parsed.JNE_WEBHOOK_TOKEN ? { jne: parsed.JNE_WEBHOOK_TOKEN } : {}),
        ...(parsed.SAP_WEBHOOK_TOKEN ? { sap: parsed.SAP_WEBHOOK_TOKEN } : {}),
        ...(parsed.IDEXPRESS_WEBHOOK_TOKEN ? { idexpress: parsed.IDEXPRESS_WEBHOOK_TOKEN } : {}),
      },
      proxyUrl: parsed.COURIER_PROXY_URL,
      sandboxSeed: parsed.SANDBOX_SEED,
      sandboxDraws: parsed.SANDBOX_DRAWS,
      // Only a sandbox's clock can step: with every courier real, time is real time.
      sandboxClock: Object.values(credentials).some((c) => c === null) ? parsed.SANDBOX_CLOCK : 'running',
      sandboxClockStartMs: clockStartMs,
      sandboxWorld,
      sandboxOperatorToken: parsed.SANDBOX_OPERATOR_TOKEN,
    },
    webhooks: {
      allowPrivateNetworks: parsed.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? parsed.NODE_ENV !== 'production',
      dnsServers: dnsServers as string[] | undefined,
      timeoutMs: parsed.WEBHOOK_TIMEOUT_MS,
      concurrency: parsed.WEBHOOK_CONCURRENCY,
      perSellerConcurrency: parsed.WEBHOOK_CONCURRENCY_PER_SELLER,
      retentionDays: parsed.WEBHOOK_DELIVERY_RETENTION_DAYS,
    },
    tracking: {
      pushRetentionDays: parsed.COURIER_PUSH_RETENTION_DAYS,
      rawRetentionDays: parsed.TRACKING_RAW_RETENTION_DAYS,
    },
    payouts: {
      provider:
        parsed.PAYOUT_PROVIDER_URL && parsed.PAYOUT_SECRET_KEY
          ? { url: parsed.PAYOUT_PROVIDER_URL, secretKey: parsed.PAYOUT_SECRET_KEY }
          : null,
    },
    business: structuredClone(defaults),
  });
  return deepFreeze(config);
}

/** Makes one AppConfig injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig) {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
