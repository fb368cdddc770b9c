import 'reflect-metadata';
import { AppConfig, ConfigError, loadConfig } from 'config';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, Role } from './common/auth/principal';
import { AppError } from './common/errors/app-error';
import {
  DECODE_OPERATIONS,
  decodeAnswer,
  decodedJson,
  DecodeOptions,
  isCourierCode,
  isDecodeOperation,
  receivedAnswer,
} from './couriers/courier-decode';
import { COURIER_CODES } from './couriers/courier-adapter';
import { MAX_BODY_BYTES } from './couriers/courier-http';
import { MAX_LOCATION_FILE_BYTES, readLocationFile } from './couriers/location-file';
import { renderTrialBalance } from './ledger/trial-balance-report';

/**
 * A module loaded when a command needs it: the service itself (Nest, TypeORM, every module) takes seconds
 * to load, which help, a usage error, a refused option or couriers:decode never need.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, for the start-up time
const later = <M>(path: string): M => require(path) as M;

const USAGE = `Kirim command line

  npm run cli -- users:create --email <email> --role finance|admin [--password <pw> | --password-stdin]
      Creates a Kirim staff user (finance or admin). Without --password, reads KIRIM_PASSWORD.
  npm run cli -- migrate            Runs pending migrations (same as npm run migration:run).
  npm run cli -- migrate:revert     Reverts the last migration.
  npm run cli -- ledger:verify [--all]
      Checks the ledger: every transaction sums to zero, every cached balance equals the sum of its
      entries, no seller account is negative, the whole ledger sums to zero. Prints the trial balance
      (seller accounts summed by kind; every account with --all). Exit 0 when it verifies, 1 otherwise.
  npm run cli -- openapi            Prints the service's OpenAPI document (as /docs-json serves it) as JSON.
      Needs no database: the document comes from the routes' declarations. The dashboard's API types
      are generated from it (npm run api:types).
  npm run cli -- couriers:decode <courier> <operation> <file|-> [options]
      Prints, as JSON, what Kirim makes of a courier's raw answer read from a file (or stdin with -):
      courier ${COURIER_CODES.join('|')}, operation ${DECODE_OPERATIONS.join('|')}. The file holds the body
      as the courier sent it (JSON or text), or a sample of ../shared/couriers/samples. Webhooks are
      decoded without signature or replay checks. Needs no database and no settings.
        --status <http status>   the status the answer came with (default 200, or the sample's)
        --awb <airway bill>      tracking: the AWB asked
        --weight <grams>         tariff: the parcel's weight (default 1000, or the sample's)
        --cod <rupiah>           tariff: the COD amount asked
        --service <code>         tariff and create: the service asked (e.g. REG, EZ, STANDARD, 00)
        --reference <ref>        create: our order reference
      Output: tracking {awb, found, events:[{status, reason, rawCode, rawText, occurredAt, location,
      codCollected, isReturnLeg, unmapped}]}, tariff {quotes}, create {order}, webhook {events}.
      Exit 0 when decoded; 1 when the answer is a courier error (printed as {error:{kind, message}});
      2 for bad usage (unknown courier or operation, unreadable file, bad option).

  npm run cli -- couriers:locations <courier> <file> [--shrink]
      Makes a CSV file the courier's location mapping: its own codes per district of the area directory,
      as the courier hands them over at onboarding (format and an example per courier:
      docs/courier-locations.md). The whole file is checked first; any bad row (unknown district, district
      given twice, empty/overlong/control-character value, a code not in the courier's shape, wrong column
      count) refuses the file, naming each row, and changes nothing (exit 1), as does a file over 8 MB
      (refused unread: no mapping is that large), and a file mapping fewer than half the districts the
      mapping in use maps (the wrong file, more likely than coverage halved) unless --shrink is given.
      Otherwise the courier's
      mapping becomes exactly the file, in one transaction, and the counts inserted/updated/removed/
      unchanged are printed; loading the same file again changes nothing and says so. Running services
      pick the change up within couriers.locationsRefreshSeconds. Exit 2 for bad usage.

Except couriers:decode, commands use the same settings as the service (DATABASE_URL, or the embedded
PostgreSQL under DATA_DIR).`;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function withApp<T>(
  config: AppConfig,
  fn: (get: <S>(type: new (...args: never[]) => S) => S) => Promise<T>,
): Promise<T> {
  const { Logger } = later<typeof import('@nestjs/common')>('@nestjs/common');
  const { NestFactory } = later<typeof import('@nestjs/core')>('@nestjs/core');
  const { AppModule } = later<typeof import('./app.module')>('./app.module');
  const { startFailure } = later<typeof import('./start-failure')>('./start-failure');
  // A database that refuses, or a folder that cannot be written, is said in one line naming the setting
  // (as the service says it), not as Nest's stack.
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
    abortOnError: false,
    bufferLogs: true,
    autoFlushLogs: false,
  }).catch((e: unknown) => {
    const said = startFailure(e, config);
    if (said) throw new Error(said, { cause: e });
    Logger.flush(); // what was logged while opening, to tell an unforeseen failure by
    throw e;
  });
  app.flushLogs();
  // Interrupted, the command closes what it opened (an embedded PostgreSQL it started among them) and exits
  // as the signal would have: 130 for Ctrl-C.
  const onSignal = (signal: NodeJS.Signals) => {
    void app
      .close()
      .finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15)));
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.once(signal, onSignal);
  try {
    return await fn((type) => app.get(type));
  } finally {
    for (const signal of signals) process.removeListener(signal, onSignal);
    await app.close();
  }
}

async function createStaffUser(config: AppConfig, args: string[]): Promise<void> {
  const { values, tokens } = usage(() =>
    parseArgs({
      args,
      tokens: true,
      options: {
        email: { type: 'string' },
        role: { type: 'string' },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean' },
      },
    }),
  );
  // Given twice, the last one silently won: which user (or role) was meant is not for the CLI to guess.
  const given = tokens.flatMap((t) => (t.kind === 'option' ? [t.name] : []));
  const twice = [...new Set(given.filter((name, i) => given.indexOf(name) !== i))];
  if (twice.length) throw new UsageError(`--${twice[0]} is given more than once`);
  // The line piped in, without its line break: trimmed, "  spaced  " became another password than the
  // same one given with --password or over the API.
  const password = values['password-stdin']
    ? readFileSync(0, 'utf8').replace(/\r?\n$/, '')
    : (values.password ?? process.env.KIRIM_PASSWORD);
  const role = values.role as Role | undefined;
  // The API refuses a NUL at its edge, before the rules below: such a user could never log in.
  if (password?.includes('\u0000'))
    throw new Error(
      'password (--password, --password-stdin or KIRIM_PASSWORD): must not contain a NUL character',
    );
  const { plainToInstance } = later<typeof import('class-transformer')>('class-transformer');
  const { validateSync } = later<typeof import('class-validator')>('class-validator');
  const { fieldProblems } = later<typeof import('./common/errors/validation')>('./common/errors/validation');
  const { EmailPasswordDto } = later<typeof import('./auth/auth.dto')>('./auth/auth.dto');
  // The same rules (and normalization) as the API's signup and user creation.
  const input = plainToInstance(EmailPasswordDto, { email: values.email, password });
  const problems = fieldProblems(validateSync(input, { stopAtFirstError: true }));
  if (problems.length) {
    const option = (field: string) =>
      field === 'password' ? 'password (--password, --password-stdin or KIRIM_PASSWORD)' : `--${field}`;
    throw new Error(problems.map((p) => `${option(p.field)}: ${p.message}`).join('; '));
  }
  if (!role || !['finance', 'admin'].includes(role))
    throw new Error(
      `--role must be finance or admin (seller users sign up over the API; roles: ${ROLES.join(', ')})`,
    );
  const { UsersService } = later<typeof import('./auth/users.service')>('./auth/users.service');
  const user = await withApp(config, (get) =>
    get(UsersService).create({ email: input.email, password: input.password, role, sellerId: null }),
  );
  out(`created ${user.role} user ${user.email} (${user.id})\n  in ${databaseShown(config)}`);
}

async function verifyLedger(config: AppConfig, args: string[]): Promise<void> {
  const { values } = usage(() => parseArgs({ args, options: { all: { type: 'boolean' } } }));
  const { LedgerService } = later<typeof import('./ledger/ledger.service')>('./ledger/ledger.service');
  const ok = await withApp(config, async (get) => {
    const ledger = get(LedgerService);
    // verify() reads the accounts and their entries in one snapshot of its own: a posting after the
    // accounts were listed is no mismatch.
    const report = await ledger.trialBalance();
    const findings = await ledger.verify();
    out(renderTrialBalance(report.accounts, findings, values.all ?? false));
    // Which ledger: a mistyped DATA_DIR makes a new, empty database, whose ledger is verified OK too.
    out(`  in ${databaseShown(config)}`);
    return findings.ok && report.balanced;
  });
  if (!ok) process.exitCode = 1;
}

/** A command line that cannot be run as written: exit 2 with the reason and the usage. */
class UsageError extends Error {}

