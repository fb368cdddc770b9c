import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigError, loadConfig } from 'config';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { ROLES, Role } from './common/auth/principal';
import { AppError } from './common/errors/app-error';
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
  if (!values.email) throw new Error('--email is required');
  if (!role || !['finance', 'admin'].includes(role))
    throw new Error(
      `--role must be finance or admin (seller users sign up over the API; roles: ${ROLES.join(', ')})`,
    );
  if (!password || password.length < config.business.password.minLength) {
    throw new Error(
      `a password of at least ${config.business.password.minLength} characters is required (--password, --password-stdin or KIRIM_PASSWORD)`,
    );
  }
  const user = await withApp(config, (get) =>
    get(UsersService).create({ email: values.email!, password, role, sellerId: null }),
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
      return withApp(config, async () => out('migrations are up to date'));
    case 'migrate:revert':
      return withApp(
        cliConfig({ JOBS_ENABLED: 'false', RUN_MIGRATIONS: 'false', LOG_LEVEL: 'warn' }),
        async (get) => {
          await get(DataSource).undoLastMigration({ transaction: 'each' });
          out('reverted the last migration');
        },
      );
    default:
      out(USAGE);
      if (command && command !== 'help' && command !== '--help') process.exitCode = 64;
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const message =
    e instanceof ConfigError || e instanceof AppError || e instanceof Error ? e.message : String(e);
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
});
