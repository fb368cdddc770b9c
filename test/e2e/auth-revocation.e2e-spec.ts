import { AppConfig } from 'config';
import { AuthRevocations } from 'src/auth/auth-revocations';
import { DatabaseNotifications } from 'src/database/notifications';
import { Transactions } from 'src/database/transaction';
import supertest from 'supertest';
import { addSellerUser, signupSeller, TestSeller } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

/**
 * Users and API keys cached for an hour: a revocation made on one instance can reach another that has them
 * cached only through the notification, never by the entry expiring.
 */
const cachedForAnHour = (config: AppConfig) => {
  config.business.caches.users = 3600;
  config.business.caches.apiKeys = 3600;
};

/** What B answers `auth` on a route every user may read. */
const meStatus = async (http: supertest.Agent, auth: Record<string, string>) =>
  (await http.get('/v1/me').set(auth)).status;

/**
 * The notification is delivered once the change commits, a moment (milliseconds) after A answers: B is
 * asked until it refuses, for at most a second (its cache would serve the token for an hour).
 */
const refusedSoon = (http: supertest.Agent, auth: Record<string, string>, what: string) =>
  waitUntil(async () => (await meStatus(http, auth)) === 401, what, 1_000);

const listenerOf = (t: TestApp) => t.app.get(DatabaseNotifications);

/**
 * Two instances on one database, both caching for an hour, and a seller signed up on A: started before the
 * describe's tests (handed to `set`) and closed after them.
 */
function twoInstances(
  set: (pair: {
    a: TestApp;
    b: TestApp;
    httpA: supertest.Agent;
    httpB: supertest.Agent;
    owner: TestSeller;
  }) => void,
): void {
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  beforeAll(async () => {
    a = await startTestApp({}, undefined, { configure: cachedForAnHour });
    b = await startTestApp({}, a.db, { configure: cachedForAnHour });
    const httpA = a.http();
    set({ a, b, httpA, httpB: b.http(), owner: await signupSeller(httpA) });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });
}

