import supertest from 'supertest';
import { everyCourierConfigured } from '../support/courier-settings';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { SandboxWorld } from 'src/couriers/sandbox/sandbox-world.service';
import { createOperator } from '../support/factories/operators';
import { createShipment, signupSeller, TestSeller } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';
import { order } from '../integration/couriers/fixtures';

const OPERATOR_TOKEN = 'sandbox-operator-token-for-tests-0123456789';

describe('sandbox control routes', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let admin: { auth: { authorization: string } };

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_OPERATOR_TOKEN: OPERATOR_TOKEN });
    http = t.http();
    seller = await signupSeller(http);
    admin = await createOperator(t, http, 'admin');
  });
  afterAll(() => t.close());

  it('sets faults per courier, validating the body and the courier', async () => {
    const res = await http
      .post('/sandbox/couriers/sap/faults')
      .set(admin.auth)
      .send({ latencyMs: 50 })
      .expect(200);
    expect(res.body).toEqual({ errorRate: 0, timeoutRate: 0, latencyMs: 50 });
    await http.post('/sandbox/couriers/sap/faults').set(admin.auth).send({ latencyMs: 0 }).expect(200);
    const bad = await http
      .post('/sandbox/couriers/sap/faults')
      .set(admin.auth)
      .send({ errorRate: 1.5 })
      .expect(400);
    expect(bad.body.details[0].field).toBe('errorRate');
    expect(
      (await http.post('/sandbox/couriers/dhl/faults').set(admin.auth).send({}).expect(404)).body.code,
    ).toBe('SANDBOX_COURIER_NOT_FOUND');
    await http.post('/sandbox/couriers/sap/faults').send({}).expect(401);
  });

  it('advances and scripts a parcel, which the courier then reports', async () => {
    const sap = t.app.get(CourierRegistry).get('sap');
    const created = await sap.createOrder(order('UDRREG'));
    const advanced = await http
      .post(`/sandbox/parcels/${created.awb}/advance`)
      .set(admin.auth)
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
      .set(admin.auth)
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
          .set(admin.auth)
          .send({ to: 'delivered' })
          .expect(404)
      ).body.code,
    ).toBe('SANDBOX_PARCEL_NOT_FOUND');
    const bad = await http
      .post(`/sandbox/parcels/${created.awb}/advance`)
      .set(admin.auth)
      .send({ to: 'teleported' })
      .expect(400);
    expect(bad.body.details[0].field).toBe('to');
  });

  it('names the day of a remittance window the calendar does not have, rather than rolling it over', async () => {
    const window = async (from: string, to: string) =>
      (
        await http.get('/sandbox/couriers/jne/remittance').query({ from, to }).set(admin.auth).expect(400)
      ).body.details.map((d: { field: string }) => d.field);
    // 30 February read as 2 March (a report of the wrong days); month 13 was blamed on `to`.
    expect(await window('2026-02-30', '2026-03-05')).toEqual(['from']);
    expect(await window('2026-13-45', '2026-12-31')).toEqual(['from']);
    expect(await window('2026-01-01', '2026-04-31')).toEqual(['to']);
    await http
      .get('/sandbox/couriers/jne/remittance')
      .query({ from: '2026-02-28', to: '2026-03-01' })
      .set(admin.auth)
      .expect(200);
  });

  it('moves the service clock forward', async () => {
    const before = t.clock.now().getTime();
    const res = await http.post('/sandbox/clock').set(admin.auth).send({ advanceHours: 48 }).expect(200);
    expect(new Date(res.body.now).getTime() - before).toBe(48 * 3600_000);
    expect(
      (await http.post('/sandbox/clock').set(admin.auth).send({ advanceHours: -1 }).expect(400)).body
        .details[0].field,
    ).toBe('advanceHours');
  });
  it('keeps faults, the clock and jobs for operators: sellers, their API keys and finance get 403', async () => {
    const key = (await http.post('/v1/api-keys').set(seller.auth).send({}).expect(201)).body.key as string;
    const finance = await createOperator(t, http, 'finance');
    for (const auth of [seller.auth, { 'x-api-key': key }, finance.auth]) {
      for (const [path, body] of [
        ['/sandbox/couriers/sap/faults', { errorRate: 1 }],
        ['/sandbox/clock', { advanceHours: 1 }],
        ['/sandbox/jobs/pickups/run', {}],
      ] as const) {
        const res = await http.post(path).set(auth).send(body);
        expect([path, res.status, res.body.code]).toEqual([path, 403, 'AUTH_FORBIDDEN']);
      }
    }
    const faults = await http.post('/sandbox/couriers/sap/faults').set(admin.auth).send({}).expect(200);
    expect(faults.body.errorRate).toBe(0);
  });

  /** A shipment of `owner` booked with a courier through the pickup outbox; its courier and AWB. */
  async function booked(owner: TestSeller): Promise<{ id: string; courier: string; awb: string }> {
    const shipment = await createShipment(http, owner);
    await http
      .post('/v1/pickups')
      .set(owner.auth)
      .send({ shipmentIds: [shipment.id] })
      .expect(202);
    await http.post('/sandbox/jobs/pickups/run').set(admin.auth).send({}).expect(200);
    const s = (await http.get(`/v1/shipments/${shipment.id}`).set(owner.auth).expect(200)).body;
    expect(s.status).toBe('booked');
    return { id: shipment.id, courier: s.courier.code, awb: s.awb };
  }

  it('lets a seller drive only its own parcels, earlier bookings included; another seller’s AWB is 404', async () => {
    const other = await signupSeller(http, 'Toko Lain');
    const mine = await booked(seller);
    const steps = async (awb: string) =>
      JSON.stringify(await t.app.get(SandboxWorld).find(mine.courier as never, awb));

    const before = await steps(mine.awb);
    for (const [path, body] of [
      [`/sandbox/parcels/${mine.awb}/advance`, { to: 'picked_up' }],
      [`/sandbox/parcels/${mine.awb}/script`, { script: 'happy' }],
    ] as const) {
      const res = await http.post(path).set(other.auth).send(body).expect(404);
      expect(res.body.code).toBe('SANDBOX_PARCEL_NOT_FOUND');
    }
    expect(await steps(mine.awb)).toBe(before);

    // The courier cancels; the shipment is re-booked elsewhere. The old AWB is still the seller's.
    await http
      .post(`/sandbox/parcels/${mine.awb}/script`)
      .set(seller.auth)
      .send({ script: 'courier_cancelled' })
      .expect(200);
    await http.post('/sandbox/clock').set(admin.auth).send({ advanceHours: 1 }).expect(200);
    await http.post('/sandbox/jobs/tracking-poll/run').set(admin.auth).send({}).expect(200);
    await http.post('/sandbox/jobs/pickups/run').set(admin.auth).send({}).expect(200);
    const now = (await http.get(`/v1/shipments/${mine.id}`).set(seller.auth).expect(200)).body;
    expect(now.awb).not.toBe(mine.awb);
    const earlier = await http
      .post(`/sandbox/parcels/${mine.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'picked_up' });
    expect(earlier.status).toBe(200);
    await http
      .post(`/sandbox/parcels/${mine.awb}/advance`)
      .set(other.auth)
      .send({ to: 'picked_up' })
      .expect(404);

    // The new AWB: the owner (and its API key) drive it, the other seller does not; an admin drives any.
    const key = (await http.post('/v1/api-keys').set(seller.auth).send({}).expect(201)).body.key as string;
    await http
      .post(`/sandbox/parcels/${now.awb}/advance`)
      .set('x-api-key', key)
      .send({ to: 'picked_up' })
      .expect(200);
    await http
      .post(`/sandbox/parcels/${now.awb}/script`)
      .set(other.auth)
      .send({ script: 'happy' })
      .expect(404);
    await http
      .post(`/sandbox/parcels/${now.awb}/advance`)
      .set(admin.auth)
      .send({ to: 'in_transit' })
      .expect(200);
  });

  it('accepts the sandbox operator token as an admin, on the sandbox routes only', async () => {
    const operator = { 'x-sandbox-operator-token': OPERATOR_TOKEN };
    await http.post('/sandbox/couriers/sap/faults').set(operator).send({ latencyMs: 0 }).expect(200);
    await http.post('/sandbox/clock').set(operator).send({ advanceHours: 0 }).expect(200);
    await http.post('/sandbox/jobs/pickups/run').set(operator).send({}).expect(200);
    const parcel = await booked(seller);
    await http
      .post(`/sandbox/parcels/${parcel.awb}/advance`)
      .set(operator)
      .send({ to: 'picked_up' })
      .expect(200);

    // Anything else than the exact token is refused.
    for (const wrong of [
      OPERATOR_TOKEN.slice(0, -1) + 'x',
      OPERATOR_TOKEN.slice(0, 10),
      OPERATOR_TOKEN.toUpperCase(),
    ]) {
      const res = await http
        .post('/sandbox/clock')
        .set('x-sandbox-operator-token', wrong)
        .send({ advanceHours: 0 });
      expect(res.status).toBe(401);
    }
    // Outside /sandbox it is no credential at all.
    expect((await http.get('/v1/me').set(operator).expect(401)).body.code).toBe('AUTH_UNAUTHENTICATED');
    await http.get('/v1/couriers').set(operator).expect(401);
    // With another credential, the request is refused rather than one of them chosen.
    const both = await http
      .post('/sandbox/clock')
      .set(operator)
      .set(seller.auth)
      .send({ advanceHours: 0 })
      .expect(400);
    expect(both.body).toMatchObject({
      code: 'AUTH_AMBIGUOUS_CREDENTIALS',
      details: [{ field: 'Authorization' }, { field: 'X-Sandbox-Operator-Token' }],
    });
  });
});

describe('with every courier’s credentials configured', () => {
  it('has no sandbox routes and runs no sandbox', async () => {
    const t = await startTestApp(everyCourierConfigured('http://127.0.0.1:9'));
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