/**
 * A file named on the command line, from the folder the command was typed in: `npm run cli` runs in the
 * project's folder, and npm tells where it was called from (INIT_CWD).
 */
const fromCaller = (file: string) => resolve(process.env.INIT_CWD ?? process.cwd(), file);

/** A command's own options read as Node's parseArgs reads them; an unknown or misused one is a UsageError. */
function usage<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))
      throw new UsageError((e as Error).message);
    throw e;
  }
}

const positiveInteger = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new UsageError(`${name} must be a whole number`);
  return n;
};

/**
 * couriers:decode: reads a courier answer from a file and prints Kirim's reading of it. Boots nothing
 * and reads no settings, so it runs anywhere the build is. Logs are silenced: stdout carries only JSON
 * (an unknown code shows as `unmapped: true` on its event).
 */
function decodeCourierAnswer(args: string[]): void {
  let parsed: ReturnType<typeof parseDecodeArgs>;
  try {
    parsed = parseDecodeArgs(args);
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError((e as Error).message);
  }
  const { courier, operation, file, options } = parsed;
  let bytes: Buffer | null;
  try {
    // No larger than Kirim takes a courier's answer over HTTP: /dev/zero read whole took 17 GB and crashed.
    bytes = readAtMost(file === '-' ? 0 : fromCaller(file), MAX_BODY_BYTES);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (!bytes)
    throw new UsageError(
      `${file} is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB, more than any courier answer Kirim reads`,
    );
  const text = bytes.toString('utf8');
  later<typeof import('@nestjs/common')>('@nestjs/common').Logger.overrideLogger(false);
  const decoded = decodeAnswer(courier, operation, receivedAnswer(text), options);
  out(JSON.stringify(decodedJson(decoded), null, 2));
  if ('error' in decoded) process.exitCode = 1;
}

function parseDecodeArgs(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      status: { type: 'string' },
      awb: { type: 'string' },
      weight: { type: 'string' },
      cod: { type: 'string' },
      service: { type: 'string' },
      reference: { type: 'string' },
    },
  });
  const [courier, operation, file, ...extra] = positionals;
  if (!courier || !operation || !file || extra.length)
    throw new UsageError('couriers:decode takes <courier> <operation> <file>');
  if (!isCourierCode(courier))
    throw new UsageError(`unknown courier "${courier}" (one of ${COURIER_CODES.join(', ')})`);
  if (!isDecodeOperation(operation))
    throw new UsageError(`unknown operation "${operation}" (one of ${DECODE_OPERATIONS.join(', ')})`);
  const httpStatus = positiveInteger('--status', values.status);
  if (httpStatus !== undefined && (httpStatus < 100 || httpStatus > 599))
    throw new UsageError('--status must be an HTTP status (100-599)');
  const options: DecodeOptions = {
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    ...(values.awb ? { awb: values.awb } : {}),
    ...(values.weight !== undefined ? { weightGrams: positiveInteger('--weight', values.weight) } : {}),
    ...(values.cod !== undefined ? { codAmount: positiveInteger('--cod', values.cod) } : {}),
    ...(values.service ? { service: values.service } : {}),
    ...(values.reference ? { reference: values.reference } : {}),
  };
  return { courier, operation, file, options };
}