describe('a revocation on one instance is heard at once by another sharing the database', () => {
  let a: TestApp;
  let b: TestApp;
  let httpA: supertest.Agent;
  let httpB: supertest.Agent;
  let owner: TestSeller;
  twoInstances((pair) => ({ a, b, httpA, httpB, owner } = pair));

  it('both listen; B serves from its cache a removal nobody announced (what the tests below must beat)', async () => {
    expect([listenerOf(a).listening, listenerOf(b).listening]).toEqual([true, true]);
    const staff = await addSellerUser(httpA, owner, 'seller_staff');
    expect(await meStatus(httpB, staff.auth)).toBe(200);
    // Behind both instances' backs: no notification.
    await a.dataSource.query('UPDATE users SET disabled_at = now() WHERE id = $1', [staff.id]);
    expect(await meStatus(httpA, staff.auth)).toBe(401); // A had not cached them
    expect(await meStatus(httpB, staff.auth)).toBe(200);
  });

  it('a user removed on A is refused by B, with the API keys they created', async () => {
    const staff = await addSellerUser(httpA, owner, 'seller_owner');
    const { key } = (await httpA.post('/v1/api-keys').set(staff.auth).send({}).expect(201)).body as {
      key: string;
    };
    const other = await addSellerUser(httpA, owner, 'seller_staff');
    expect(await meStatus(httpB, staff.auth)).toBe(200);
    expect(await meStatus(httpB, { 'x-api-key': key })).toBe(200);
    expect(await meStatus(httpB, other.auth)).toBe(200);

    await httpA.delete(`/v1/users/${staff.id}`).set(owner.auth).expect(204);
    await refusedSoon(httpB, staff.auth, 'B refuses the removed user');
    await refusedSoon(httpB, { 'x-api-key': key }, 'B refuses the removed user’s API key');
    expect(await meStatus(httpB, other.auth)).toBe(200);
  });

  it('a session logged out on A is refused by B; the same person’s other session goes on', async () => {
    const staff = await addSellerUser(httpA, owner, 'seller_staff');
    const second = (
      await httpA.post('/v1/auth/login').send({ email: staff.email, password: staff.password }).expect(200)
    ).body as { accessToken: string };
    const secondAuth = { authorization: `Bearer ${second.accessToken}` };
    expect(await meStatus(httpB, staff.auth)).toBe(200);
    expect(await meStatus(httpB, secondAuth)).toBe(200);

    await httpA.post('/v1/auth/logout').set(staff.auth).send({}).expect(204);
    await refusedSoon(httpB, staff.auth, 'B refuses the logged-out session');
    expect(await meStatus(httpB, secondAuth)).toBe(200);

    await httpA.post('/v1/auth/logout').set(secondAuth).send({ everywhere: true }).expect(204);
    await refusedSoon(httpB, secondAuth, 'B refuses every session after a logout everywhere');
  });

  it('a password changed on A ends the other sessions on B; the new session works there', async () => {
    const staff = await addSellerUser(httpA, owner, 'seller_staff');
    expect(await meStatus(httpB, staff.auth)).toBe(200);

    const changed = await httpA
      .post('/v1/auth/password')
      .set(staff.auth)
      .send({ currentPassword: staff.password, newPassword: 'another password 789' })
      .expect(200);
    await refusedSoon(httpB, staff.auth, 'B refuses the session the password change ended');
    const fresh = { authorization: `Bearer ${(changed.body as { accessToken: string }).accessToken}` };
    expect(await meStatus(httpB, fresh)).toBe(200);
  });

  it('an API key revoked on A is refused by B; the seller’s other key goes on', async () => {
    const create = async () =>
      (await httpA.post('/v1/api-keys').set(owner.auth).send({}).expect(201)).body as {
        id: string;
        key: string;
      };
    const [revoked, kept] = [await create(), await create()];
    expect(await meStatus(httpB, { 'x-api-key': revoked.key })).toBe(200);
    expect(await meStatus(httpB, { 'x-api-key': kept.key })).toBe(200);

    await httpA.delete(`/v1/api-keys/${revoked.id}`).set(owner.auth).expect(204);
    await refusedSoon(httpB, { 'x-api-key': revoked.key }, 'B refuses the revoked key');
    expect(await meStatus(httpB, { 'x-api-key': kept.key })).toBe(200);
  });

  it('sends nothing from a transaction that rolls back', async () => {
    const staff = await addSellerUser(httpA, owner, 'seller_staff');
    expect(await meStatus(httpB, staff.auth)).toBe(200);
    await expect(
      a.app.get(Transactions).run(async () => {
        await a.app.get(AuthRevocations).announce({ user: staff.id });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // Behind B's back: B still serving the user shows it heard no revocation.
    await a.dataSource.query('UPDATE users SET disabled_at = now() WHERE id = $1', [staff.id]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await meStatus(httpB, staff.auth)).toBe(200);
  });
});

describe('an instance whose listening connection is killed', () => {
  let a: TestApp;
  let b: TestApp;
  let httpA: supertest.Agent;
  let httpB: supertest.Agent;
  let owner: TestSeller;
  twoInstances((pair) => ({ a, b, httpA, httpB, owner } = pair));

  it('reconnects, drops what it cached before (revocations may have been missed), and hears them again', async () => {
    const missed = await addSellerUser(httpA, owner, 'seller_staff');
    expect(await meStatus(httpB, missed.auth)).toBe(200);
    // A removal B could not have heard: unannounced, as one made while B's connection was down would be.
    await a.dataSource.query('UPDATE users SET disabled_at = now() WHERE id = $1', [missed.id]);
    expect(await meStatus(httpB, missed.auth)).toBe(200);

    const killed = listenerOf(b).backendPid;
    const [listener] = await a.dataSource.query<{ application_name: string; query: string }[]>(
      'SELECT application_name, query FROM pg_stat_activity WHERE pid = $1',
      [killed],
    );
    expect(listener).toEqual({ application_name: 'kirim-listener', query: 'LISTEN "kirim_auth_revoked"' });
    await a.dataSource.query('SELECT pg_terminate_backend($1)', [killed]);
    await waitUntil(
      () => listenerOf(b).listening && listenerOf(b).backendPid !== killed,
      'B listens again on a new connection',
      10_000,
    );

    expect(await meStatus(httpB, missed.auth)).toBe(401);
    const staff = await addSellerUser(httpA, owner, 'seller_staff');
    expect(await meStatus(httpB, staff.auth)).toBe(200);
    await httpA.delete(`/v1/users/${staff.id}`).set(owner.auth).expect(204);
    await refusedSoon(httpB, staff.auth, 'B, listening again, refuses a user removed on A');
  });

  it('notices a listening connection that stops answering without closing (a partition), and listens again', async () => {
    // Checked every 300 ms: without the check only TCP keep-alive would notice, hours later.
    const c = await startTestApp({ DATABASE_LISTENER_CHECK_MS: '300' }, a.db, { configure: cachedForAnHour });
    const httpC = c.http();
    const stopped = listenerOf(c).backendPid;
    expect(stopped).toEqual(expect.any(Number));
    try {
      const missed = await addSellerUser(httpA, owner, 'seller_staff');
      expect(await meStatus(httpC, missed.auth)).toBe(200);
      // Unannounced, as a removal made while C's connection is unreachable would go unheard.
      await a.dataSource.query('UPDATE users SET disabled_at = now() WHERE id = $1', [missed.id]);
      expect(await meStatus(httpC, missed.auth)).toBe(200);

      // The server process of C's listening connection freezes: its socket stays open, nothing answers.
      process.kill(stopped!, 'SIGSTOP');
      await waitUntil(
        () => !listenerOf(c).listening,
        'C sees its listening connection stop answering',
        5_000,
      );
      await waitUntil(
        () => listenerOf(c).listening && listenerOf(c).backendPid !== stopped,
        'C listens again on a new connection',
        10_000,
      );
      expect(await meStatus(httpC, missed.auth)).toBe(401);
    } finally {
      process.kill(stopped!, 'SIGCONT');
      await c.close();
    }
  });

  it('says in readiness (still ready) and in metrics whether it is listening', async () => {
    const d = await startTestApp({}, a.db);
    try {
      const httpD = d.http();
      const listening = async () => {
        const ready = await httpD.get('/health/ready').expect(200);
        const metrics = await httpD.get('/metrics').expect(200);
        return [ready.body.details.listener, /^kirim_database_listening (\d)$/m.exec(metrics.text)?.[1]];
      };
      expect(await listening()).toEqual([{ status: 'up', listening: true }, '1']);
      await listenerOf(d).close(); // as between its connection dropping and listening again
      expect(await listening()).toEqual([{ status: 'up', listening: false }, '0']);
    } finally {
      await d.close();
    }
  });

  it('answers from the database, not its caches, while it is not listening', async () => {
    const d = await startTestApp({}, a.db, { configure: cachedForAnHour });
    try {
      const staff = await addSellerUser(httpA, owner, 'seller_staff');
      const httpD = d.http();
      expect(await meStatus(httpD, staff.auth)).toBe(200);
      await listenerOf(d).close(); // as between its connection dropping and listening again
      await a.dataSource.query('UPDATE users SET disabled_at = now() WHERE id = $1', [staff.id]);
      expect(await meStatus(httpD, staff.auth)).toBe(401);
    } finally {
      await d.close();
    }
  });

  it('closes its listening connection when it shuts down', async () => {
    const c = await startTestApp({}, a.db, { configure: cachedForAnHour });
    const pid = listenerOf(c).backendPid;
    expect(pid).toEqual(expect.any(Number));
    await c.close();
    expect(listenerOf(c).listening).toBe(false);
    await waitUntil(
      async () =>
        (await a.dataSource.query<unknown[]>('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]))
          .length === 0,
      'the listening connection is gone from the server',
      5_000,
    );
  });
});
