import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { embeddedUrl, freePort, socketDirFor, startEmbeddedPostgres } from 'src/database/embedded-postgres';
import { startPostgresProcess } from '../../support/postgres-process';
import { clusterUrl } from '../../support/test-db';

/** The embedded cluster the test run started (global-setup, `startEmbeddedPostgres`). */
async function serverAddress(connectionString: string): Promise<string | null> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ addr: string | null }>('SELECT inet_server_addr()::text AS addr');
    return rows[0].addr;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL connections', () => {
  it('connects local clients through the Unix socket in the data folder, and still listens on 127.0.0.1', async () => {
    const url = new URL(clusterUrl('postgres'));
    const socketDir = url.searchParams.get('host');
    expect(socketDir).toMatch(/^\/.+\/socket$/);
    // inet_server_addr() is NULL on a Unix-socket connection.
    expect(await serverAddress(url.toString())).toBeNull();
    // Private to the server's user: nobody else can reach the socket through the folder.
    expect(statSync(socketDir!).mode & 0o777).toBe(0o700);

    url.searchParams.delete('host');
    expect(url.hostname).toBe('127.0.0.1');
    expect(await serverAddress(url.toString())).toBe('127.0.0.1/32');
  });

  it('logs a failed statement without its values (no DETAIL or STATEMENT lines)', async () => {
    const client = new Client({ connectionString: clusterUrl('postgres') });
    await client.connect();
    try {
      const { rows } = await client.query<{ verbosity: string; statements: string }>(
        `SELECT current_setting('log_error_verbosity') AS verbosity,
                current_setting('log_min_error_statement') AS statements`,
      );
      expect(rows).toEqual([{ verbosity: 'terse', statements: 'panic' }]);
    } finally {
      await client.end();
    }
  });

  it('asks for the password on the socket too', async () => {
    const url = new URL(clusterUrl('postgres'));
    url.password = 'not-the-password';
    await expect(serverAddress(url.toString())).rejects.toThrow(/password authentication failed/);
  });

  it('uses TCP only when the socket path would not fit a Unix socket address (107 bytes)', () => {
    expect(socketDirFor('/var/lib/kirim')).toBe('/var/lib/kirim/socket');
    const deep = `/srv/${'d'.repeat(90)}`;
    expect(socketDirFor(deep)).toBeNull();
    // The longest folder that fits: its socket path, with a five-digit port, is exactly 107 bytes.
    const fits = `/${'a'.repeat(107 - '/socket/.s.PGSQL.65535'.length - 1)}`;
    expect(Buffer.byteLength(`${socketDirFor(fits)!}/.s.PGSQL.65535`)).toBe(107);
    expect(socketDirFor(`${fits}b`)).toBeNull();

    const creds = { user: 'kirim', password: 'p@ss/word' };
    expect(embeddedUrl(creds, 5433, 'kirim', null)).toBe(
      'postgres://kirim:p%40ss%2Fword@127.0.0.1:5433/kirim',
    );
    expect(embeddedUrl(creds, 5433, 'kirim', '/var/lib/kirim/socket')).toBe(
      'postgres://kirim:p%40ss%2Fword@127.0.0.1:5433/kirim?host=%2Fvar%2Flib%2Fkirim%2Fsocket',
    );
  });

  describe('where no socket can be made, falls back to TCP', () => {
    let dataDir: string;
    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'kirim-nosocket-'));
      chmodSync(dataDir, 0o755); // as root the server runs as "postgres"
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    /**
     * Starts a server on a free port (`prepare` readies the data folder for that port) and asks it which
     * address the connection came from. A port found free can be taken by another test's process before
     * PostgreSQL binds it: then the start is tried again on another port, at most three times in all.
     */
    const startAndAsk = async (prepare: (port: number) => void) => {
      let pg: Awaited<ReturnType<typeof startPostgresProcess>> | undefined;
      for (let attempt = 1; !pg; attempt += 1) {
        const port = await freePort();
        prepare(port);
        try {
          pg = await startPostgresProcess({ dataDir, port, database: 'kirim' });
        } catch (e) {
          if (attempt >= 3) throw e;
          rmSync(join(dataDir, 'socket'), { recursive: true, force: true });
        }
      }
      try {
        expect(new URL(pg.url).searchParams.has('host')).toBe(false);
        return await serverAddress(pg.url);
      } finally {
        await pg.stop();
      }
    };

    it('when the socket folder cannot be created', async () => {
      expect(
        await startAndAsk(() => writeFileSync(join(dataDir, 'socket'), 'a file where the folder would go')),
      ).toBe('127.0.0.1/32');
    }, 60_000);

    it('when PostgreSQL cannot bind the socket', async () => {
      // Something that is not a socket sits at the socket's path: PostgreSQL's bind fails.
      const obstruct = (port: number) =>
        mkdirSync(join(dataDir, 'socket', `.s.PGSQL.${port}`, 'in-the-way'), { recursive: true });
      expect(await startAndAsk(obstruct)).toBe('127.0.0.1/32');
    }, 60_000);
  });
});

describe('a data folder whose cluster has no password file', () => {
  it('is refused before anything starts, naming the file and what to do', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kirim-nocreds-'));
    try {
      // A first start stopped after the cluster was made and before its password was written.
      mkdirSync(join(dataDir, 'postgres'));
      writeFileSync(join(dataDir, 'postgres', 'PG_VERSION'), '18\n');
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(
        `has no ${join(dataDir, 'postgres.json')} with its password`,
      );
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(`delete ${join(dataDir, 'postgres')}`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
