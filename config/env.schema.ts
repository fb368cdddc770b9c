import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { isIP } from 'node:net';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};

/** What may stand in front of the service: false, a number of proxies, or their addresses/CIDRs. */
export type TrustedProxies = false | number | string[];

const isAddressOrRange = (entry: string) => {
  const [address, bits, ...rest] = entry.split('/');
  const kind = isIP(address);
  if (!kind || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (kind === 4 ? 32 : 128));
};

/** TRUST_PROXY read as TrustedProxies; anything else is left as typed, for the validator to name. */
const toTrustedProxies = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  if (['true', 'yes', 'on'].includes(v)) return 1;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const entries = v.split(',').map((e) => e.trim());
  return entries.every(isAddressOrRange) ? entries : value;
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every environment variable Kirim reads, with its default. Validated once at start-up; each invalid
 * variable is named in the error. Documented in README.md ("Configuration").
 */
/** The shortest secrets accepted, set or generated into DATA_DIR (src/common/jwt-secret.ts). */
export const SECRET_MIN_LENGTH = { JWT_SECRET: 32, PHONE_HASH_SALT: 16 } as const;

export class EnvSchema {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @Matches(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|[0-9A-Fa-f:.]+)$/,
    {
      message: 'HOST must be an address or a host name to listen on (0.0.0.0, 127.0.0.1, ::, localhost)',
    },
  )
  HOST = '0.0.0.0';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** How long connecting, or waiting for a free pooled connection, may take before the request gets a 503. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  DATABASE_CONNECT_TIMEOUT_MS = 5000;

  /**
   * How often the listening connection is asked `SELECT 1`: one that died silently (a partition, a firewall's
   * idle cut) is otherwise found only by TCP keep-alive, after hours, while the auth caches trust it.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_LISTENER_CHECK_MS = 30_000;

  /** Where the embedded PostgreSQL keeps its data (and the generated development JWT secret). */
  @IsString()
  @Matches(/\S/, { message: 'DATA_DIR must not be blank' })
  DATA_DIR = '.data';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_POSTGRES_PORT?: number;

  @Transform(toBool)
  @IsBoolean()
  RUN_MIGRATIONS = true;

  @IsOptional()
  @IsString()
  @MinLength(SECRET_MIN_LENGTH.JWT_SECRET, {
    message: `JWT_SECRET must be at least ${SECRET_MIN_LENGTH.JWT_SECRET} characters`,
  })
  @Matches(/\S/, { message: 'JWT_SECRET must not be blank' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  JWT_TTL_SECONDS = 12 * 3600;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_RATE_LIMIT = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_RATE_LIMIT_PER_IP = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_RATE_LIMIT_PER_ACCOUNT = 50;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30 * 24 * 3600)
  LOGIN_RATE_WINDOW_SECONDS = 900;

  /** Signups per client address per window. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  SIGNUP_RATE_LIMIT = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30 * 24 * 3600)
  SIGNUP_RATE_WINDOW_SECONDS = 3600;

  /**
   * Users an owner may add (POST /v1/users) per seller per signup window: each costs a password hash, and
   * its 409 for a taken email would otherwise tell an owner every registered address.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  USER_CREATE_RATE_LIMIT = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024)
  PASSWORD_HASH_MEMORY_KIB = 19456;

  @Transform(toInt)
  @IsInt()
  @Min(24)
  @Max(24 * 366)
  IDEMPOTENCY_TTL_HOURS = 24;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @Transform(toBool)
  @IsBoolean()
  JOBS_ENABLED = true;

  /**
   * Who may say where a request came from (X-Forwarded-For): `false`, nobody; a number, that many proxies in
   * front (`true` is one); or the proxies' addresses or CIDR ranges, comma-separated. The client address is
   * the one the nearest untrusted hop gave: never the header's left-most entry, which the client writes.
   */
  @Transform(toTrustedProxies)
  @ValidateBy({
    name: 'trustedProxies',
    validator: {
      validate: (v: unknown) => v === false || Number.isInteger(v) || Array.isArray(v),
      defaultMessage: () =>
        'must be false, true, how many proxies are in front, or their addresses/CIDR ranges, comma-separated',
    },
  })
  TRUST_PROXY: TrustedProxies = false;

  /**
   * Request bodies that pass validation are built by a compiled path proven equal to the validation pipe;
   * false sends every body through the pipe (a switch for when a class-validator upgrade is in doubt).
   */
  @Transform(toBool)
  @IsBoolean()
  VALIDATION_FAST_PATH = true;

  /**
   * The built dashboard (static files served at /). Unset: `dist/dashboard` of this checkout, where
   * `npm run build` writes it.
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  DASHBOARD_DIR?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_MS = 10000;

  /** How long a client may take to send a whole request (headers and body); then 408, connection closed. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  REQUEST_TIMEOUT_MS = 120_000;

  /** How long a cold quote waits for couriers; one that has not answered is listed as timed out. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  QUOTE_DEADLINE_MS = 2500;

  /**
   * Hours a courier has to make a booked pickup (from booking, or from the start of the requested pickup
   * day when later); a pickup not made by then is cancelled and re-booked with the next-best courier.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(168)
  PICKUP_SLA_HOURS = 24;

  /** Salt for hashing recipients' phone numbers (their delivery history is kept only by this hash). */
  @IsOptional()
  @IsString()
  @MinLength(SECRET_MIN_LENGTH.PHONE_HASH_SALT, {
    message: `PHONE_HASH_SALT must be at least ${SECRET_MIN_LENGTH.PHONE_HASH_SALT} characters`,
  })
  @Matches(/\S/, { message: 'PHONE_HASH_SALT must not be blank' })
  PHONE_HASH_SALT?: string;

  /**
   * The bearer token a scraper sends to read /metrics (which tells every route's traffic and the couriers'
   * state). Required when NODE_ENV=production; without it elsewhere /metrics is open.
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  // Sent as a bearer token, which cannot hold a space.
  @Matches(/^\S+$/, { message: 'METRICS_TOKEN must have no spaces' })
  METRICS_TOKEN?: string;

  /** Seed of the simulated courier world (sandbox mode): same seed, same prices and journeys. */
  @IsString()
  @MinLength(1)
  SANDBOX_SEED = 'kirim-sandbox';

  /**
   * The sandbox world file (JSON, docs/sandbox-world.md): the distributions the seed draws the hidden courier
   * world from. Unset: config/worlds/default.json. Read and validated at start-up.
   */
  @IsOptional()
  @IsString()
  SANDBOX_WORLD_FILE?: string;

  /**
   * How the sandbox names a parcel's random draws. `per_parcel`: each parcel (courier and AWB) its own.
   * `per_order`: one set per order (the recipient, destination, COD amount, weight and booking day in
   * Jakarta), shared by every courier and every Kirim, so policies compared on the same orders differ only by
   * their choices (common random numbers; the simulator's setting). Each parcel's odds are the same either way.
   */
  @IsIn(['per_parcel', 'per_order'])
  SANDBOX_DRAWS: 'per_parcel' | 'per_order' = 'per_parcel';

  /**
   * How the sandbox clock moves. `running`: real time plus the offset the operator moved it by. `stepped`: it
   * stands still between moves (POST /sandbox/clock), and the tracking poll's jitter is drawn from the shipment
   * and the time, not at random: the same seed and the same moves replay alike (the simulator's setting).
   */
  @IsIn(['running', 'stepped'])
  SANDBOX_CLOCK: 'running' | 'stepped' = 'running';

  /**
   * Where a stepped sandbox clock starts, as an ISO 8601 instant with its offset (`2026-01-04T17:00:00Z`),
   * instead of the real time of its first start: the sandbox draws are per day in Jakarta, so a run that
   * must replay alike whenever it is made needs the same calendar too (the simulator's setting). Only on a
   * clock that has not started: a database whose clock already runs keeps its time.
   */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'SANDBOX_CLOCK_START must be an ISO 8601 instant with its offset, such as 2026-01-04T17:00:00Z',
  })
  SANDBOX_CLOCK_START?: string;

  /** Lets a caller without an admin account use the sandbox operator controls (X-Sandbox-Operator-Token). */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SANDBOX_OPERATOR_TOKEN must be at least 32 characters' })
  @Matches(/^\S+$/, { message: 'SANDBOX_OPERATOR_TOKEN must have no spaces' })
  SANDBOX_OPERATOR_TOKEN?: string;

  /**
   * Webhooks may target private networks (and plain http there). Unset: allowed in development and test,
   * refused in production.
   */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_NETWORKS?: boolean;

  /** DNS servers (`ip`, `ip:port`, `[ipv6]:port`, comma-separated) for webhook hosts; unset: the system resolver. */
  @IsOptional()
  @IsString()
  WEBHOOK_DNS_SERVERS?: string;

  /** How long one seller webhook delivery (connect, send, answer) may take before it counts as failed. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Seller webhook deliveries in flight per instance, all sellers together (the sender's pool). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_CONCURRENCY = 32;

  /** Seller webhook deliveries in flight per seller, across every instance (enforced where work is claimed). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_CONCURRENCY_PER_SELLER = 4;

  /** Days a seller webhook delivery is kept after its last attempt delivered it or failed it for good. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  WEBHOOK_DELIVERY_RETENTION_DAYS = 30;

  /** Days a courier push is kept as received, once its events are applied; at least the replay window. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  COURIER_PUSH_RETENTION_DAYS = 30;

  /** Days a courier event keeps its raw line (`raw`) once applied; the normalized event is kept. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  TRACKING_RAW_RETENTION_DAYS = 90;

  // Courier credentials. A courier without them runs against its built-in sandbox.
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) JNE_BASE_URL?: string;
  @IsOptional() @IsString() JNE_USERNAME?: string;
  @IsOptional() @IsString() JNE_API_KEY?: string;
  @IsOptional() @IsString() JNE_CUSTOMER_NO?: string;
  @IsOptional() @IsString() JNE_COD_CUSTOMER_NO?: string;
  @IsOptional() @IsString() JNE_BRANCH?: string;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) JNT_BASE_URL?: string;
  @IsOptional() @IsString() JNT_USERNAME?: string;
  @IsOptional() @IsString() JNT_API_KEY?: string;
  @IsOptional() @IsString() JNT_ORDER_KEY?: string;
  @IsOptional() @IsString() JNT_TARIFF_KEY?: string;
  @IsOptional() @IsString() JNT_CUSTOMER_NAME?: string;
  @IsOptional() @IsString() JNT_ECCOMPANY_ID?: string;
  @IsOptional() @IsString() JNT_TRACKING_PASSWORD?: string;
  // Optional: production J&T serves each API from its own host; one account signs cancel with its own key.
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) JNT_TARIFF_URL?: string;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) JNT_ORDER_URL?: string;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) JNT_CANCEL_URL?: string;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) JNT_TRACKING_URL?: string;
  @IsOptional() @IsString() JNT_CANCEL_KEY?: string;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) SAP_BASE_URL?: string;
  @IsOptional() @IsString() SAP_API_KEY?: string;
  @IsOptional() @IsString() SAP_CUSTOMER_CODE?: string;
  @IsOptional() @IsString() SAP_COD_CUSTOMER_CODE?: string;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) NINJA_BASE_URL?: string;
  @IsOptional() @IsString() NINJA_CLIENT_ID?: string;
  @IsOptional() @IsString() NINJA_CLIENT_SECRET?: string;
  /**
   * The account's tracking-number prefix, or `none`: required with a Ninja account, so that an order whose
   * answer was lost is found by our reference at once, also after a restart (learned, it was per process).
   */
  @IsOptional()
  @Matches(/^(?:none|[A-Za-z0-9]{1,10})$/, {
    message: "must be the account's tracking-number prefix (1 to 10 letters or digits) or none",
  })
  NINJA_TRACKING_PREFIX?: string;

  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) IDEXPRESS_BASE_URL?: string;
  @IsOptional() @IsString() IDEXPRESS_APP_ID?: string;
  @IsOptional() @IsString() IDEXPRESS_SECRET_KEY?: string;

  /**
   * The disbursement provider (Xendit's API shape) payouts are sent through, and its secret key (basic
   * auth). Both or neither: unset, payouts go to the built-in sandbox provider.
   */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  PAYOUT_PROVIDER_URL?: string;
  @IsOptional() @IsString() @MinLength(8) PAYOUT_SECRET_KEY?: string;

  /**
   * An HTTP proxy calls to real couriers go through (`http://user:password@host:port`; CONNECT for https
   * couriers), for couriers that answer allow-listed addresses only. The sandboxes are always reached directly.
   */
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_tld: false, require_protocol: true, require_host: true },
    { message: 'COURIER_PROXY_URL must be an http:// or https:// proxy URL' },
  )
  COURIER_PROXY_URL?: string;

  /**
   * The token each courier without a signing scheme sends with its pushes (JNE, SAP, ID Express), one per
   * courier: a token shared by all three (the former COURIER_WEBHOOK_TOKEN) let each push events for the
   * others' parcels.
   */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @Matches(/^\S+$/, { message: 'JNE_WEBHOOK_TOKEN must have no spaces' })
  JNE_WEBHOOK_TOKEN?: string;
  @IsOptional()
  @IsString()
  @MinLength(16)
  @Matches(/^\S+$/, { message: 'SAP_WEBHOOK_TOKEN must have no spaces' })
  SAP_WEBHOOK_TOKEN?: string;
  @IsOptional()
  @IsString()
  @MinLength(16)
  @Matches(/^\S+$/, { message: 'IDEXPRESS_WEBHOOK_TOKEN must have no spaces' })
  IDEXPRESS_WEBHOOK_TOKEN?: string;
}