/**
 * The first `max` bytes of a file, or null when it holds more: read whole, a 54 MB file took 16 s and
 * 2.3 GB of memory to be refused, and a device such as /dev/zero was read until memory ran out.
 */
function readAtMost(path: string | 0, max: number): Buffer | null {
  const fd = path === 0 ? 0 : openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(max + 1);
    let read = 0;
    for (let n = -1; n !== 0 && read <= max; read += n) n = readSync(fd, buffer, read, max + 1 - read, null);
    return read > max ? null : buffer.subarray(0, read);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/** couriers:locations: checks a courier's location CSV whole, then makes it the courier's mapping. */
async function loadCourierLocations(config: AppConfig, args: string[]): Promise<void> {
  const shrink = args.includes('--shrink');
  const [courier, file, ...extra] = args.filter((a) => a !== '--shrink');
  if (!courier || !file || extra.length)
    throw new UsageError('couriers:locations takes <courier> <file> [--shrink]');
  if (!isCourierCode(courier))
    throw new UsageError(`unknown courier "${courier}" (one of ${COURIER_CODES.join(', ')})`);
  let bytes: Buffer | null;
  try {
    bytes = readAtMost(fromCaller(file), MAX_LOCATION_FILE_BYTES);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (!bytes) {
    process.stderr.write(
      `refused ${file}: nothing was changed\n  the file is larger than ${MAX_LOCATION_FILE_BYTES / 1024 / 1024} MB: a mapping has one row per district\n`,
    );
    process.exitCode = 1;
    return;
  }
  let text: string;
  try {
    // Strict: a byte that is not UTF-8 would otherwise be stored as U+FFFD in a courier's place name.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    process.stderr.write(`refused ${file}: nothing was changed\n  the file is not UTF-8 text\n`);
    process.exitCode = 1;
    return;
  }
  const { AreasService } = later<typeof import('./areas/areas.service')>('./areas/areas.service');
  const { CourierLocations } = later<typeof import('./couriers/locations')>('./couriers/locations');
  const { CourierLocationsShrinkError } =
    later<typeof import('./couriers/courier.errors')>('./couriers/courier.errors');
  await withApp(config, async (get) => {
    const districts = new Set((await get(AreasService).districts()).map((d) => d.code));
    const read = readLocationFile(courier, text, (code) => districts.has(code));
    if (!read.ok) {
      process.stderr.write(
        `refused ${file}: nothing was changed\n${read.problems.map((p) => `  ${p}\n`).join('')}`,
      );
      process.exitCode = 1;
      return;
    }
    // The load refuses a file mapping under half of what is mapped now (likely the wrong file), unless --shrink.
    const c = await get(CourierLocations)
      .load(courier, read.rows, 'operator', { shrink })
      .catch((e: unknown) => {
        if (e instanceof CourierLocationsShrinkError) return e;
        throw e;
      });
    if (c instanceof CourierLocationsShrinkError) {
      // The load says what would shrink; how to mean it is this command's (its --shrink).
      process.stderr.write(
        `refused ${file}: nothing was changed\n  ${c.message}. If that is meant, run it again with --shrink\n`,
      );
      process.exitCode = 1;
      return;
    }
    const loaded = `${read.rows.length} district${read.rows.length === 1 ? '' : 's'}`;
    const counts = `${c.inserted} inserted, ${c.updated} updated, ${c.removed} removed, ${c.unchanged} unchanged`;
    out(
      c.inserted || c.updated || c.removed
        ? `${courier}: loaded ${loaded} (${counts})${c.replaced ? `, replacing the ${c.replaced} mapping` : ''}`
        : c.replaced
          ? `${courier}: ${loaded}, the same codes as the ${c.replaced} mapping they replace (${counts})`
          : `${courier}: ${loaded}, nothing changed (${counts})`,
    );
    out(`  in ${databaseShown(config)}`);
  });
}

/**
 * The database a command wrote to, for its operator: a server's host, port and database name (never its
 * user or password), or the embedded cluster's folder. Run from the wrong folder, or with a mistyped
 * DATA_DIR, the CLI made a new embedded cluster and reported success there, the service's data unchanged.
 */
function databaseShown(config: AppConfig): string {
  const { url, dataDir } = config.database;
  if (url) {
    const u = new URL(url);
    return `PostgreSQL at ${u.hostname}:${u.port || '5432'}${decodeURIComponent(u.pathname)}`;
  }
  return `the embedded PostgreSQL in ${resolve(dataDir)}`;
}

/** The OpenAPI document from an app created in preview mode: modules and routes, no providers run. */
async function printOpenApi(config: AppConfig): Promise<void> {
  const { NestFactory } = later<typeof import('@nestjs/core')>('@nestjs/core');
  const { AppModule } = later<typeof import('./app.module')>('./app.module');
  const { createFastifyAdapter, openApiDocument } = later<typeof import('./app-factory')>('./app-factory');
  const app = await NestFactory.create(AppModule.forRoot(config), createFastifyAdapter(config), {
    preview: true,
    // Errors only (on stderr): Nest warns on stdout that preview mode instantiates nothing, which is the point.
    logger: ['error'],
  });
  try {
    out(JSON.stringify(openApiDocument(app), null, 2));
  } finally {
    await app.close();
  }
}

/** The service's settings, except that the CLI may use the embedded PostgreSQL of a running service. */
function cliConfig(overrides: Record<string, string>): AppConfig {
  const config = loadConfig(overrides);
  return Object.freeze(
    Object.assign(Object.create(AppConfig.prototype) as AppConfig, config, {
      database: Object.freeze({ ...config.database, shareEmbedded: true }),
    }),
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const config = () => cliConfig({ JOBS_ENABLED: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  switch (command) {
    case 'couriers:decode':
      return usageExits(() => Promise.resolve(decodeCourierAnswer(args)));
    case 'couriers:locations':
      return usageExits(() => loadCourierLocations(config(), args));
    case 'openapi':
      return usageExits(async () => {
        noArguments(command, args);
        await printOpenApi(config());
      });
    case 'users:create':
      return usageExits(() => createStaffUser(config(), args));
    case 'ledger:verify':
      return usageExits(() => verifyLedger(config(), args));
    case 'migrate':
      return usageExits(async () => {
        noArguments(command, args);
        const settings = config();
        await withApp(settings, () =>
          Promise.resolve(out(`migrations are up to date\n  in ${databaseShown(settings)}`)),
        );
      });
    case 'migrate:revert':
      // Extra words are refused before anything runs: `migrate:revert --help` reverted a migration.
      return usageExits(async () => {
        noArguments(command, args);
        await withApp(
          cliConfig({ JOBS_ENABLED: 'false', RUN_MIGRATIONS: 'false', LOG_LEVEL: 'warn' }),
          async (get) => {
            const { DataSource } = later<typeof import('typeorm')>('typeorm');
            await get(DataSource).undoLastMigration({ transaction: 'each' });
            out('reverted the last migration');
          },
        );
      });
    case undefined:
    case 'help':
    case '--help':
      return out(USAGE);
    default:
      process.stderr.write(`error: unknown command "${command}"\n\n${USAGE}\n`);
      process.exitCode = 2;
  }
}

/** A command that takes nothing after its name refuses anything given (exit 2), before it does anything. */
function noArguments(command: string, args: string[]): void {
  if (args.length)
    throw new UsageError(
      `${command} takes no arguments (got ${args.map((a) => JSON.stringify(a)).join(' ')})`,
    );
}

/** Runs a command; a command line it cannot run as written exits 2 with the reason and the usage. */
async function usageExits(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`error: ${e.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  }
}

main(process.argv.slice(2))
  .catch((e: unknown) => {
    const message =
      e instanceof ConfigError || e instanceof AppError || e instanceof Error ? e.message : String(e);
    process.stderr.write(`error: ${message}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    // The embedded PostgreSQL package exits with 0 on `beforeExit` (async-exit-hook), over the code set
    // here: a refused file or an unbalanced ledger would look like success to a script. Keep ours.
    const code = process.exitCode;
    process.once('exit', () => {
      process.exitCode = code;
    });
  });
