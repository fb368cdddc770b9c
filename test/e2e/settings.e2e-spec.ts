import supertest from 'supertest';
import { addSellerUser, signupSeller, TestSeller } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

describe('webhook settings, with private networks refused (as in production)', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let owner: TestSeller;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' });
    http = t.http();
    owner = await signupSeller(http);
    t.dns.set('internal.example.id', ['10.0.0.5']);
    t.dns.set('mixed.example.id', ['93.184.215.14', '127.0.0.1']);
    t.dns.set('metadata.example.id', ['169.254.169.254']);
  });
  afterAll(() => t.close());

  const patch = (body: object, auth = owner.auth) => http.patch('/v1/settings').set(auth).send(body);

  it('shows the webhook secret to the owner only; staff and API keys see that one is set', async () => {
    const set = (await patch({ webhookUrl: 'https://toko.example.id/hook' }).expect(200)).body;
    expect(set).toMatchObject({ webhookSecret: expect.stringMatching(/^whsec_/), webhookSecretSet: true });
    const secret = set.webhookSecret as string;
    expect((await http.get('/v1/settings').set(owner.auth).expect(200)).body.webhookSecret).toBe(secret);

    const staff = await addSellerUser(http, owner, 'seller_staff');
    const key = (await http.post('/v1/api-keys').set(owner.auth).send({ name: 'shop' }).expect(201)).body.key;
    for (const auth of [staff.auth, { 'x-api-key': key as string }]) {
      const seen = await http.get('/v1/settings').set(auth).expect(200);
      expect(seen.body).toMatchObject({ webhookUrl: 'https://toko.example.id/hook', webhookSecretSet: true });
      expect(seen.body).not.toHaveProperty('webhookSecret');
      expect(seen.text).not.toContain(secret);
    }
    // Staff may neither read nor rotate it through PATCH.
    expect((await patch({ rotateWebhookSecret: true }, staff.auth).expect(403)).text).not.toContain(secret);
  });

  it('rotates the webhook secret when the owner asks: the old one is gone everywhere', async () => {
    const before = (await http.get('/v1/settings').set(owner.auth).expect(200)).body.webhookSecret as string;
    const rotated = (await patch({ rotateWebhookSecret: true }).expect(200)).body;
    expect(rotated.webhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(rotated.webhookSecret).not.toBe(before);
    expect((await http.get('/v1/settings').set(owner.auth).expect(200)).body.webhookSecret).toBe(
      rotated.webhookSecret,
    );
    const [row] = await t.dataSource.query(
      'SELECT webhook_secret FROM seller_settings WHERE seller_id = $1',
      [owner.sellerId],
    );
    expect(row.webhook_secret).toBe(rotated.webhookSecret);
    // Without the flag (or with false) nothing rotates.
    expect((await patch({ rotateWebhookSecret: false }).expect(200)).body.webhookSecret).toBe(
      rotated.webhookSecret,
    );
  });

  it.each([
    ['plain http', 'http://toko.example.id/hook', 400, 'VALIDATION_FAILED'],
    ['an overlong URL', `https://toko.example.id/${'a'.repeat(2100)}`, 400, 'VALIDATION_FAILED'],
    ['credentials in the URL', 'https://user:secret@toko.example.id/hook', 400, 'VALIDATION_FAILED'],
    ['a decimal IP spelling', 'https://2130706433/hook', 400, 'VALIDATION_FAILED'],
    // Shown again on the dashboard: a text-direction override would show another address than the real one.
    ['a text-direction override', 'https://toko.example.id/\u202egnp.kooh', 400, 'VALIDATION_FAILED'],
    ['a hex IP spelling of loopback', 'https://0x7f000001/hook', 422, 'SELLERS_WEBHOOK_TARGET_FORBIDDEN'],
    ['loopback', 'https://127.0.0.1/hook', 422, 'SELLERS_WEBHOOK_TARGET_FORBIDDEN'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/hook', 422, 'SELLERS_WEBHOOK_TARGET_FORBIDDEN'],
    ['cloud metadata', 'https://169.254.169.254/latest/meta-data', 422, 'SELLERS_WEBHOOK_TARGET_FORBIDDEN'],
    ['IPv6 cloud metadata', 'https://[fd00:ec2::254]/latest', 422, 'SELLERS_WEBHOOK_TARGET_FORBIDDEN'],
    ['a private network', 'https://10.1.2.3/hook', 422, 'SELLERS_WEBHOOK_TARGET_FORBIDDEN'],
    [
      'a name resolving privately',
      'https://internal.example.id/hook',
      422,
      'SELLERS_WEBHOOK_HOST_UNRESOLVABLE',
    ],
    [
      'a name with one loopback address',
      'https://mixed.example.id/hook',
      422,
      'SELLERS_WEBHOOK_HOST_UNRESOLVABLE',
    ],
    [
      'a name resolving to metadata',
      'https://metadata.example.id/',
      422,
      'SELLERS_WEBHOOK_HOST_UNRESOLVABLE',
    ],
    ['an unresolvable host', 'https://nowhere.example.net/hook', 422, 'SELLERS_WEBHOOK_HOST_UNRESOLVABLE'],
  ])('refuses %s, naming webhookUrl, and writes nothing', async (_what, url, status, code) => {
    const seller = await signupSeller(http);
    const res = await patch({ webhookUrl: url, scoringPreset: 'fastest' }, seller.auth).expect(status);
    expect(res.body).toMatchObject({ code, details: [{ field: 'webhookUrl', message: expect.any(String) }] });
    // An overlong URL is told so, not that it is no URL.
    if (url.length > 2048) expect(res.body.details[0].message).toMatch(/2048/);
    expect(res.text).not.toMatch(/10\.0\.0\.5|127\.0\.0\.1"|169\.254\.169\.254"/);
    const settings = (await http.get('/v1/settings').set(seller.auth).expect(200)).body;
    expect(settings).toMatchObject({ webhookUrl: null, webhookSecretSet: false, scoringPreset: 'balanced' });
  });

  it('checks ten webhook URLs per seller in ten minutes (each is a DNS lookup): the eleventh is 429 with Retry-After', async () => {
    const seller = await signupSeller(http);
    for (let i = 0; i < 10; i += 1)
      await patch({ webhookUrl: `https://toko.example.id/hook-${i}` }, seller.auth).expect(200);
    const refused = await patch({ webhookUrl: 'https://toko.example.id/hook-10' }, seller.auth).expect(429);
    expect(refused.body.code).toBe('SELLERS_WEBHOOK_URL_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(600);
    // Nothing written; other changes, and other sellers' URLs, are not held.
    expect((await http.get('/v1/settings').set(seller.auth).expect(200)).body.webhookUrl).toBe(
      'https://toko.example.id/hook-9',
    );
    await patch({ scoringPreset: 'fastest' }, seller.auth).expect(200);
    await patch({ webhookUrl: 'https://toko.example.id/other' }, (await signupSeller(http)).auth).expect(200);
    t.realClock.advance(601_000);
    await patch({ webhookUrl: 'https://toko.example.id/hook-10' }, seller.auth).expect(200);
  });

  it('refuses a saved host again once its DNS answer has moved to a private address', async () => {
    const seller = await signupSeller(http);
    t.dns.set('moving.example.id', ['93.184.215.14']);
    await patch({ webhookUrl: 'https://moving.example.id/hook' }, seller.auth).expect(200);
    t.dns.set('moving.example.id', ['192.168.1.20']);
    const res = await patch({ webhookUrl: 'https://moving.example.id/hook' }, seller.auth).expect(422);
    expect(res.body.code).toBe('SELLERS_WEBHOOK_HOST_UNRESOLVABLE');
  });

  it('answers a name resolving to Kirim’s own network as it answers one that does not resolve (no map of its names)', async () => {
    const seller = await signupSeller(http);
    t.dns.set('db.example.id', ['10.0.0.5']);
    const answer = async (host: string) => {
      const res = await patch({ webhookUrl: `https://${host}/hook` }, seller.auth).expect(422);
      const { requestId, ...rest } = res.body as { requestId: string };
      expect(requestId).toEqual(expect.any(String));
      return JSON.stringify(rest).replaceAll(host, 'HOST');
    };
    expect(await answer('db.example.id')).toBe(await answer('nowhere.example.net'));
  });
});

describe('webhook settings, with private networks allowed (the development and test default)', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let owner: TestSeller;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    owner = await signupSeller(http);
  });
  afterAll(() => t.close());

  it('accepts a local receiver over plain http, still refuses metadata and plain http to a public host', async () => {
    const local = await http
      .patch('/v1/settings')
      .set(owner.auth)
      .send({ webhookUrl: 'http://127.0.0.1:9999/kirim' })
      .expect(200);
    expect(local.body.webhookUrl).toBe('http://127.0.0.1:9999/kirim');
    const metadata = await http
      .patch('/v1/settings')
      .set(owner.auth)
      .send({ webhookUrl: 'http://169.254.169.254/latest' })
      .expect(422);
    expect(metadata.body.code).toBe('SELLERS_WEBHOOK_TARGET_FORBIDDEN');
    const plain = await http
      .patch('/v1/settings')
      .set(owner.auth)
      .send({ webhookUrl: 'http://toko.example.id/hook' })
      .expect(400);
    expect(plain.body.details).toEqual([{ field: 'webhookUrl', message: expect.stringContaining('https') }]);
  });
});
