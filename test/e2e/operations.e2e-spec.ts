import supertest from 'supertest';
import { createAddress, signupSeller, TestSeller, validBankAccount } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

describe('operations and seller resources over HTTP', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
  });
  afterAll(() => t.close());

  it('answers liveness and readiness', async () => {
    expect((await http.get('/health').expect(200)).body.status).toBe('ok');
    const ready = await http.get('/health/ready').expect(200);
    expect(ready.body.details.database.status).toBe('up');
  });

  it('exposes Prometheus metrics with request durations by route template', async () => {
    await createAddress(http, seller);
    const res = await http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /kirim_http_request_duration_seconds_count\{method="POST",route="\/v1\/addresses",status="201"\} [1-9]/,
    );
    expect(res.text).toContain('kirim_process_cpu_seconds_total');
    // Courier codes no status table knows are counted per courier and code (couriers/unknown-codes.ts).
    expect(res.text).toContain('# TYPE kirim_courier_unmapped_codes_total counter');
  });

  it('asks for METRICS_TOKEN as a bearer token when it is set, compared whole', async () => {
    const guarded = await startTestApp({ METRICS_TOKEN: 'scraper-token-0123456789' });
    try {
      const h = guarded.http();
      for (const authorization of [
        undefined,
        'Bearer scraper-token-012345678',
        'Basic scraper-token-0123456789',
        'Bearer scraper-token-0123456789 and more',
      ]) {
        const res = await (authorization
          ? h.get('/metrics').set('authorization', authorization)
          : h.get('/metrics'));
        expect([authorization, res.status, res.body.code]).toEqual([
          authorization,
          401,
          'AUTH_INVALID_TOKEN',
        ]);
      }
      const res = await h.get('/metrics').set('authorization', 'Bearer scraper-token-0123456789').expect(200);
      expect(res.text).toContain('kirim_process_cpu_seconds_total');
      await h.get('/health').expect(200);
    } finally {
      await guarded.close();
    }
  });

  it('serves OpenAPI JSON with schemas and the Swagger UI', async () => {
    const doc = (await http.get('/docs-json').expect(200)).body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.schemas.CreateAddressDto.required).toEqual(
      expect.arrayContaining([
        'label',
        'contactName',
        'phone',
        'address',
        'district',
        'city',
        'province',
        'postalCode',
      ]),
    );
    expect(doc.components.securitySchemes).toHaveProperty('apiKey');
    const ui = await http.get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('echoes a caller’s request id, or makes one, in the header and in error bodies', async () => {
    const mine = await http
      .get('/v1/addresses/not-an-id')
      .set(seller.auth)
      .set('x-request-id', 'trace-abc-123')
      .expect(404);
    expect(mine.headers['x-request-id']).toBe('trace-abc-123');
    expect(mine.body.requestId).toBe('trace-abc-123');
    const made = await http.get('/nowhere').expect(404);
    expect(made.body).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      requestId: made.headers['x-request-id'],
    });
  });

  it('pages lists newest first with a cursor, without gaps or repeats', async () => {
    const owner = await signupSeller(http);
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      ids.push((await createAddress(http, owner, `A${i}`)).id);
      t.clock.advance(i % 2 ? 0 : 1000); // some share a timestamp: the id breaks the tie
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const res: supertest.Response = await http
        .get(`/v1/addresses?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        .set(owner.auth)
        .expect(200);
      sizes.push(res.body.items.length);
      seen.push(...res.body.items.map((a: { id: string }) => a.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen.slice().sort()).toEqual(ids.slice().sort());
    const all = (await http.get('/v1/addresses?limit=500').set(owner.auth).expect(200)).body.items as {
      label: string;
      createdAt: string;
    }[];
    const times = all.map((a) => a.createdAt);
    expect(times).toEqual(times.slice().sort().reverse());
    expect(all[6].label).toBe('A0');
  });

  it('updates and deletes an address; a deleted address is gone from lists and lookups', async () => {
    const { id } = await createAddress(http, seller, 'Old label');
    const patched = await http
      .patch(`/v1/addresses/${id}`)
      .set(seller.auth)
      .send({ label: 'New label', phone: '628111222333' })
      .expect(200);
    expect(patched.body).toMatchObject({
      id,
      label: 'New label',
      phone: '+628111222333',
      city: 'Kota Bandung', // the area directory's name for the Bandung typed at creation
    });
    await http.delete(`/v1/addresses/${id}`).set(seller.auth).expect(204);
    await http.get(`/v1/addresses/${id}`).set(seller.auth).expect(404);
    await http.delete(`/v1/addresses/${id}`).set(seller.auth).expect(404);
  });

  it('masks bank account numbers and refuses a duplicate account', async () => {
    const created = await http
      .post('/v1/bank-accounts')
      .set(seller.auth)
      .send(validBankAccount('1234-5678-9012'))
      .expect(201);
    expect(created.body).toMatchObject({
      bankCode: 'BCA',
      accountNumber: '********9012',
      accountName: 'Sekar Ayu',
    });
    const listed = await http.get('/v1/bank-accounts').set(seller.auth).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain('123456789012');
    const dup = await http
      .post('/v1/bank-accounts')
      .set(seller.auth)
      .send({ ...validBankAccount('123456789012'), bankCode: 'bca' })
      .expect(409);
    expect(dup.body).toMatchObject({
      code: 'SELLERS_BANK_ACCOUNT_EXISTS',
      details: [{ field: 'accountNumber', message: expect.any(String) }],
    });
    await http.delete(`/v1/bank-accounts/${created.body.id}`).set(seller.auth).expect(204);
    await http.post('/v1/bank-accounts').set(seller.auth).send(validBankAccount('123456789012')).expect(201);
  });

  it('generates the webhook secret when a webhook URL is first set, keeps it, and rotates on request', async () => {
    const owner = await signupSeller(http);
    const initial = (await http.get('/v1/settings').set(owner.auth).expect(200)).body;
    expect(initial).toMatchObject({
      scoringPreset: 'balanced',
      webhookUrl: null,
      webhookSecret: null,
      lostMarginPerFailure: 15000,
    });

    const set = (
      await http
        .patch('/v1/settings')
        .set(owner.auth)
        .send({ webhookUrl: 'https://toko.example.id/hook' })
        .expect(200)
    ).body;
    expect(set.webhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    const changed = (
      await http
        .patch('/v1/settings')
        .set(owner.auth)
        .send({ scoringPreset: 'safest', lostMarginPerFailure: 25000 })
        .expect(200)
    ).body;
    expect(changed).toMatchObject({
      scoringPreset: 'safest',
      lostMarginPerFailure: 25000,
      webhookSecret: set.webhookSecret,
    });
    const rotated = (
      await http.patch('/v1/settings').set(owner.auth).send({ rotateWebhookSecret: true }).expect(200)
    ).body;
    expect(rotated.webhookSecret).not.toBe(set.webhookSecret);
    const cleared = (await http.patch('/v1/settings').set(owner.auth).send({ webhookUrl: null }).expect(200))
      .body;
    expect(cleared.webhookUrl).toBeNull();
  });
});
