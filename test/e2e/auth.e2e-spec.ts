import { randomUUID } from 'node:crypto';
import * as argon2 from 'argon2';
import { JwtService } from '@nestjs/jwt';
import supertest from 'supertest';
import { createOperator } from '../support/factories/operators';
import { addBankAccount, creditAvailable } from '../support/factories/money';
import {
  addSellerUser,
  signupSeller,
  TestSeller,
  uniqueEmail,
  validBankAccount,
} from '../support/factories/sellers';
import { AuthService } from 'src/auth/auth.service';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

describe('identity: signup, login, tokens, API keys', () => {
  let t: TestApp;
  let http: supertest.Agent;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
  });
  afterAll(() => t.close());

  it('signs up, logs in and answers /v1/me for the owner', async () => {
    const email = uniqueEmail();
    const signup = await http
      .post('/v1/auth/signup')
      .send({ sellerName: 'Toko Batik Sekar', email: email.toUpperCase(), password: 'correct horse battery' })
      .expect(201);
    expect(signup.body.seller).toEqual({ id: expect.any(String), name: 'Toko Batik Sekar' });
    expect(signup.body.user).toMatchObject({ email, role: 'seller_owner', sellerId: signup.body.seller.id });
    expect(signup.body.user.passwordHash).toBeUndefined();

    const login = await http
      .post('/v1/auth/login')
      .send({ email, password: 'correct horse battery' })
      .expect(200);
    expect(login.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 43200 });

    const me = await http.get('/v1/me').set('authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(me.body).toEqual({
      user: { id: signup.body.user.id, email, role: 'seller_owner' },
      seller: { id: signup.body.seller.id, name: 'Toko Batik Sekar' },
    });
  });

  it('rejects a wrong password, an unknown email, a missing and a forged token with 401', async () => {
    const seller = await signupSeller(http);
    const wrong = await http
      .post('/v1/auth/login')
      .send({ email: seller.email, password: 'not the password' })
      .expect(401);
    expect(wrong.body).toMatchObject({
      statusCode: 401,
      code: 'AUTH_INVALID_CREDENTIALS',
      requestId: expect.any(String),
    });
    await http
      .post('/v1/auth/login')
      .send({ email: uniqueEmail(), password: 'whatever password' })
      .expect(401);

    const missing = await http.get('/v1/me').expect(401);
    expect(missing.body.code).toBe('AUTH_UNAUTHENTICATED');
    const forged = seller.token.slice(0, -3) + (seller.token.endsWith('abc') ? 'xyz' : 'abc');
    expect((await http.get('/v1/me').set('authorization', `Bearer ${forged}`).expect(401)).body.code).toBe(
      'AUTH_INVALID_TOKEN',
    );
    await http.get('/v1/me').set('authorization', 'Basic abc').expect(401);
    await http.get('/v1/me').set('x-api-key', 'kirim_not-a-real-key').expect(401);
  });

  it('refuses a second signup with the same email and writes nothing for it', async () => {
    const seller = await signupSeller(http);
    const before = await t.dataSource.query('SELECT count(*)::int AS n FROM sellers');
    const dup = await http
      .post('/v1/auth/signup')
      .send({ sellerName: 'Copycat', email: seller.email, password: 'another password' })
      .expect(409);
    expect(dup.body).toMatchObject({
      code: 'AUTH_EMAIL_TAKEN',
      details: [{ field: 'email', message: expect.any(String) }],
    });
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM sellers')).toEqual(before);
  });

  it('takes one spelling per email: full-width letters and decomposed accents are the same address, invisible characters are refused', async () => {
    const stamp = uniqueEmail('x')
      .split('@')[0]
      .replace(/[^a-z0-9]/g, '');
    const email = `pemilik.\u00e9${stamp}@toko.id`; // é as one character
    await http
      .post('/v1/auth/signup')
      .send({ sellerName: 'Toko Asli', email, password: 'correct horse battery' })
      .expect(201);
    for (const lookalike of [
      `pemilik.e\u0301${stamp}@toko.id`, // é as e + a combining accent
      `\uff50emilik.\u00e9${stamp}@toko.id`, // a full-width p
      ` PEMILIK.\u00c9${stamp}@TOKO.ID `,
    ]) {
      const res = await http
        .post('/v1/auth/signup')
        .send({ sellerName: 'Toko Tiruan', email: lookalike, password: 'correct horse battery' });
      expect([lookalike, res.status, res.body.code]).toEqual([lookalike, 409, 'AUTH_EMAIL_TAKEN']);
      // The same person logs in whichever way the address is typed.
      await http
        .post('/v1/auth/login')
        .send({ email: lookalike, password: 'correct horse battery' })
        .expect(200);
    }
    for (const hidden of [`pemilik\u200b.${stamp}@toko.id`, `pemilik.\u202e${stamp}@toko.id`]) {
      const res = await http
        .post('/v1/auth/signup')
        .send({ sellerName: 'Toko Tiruan', email: hidden, password: 'correct horse battery' });
      expect([res.status, res.body.details]).toEqual([
        400,
        [{ field: 'email', message: 'email must not contain invisible, control or space characters' }],
      ]);
    }
  });

  it('takes a password however its accents are typed (composed or decomposed); one hashed as typed before is hashed anew at its next login', async () => {
    const composed = 'caf\u00e9 correct horse';
    const decomposed = 'cafe\u0301 correct horse';
    const login = (email: string, password: string) => http.post('/v1/auth/login').send({ email, password });
    for (const [signedUpWith, loggedInWith] of [
      [composed, decomposed],
      [decomposed, composed],
    ]) {
      const email = uniqueEmail('aksen');
      await http
        .post('/v1/auth/signup')
        .send({ sellerName: 'Toko Aksen', email, password: signedUpWith })
        .expect(201);
      await login(email, loggedInWith).expect(200);
      await login(email, signedUpWith).expect(200);
      await login(email, 'cafe correct horse').expect(401);
    }
    // A hash of the decomposed form as typed (made before): that form still works.
    const email = uniqueEmail('lama');
    await http
      .post('/v1/auth/signup')
      .send({ sellerName: 'Toko Lama', email, password: 'placeholder pass' })
      .expect(201);
    await t.dataSource.query('UPDATE users SET password_hash = $1 WHERE email = $2', [
      await argon2.hash(decomposed, { type: argon2.argon2id }),
      email,
    ]);
    const token = (await login(email, decomposed).expect(200)).body.accessToken as string;
    await login(email, 'placeholder pass').expect(401);
    // That login hashed the password anew, composed: now either form works, and the session goes on.
    await login(email, composed).expect(200);
    await login(email, decomposed).expect(200);
    await http.get('/v1/me').set('authorization', `Bearer ${token}`).expect(200);
  });

  it('gives owners, staff and finance the permissions of their role', async () => {
    const owner = await signupSeller(http);
    const staff = await addSellerUser(http, owner, 'seller_staff');
    const finance = await createOperator(t, http, 'finance');

    const staffMe = await http.get('/v1/me').set(staff.auth).expect(200);
    expect(staffMe.body.user.role).toBe('seller_staff');
    expect(staffMe.body.seller.id).toBe(owner.sellerId);

    // Staff work with addresses but do not manage keys, bank accounts, users or settings.
    await http.get('/v1/addresses').set(staff.auth).expect(200);
    await http.get('/v1/settings').set(staff.auth).expect(200);
    for (const [method, path] of [
      ['post', '/v1/api-keys'],
      ['get', '/v1/bank-accounts'],
      ['get', '/v1/users'],
      ['patch', '/v1/settings'],
    ] as const) {
      const res = await http[method](path).set(staff.auth).send({});
      expect([method, path, res.status, res.body.code]).toEqual([method, path, 403, 'AUTH_FORBIDDEN']);
    }
    // Finance staff have no seller: seller routes are not theirs.
    await http.get('/v1/addresses').set(finance.auth).expect(403);
    const financeMe = await http.get('/v1/me').set(finance.auth).expect(200);
    expect(financeMe.body).toMatchObject({ user: { role: 'finance' }, seller: null });
    // The owner may do all of it.
    await http.get('/v1/bank-accounts').set(owner.auth).expect(200);
    await http.get('/v1/users').set(owner.auth).expect(200);
  });

  it('ends a removed user’s session at once', async () => {
    const owner = await signupSeller(http);
    const staff = await addSellerUser(http, owner, 'seller_staff');
    await http.get('/v1/me').set(staff.auth).expect(200);
    await http.delete(`/v1/users/${staff.id}`).set(owner.auth).expect(204);
    await http.get('/v1/me').set(staff.auth).expect(401);
    await http.post('/v1/auth/login').send({ email: staff.email, password: staff.password }).expect(401);
    const self = await http.delete(`/v1/users/${owner.userId}`).set(owner.auth).expect(409);
    expect(self.body.code).toBe('AUTH_CANNOT_DISABLE_SELF');
  });

  it('revokes the API keys a removed owner created, and only theirs', async () => {
    const owner = await signupSeller(http);
    const partner = await addSellerUser(http, owner, 'seller_owner');
    const key = async (by: { auth: Record<string, string> }) =>
      (await http.post('/v1/api-keys').set(by.auth).send({}).expect(201)).body as { id: string; key: string };
    const [theirs, ours] = [await key(partner), await key(owner)];
    await http.get('/v1/me').set('x-api-key', theirs.key).expect(200);
    await http.delete(`/v1/users/${partner.id}`).set(owner.auth).expect(204);
    expect((await http.get('/v1/me').set('x-api-key', theirs.key).expect(401)).body.code).toBe(
      'AUTH_INVALID_TOKEN',
    );
    await http.get('/v1/me').set('x-api-key', ours.key).expect(200);
    const listed = (await http.get('/v1/api-keys').set(owner.auth).expect(200)).body.items as {
      id: string;
      revokedAt: string | null;
      createdBy: { userId: string; email: string | null };
    }[];
    expect(listed.find((k) => k.id === theirs.id)?.revokedAt).toEqual(expect.any(String));
    expect(listed.find((k) => k.id === ours.id)?.revokedAt).toBeNull();
    // Each key says who created it, a removed user too.
    expect(listed.find((k) => k.id === theirs.id)?.createdBy).toEqual({
      userId: partner.id,
      email: partner.email,
    });
    expect(listed.find((k) => k.id === ours.id)?.createdBy).toEqual({
      userId: owner.userId,
      email: owner.email,
    });
  });

  it('refuses an API key whose creator was removed without its keys being revoked (before removal did so)', async () => {
    const owner = await signupSeller(http);
    const partner = await addSellerUser(http, owner, 'seller_owner');
    const made = (await http.post('/v1/api-keys').set(partner.auth).send({}).expect(201)).body as {
      key: string;
    };
    // Removed as it was before removing a user revoked their keys: the key itself is not revoked.
    await t.dataSource.query('UPDATE users SET disabled_at = now() WHERE id = $1', [partner.id]);
    const refused = await http.get('/v1/me').set('x-api-key', made.key).expect(401);
    expect(refused.body.code).toBe('AUTH_INVALID_TOKEN');
    await http.get('/v1/me').set(owner.auth).expect(200);
  });

  it('two owners removing each other at once: one is removed, the other stays and can still sign in', async () => {
    for (let round = 0; round < 6; round += 1) {
      const a = await signupSeller(http);
      const b = await addSellerUser(http, a, 'seller_owner');
      const [ab, ba] = await Promise.all([
        http.delete(`/v1/users/${b.id}`).set(a.auth),
        http.delete(`/v1/users/${a.userId}`).set(b.auth),
      ]);
      expect([ab.status, ba.status].sort()).toEqual([204, 401]);
      const logins = await Promise.all([
        http.post('/v1/auth/login').send({ email: a.email, password: a.password }),
        http.post('/v1/auth/login').send({ email: b.email, password: b.password }),
      ]);
      // The one whose removal went through is out; the other signs in.
      expect(logins.map((l) => l.status)).toEqual(ab.status === 204 ? [200, 401] : [401, 200]);
    }
  });

  it('a key created while its creator is being removed is revoked with the others or refused, never left working', async () => {
    for (let round = 0; round < 4; round += 1) {
      const owner = await signupSeller(http);
      const partner = await addSellerUser(http, owner, 'seller_owner');
      const creating = Array.from({ length: 6 }, () => http.post('/v1/api-keys').set(partner.auth).send({}));
      const [removed, ...created] = await Promise.all([
        http.delete(`/v1/users/${partner.id}`).set(owner.auth),
        ...creating,
      ]);
      expect(removed.status).toBe(204);
      for (const res of created) {
        expect([201, 401]).toContain(res.status);
        if (res.status === 201)
          await http
            .get('/v1/me')
            .set('x-api-key', (res.body as { key: string }).key)
            .expect(401);
      }
    }
  });

  it('logs out one session: that token stops, the same person’s others go on; a bad body is 400 naming it', async () => {
    const owner = await signupSeller(http);
    const login = () =>
      http.post('/v1/auth/login').send({ email: owner.email, password: owner.password }).expect(200);
    const tablet = { authorization: `Bearer ${(await login()).body.accessToken}` };
    const laptop = { authorization: `Bearer ${(await login()).body.accessToken}` };
    const refused = await http.post('/v1/auth/logout').set(tablet).send({ everywhere: 'yes' }).expect(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'everywhere' })]);
    await http.get('/v1/me').set(tablet).expect(200);

    await http.post('/v1/auth/logout').set(tablet).expect(204);
    expect((await http.get('/v1/me').set(tablet).expect(401)).body.code).toBe('AUTH_INVALID_TOKEN');
    await http.post('/v1/auth/logout').set(tablet).expect(401);
    for (const auth of [laptop, owner.auth]) await http.get('/v1/me').set(auth).expect(200);
    await http.post('/v1/auth/logout').set(laptop).send({ everywhere: false }).expect(204);
    await http.get('/v1/me').set(laptop).expect(401);
    await http.get('/v1/me').set(owner.auth).expect(200);
    // Each is kept until its token would have expired anyway.
    const ended = await t.dataSource.query<{ left: number }[]>(
      'SELECT extract(epoch FROM expires_at - ended_at)::int AS left FROM ended_sessions WHERE user_id = $1',
      [owner.userId],
    );
    expect(ended).toHaveLength(2);
    for (const e of ended) expect(e.left).toBeGreaterThan(0);
    // Once those tokens would have expired, the hourly clean-up forgets them (the test's real-time clock
    // is moved past their expiry, wherever it stands).
    const [{ latest }] = await t.dataSource.query<{ latest: Date }[]>(
      'SELECT max(expires_at) AS latest FROM ended_sessions WHERE user_id = $1',
      [owner.userId],
    );
    await t.app.get(AuthService).pruneLoginCounters();
    expect(
      await t.dataSource.query('SELECT 1 FROM ended_sessions WHERE user_id = $1', [owner.userId]),
    ).not.toEqual([]);
    t.realClock.advance(latest.getTime() - t.realClock.now().getTime() + 60_000);
    await t.app.get(AuthService).pruneLoginCounters();
    const left = await t.dataSource.query<unknown[]>('SELECT 1 FROM ended_sessions WHERE user_id = $1', [
      owner.userId,
    ]);
    expect(left).toEqual([]);
  });

  it('logs out everywhere: every token of that person stops, others’ go on; an API key has no session', async () => {
    const owner = await signupSeller(http);
    const login = () =>
      http.post('/v1/auth/login').send({ email: owner.email, password: owner.password }).expect(200);
    const phone = { authorization: `Bearer ${(await login()).body.accessToken}` };
    const staff = await addSellerUser(http, owner, 'seller_staff');
    await http.post('/v1/auth/logout').set(phone).send({ everywhere: true }).expect(204);
    for (const auth of [phone, owner.auth])
      expect((await http.get('/v1/me').set(auth).expect(401)).body.code).toBe('AUTH_INVALID_TOKEN');
    await http.get('/v1/me').set(staff.auth).expect(200);
    // A new login works, and a token from before the logout still does not.
    const again = { authorization: `Bearer ${(await login()).body.accessToken}` };
    await http.get('/v1/me').set(again).expect(200);
    await http.get('/v1/me').set(owner.auth).expect(401);
    const key = (await http.post('/v1/api-keys').set(again).send({}).expect(201)).body.key as string;
    const keyed = await http.post('/v1/auth/logout').set('x-api-key', key).expect(422);
    expect(keyed.body.code).toBe('AUTH_NOT_A_SESSION');
    await http.get('/v1/me').set(again).expect(200);
  });

  it('changes the password with the current one; other sessions end and the answer is the new session', async () => {
    const owner = await signupSeller(http);
    const other = {
      authorization: `Bearer ${(await http.post('/v1/auth/login').send({ email: owner.email, password: owner.password }).expect(200)).body.accessToken}`,
    };
    const wrong = await http
      .post('/v1/auth/password')
      .set(owner.auth)
      .send({ currentPassword: 'not the password', newPassword: 'a brand new secret' })
      .expect(422);
    expect(wrong.body).toMatchObject({
      code: 'AUTH_WRONG_PASSWORD',
      details: [{ field: 'currentPassword', message: expect.any(String) }],
    });
    const weak = await http
      .post('/v1/auth/password')
      .set(owner.auth)
      .send({ currentPassword: owner.password, newPassword: 'zzzzzzzzzzzz' })
      .expect(400);
    expect(weak.body.details.map((d: { field: string }) => d.field)).toEqual(['newPassword']);
    const same = await http
      .post('/v1/auth/password')
      .set(owner.auth)
      .send({ currentPassword: owner.password, newPassword: owner.password })
      .expect(422);
    expect(same.body).toMatchObject({
      code: 'AUTH_PASSWORD_UNCHANGED',
      details: [{ field: 'newPassword', message: 'must differ from the current password' }],
    });
    // A wrong current password given as both is wrong, not unchanged.
    const wrongTwice = await http
      .post('/v1/auth/password')
      .set(owner.auth)
      .send({ currentPassword: 'not the password', newPassword: 'not the password' })
      .expect(422);
    expect(wrongTwice.body.code).toBe('AUTH_WRONG_PASSWORD');
    await http.get('/v1/me').set(other).expect(200); // refusals changed nothing

    const changed = await http
      .post('/v1/auth/password')
      .set(owner.auth)
      .send({ currentPassword: owner.password, newPassword: 'a brand new secret' })
      .expect(200);
    expect(changed.body).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String) });
    await http
      .get('/v1/me')
      .set({ authorization: `Bearer ${changed.body.accessToken}` })
      .expect(200);
    for (const auth of [owner.auth, other]) await http.get('/v1/me').set(auth).expect(401);
    await http.post('/v1/auth/login').send({ email: owner.email, password: owner.password }).expect(401);
    await http
      .post('/v1/auth/login')
      .send({ email: owner.email, password: 'a brand new secret' })
      .expect(200);
  });

  it('of password changes at once, one wins and answers the only working token; the others are refused', async () => {
    const owner = await signupSeller(http);
    const answers = await Promise.all(
      ['first new secret', 'second new secret', 'third new secret'].map((newPassword) =>
        http.post('/v1/auth/password').set(owner.auth).send({ currentPassword: owner.password, newPassword }),
      ),
    );
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    // A loser finds its session ended (401), or, checked after the winner committed, its current password
    // no longer the password (422): either way it changed nothing.
    for (const lost of answers.filter((a) => a.status !== 200)) expect([401, 422]).toContain(lost.status);
    await http
      .get('/v1/me')
      .set({ authorization: `Bearer ${won[0].body.accessToken}` })
      .expect(200);
    const passwords = ['first new secret', 'second new secret', 'third new secret'];
    const logins = await Promise.all(
      passwords.map((password) => http.post('/v1/auth/login').send({ email: owner.email, password })),
    );
    expect(logins.map((l) => l.status).sort()).toEqual([200, 401, 401]);
    expect(passwords[logins.findIndex((l) => l.status === 200)]).toBe(passwords[answers.indexOf(won[0])]);
  });

  it('creates API keys shown once and stored hashed; a revoked key stops working', async () => {
    const owner = await signupSeller(http);
    const created = await http.post('/v1/api-keys').set(owner.auth).send({ name: 'Shopify' }).expect(201);
    const { id, key, prefix } = created.body as { id: string; key: string; prefix: string };
    expect(key.startsWith(prefix)).toBe(true);

    const rows = await t.dataSource.query('SELECT key_hash FROM api_keys WHERE id = $1', [id]);
    expect(rows[0].key_hash).not.toContain(key.slice(prefix.length));
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);

    expect(created.body.createdBy).toEqual({ userId: owner.userId, email: owner.email });
    const list = await http.get('/v1/api-keys').set(owner.auth).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id, prefix, name: 'Shopify', revokedAt: null }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(key);

    // /v1/me with a key describes the key and its seller, not the owner who created it.
    const me = await http.get('/v1/me').set('x-api-key', key).expect(200);
    expect(me.body).toEqual({
      user: null,
      seller: { id: owner.sellerId, name: 'Toko Uji' },
      apiKey: { id, name: 'Shopify', prefix, role: 'seller_staff' },
    });
    expect(me.text).not.toContain(owner.email);
    await http.get('/v1/addresses').set('x-api-key', key).expect(200);
    // An integration key cannot mint more keys or touch bank accounts.
    await http.post('/v1/api-keys').set('x-api-key', key).send({}).expect(403);

    await http.delete(`/v1/api-keys/${id}`).set(owner.auth).expect(204);
    await http.get('/v1/me').set('x-api-key', key).expect(401);
    await http.delete(`/v1/api-keys/${id}`).set(owner.auth).expect(404);
  });

  describe('on another instance that still has the user cached', () => {
    let other: TestApp;
    beforeAll(async () => {
      other = await startTestApp({}, t.db, { configure: (c) => (c.business.caches.users = 60) });
    });
    afterAll(() => other.close());

    /**
     * An owner whose `partner` (another owner) is cached on the other instance, then ended by `end`; the
     * partner's token there must do nothing that outlasts the cache time (their reads go on for it): no
     * user, API key or bank account, no withdrawal, no webhook target or secret.
     */
    async function nothingLastingAfter(
      end: (owner: TestSeller, partner: Awaited<ReturnType<typeof addSellerUser>>) => Promise<void>,
    ) {
      const owner = await signupSeller(http);
      await creditAvailable(t, owner.sellerId, 100_000);
      const bankAccountId = await addBankAccount(http, owner);
      const partner = await addSellerUser(http, owner, 'seller_owner');
      const elsewhere = other.http();
      await elsewhere.get('/v1/me').set(partner.auth).expect(200);
      const settingsBefore = (await http.get('/v1/settings').set(owner.auth).expect(200)).body;
      await end(owner, partner);
      const email = uniqueEmail('backdoor');
      const attempts = await Promise.all([
        elsewhere
          .post('/v1/users')
          .set(partner.auth)
          .send({ email, password: 'kata sandi baru 123', role: 'seller_owner' }),
        elsewhere.post('/v1/bank-accounts').set(partner.auth).send(validBankAccount('9988776655')),
        elsewhere.post('/v1/api-keys').set(partner.auth).send({ name: 'mine' }),
        elsewhere
          .post('/v1/withdrawals')
          .set('Idempotency-Key', randomUUID())
          .set(partner.auth)
          .send({ amount: 50_000, bankAccountId }),
        elsewhere
          .patch('/v1/settings')
          .set(partner.auth)
          .send({ webhookUrl: 'https://[::1]/mine', rotateWebhookSecret: true }),
      ]);
      expect(attempts.map((r) => `${r.status} ${r.body.code}`)).toEqual(
        Array(5).fill('401 AUTH_INVALID_TOKEN'),
      );
      await http.post('/v1/auth/login').send({ email, password: 'kata sandi baru 123' }).expect(401);
      expect((await http.get('/v1/bank-accounts').set(owner.auth).expect(200)).body.items).toHaveLength(1);
      expect((await http.get('/v1/withdrawals').set(owner.auth).expect(200)).body.items).toEqual([]);
      expect((await http.get('/v1/api-keys').set(owner.auth).expect(200)).body.items).toEqual([]);
      expect((await http.get('/v1/settings').set(owner.auth).expect(200)).body).toEqual(settingsBefore);
    }

    it('an owner removed adds no user, API key or bank account, moves no money and redirects no webhook', () =>
      nothingLastingAfter(async (owner, partner) => {
        await http.delete(`/v1/users/${partner.id}`).set(owner.auth).expect(204);
      }));

    it('a session ended by a password change whose notice is not yet heard removes no user, revokes no key and removes no bank account', async () => {
      const owner = await signupSeller(http);
      const bankAccountId = await addBankAccount(http, owner);
      const staff = await addSellerUser(http, owner, 'seller_staff');
      const keyId = (await http.post('/v1/api-keys').set(owner.auth).send({}).expect(201)).body.id as string;
      const partner = await addSellerUser(http, owner, 'seller_owner');
      const elsewhere = other.http();
      await elsewhere.get('/v1/me').set(partner.auth).expect(200);
      // The partner's password changed, its notice not yet heard there: the caches still pass the old token
      // (as in the moment between a change committing and its notice arriving), the database does not.
      await t.dataSource.query('UPDATE users SET session_generation = session_generation + 1 WHERE id = $1', [
        partner.id,
      ]);
      const attempts = await Promise.all([
        elsewhere.delete(`/v1/users/${staff.id}`).set(partner.auth),
        elsewhere.delete(`/v1/api-keys/${keyId}`).set(partner.auth),
        elsewhere.delete(`/v1/bank-accounts/${bankAccountId}`).set(partner.auth),
      ]);
      expect(attempts.map((r) => `${r.status} ${r.body.code}`)).toEqual(
        Array(3).fill('401 AUTH_INVALID_TOKEN'),
      );
      await http.get('/v1/me').set(staff.auth).expect(200);
      const keys = (await http.get('/v1/api-keys').set(owner.auth).expect(200)).body.items as {
        id: string;
        revokedAt: string | null;
      }[];
      expect(keys.find((k) => k.id === keyId)?.revokedAt).toBeNull();
      expect((await http.get('/v1/bank-accounts').set(owner.auth).expect(200)).body.items).toEqual([
        expect.objectContaining({ id: bankAccountId }),
      ]);
    });

    it('nor does a session ended by a password change, or logged out', async () => {
      await nothingLastingAfter(async (_owner, partner) => {
        await http
          .post('/v1/auth/password')
          .set(partner.auth)
          .send({ currentPassword: partner.password, newPassword: 'a new password 4567' })
          .expect(200);
      });
      await nothingLastingAfter(async (_owner, partner) => {
        await http.post('/v1/auth/logout').set(partner.auth).send({}).expect(204);
      });
    });
  });

  it('a key revoked on one instance is refused by another that had it cached, within its cache time', async () => {
    const other = await startTestApp({}, t.db, { configure: (c) => (c.business.caches.apiKeys = 1) });
    try {
      const owner = await signupSeller(http);
      const { id, key } = (await http.post('/v1/api-keys').set(owner.auth).send({}).expect(201)).body as {
        id: string;
        key: string;
      };
      const elsewhere = other.http();
      await elsewhere.get('/v1/me').set('x-api-key', key).expect(200);
      await http.delete(`/v1/api-keys/${id}`).set(owner.auth).expect(204);
      await http.get('/v1/me').set('x-api-key', key).expect(401);
      await waitUntil(
        async () => (await elsewhere.get('/v1/me').set('x-api-key', key)).status === 401,
        'the other instance refuses the revoked key',
        5_000,
      );
    } finally {
      await other.close();
    }
  });

  it('refuses a correctly signed token without an expiry', async () => {
    const owner = await signupSeller(http);
    const forever = t.app.get(JwtService).sign({ sub: owner.userId });
    expect(JSON.parse(Buffer.from(forever.split('.')[1], 'base64url').toString())).not.toHaveProperty('exp');
    const res = await http.get('/v1/me').set('authorization', `Bearer ${forever}`).expect(401);
    expect(res.body.code).toBe('AUTH_INVALID_TOKEN');
    // The same user's ordinary token works.
    await http.get('/v1/me').set(owner.auth).expect(200);
  });

  it('refuses a correctly signed token whose subject is no user id (401, not a failed query)', async () => {
    const jwt = t.app.get(JwtService);
    for (const sub of ['not-a-uuid', 'a\u0000b', 42, ['x']]) {
      const token = jwt.sign({ sub }, { expiresIn: 600 });
      const res = await http.get('/v1/me').set('authorization', `Bearer ${token}`);
      expect([sub, res.status, res.body.code]).toEqual([sub, 401, 'AUTH_INVALID_TOKEN']);
    }
  });

  it('refuses a request carrying both a bearer token and an API key with 400 naming both', async () => {
    const owner = await signupSeller(http);
    const key = (await http.post('/v1/api-keys').set(owner.auth).send({}).expect(201)).body.key as string;
    const res = await http.get('/v1/me').set(owner.auth).set('x-api-key', key).expect(400);
    expect(res.body).toMatchObject({
      code: 'AUTH_AMBIGUOUS_CREDENTIALS',
      details: [
        { field: 'Authorization', message: expect.any(String) },
        { field: 'X-Api-Key', message: expect.any(String) },
      ],
    });
    // Even when one of them is invalid, the pair is refused rather than one silently chosen.
    await http.get('/v1/addresses').set(owner.auth).set('x-api-key', 'kirim_not-a-key').expect(400);
    await http.get('/v1/addresses').set('authorization', 'Bearer nope').set('x-api-key', key).expect(400);
  });

  it('takes one Authorization header holding Bearer and one token, nothing else', async () => {
    const owner = await signupSeller(http);
    const token = owner.auth.authorization.slice('Bearer '.length);
    // Node keeps the first of two headers: whichever order, two are refused, naming the header.
    for (const pair of [
      [`Bearer ${token}`, 'Bearer garbage'],
      ['Bearer garbage', `Bearer ${token}`],
    ]) {
      // superagent sends an array as the header repeated.
      const res = await http.get('/v1/me').set('authorization', pair as unknown as string);
      expect([res.status, res.body.code, res.body.details]).toEqual([
        400,
        'AUTH_AMBIGUOUS_CREDENTIALS',
        [{ field: 'Authorization', message: 'must be sent once' }],
      ]);
    }
    for (const junk of [`Bearer ${token} junk`, `Bearer ${token},x`, `Bearer ${token}\u00a0`, `Bearer`])
      expect((await http.get('/v1/me').set('authorization', junk)).status).toBe(401);
    await http.get('/v1/me').set('authorization', `bearer   ${token}`).expect(200);
  });

  it('rate limits failed logins per email and address with 429 and Retry-After, in real time', async () => {
    const limited = await startTestApp({ LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '600' });
    try {
      const h = limited.http();
      const seller = await signupSeller(h);
      const admin = await createOperator(limited, h, 'admin');
      for (let i = 0; i < 3; i += 1)
        await h.post('/v1/auth/login').send({ email: seller.email, password: 'wrong password' }).expect(401);
      const blocked = await h
        .post('/v1/auth/login')
        .send({ email: seller.email, password: seller.password })
        .expect(429);
      expect(blocked.body).toMatchObject({
        statusCode: 429,
        code: 'AUTH_RATE_LIMITED',
        requestId: expect.any(String),
      });
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(600);
      // Another account from the same address is not locked out.
      const other = await signupSeller(h);
      await h.post('/v1/auth/login').send({ email: other.email, password: other.password }).expect(200);
      // Without TRUST_PROXY, X-Forwarded-For is no address of the caller's choosing: still the same client.
      await h
        .post('/v1/auth/login')
        .set('x-forwarded-for', '198.51.100.23')
        .send({ email: seller.email, password: seller.password })
        .expect(429);
      // Moving the sandbox clock (and the service clock) past the window does not open it…
      await h.post('/sandbox/clock').set(admin.auth).send({ advanceHours: 1 }).expect(200);
      limited.clock.advance(3600_000);
      await h.post('/v1/auth/login').send({ email: seller.email, password: seller.password }).expect(429);
      // …the window passing in real time does.
      limited.realClock.advance(601_000);
      await h.post('/v1/auth/login').send({ email: seller.email, password: seller.password }).expect(200);
    } finally {
      await limited.close();
    }
  });

  describe('behind a proxy (TRUST_PROXY=true): the client address is the one the proxy adds to X-Forwarded-For', () => {
    let proxied: TestApp;
    let h: supertest.Agent;

    beforeAll(async () => {
      proxied = await startTestApp({
        TRUST_PROXY: 'true',
        LOGIN_RATE_LIMIT: '2',
        LOGIN_RATE_LIMIT_PER_IP: '5',
        LOGIN_RATE_LIMIT_PER_ACCOUNT: '4',
        SIGNUP_RATE_LIMIT: '2',
        SIGNUP_RATE_WINDOW_SECONDS: '3600',
        USER_CREATE_RATE_LIMIT: '3',
      });
      h = proxied.http();
    });
    afterAll(() => proxied.close());

    const login = (address: string, email: string, password: string) =>
      h.post('/v1/auth/login').set('x-forwarded-for', address).send({ email, password });
    const signup = (address: string) =>
      h
        .post('/v1/auth/signup')
        .set('x-forwarded-for', address)
        .send({ sellerName: 'Toko Proxy', email: uniqueEmail(), password: 'correct horse battery' });

    it('limits the users an owner adds per seller (USER_CREATE_RATE_LIMIT), a taken email counting too', async () => {
      const owner = (await signup('192.0.2.60').expect(201)).body as {
        accessToken: string;
        user: { email: string };
      };
      const auth = { authorization: `Bearer ${owner.accessToken}` };
      const add = (email: string) =>
        h.post('/v1/users').set(auth).send({ email, password: 'kata sandi staf 123', role: 'seller_staff' });
      await add(uniqueEmail('staf')).expect(201);
      // A registered address answers 409: it counts, or an owner could ask for every address there is.
      await add(owner.user.email).expect(409);
      await add(uniqueEmail('staf')).expect(201);
      const refusedEmail = uniqueEmail('staf');
      const refused = await add(refusedEmail).expect(429);
      expect(refused.body.code).toBe('USERS_RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(await proxied.dataSource.query('SELECT id FROM users WHERE email = $1', [refusedEmail])).toEqual(
        [],
      );
      // Another seller adds its own.
      const other = (await signup('192.0.2.61').expect(201)).body as { accessToken: string };
      await h
        .post('/v1/users')
        .set({ authorization: `Bearer ${other.accessToken}` })
        .send({ email: uniqueEmail('staf'), password: 'kata sandi staf 123', role: 'seller_staff' })
        .expect(201);
    });

    it('locks out only the address that failed: the owner still logs in from another', async () => {
      const owner = (await signup('192.0.2.10').expect(201)).body.user as { email: string };
      for (let i = 0; i < 2; i += 1) await login('203.0.113.7', owner.email, 'guessing wrong').expect(401);
      expect((await login('203.0.113.7', owner.email, 'correct horse battery').expect(429)).body.code).toBe(
        'AUTH_RATE_LIMITED',
      );
      await login('198.51.100.9', owner.email, 'correct horse battery').expect(200);
      // The address that failed may still log in to another account.
      const other = (await signup('192.0.2.11').expect(201)).body.user as { email: string };
      await login('203.0.113.7', other.email, 'correct horse battery').expect(200);
    });

    it('takes the address the proxy appended, not what the client wrote before it: faking it changes nothing', async () => {
      const owner = (await signup('192.0.2.30').expect(201)).body.user as { email: string };
      // The client sends its own X-Forwarded-For; the proxy appends the address it saw (203.0.113.60).
      for (let i = 0; i < 2; i += 1)
        await login(`198.51.100.${i + 1}, 203.0.113.60`, owner.email, 'guessing wrong').expect(401);
      const blocked = await login('198.51.100.99, 203.0.113.60', owner.email, 'correct horse battery');
      expect([blocked.status, blocked.body.code]).toEqual([429, 'AUTH_RATE_LIMITED']);
      await login('198.51.100.99, 203.0.113.61', owner.email, 'correct horse battery').expect(200);
    });

    it('stops guesses at one account from many addresses (LOGIN_RATE_LIMIT_PER_ACCOUNT)', async () => {
      const owner = (await signup('192.0.2.40').expect(201)).body.user as { email: string };
      for (let i = 0; i < 4; i += 1)
        await login(`203.0.113.${100 + i}`, owner.email, 'guessing wrong').expect(401);
      const blocked = await login('203.0.113.120', owner.email, 'correct horse battery').expect(429);
      expect(blocked.body.code).toBe('AUTH_RATE_LIMITED');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // Other accounts, from those same addresses, are not held.
      const other = (await signup('192.0.2.41').expect(201)).body.user as { email: string };
      await login('203.0.113.100', other.email, 'correct horse battery').expect(200);
    });

    it('counts guesses sent at the same moment: only as many as the limits allow are checked', async () => {
      const statuses = (responses: { status: number }[]) =>
        responses.reduce<Record<number, number>>(
          (n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }),
          {},
        );
      const owner = (await signup('192.0.2.50').expect(201)).body.user as { email: string };
      const burst = await Promise.all(
        Array.from({ length: 12 }, () => login('203.0.113.70', owner.email, 'guessing wrong')),
      );
      expect(statuses(burst)).toEqual({ 401: 2, 429: 10 });
      // From six addresses at once, two guesses each: the account's limit (4) holds.
      const spreadOwner = (await signup('192.0.2.51').expect(201)).body.user as { email: string };
      const spread = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          login(`203.0.113.${130 + (i % 6)}`, spreadOwner.email, 'guessing wrong'),
        ),
      );
      expect(statuses(spread)).toEqual({ 401: 4, 429: 8 });
      // A right password is counted only while it is checked: logging in more often than the limit is fine.
      const regular = (await signup('192.0.2.52').expect(201)).body.user as { email: string };
      for (let i = 0; i < 3; i += 1)
        await login('203.0.113.71', regular.email, 'correct horse battery').expect(200);
    });

    it('limits every login attempt per address (LOGIN_RATE_LIMIT_PER_IP), counting each forwarded address apart', async () => {
      const owner = (await signup('192.0.2.20').expect(201)).body.user as { email: string };
      for (let i = 0; i < 5; i += 1)
        await login('203.0.113.50', uniqueEmail(), 'whatever password').expect(401);
      const blocked = await login('203.0.113.50', owner.email, 'correct horse battery').expect(429);
      expect(blocked.body.code).toBe('AUTH_RATE_LIMITED');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      await login('203.0.113.51', owner.email, 'correct horse battery').expect(200);
    });

    it('rate limits signups per address with 429, Retry-After and the error body, writing nothing', async () => {
      await signup('198.51.100.77').expect(201);
      await signup('198.51.100.77').expect(201);
      const sellersBefore = await proxied.dataSource.query('SELECT count(*)::int AS n FROM sellers');
      const refused = await signup('198.51.100.77').expect(429);
      expect(refused.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        code: 'AUTH_SIGNUP_RATE_LIMITED',
        message: expect.any(String),
        details: [],
        requestId: expect.any(String),
      });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
      expect(await proxied.dataSource.query('SELECT count(*)::int AS n FROM sellers')).toEqual(sellersBefore);
      // Another address may sign up; the sandbox clock does not reopen the window, real time does.
      await signup('198.51.100.78').expect(201);
      proxied.clock.advance(2 * 3600_000);
      await signup('198.51.100.77').expect(429);
      proxied.realClock.advance(3600_000);
      await signup('198.51.100.77').expect(201);
    });

    it('counts an IPv6 client by its /64: a new address of the same network for each try changes nothing', async () => {
      await signup('2001:db8:a:b::1').expect(201);
      await signup('2001:db8:a:b::2').expect(201);
      expect((await signup('2001:db8:a:b:ffff::9').expect(429)).body.code).toBe('AUTH_SIGNUP_RATE_LIMITED');
      const owner = (await signup('2001:db8:a:c::1').expect(201)).body.user as { email: string };
      for (const ip of ['2001:db8:f:1::1', '2001:db8:f:1::2'])
        await login(ip, owner.email, 'guessing wrong').expect(401);
      const held = await login('2001:db8:f:1:1:1:1:1', owner.email, 'correct horse battery').expect(429);
      expect(held.body.code).toBe('AUTH_RATE_LIMITED');
      await login('2001:db8:f:2::1', owner.email, 'correct horse battery').expect(200);
    });
  });
});

