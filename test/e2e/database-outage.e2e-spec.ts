import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from 'src/database/embedded-postgres';
import { DatabaseNotifications } from 'src/database/notifications';
import supertest from 'supertest';
import { PostgresProcess, startPostgresProcess } from '../support/postgres-process';
import { createAddress, signupSeller, TestSeller, validAddress } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

/** The app on a PostgreSQL of its own, which the test stops and starts again on the same port. */
describe('while the database is unreachable', () => {
  const database = 'kirim_test_outage';
  let dataDir: string;
  let port: number;
  let pg: PostgresProcess;
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;

  const startPostgres = () => startPostgresProcess({ dataDir, port, database });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kirim-outage-'));
    chmodSync(dataDir, 0o755); // as root the server runs as "postgres"
    port = await freePort();
    pg = await startPostgres();
    t = await startTestApp(
      { DATABASE_CONNECT_TIMEOUT_MS: '1000' },
      { name: database, url: pg.url, drop: () => Promise.resolve() },
    );
    http = t.http();
    seller = await signupSeller(http);
    await createAddress(http, seller);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const expectUnavailable = (res: supertest.Response) => {
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'DATABASE_UNAVAILABLE',
      message: 'The database is unavailable; try again shortly',
      details: [],
      requestId: res.headers['x-request-id'],
    });
  };

  it('answers 503 with Retry-After and the error body, then recovers by itself when the database returns', async () => {
    await http.get('/health/ready').expect(200);
    await http.get('/v1/addresses').set(seller.auth).expect(200);
    expect(t.app.get(DatabaseNotifications).listening).toBe(true);
    await pg.stop();
    await waitUntil(() => !t.app.get(DatabaseNotifications).listening, 'the listener sees its connection go');

    // The pool's idle connections were cut (admin shutdown); new ones are refused. Every route says so.
    for (let i = 0; i < 3; i += 1) {
      expectUnavailable(await http.get('/v1/addresses').set(seller.auth));
      expectUnavailable(await http.get('/health/ready'));
      expectUnavailable(
        await http.post('/v1/auth/login').send({ email: seller.email, password: seller.password }),
      );
      expectUnavailable(await http.post('/v1/addresses').set(seller.auth).send(validAddress('While down')));
    }
    await http.get('/health').expect(200); // alive all along: an orchestrator must not restart it

    pg = await startPostgres();
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await http.get('/health/ready')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    // Its notification listener (auth revocations) lost its connection too, and listens again by itself.
    await waitUntil(() => t.app.get(DatabaseNotifications).listening, 'the listener reconnects', 15_000);
    const list = await http.get('/v1/addresses').set(seller.auth).expect(200);
    expect(list.body.items.map((a: { label: string }) => a.label)).toEqual(['Gudang Bandung']);
    await http.post('/v1/auth/login').send({ email: seller.email, password: seller.password }).expect(200);
    await createAddress(http, seller, 'After the outage');
  }, 120_000);
});
