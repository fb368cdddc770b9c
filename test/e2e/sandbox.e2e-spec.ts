import supertest from 'supertest';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { signupSeller, TestSeller } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';
import { order } from '../integration/couriers/fixtures';

describe('sandbox control routes', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
  });
  afterAll(() => t.close());

  it('sets faults per courier, validating the body and the courier', async () => {
    const res = await http
      .post('/sandbox/couriers/sap/faults')
      .set(seller.auth)
      .send({ latencyMs: 50 })
      .expect(200);
    expect(res.body).toEqual({ errorRate: 0, timeoutRate: 0, latencyMs: 50 });
    await http.post('/sandbox/couriers/sap/faults').set(seller.auth).send({ latencyMs: 0 }).expect(200);
    const bad = await http
      .post('/sandbox/couriers/sap/faults')
      .set(seller.auth)
      .send({ errorRate: 1.5 })
      .expect(400);
    expect(bad.body.details[0].field).toBe('errorRate');
    expect(
      (await http.post('/sandbox/couriers/dhl/faults').set(seller.auth).send({}).expect(404)).body.code,
    ).toBe('SANDBOX_COURIER_NOT_FOUND');
    await http.post('/sandbox/couriers/sap/faults').send({}).expect(401);
  });

  it('advances and scripts a parcel, which the courier then reports', async () => {
    const sap = t.app.get(CourierRegistry).get('sap');
    const created = await sap.createOrder(order('UDRREG'));
    const advanced = await http
      .post(`/sandbox/parcels/${created.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'delivery_failed', reason: 'consignee_refused' })
      .expect(200);
    expect(advanced.body.steps.at(-1)).toMatchObject({
      status: 'delivery_failed',
      reason: 'consignee_refused',
    });
    const [tracked] = await sap.track([created.awb]);
    expect(tracked.found && tracked.events.at(-1)).toMatchObject({
      status: 'delivery_failed',
      reason: 'consignee_refused',
    });

    const scripted = await http
      .post(`/sandbox/parcels/${created.awb}/script`)
      .set(seller.auth)
      .send({ script: 'failed_then_delivered' })
      .expect(200);
    expect(scripted.body.steps.map((s: { status: string }) => s.status).slice(-3)).toEqual([
      'delivery_failed',
      'out_for_delivery',
      'delivered',
    ]);
    expect(
      (
        await http
          .post('/sandbox/parcels/NOPE123/advance')
          .set(seller.auth)
          .send({ to: 'delivered' })
          .expect(404)
      ).body.code,
    ).toBe('SANDBOX_PARCEL_NOT_FOUND');
    const bad = await http
      .post(`/sandbox/parcels/${created.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'teleported' })
      .expect(400);
    expect(bad.body.details[0].field).toBe('to');
  });

  it('moves the service clock forward', async () => {
    const before = t.clock.now().getTime();
    const res = await http.post('/sandbox/clock').set(seller.auth).send({ advanceHours: 48 }).expect(200);
    expect(new Date(res.body.now).getTime() - before).toBe(48 * 3600_000);
    expect(
      (await http.post('/sandbox/clock').set(seller.auth).send({ advanceHours: -1 }).expect(400)).body
        .details[0].field,
    ).toBe('advanceHours');
  });
});

describe('with every courier’s credentials configured', () => {
  it('has no sandbox routes and runs no sandbox', async () => {
    const creds: Record<string, string> = {};
    for (const name of [
      'JNE_USERNAME',
      'JNE_API_KEY',
      'JNE_CUSTOMER_NO',
      'JNE_COD_CUSTOMER_NO',
      'JNE_BRANCH',
      'JNT_USERNAME',
      'JNT_API_KEY',
      'JNT_ORDER_KEY',
      'JNT_TARIFF_KEY',
      'JNT_CUSTOMER_NAME',
      'JNT_ECCOMPANY_ID',
      'JNT_TRACKING_PASSWORD',
      'SAP_API_KEY',
      'SAP_CUSTOMER_CODE',
      'SAP_COD_CUSTOMER_CODE',
      'NINJA_CLIENT_ID',
      'NINJA_CLIENT_SECRET',
      'IDEXPRESS_APP_ID',
      'IDEXPRESS_SECRET_KEY',
    ]) {
      creds[name] = `configured-${name.toLowerCase()}`;
    }
    for (const c of ['JNE', 'JNT', 'SAP', 'NINJA', 'IDEXPRESS'])
      creds[`${c}_BASE_URL`] = 'http://127.0.0.1:9';
    const t = await startTestApp(creds);
    try {
      const seller = await signupSeller(t.http());
      await t.http().post('/sandbox/clock').set(seller.auth).send({ advanceHours: 1 }).expect(404);
      const couriers = await t.http().get('/v1/couriers').set(seller.auth).expect(200);
      expect(couriers.body.map((c: { sandbox: boolean }) => c.sandbox)).toEqual([
        false,
        false,
        false,
        false,
        false,
      ]);
    } finally {
      await t.close();
    }
  });
});