describe('login limits: one client held at its own limit', () => {
  let t: TestApp;
  let h: supertest.Agent;

  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'true',
      LOGIN_RATE_LIMIT: '2',
      LOGIN_RATE_LIMIT_PER_IP: '10000',
      LOGIN_RATE_LIMIT_PER_ACCOUNT: '3',
    });
    h = t.http();
  });
  afterAll(() => t.close());

  const login = (address: string, email: string, password: string) =>
    h.post('/v1/auth/login').set('x-forwarded-for', address).send({ email, password });

  it('never holds the owner out from elsewhere, however many of its refused guesses are in flight', async () => {
    const owner = (
      await h
        .post('/v1/auth/signup')
        .set('x-forwarded-for', '192.0.2.90')
        .send({ sellerName: 'Toko Tahan', email: uniqueEmail(), password: 'correct horse battery' })
        .expect(201)
    ).body.user as { email: string };
    for (let i = 0; i < 2; i += 1) await login('203.0.113.90', owner.email, 'guessing wrong').expect(401);
    // A right login from elsewhere in the middle of 200 refused guesses, all at once, three times. With the
    // two failures and the login itself (counted while its password is checked) the account is at its three:
    // one refused guess counted against the account too would hold the owner out.
    for (let round = 0; round < 3; round += 1) {
      const sent = Array.from({ length: 201 }, (_, i) =>
        i === 100
          ? login('198.51.100.90', owner.email, 'correct horse battery')
          : login('203.0.113.90', owner.email, 'guessing wrong'),
      );
      const statuses = (await Promise.all(sent)).map((r) => r.status);
      expect([round, statuses[100]]).toEqual([round, 200]);
      expect(new Set(statuses.filter((_, i) => i !== 100))).toEqual(new Set([429]));
    }
  });
});
