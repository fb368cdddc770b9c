import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppConfig, ConfigError, loadConfig } from 'config';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { ROLES, Role } from './common/auth/principal';
import { AppError } from './common/errors/app-error';
import { fieldProblems } from './common/errors/validation';
import { EmailPasswordDto } from './auth/auth.dto';
import { UsersService } from './auth/users.service';

const USAGE = `Kirim command line

  npm run cli -- users:create --email <email> --role finance|admin [--password <pw> | --password-stdin]
      Creates a Kirim staff user (finance or admin). Without --password, reads KIRIM_PASSWORD.
  npm run cli -- migrate            Runs pending migrations (same as npm run migration:run).
  npm run cli -- migrate:revert     Reverts the last migration.

Uses the same settings as the service (DATABASE_URL, or the embedded PostgreSQL under DATA_DIR).`;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function withApp<T>(
  config: AppConfig,
  fn: (get: <S>(type: new (...args: never[]) => S) => S) => Promise<T>,
): Promise<T> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    return await fn((type) => app.get(type));
  } finally {
    await app.close();
  }
}

async function createStaffUser(config: AppConfig, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
  const password = values['password-stdin']
    ? readFileSync(0, 'utf8').trim()
    : (values.password ?? process.env.KIRIM_PASSWORD);
  const role = values.role as Role | undefined;
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
  const user = await withApp(config, (get) =>
    get(UsersService).create({ email: input.email, password: input.password, role, sellerId: null }),
  );
  out(`created ${user.role} user ${user.email} (${user.id})`);
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
  const config = cliConfig({ JOBS_ENABLED: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  switch (command) {
    case 'users:create':
      return createStaffUser(config, args);
    case 'migrate':
      return withApp(config, () => Promise.resolve(out('migrations are up to date')));
    case 'migrate:revert':
      return withApp(
        cliConfig({ JOBS_ENABLED: 'false', RUN_MIGRATIONS: 'false', LOG_LEVEL: 'warn' }),
        async (get) => {
          await get(DataSource).undoLastMigration({ transaction: 'each' });
          out('reverted the last migration');
        },
      );
    case undefined:
    case 'help':
    case '--help':
      return out(USAGE);
    default:
      process.stderr.write(`error: unknown command "${command}"\n\n${USAGE}\n`);
      process.exitCode = 64;
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const message =
    e instanceof ConfigError || e instanceof AppError || e instanceof Error ? e.message : String(e);
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
});
