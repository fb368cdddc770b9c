import { createHash } from 'node:crypto';
import supertest from 'supertest';
import { canonicalJson } from 'src/common/idempotency/idempotency.interceptor';
import { signupSeller, TestSeller, validAddress } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

describe('idempotency of creating POSTs', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
  });
  afterAll(() => t.close());

  const countAddresses = async (label: string) =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM pickup_addresses WHERE label = $1', [label]))[0]
      .n as number;

  it('replays the first response for the same key and body, byte for byte', async () => {
    const first = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'replay-1')
      .send(validAddress('Replay'))
      .expect(201);
    const again = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'replay-1')
      .send(validAddress('Replay'))
      .expect(201);
    expect(again.text).toBe(first.text);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await countAddresses('Replay')).toBe(1);
  });

  it('answers 409 when the key is reused with a different body', async () => {
    await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'reuse-1')
      .send(validAddress('Reuse A'))
      .expect(201);
    const res = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'reuse-1')
      .send(validAddress('Reuse B'))
      .expect(409);
    expect(res.body).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      details: [{ field: 'Idempotency-Key', message: expect.any(String) }],
    });
    expect(await countAddresses('Reuse B')).toBe(0);
  });

  it('executes 20 concurrent requests with one key once, and all get the same answer', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        supertest(t.url)
          .post('/v1/addresses')
          .set(seller.auth)
          .set('idempotency-key', 'race-1')
          .send(validAddress('Race')),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await countAddresses('Race')).toBe(1);
  });

  it('scopes keys per seller: the same key from another seller is a different request', async () => {
    const other = await signupSeller(http);
    const mine = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'shared-key')
      .send(validAddress('Scoped'))
      .expect(201);
    const theirs = await http
      .post('/v1/addresses')
      .set(other.auth)
      .set('idempotency-key', 'shared-key')
      .send(validAddress('Scoped'))
      .expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('does not burn the key on a rejected request', async () => {
    await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'fix-1')
      .send({ ...validAddress('Fixed'), phone: 'nope' })
      .expect(400);
    await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'fix-1')
      .send(validAddress('Fixed'))
      .expect(201);
    expect(await countAddresses('Fixed')).toBe(1);
  });

  it('keeps keys for at least 24 hours, then lets them be used again', async () => {
    await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'old-1')
      .send(validAddress('Old A'))
      .expect(201);
    t.clock.advance(23 * 3600_000);
    await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'old-1')
      .send(validAddress('Old B'))
      .expect(409);
    t.clock.advance(2 * 3600_000);
    await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'old-1')
      .send(validAddress('Old B'))
      .expect(201);
    expect(await countAddresses('Old B')).toBe(1);
  });

  it('keeps no plain hash of a body: the password of a user added with a key cannot be guessed from it', async () => {
    const user = { email: 'kunci@example.id', password: 'tebak aku kalau bisa', role: 'seller_staff' };
    await http
      .post('/v1/users')
      .set(seller.auth)
      .set('idempotency-key', 'user-secret')
      .send(user)
      .expect(201);
    const [{ hash }] = await t.dataSource.query<{ hash: string }[]>(
      "SELECT request_hash AS hash FROM idempotency_keys WHERE key = 'user-secret'",
    );
    // Everything in the request but the password is known to whoever reads the table: with a plain hash,
    // trying passwords until one matches found it at hash speed. Keyed by a server secret, none matches.
    const guesses = ['password123', 'tebak aku kalau bisa', 'rahasia'];
    for (const password of guesses) {
      const body = canonicalJson({ ...user, password });
      expect(createHash('sha256').update(`POST /v1/users\n${body}`).digest('hex')).not.toBe(hash);
    }
    // The fingerprint still tells the same request from another: a replay replays, another body is refused.
    const again = await http
      .post('/v1/users')
      .set(seller.auth)
      .set('idempotency-key', 'user-secret')
      .send(user)
      .expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await http
      .post('/v1/users')
      .set(seller.auth)
      .set('idempotency-key', 'user-secret')
      .send({ ...user, password: 'password lain saja' })
      .expect(409);
  });

  it('still replays a key stored before fingerprints were keyed (its plain hash), and refuses another body under it', async () => {
    const body = validAddress('Sebelum');
    const first = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'stored-before')
      .send(body)
      .expect(201);
    // As the row was written before the upgrade: the plain hash of the same request.
    const plain = createHash('sha256')
      .update(`POST /v1/addresses\n${canonicalJson(body)}`)
      .digest('hex');
    await t.dataSource.query("UPDATE idempotency_keys SET request_hash = $1 WHERE key = 'stored-before'", [
      plain,
    ]);
    const again = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'stored-before')
      .send(body)
      .expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'stored-before')
      .send(validAddress('Sesudah'))
      .expect(409);
    expect(await countAddresses('Sebelum')).toBe(1);
  });

  it('rejects an unusable key naming the header', async () => {
    const res = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .set('idempotency-key', 'k'.repeat(256))
      .send(validAddress())
      .expect(400);
    expect(res.body.details).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
  });

  it('never stores or replays the key: a repeat answers 409 naming the key created', async () => {
    const first = await http
      .post('/v1/api-keys')
      .set(seller.auth)
      .set('idempotency-key', 'key-once-1')
      .send({ name: 'Shop' })
      .expect(201);
    const { id, key, prefix } = first.body as { id: string; key: string; prefix: string };
    const stored = await t.dataSource.query(
      "SELECT response_status, response_body FROM idempotency_keys WHERE key = 'key-once-1'",
    );
    expect(stored).toEqual([{ response_status: 201, response_body: JSON.stringify({ id }) }]);
    const everything = JSON.stringify(await t.dataSource.query('SELECT * FROM idempotency_keys'));
    expect(everything).not.toContain(key.slice(prefix.length));

    const again = await http
      .post('/v1/api-keys')
      .set(seller.auth)
      .set('idempotency-key', 'key-once-1')
      .send({ name: 'Shop' })
      .expect(409);
    expect(again.body).toMatchObject({
      code: 'IDEMPOTENCY_ALREADY_CREATED',
      message: expect.stringContaining(id),
      details: [{ field: 'Idempotency-Key', message: expect.stringContaining(id) }],
    });
    expect(again.text).not.toContain(key.slice(prefix.length));
    const keys = await t.dataSource.query('SELECT id FROM api_keys WHERE seller_id = $1', [seller.sellerId]);
    expect(keys).toEqual([{ id }]);
    // Another body with the key is still a reused key, not a second key.
    const other = await http
      .post('/v1/api-keys')
      .set(seller.auth)
      .set('idempotency-key', 'key-once-1')
      .send({ name: 'Other' })
      .expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('idempotency with a small database pool', () => {
  let small: TestApp;

  beforeAll(async () => {
    small = await startTestApp({}, undefined, {
      configure: (c) => {
        c.database.poolSize = 3;
        c.database.connectTimeoutMs = 2000;
      },
    });
  });
  afterAll(() => small.close());

  it('serves a burst of one key larger than the pool once, without starving other sellers’ requests', async () => {
    // Adding a user counts the attempt on a connection of its own: requests waiting on its key in every
    // connection of the pool left it none, and every request of the instance waited for one and failed.
    const http = small.http();
    const seller = await signupSeller(http);
    const other = await signupSeller(http, 'Toko Lain');
    const user = { email: 'burst@example.id', password: 'correct horse battery', role: 'seller_staff' };
    const burst = Promise.all(
      Array.from({ length: 15 }, () =>
        supertest(small.url)
          .post('/v1/users')
          .set(seller.auth)
          .set('idempotency-key', 'burst-user')
          .send(user),
      ),
    );
    const meanwhile = await supertest(small.url).get('/v1/addresses').set(other.auth);
    const answers = await burst;
    expect(meanwhile.status).toBe(200);
    expect(answers.map((a) => a.status)).toEqual(Array(15).fill(201));
    expect(answers.filter((a) => a.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    const [{ n }] = await small.dataSource.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [
      user.email,
    ]);
    expect(n).toBe(1);
  });
});
