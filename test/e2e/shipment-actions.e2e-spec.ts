import supertest from 'supertest';
import { ShipmentActionErrorKind1795502500000 } from '../../migrations/1795502500000-ShipmentActionErrorKind';
import type { CourierCode, ParcelActionOutcome } from 'src/couriers/courier-adapter';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { CourierUnavailableError } from 'src/couriers/courier.errors';
import { CourierLocations, type LocationRow } from 'src/couriers/locations';
import { SandboxWorld } from 'src/couriers/sandbox/sandbox-world.service';
import { verifySignature } from 'src/sellers/notifications/webhook-signature';
import { WebhookSender } from 'src/sellers/notifications/webhook-sender.service';
import { PickupService } from 'src/shipments/pickup.service';
import { ShipmentsService } from 'src/shipments/shipments.service';
import { AlertsService } from 'src/tracking/alerts.service';
import { ShipmentActionsRepository } from 'src/tracking/shipment-actions.repository';
import { TrackedShipments } from 'src/shipments/tracked-shipments.service';
import { createOperator } from '../support/factories/operators';
import {
  createAddress,
  signupSeller,
  subscribeWebhooks,
  TestSeller,
  validShipment,
} from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { WebhookReceiver } from '../support/webhook-receiver';
import { withActionAnswersLost } from '../support/lost-answers';
import { rerunMigration } from '../support/migration-rerun';

const HOUR = 3600_000;

/** One service of each courier (config/defaults.ts catalogue), pinned on the shipment. */
const SERVICE: Record<CourierCode, string> = {
  jne: 'REG',
  jnt: 'EZ',
  sap: 'UDRREG',
  ninja: 'STANDARD',
  idexpress: '00',
};

interface Booked {
  id: string;
  reference: string;
  awb: string;
  courier: CourierCode;
}

interface ActionBody {
  id: string;
  action: string;
  status: string;
  note: string | null;
  address: Record<string, string> | null;
  confirmedWithBuyer: boolean;
  alertId: string | null;
  courier: string;
  awb: string;
  courierReference: string | null;
  error: string | null;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Seller actions over real HTTP, sent to the couriers' sandboxes: what the courier does with them (its
 * world re-plans the parcel), what the seller sees on the shipment, and the signed webhook it gets.
 */
describe('seller actions on a shipment: re-attempt, return, address correction, hold', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller & { secret: string };
  let other: TestSeller;
  let admin: { auth: { authorization: string } };
  let origin: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    receiver = await WebhookReceiver.start();
    const s = await signupSeller(http, 'Toko Aksi');
    seller = { ...s, secret: await subscribeWebhooks(http, s, receiver.url('/aksi')) };
    other = await signupSeller(http, 'Toko Lain');
    admin = await createOperator(t, http, 'admin');
    origin = (await createAddress(http, seller)).id;
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await receiver.stop();
    await t.close();
  });

  const world = () => t.app.get(SandboxWorld);
  const courierOf = (code: CourierCode) => t.app.get(CourierRegistry).get(code);

  /** A booked shipment, pinned to `courier`; left to the scoring without one (re-booked elsewhere when dropped). */
  async function book(courier?: CourierCode): Promise<Booked> {
    const pinned = courier ? { courier: { code: courier, service: SERVICE[courier] } } : {};
    const created = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({ ...validShipment(origin), ...pinned })
      .expect(201);
    await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [created.body.id] })
      .expect(202);
    while ((await t.app.get(PickupService).processDue(50)) > 0);
    const s = await shipment(created.body.id);
    expect(s).toMatchObject({ status: 'booked', awb: expect.any(String) });
    return { id: s.id, reference: s.reference, awb: s.awb, courier: s.courier.code };
  }

  /** Drives the parcel at its courier through `steps` (an hour apart), then polls it: the shipment follows. */
  async function drive(b: Booked, ...steps: { to: string; reason?: string }[]): Promise<void> {
    for (const step of steps) {
      t.clock.advance(HOUR);
      await http.post(`/sandbox/parcels/${b.awb}/advance`).set(seller.auth).send(step).expect(200);
    }
    await pollNow(b);
  }
  async function pollNow(b: Booked): Promise<void> {
    await t.app.get(TrackedShipments).pollBy(b.id, t.clock.now());
    await http.post('/sandbox/jobs/tracking-poll/run').set(admin.auth).send({}).expect(200);
  }
  const failedAttempt = { to: 'delivery_failed', reason: 'consignee_absent' };
  const inTransit = [{ to: 'picked_up' }, { to: 'in_transit' }];

  const shipment = async (id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
  const act = (b: Booked | string, body: object, as: TestSeller = seller) =>
    http
      .post(`/v1/shipments/${typeof b === 'string' ? b : b.id}/actions`)
      .set(as.auth)
      .send(body);
  /** The seller actions the courier's sandbox took for the parcel. */
  const atCourier = async (b: Booked) => (await world().find(b.courier, b.awb))!.actions;
  const rows = (shipmentId: string) =>
    t.dataSource.query<{ status: string }[]>('SELECT status FROM shipment_actions WHERE shipment_id = $1', [
      shipmentId,
    ]);

  /** The `shipment.action_updated` events the seller's receiver got for `shipmentId`, after the outbox ran. */
  async function actionWebhooks(shipmentId: string) {
    await t.app.get(WebhookSender).runDue();
    return receiver.received
      .filter((r) => r.path === '/aksi' && r.type === 'shipment.action_updated')
      .map((r) => ({ ...r, body: JSON.parse(r.rawBody.toString('utf8')) as Record<string, never> }))
      .filter((r) => (r.body.data as { shipmentId: string }).shipmentId === shipmentId);
  }

  it('re-attempt after a failed attempt, confirmed with the buyer: the courier re-plans the delivery; the alert acted on is acknowledged; the seller gets a signed webhook', async () => {
    const b = await book('jne');
    await drive(b, ...inTransit, { to: 'out_for_delivery' }, failedAttempt);
    const failed = await shipment(b.id);
    expect(failed.status).toBe('delivery_failed');
    const alert = (failed.alerts as { id: string; rule: string; acknowledgedAt: string | null }[]).find(
      (a) => a.rule === 'failed_attempt',
    )!;
    expect(alert.acknowledgedAt).toBeNull();

    const res = await act(b, {
      action: 'reattempt',
      confirmedWithBuyer: true,
      note: ' Penerima di rumah setelah jam 17.00 ',
      alertId: alert.id,
    }).expect(202);
    const body = res.body as ActionBody;
    expect(body).toEqual({
      id: expect.any(String),
      action: 'reattempt',
      status: 'sent',
      note: 'Penerima di rumah setelah jam 17.00',
      address: null,
      confirmedWithBuyer: true,
      alertId: alert.id,
      courier: 'jne',
      awb: b.awb,
      courierReference: expect.any(String),
      error: null,
      errorKind: null,
      requestedBy: `user:${seller.userId}`,
      createdAt: t.clock.now().toISOString(),
      updatedAt: t.clock.now().toISOString(),
    });

    // The courier took it, confirmed, and planned another delivery run.
    const parcel = (await world().find(b.courier, b.awb))!;
    expect(parcel.actions).toEqual([
      expect.objectContaining({
        kind: 'reattempt',
        reference: body.courierReference,
        confirmedWithBuyer: true,
        note: 'Penerima di rumah setelah jam 17.00',
      }),
    ]);
    const ahead = parcel.plan.filter((s) => s.at > t.clock.now().toISOString()).map((s) => s.status);
    expect(ahead[0]).toBe('out_for_delivery');

    const after = await shipment(b.id);
    expect(after.actions).toEqual([body]);
    expect(after.alerts.find((a: { id: string }) => a.id === alert.id).acknowledgedAt).toBe(
      t.clock.now().toISOString(),
    );

    const hooks = await actionWebhooks(b.id);
    expect(hooks.map((h) => h.body.data)).toEqual([
      {
        shipmentId: b.id,
        reference: b.reference,
        action: {
          id: body.id,
          action: 'reattempt',
          status: 'sent',
          courierReference: body.courierReference,
          error: null,
          errorKind: null,
        },
      },
    ]);
    expect(
      verifySignature(seller.secret, hooks[0].rawBody, hooks[0].signature, t.realClock.now()).valid,
    ).toBe(true);
  });

  it('return while in transit: the courier starts it at once, and the next poll shows the shipment returning', async () => {
    const b = await book('ninja');
    await drive(b, ...inTransit);
    expect((await shipment(b.id)).status).toBe('in_transit');
    // Through an integration's API key: the action says which key asked.
    const key = (await http.post('/v1/api-keys').set(seller.auth).send({ name: 'toko-online' }).expect(201))
      .body;
    const res = await http
      .post(`/v1/shipments/${b.id}/actions`)
      .set('x-api-key', key.key as string)
      .send({ action: 'return', note: 'Pembeli membatalkan pesanan' })
      .expect(202);
    expect(res.body).toMatchObject({
      action: 'return',
      status: 'sent',
      courier: 'ninja',
      requestedBy: `api_key:${key.id as string}`,
    });
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['return']);

    // The accepted action brought the shipment's next poll forward to now.
    await http.post('/sandbox/jobs/tracking-poll/run').set(admin.auth).send({}).expect(200);
    const after = await shipment(b.id);
    expect(after.status).toBe('returning');
    expect(after.actions.map((a: ActionBody) => [a.action, a.status])).toEqual([['return', 'sent']]);
    // The return is the seller's own choice: no "return started, contact the buyer" alert against it.
    expect(after.alerts).toEqual([]);
    expect(after.risk).toBe('none');

    // A return the courier started on its own, on the same route, is one.
    const c = await book('ninja');
    await drive(c, ...inTransit, { to: 'returning', reason: 'max_attempts' });
    const returned = await shipment(c.id);
    expect(returned.status).toBe('returning');
    expect(returned.alerts.map((a: { rule: string }) => a.rule)).toEqual(['return_started']);
  });

  it('update_address: the courier takes the corrected address, which becomes the shipment’s recipient (phone in E.164, name kept)', async () => {
    const b = await book('idexpress');
    await drive(
      b,
      ...inTransit,
      { to: 'out_for_delivery' },
      { to: 'delivery_failed', reason: 'address_problem' },
    );
    const address = {
      address: 'Jl. Kebon Kacang Raya No. 12 Blok C',
      district: 'Tanah Abang',
      city: 'Jakarta Pusat',
      province: 'dki jakarta',
      postalCode: '10240',
      phone: '0813 1111 2222',
    };
    // Another city is refused: the parcel was priced and booked for its own.
    const elsewhere = await act(b, {
      action: 'update_address',
      address: {
        ...address,
        district: 'Wonokromo',
        city: 'Surabaya',
        province: 'jawa timur',
        postalCode: '60241',
      },
    }).expect(422);
    expect(elsewhere.body).toMatchObject({
      code: 'SHIPMENTS_ADDRESS_OUTSIDE_CITY',
      details: [{ field: 'address.city', message: expect.stringContaining('Jakarta Pusat') }],
    });
    expect(await atCourier(b)).toEqual([]);
    // A place the directory cannot resolve is refused before the courier is asked.
    const unknown = await act(b, {
      action: 'update_address',
      address: { ...address, district: 'Xylofon' },
    }).expect(422);
    expect(unknown.body.details[0]).toMatchObject({
      field: 'address.district',
      suggestions: expect.any(Array),
    });
    expect(await atCourier(b)).toEqual([]);
    const res = await act(b, { action: 'update_address', address }).expect(202);
    const sentAddress = {
      name: 'Budi Santoso',
      phone: '+6281311112222',
      address: 'Jl. Kebon Kacang Raya No. 12 Blok C',
      district: 'Tanah Abang',
      city: 'Kota Administrasi Jakarta Pusat',
      province: 'DKI Jakarta',
      postalCode: '10240',
    };
    expect(res.body).toMatchObject({ action: 'update_address', status: 'sent', address: sentAddress });
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['update_address']);
    const after = await shipment(b.id);
    expect(after.recipient).toEqual({ ...sentAddress, districtCode: expect.stringMatching(/^31\.71\./) });
    expect(after.status).toBe('delivery_failed');
  });

  it('update_address to a courier that takes it by location code: without a district, or to a district it has no code for, is 422 naming address.district, nothing recorded and the courier not asked', async () => {
    const b = await book('sap');
    await drive(
      b,
      ...inTransit,
      { to: 'out_for_delivery' },
      { to: 'delivery_failed', reason: 'address_problem' },
    );
    const address = {
      address: 'Jl. Kebon Kacang Raya No. 12',
      city: 'Jakarta Pusat',
      province: 'DKI Jakarta',
      postalCode: '10240',
    };
    // No district (it is optional): SAP is sent a district's code, so it cannot be sent this address.
    const noDistrict = await act(b, { action: 'update_address', address }).expect(422);
    expect(noDistrict.body).toMatchObject({
      code: 'SHIPMENTS_ADDRESS_NOT_MAPPED',
      details: [{ field: 'address.district', message: expect.stringContaining('SAP Express') }],
    });
    // A district SAP's mapping does not have (Tanah Abang, 31.71.07): area_not_mapped, as for a booking.
    const locations = t.app.get(CourierLocations);
    const mapping = await t.dataSource.query<LocationRow[]>(
      `SELECT district_code AS "districtCode", code, label, city_code AS "cityCode", city_label AS "cityLabel",
              province_label AS "provinceLabel" FROM courier_location_codes WHERE courier = 'sap'`,
    );
    await locations.load(
      'sap',
      mapping.filter((r) => r.districtCode !== '31.71.07'),
      'sandbox',
    );
    try {
      const unmapped = await act(b, {
        action: 'update_address',
        address: { ...address, district: 'Tanah Abang' },
      }).expect(422);
      expect(unmapped.body).toMatchObject({
        code: 'SHIPMENTS_ADDRESS_NOT_MAPPED',
        details: [{ field: 'address.district', message: expect.stringContaining('area_not_mapped') }],
      });
      expect(await rows(b.id)).toEqual([]);
      expect(await atCourier(b)).toEqual([]);
    } finally {
      await locations.load('sap', mapping, 'sandbox');
    }
    // A district it has a code for is sent.
    const sent = await act(b, {
      action: 'update_address',
      address: { ...address, district: 'Tanah Abang' },
    }).expect(202);
    expect(sent.body).toMatchObject({ status: 'sent', address: { district: 'Tanah Abang' } });
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['update_address']);
  });

  it('an instruction the courier already has is not sent again: a second re-attempt for the same failed attempt or a second return is 409, nothing recorded; after the next failure a re-attempt is asked anew', async () => {
    const b = await book('jne');
    await drive(b, ...inTransit, { to: 'out_for_delivery' }, failedAttempt);
    const first = await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(202);
    expect(first.body.status).toBe('sent');
    t.clock.advance(HOUR);
    const again = await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(409);
    expect(again.body.code).toBe('SHIPMENTS_ACTION_ALREADY_TAKEN');
    expect(again.body.details).toEqual([
      {
        field: 'action',
        message: `a re-attempt for this failed delivery attempt was already sent to the courier (action ${first.body.id}); ask again if the next attempt fails`,
      },
    ]);
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['reattempt']);
    expect(await rows(b.id)).toEqual([{ status: 'sent' }]);
    // The shipment says so, for a page to offer no second re-attempt.
    expect(await shipment(b.id)).toMatchObject({ failedAttempts: 1, reattemptAskedAt: first.body.createdAt });

    // The courier tried again and failed again: that failure may be answered.
    await drive(b, { to: 'out_for_delivery' }, failedAttempt);
    expect(await shipment(b.id)).toMatchObject({
      status: 'delivery_failed',
      attempts: 2,
      failedAttempts: 2,
      reattemptAskedAt: null,
    });
    await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(202);
    const ret = await act(b, { action: 'return' }).expect(202);
    const twice = await act(b, { action: 'return' }).expect(409);
    expect(twice.body.code).toBe('SHIPMENTS_ACTION_ALREADY_TAKEN');
    expect(twice.body.message).toBe(`a return was already sent to the courier (action ${ret.body.id})`);
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['reattempt', 'reattempt', 'return']);
    expect((await rows(b.id)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('a re-attempt for a failed attempt not polled yet is asked of the courier, not refused as a repeat: the courier is asked first', async () => {
    const b = await book('jnt');
    await drive(b, ...inTransit, { to: 'out_for_delivery' }, failedAttempt);
    await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(202);
    // The second attempt fails at the courier; the buyer tells the seller before any poll tells Kirim.
    for (const step of [{ to: 'out_for_delivery' }, failedAttempt]) {
      t.clock.advance(HOUR);
      await http.post(`/sandbox/parcels/${b.awb}/advance`).set(seller.auth).send(step).expect(200);
    }
    expect(await shipment(b.id)).toMatchObject({ status: 'delivery_failed', attempts: 1 });
    const second = await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(202);
    expect(second.body.status).toBe('sent');
    expect(await shipment(b.id)).toMatchObject({ status: 'delivery_failed', attempts: 2 });
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['reattempt', 'reattempt']);
    const answered = await t.dataSource.query<{ failed_attempts: number }[]>(
      'SELECT failed_attempts FROM shipment_actions WHERE shipment_id = $1 ORDER BY seq',
      [b.id],
    );
    expect(answered).toEqual([{ failed_attempts: 1 }, { failed_attempts: 2 }]);
    // Asked a third time, an hour on, with nothing new at the courier: the courier is asked, then a repeat
    // refused. Asked again within five minutes: refused on what Kirim knows, the courier not asked at all.
    const track = jest.spyOn(courierOf('jnt'), 'track');
    try {
      t.clock.advance(HOUR);
      const third = await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(409);
      expect(third.body.code).toBe('SHIPMENTS_ACTION_ALREADY_TAKEN');
      expect(track).toHaveBeenCalledTimes(1);
      t.clock.advance(4 * 60_000);
      await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(409);
      expect(track).toHaveBeenCalledTimes(1);
      t.clock.advance(60_000);
      await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(409);
      expect(track).toHaveBeenCalledTimes(2);
    } finally {
      track.mockRestore();
    }
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['reattempt', 'reattempt']);
  });

  it('a re-attempt the refresh finds too late (the courier began the return) is not allowed: 422, nothing recorded, the courier not asked to act', async () => {
    const b = await book('jnt');
    await drive(b, ...inTransit, { to: 'out_for_delivery' }, failedAttempt);
    await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(202);
    for (const step of [
      { to: 'out_for_delivery' },
      failedAttempt,
      { to: 'returning', reason: 'max_attempts' },
    ]) {
      t.clock.advance(HOUR);
      await http.post(`/sandbox/parcels/${b.awb}/advance`).set(seller.auth).send(step).expect(200);
    }
    const late = await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(422);
    expect(late.body.code).toBe('SHIPMENTS_ACTION_NOT_ALLOWED');
    expect(late.body.message).toMatch(/^reattempt is not possible while the shipment is returning/);
    expect((await shipment(b.id)).status).toBe('returning');
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['reattempt']);
    expect(await rows(b.id)).toEqual([{ status: 'sent' }]);
  });

  it('hold, then re-attempt to release it while still in transit (held parcels may be re-attempted); the shipment names the hold a re-attempt releases', async () => {
    const b = await book('sap');
    await drive(b, ...inTransit);
    await act(b, { action: 'reattempt' }).expect(422);
    expect((await shipment(b.id)).heldBy).toBeNull();
    const hold = await act(b, { action: 'hold' }).expect(202);
    expect((await shipment(b.id)).heldBy).toBe(hold.body.id);
    t.clock.advance(HOUR);
    const res = await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(202);
    expect(res.body.status).toBe('sent');
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['hold', 'reattempt']);
    const released = await shipment(b.id);
    expect(released.actions.map((a: ActionBody) => a.action)).toEqual(['reattempt', 'hold']);
    expect(released.heldBy).toBeNull();
    // Held again, then returned: nothing left to release (a re-attempt is refused once a return was asked).
    t.clock.advance(HOUR);
    const again = await act(b, { action: 'hold' }).expect(202);
    expect((await shipment(b.id)).heldBy).toBe(again.body.id);
    await act(b, { action: 'return' }).expect(202);
    expect((await shipment(b.id)).heldBy).toBeNull();
  });

  it('a parcel the seller holds is not reported silent: no stale alert while held, even held out for delivery; released, the courier’s silence counts from then', async () => {
    const b = await book('jne');
    await drive(b, ...inTransit, { to: 'out_for_delivery' });
    await act(b, { action: 'hold' }).expect(202);
    // Three days held: the courier keeps the parcel at its hub, unscanned, as the seller asked.
    for (let i = 0; i < 3; i += 1) {
      t.clock.advance(24 * HOUR);
      await pollNow(b);
    }
    let s = await shipment(b.id);
    expect({ status: s.status, risk: s.risk, alerts: s.alerts }).toEqual({
      status: 'out_for_delivery',
      risk: 'none',
      alerts: [],
    });
    // Released: the courier goes out again the next morning; until then nothing is overdue.
    await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(202);
    await pollNow(b);
    s = await shipment(b.id);
    expect({ risk: s.risk, alerts: s.alerts }).toEqual({ risk: 'none', alerts: [] });
  });

  it('refuses an action the shipment’s status does not allow: 422 naming the action and the status, nothing recorded, the courier not asked', async () => {
    const b = await book('jnt');
    const refused = await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(422);
    expect(refused.body).toMatchObject({
      code: 'SHIPMENTS_ACTION_NOT_ALLOWED',
      details: [{ field: 'action', message: expect.stringContaining('while the shipment is booked') }],
    });
    for (const action of ['return', 'hold']) {
      const res = await act(b, { action }).expect(422);
      expect(res.body.details[0].message).toContain(`${action} is not possible while the shipment is booked`);
    }
    const ready = (await http.post('/v1/shipments').set(seller.auth).send(validShipment(origin)).expect(201))
      .body.id as string;
    await act(ready, { action: 'update_address', address: { ...validShipment(origin).recipient } }).expect(
      422,
    );
    expect(await rows(b.id)).toEqual([]);
    expect(await rows(ready)).toEqual([]);
    expect(await atCourier(b)).toEqual([]);
  });

  it('validates the body: address required for update_address and refused otherwise, note at most 500, a uuid alertId', async () => {
    const b = await book('jnt');
    await drive(b, ...inTransit);
    const problems = async (body: object) => (await act(b, body).expect(400)).body.details;
    expect(await problems({ action: 'update_address' })).toEqual([
      { field: 'address', message: 'address is required' },
    ]);
    expect(await problems({ action: 'hold', address: { ...validShipment(origin).recipient } })).toEqual([
      { field: 'address', message: 'address is only for update_address' },
    ]);
    expect(await problems({ action: 'hold', note: 'x'.repeat(501) })).toEqual([
      { field: 'note', message: expect.stringContaining('note') },
    ]);
    const bad = (await problems({
      action: 'update_address',
      address: { address: 'Jl. A', city: 'Surabaya', province: 'Atlantis', postalCode: '123', phone: '12' },
    })) as { field: string }[];
    expect(bad.map((d) => d.field).sort()).toEqual([
      'address.phone',
      'address.postalCode',
      'address.province',
    ]);
    expect(await problems({ action: 'teleport' })).toEqual([
      { field: 'action', message: expect.any(String) },
    ]);
    expect(await problems({ action: 'hold', alertId: 'nope' })).toEqual([
      { field: 'alertId', message: expect.any(String) },
    ]);
    expect(await rows(b.id)).toEqual([]);
  });

  it('another seller’s shipment is not found (404), and an alert of another shipment is not one to act on', async () => {
    const b = await book('jne');
    await drive(b, ...inTransit, { to: 'out_for_delivery' }, failedAttempt);
    const res = await act(b, { action: 'reattempt' }, other).expect(404);
    expect(res.body.code).toBe('SHIPMENTS_NOT_FOUND');

    const c = await book('jne');
    await drive(c, ...inTransit, { to: 'out_for_delivery' }, failedAttempt);
    const alertOfC = (await shipment(c.id)).alerts[0].id as string;
    const wrong = await act(b, { action: 'reattempt', alertId: alertOfC }).expect(404);
    expect(wrong.body).toMatchObject({ code: 'ALERTS_NOT_FOUND', details: [{ field: 'alertId' }] });
    expect(await rows(b.id)).toEqual([]);
    expect(await atCourier(b)).toEqual([]);
  });

  it('acting on an alert that resolved meanwhile: the action is taken, the alert is not marked seen after its problem ended', async () => {
    const b = await book('jne');
    await drive(b, ...inTransit, { to: 'out_for_delivery' }, failedAttempt);
    const alert = (await shipment(b.id)).alerts.find((a: { rule: string }) => a.rule === 'failed_attempt');
    // The shipment's problems are over as far as the rules see (what a later scan would do).
    const s = await t.app.get(ShipmentsService).find(seller.sellerId, b.id);
    await t.app.get(AlertsService).reconcile(s, [], t.clock.now(), null);
    const res = await act(b, { action: 'reattempt', alertId: alert.id }).expect(202);
    expect(res.body).toMatchObject({ status: 'sent', alertId: alert.id });
    const [after] = (await shipment(b.id)).alerts.filter((a: { id: string }) => a.id === alert.id);
    expect(after).toMatchObject({ resolvedAt: t.clock.now().toISOString(), acknowledgedAt: null });
  });

  it('a courier whose API has no such call: recorded manual, for operations to arrange, and the seller told', async () => {
    const b = await book('sap');
    await drive(b, ...inTransit);
    const spy = jest.spyOn(courierOf('sap'), 'supportsAction').mockReturnValue(false);
    try {
      const res = await act(b, { action: 'hold', note: 'Tahan sampai Senin' }).expect(202);
      expect(res.body).toMatchObject({
        action: 'hold',
        status: 'manual',
        courierReference: null,
        error: null,
      });
    } finally {
      spy.mockRestore();
    }
    expect(await atCourier(b)).toEqual([]);
    const hooks = await actionWebhooks(b.id);
    expect(hooks.map((h) => (h.body.data as { action: { status: string } }).action.status)).toEqual([
      'manual',
    ]);
  });

  it('two identical manual actions at once: one is recorded for operations, the other is 409 (a manual action is never pending, so only the shipment’s lock orders them)', async () => {
    const b = await book('sap');
    await drive(b, ...inTransit);
    const manual = jest.spyOn(courierOf('sap'), 'supportsAction').mockReturnValue(false);
    // Each request lingers after recording its action, before committing: both would pass a check that
    // only saw committed rows.
    const repository = t.app.get(ShipmentActionsRepository);
    const insert = repository.insert.bind(repository);
    const slow = jest.spyOn(repository, 'insert').mockImplementation(async (action) => {
      const done = await insert(action);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return done;
    });
    try {
      const answers = await Promise.all([act(b, { action: 'hold' }), act(b, { action: 'hold' })]);
      expect(answers.map((r) => r.status).sort()).toEqual([202, 409]);
      const [recorded] = answers.filter((r) => r.status === 202);
      const [refused] = answers.filter((r) => r.status === 409);
      expect(recorded.body.status).toBe('manual');
      expect(refused.body.code).toBe('SHIPMENTS_ACTION_ALREADY_TAKEN');
      expect(refused.body.message).toBe(
        `the parcel is already held: the hold was recorded for Kirim operations (action ${recorded.body.id}); a re-attempt releases it`,
      );
    } finally {
      slow.mockRestore();
      manual.mockRestore();
    }
    expect(await rows(b.id)).toEqual([{ status: 'manual' }]);
  });

  it('the courier refuses (the parcel moved on): recorded failed with the courier’s words, 422 to the seller', async () => {
    const b = await book('jnt');
    await drive(b, ...inTransit);
    // Delivered at the courier, not yet polled: Kirim still sees it in transit.
    await http
      .post(`/sandbox/parcels/${b.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'delivered' })
      .expect(200);
    const res = await act(b, { action: 'hold' }).expect(422);
    expect(res.body).toMatchObject({
      code: 'SHIPMENTS_ACTION_REFUSED_BY_COURIER',
      details: [{ field: 'action', message: expect.any(String) }],
    });
    const [recorded] = (await shipment(b.id)).actions as ActionBody[];
    expect(recorded).toMatchObject({
      action: 'hold',
      status: 'failed',
      error: res.body.details[0].message,
      errorKind: 'refused',
    });
    expect(res.body.message).toContain(recorded.error);
    expect(await atCourier(b)).toEqual([]);
  });

  it('the courier is down: recorded failed, 503, the shipment and its alert unchanged; asked again once it is back, it is sent', async () => {
    const b = await book('jnt');
    await drive(b, ...inTransit, { to: 'out_for_delivery' }, failedAttempt);
    const before = await shipment(b.id);
    const alertId = (before.alerts as { id: string; rule: string }[]).find(
      (a) => a.rule === 'failed_attempt',
    )!.id;
    await http.post('/sandbox/couriers/jnt/faults').set(admin.auth).send({ errorRate: 1 }).expect(200);
    let down: supertest.Response;
    try {
      // The alert still asks: nothing was done about the failed attempt (it was acknowledged all the same).
      down = await act(b, { action: 'reattempt', confirmedWithBuyer: true, alertId }).expect(503);
    } finally {
      await http.post('/sandbox/couriers/jnt/faults').set(admin.auth).send({ errorRate: 0 }).expect(200);
    }
    expect(down.body.code).toBe('COURIER_UNAVAILABLE');
    const after = await shipment(b.id);
    expect(omitActions(after)).toEqual(omitActions(before));
    expect(after.actions).toEqual([
      expect.objectContaining({
        action: 'reattempt',
        status: 'failed',
        error: expect.stringContaining('J&T'),
        errorKind: 'unreachable',
      }),
    ]);
    expect(await atCourier(b)).toEqual([]);

    expect(after.alerts.find((a: { id: string }) => a.id === alertId).acknowledgedAt).toBeNull();

    const again = await act(b, { action: 'reattempt', confirmedWithBuyer: true, alertId }).expect(202);
    expect(again.body.status).toBe('sent');
    expect((await shipment(b.id)).alerts.find((a: { id: string }) => a.id === alertId).acknowledgedAt).toBe(
      t.clock.now().toISOString(),
    );
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['reattempt']);
    const hooks = await actionWebhooks(b.id);
    // Delivered in any order (the receiver dedupes and orders by its own means): one per outcome.
    expect(hooks.map((h) => (h.body.data as { action: { status: string } }).action.status).sort()).toEqual([
      'failed',
      'sent',
    ]);
  });

  it('a return the courier took but did not answer in time: the seller is not told nothing changed, and the return it starts is no alert', async () => {
    const b = await book('jne');
    await drive(b, ...inTransit);
    const courier = courierOf('jne');
    // The courier applies the return; its answer is lost (the call times out).
    await withActionAnswersLost(courier, { reached: true }, async () => {
      expect((await act(b, { action: 'return' }).expect(503)).body.code).toBe('COURIER_UNAVAILABLE');
    });
    t.clock.advance(HOUR);
    await pollNow(b);
    const s = await shipment(b.id);
    expect(s.status).toBe('returning');
    expect(s.actions).toEqual([
      expect.objectContaining({
        action: 'return',
        status: 'failed',
        error:
          'JNE did not answer in time; it may have taken the return: check the shipment before asking again',
        errorKind: 'answer_lost',
      }),
    ]);
    expect({ risk: s.risk, alerts: s.alerts }).toEqual({ risk: 'none', alerts: [] });
  });

  it('a return the courier never answered may be asked again: taken when the first never reached it, refused by a courier that had it', async () => {
    const lostReturn = async (b: Booked, code: 'jne' | 'ninja', reached: boolean) => {
      await withActionAnswersLost(courierOf(code), { reached }, () =>
        act(b, { action: 'return' }).expect(503),
      );
      const s = await shipment(b.id);
      const [first] = s.actions as ActionBody[];
      expect({ returnAskedAt: s.returnAskedAt, returnUnconfirmed: s.returnUnconfirmed }).toEqual({
        returnAskedAt: first.createdAt,
        returnUnconfirmed: first.id,
      });
      t.clock.advance(HOUR);
      return first;
    };

    // The request never reached the courier: asked again, it is taken, and the return stands confirmed.
    const missed = await book('jne');
    await drive(missed, ...inTransit);
    await lostReturn(missed, 'jne', false);
    expect(await atCourier(missed)).toEqual([]);
    const again = await act(missed, { action: 'return' }).expect(202);
    expect(again.body.status).toBe('sent');
    expect((await atCourier(missed)).map((a) => a.kind)).toEqual(['return']);
    const confirmed = await shipment(missed.id);
    expect({
      returnAskedAt: confirmed.returnAskedAt,
      returnUnconfirmed: confirmed.returnUnconfirmed,
    }).toEqual({
      returnAskedAt: again.body.createdAt,
      returnUnconfirmed: null,
    });
    // A third is a repeat of the one taken.
    expect((await act(missed, { action: 'return' }).expect(409)).body.code).toBe(
      'SHIPMENTS_ACTION_ALREADY_TAKEN',
    );

    // The courier had it: asked again, it refuses (the parcel is on its way back), and nothing else is sent.
    const taken = await book('ninja');
    await drive(taken, ...inTransit);
    const first = await lostReturn(taken, 'ninja', true);
    // Its next poll far off: only the refusal brings it forward.
    const nextPoll = async () =>
      (
        await t.dataSource.query<{ at: Date }[]>(
          'SELECT next_poll_at AS at FROM shipment_polls WHERE shipment_id = $1',
          [taken.id],
        )
      )[0].at.toISOString();
    await t.dataSource.query('UPDATE shipment_polls SET next_poll_at = $2 WHERE shipment_id = $1', [
      taken.id,
      new Date(t.clock.now().getTime() + 24 * HOUR),
    ]);
    const refused = await act(taken, { action: 'return' }).expect(422);
    expect(refused.body.code).toBe('SHIPMENTS_ACTION_REFUSED_BY_COURIER');
    expect((await atCourier(taken)).map((a) => a.kind)).toEqual(['return']);
    const still = await shipment(taken.id);
    expect({ returnUnconfirmed: still.returnUnconfirmed, returnAskedAt: still.returnAskedAt }).toEqual({
      returnUnconfirmed: first.id,
      returnAskedAt: first.createdAt,
    });
    // The courier that refused knows something Kirim does not: it is asked soon, and the parcel is seen
    // returning, which settles the question (nothing more to ask).
    expect(await nextPoll()).toBe(t.clock.now().toISOString());
    await http.post('/sandbox/jobs/tracking-poll/run').set(admin.auth).send({}).expect(200);
    const settled = await shipment(taken.id);
    expect({ status: settled.status, returnUnconfirmed: settled.returnUnconfirmed }).toEqual({
      status: 'returning',
      returnUnconfirmed: null,
    });
  });

  it('a hold whose connection broke after the courier took it counts as a hold too: its answer was lost, not refused', async () => {
    const b = await book('jne');
    await drive(b, ...inTransit);
    await withActionAnswersLost(courierOf('jne'), { reached: true, reset: true }, async () => {
      expect((await act(b, { action: 'hold' }).expect(503)).body.code).toBe('COURIER_UNAVAILABLE');
    });
    const s = await shipment(b.id);
    const [hold] = s.actions as ActionBody[];
    expect(hold).toMatchObject({
      action: 'hold',
      status: 'failed',
      errorKind: 'answer_lost',
      error:
        "JNE's answer was lost (ECONNRESET); it may have taken the hold: check the shipment before asking again",
    });
    expect(s.heldBy).toBe(hold.id);
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['hold']);
  });

  it('a hold the courier took but did not answer in time counts as a hold: the parcel kept silent is no stale alert, and a re-attempt may release it', async () => {
    const b = await book('jne');
    await drive(b, ...inTransit, { to: 'out_for_delivery' });
    const courier = courierOf('jne');
    // The courier applies the hold; its answer is lost (the call times out).
    await withActionAnswersLost(courier, { reached: true }, async () => {
      expect((await act(b, { action: 'hold' }).expect(503)).body.code).toBe('COURIER_UNAVAILABLE');
    });
    // Three days held: the courier keeps the parcel unscanned, as the seller (perhaps) asked.
    for (let i = 0; i < 3; i += 1) {
      t.clock.advance(24 * HOUR);
      await pollNow(b);
    }
    const s = await shipment(b.id);
    expect({ status: s.status, risk: s.risk, alerts: s.alerts }).toEqual({
      status: 'out_for_delivery',
      risk: 'none',
      alerts: [],
    });
    // Named as the hold a re-attempt releases (the dashboard offers the release).
    expect(s.heldBy).toBe((s.actions as ActionBody[])[0].id);
    // The release the seller may need is not refused for a parcel out for delivery.
    const released = await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(202);
    expect(released.body.status).toBe('sent');
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['hold', 'reattempt']);
  });

  it('after a return was asked, a hold or a re-attempt is refused before the courier is asked: 422 saying when the return was asked, nothing recorded, no webhook', async () => {
    const b = await book('ninja');
    await drive(b, ...inTransit, { to: 'out_for_delivery' }, failedAttempt);
    expect((await shipment(b.id)).returnAskedAt).toBeNull();
    const ret = await act(b, { action: 'return' }).expect(202);
    expect(ret.body.status).toBe('sent');
    // Not polled yet: Kirim still sees the failed attempt, where both would otherwise be allowed; the
    // shipment says the return was asked, and when, so a client offers neither.
    const asked = await shipment(b.id);
    expect({ status: asked.status, returnAskedAt: asked.returnAskedAt }).toEqual({
      status: 'delivery_failed',
      returnAskedAt: ret.body.createdAt,
    });
    t.clock.advance(HOUR);
    for (const action of ['hold', 'reattempt']) {
      const res = await act(b, { action, confirmedWithBuyer: action === 'reattempt' }).expect(422);
      expect(res.body).toMatchObject({
        code: 'SHIPMENTS_ACTION_NOT_ALLOWED',
        details: [
          {
            field: 'action',
            message: `${action} is not possible: a return was asked at ${ret.body.createdAt} (action ${ret.body.id}, sent to the courier); the parcel goes back to you`,
          },
        ],
      });
    }
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['return']);
    expect(await rows(b.id)).toEqual([{ status: 'sent' }]);
    const hooks = await actionWebhooks(b.id);
    expect(hooks.map((h) => (h.body.data as { action: { action: string } }).action.action)).toEqual([
      'return',
    ]);
  });

  it('after a return the courier never answered (it may have taken it), a re-attempt is refused before the courier is asked', async () => {
    const b = await book('ninja');
    await drive(b, ...inTransit, { to: 'out_for_delivery' }, failedAttempt);
    const courier = courierOf('ninja');
    await withActionAnswersLost(courier, { reached: true }, async () => {
      await act(b, { action: 'return' }).expect(503);
    });
    const after = await shipment(b.id);
    const [unknown] = after.actions as ActionBody[];
    expect(after.returnAskedAt).toBe(unknown.createdAt);
    const res = await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(422);
    expect(res.body.message).toBe(
      `reattempt is not possible: a return was asked at ${unknown.createdAt} (action ${unknown.id}, the courier’s answer was lost and it may have taken it); the parcel goes back to you`,
    );
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['return']);
    expect(await rows(b.id)).toEqual([{ status: 'failed' }]);
  });

  it('a second hold while the first one’s outcome is unknown is not sent: 409 saying the parcel may already be held, nothing recorded', async () => {
    const b = await book('jne');
    await drive(b, ...inTransit);
    const courier = courierOf('jne');
    await withActionAnswersLost(courier, { reached: true }, async () => {
      await act(b, { action: 'hold' }).expect(503);
    });
    const [first] = (await shipment(b.id)).actions as ActionBody[];
    t.clock.advance(HOUR);
    const again = await act(b, { action: 'hold' }).expect(409);
    expect(again.body).toMatchObject({
      code: 'SHIPMENTS_ACTION_ALREADY_TAKEN',
      message: `the parcel may already be held: a hold was sent to the courier, whose answer was lost (action ${first.id}); check the shipment, and a re-attempt releases it`,
    });
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['hold']);
    expect(await rows(b.id)).toEqual([{ status: 'failed' }]);
  });

  it('after a return was asked (sent, or recorded for operations), an address correction is refused before the courier is asked: 422 saying when, nothing recorded', async () => {
    const address = {
      address: 'Jl. Kebon Kacang Raya No. 12 Blok C',
      district: 'Tanah Abang',
      city: 'Jakarta Pusat',
      province: 'dki jakarta',
      postalCode: '10240',
    };
    const b = await book('ninja');
    await drive(b, ...inTransit, { to: 'out_for_delivery' }, failedAttempt);
    const before = (await shipment(b.id)).recipient;
    const ret = await act(b, { action: 'return' }).expect(202);
    expect(ret.body.status).toBe('sent');
    // Not polled yet: Kirim still sees the failed attempt, where a correction would otherwise be allowed.
    t.clock.advance(HOUR);
    const res = await act(b, { action: 'update_address', address }).expect(422);
    expect(res.body).toMatchObject({
      code: 'SHIPMENTS_ACTION_NOT_ALLOWED',
      details: [
        {
          field: 'action',
          message: `update_address is not possible: a return was asked at ${ret.body.createdAt} (action ${ret.body.id}, sent to the courier); the parcel goes back to you`,
        },
      ],
    });
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['return']);
    expect(await rows(b.id)).toEqual([{ status: 'sent' }]);
    expect((await shipment(b.id)).recipient).toEqual(before);

    // A return the courier's API has no call for (operations arrange it): the courier, which would take the
    // correction, is not sent one for a parcel on its way back.
    const m = await book('sap');
    await drive(m, ...inTransit);
    const take = courierOf('sap').supportsAction.bind(courierOf('sap'));
    const noReturn = jest
      .spyOn(courierOf('sap'), 'supportsAction')
      .mockImplementation((kind) => kind !== 'return' && take(kind));
    let manual: ActionBody;
    try {
      manual = (await act(m, { action: 'return' }).expect(202)).body as ActionBody;
    } finally {
      noReturn.mockRestore();
    }
    expect(manual.status).toBe('manual');
    expect((await shipment(m.id)).returnAskedAt).toBe(manual.createdAt);
    const refused = await act(m, { action: 'update_address', address }).expect(422);
    expect(refused.body.message).toBe(
      `update_address is not possible: a return was asked at ${manual.createdAt} (action ${manual.id}, recorded for Kirim operations); the parcel goes back to you`,
    );
    expect(await atCourier(m)).toEqual([]);
    expect(await rows(m.id)).toEqual([{ status: 'manual' }]);
  });

  it('a return the courier never answered (it may have taken it): an address correction is 422, neither sent nor recorded', async () => {
    const b = await book('jne');
    await drive(b, ...inTransit);
    const courier = courierOf('jne');
    await withActionAnswersLost(courier, { reached: true }, async () => {
      await act(b, { action: 'return' }).expect(503);
    });
    const [first] = (await shipment(b.id)).actions as ActionBody[];
    t.clock.advance(HOUR);
    const asked = jest.spyOn(courier, 'requestAction');
    try {
      const correction = await act(b, {
        action: 'update_address',
        address: {
          address: 'Jl. Kebon Kacang Raya No. 12 Blok C',
          district: 'Tanah Abang',
          city: 'Jakarta Pusat',
          province: 'dki jakarta',
          postalCode: '10240',
        },
      }).expect(422);
      expect(correction.body).toMatchObject({
        code: 'SHIPMENTS_ACTION_NOT_ALLOWED',
        message: `update_address is not possible: a return was asked at ${first.createdAt} (action ${first.id}, the courier’s answer was lost and it may have taken it); the parcel goes back to you`,
      });
      expect(asked).not.toHaveBeenCalled();
    } finally {
      asked.mockRestore();
    }
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['return']);
    expect(await rows(b.id)).toEqual([{ status: 'failed' }]);
  });

  it('an address correction the courier never answered is shown as unconfirmed, the recipient kept; the same correction sent again is taken and becomes the recipient', async () => {
    const b = await book('jne');
    await drive(b, ...inTransit);
    const before = (await shipment(b.id)).recipient;
    const address = {
      address: 'Jl. Kebon Kacang Raya No. 12 Blok C',
      district: 'Tanah Abang',
      city: 'Jakarta Pusat',
      province: 'dki jakarta',
      postalCode: '10240',
    };
    const courier = courierOf('jne');
    await withActionAnswersLost(courier, { reached: true }, async () => {
      await act(b, { action: 'update_address', address }).expect(503);
    });
    const doubt = await shipment(b.id);
    const [unknown] = doubt.actions as ActionBody[];
    expect(unknown).toMatchObject({
      action: 'update_address',
      status: 'failed',
      address: { address: address.address },
    });
    expect({ recipient: doubt.recipient, unconfirmed: doubt.addressCorrectionUnconfirmed }).toEqual({
      recipient: before,
      unconfirmed: unknown.id,
    });

    t.clock.advance(HOUR);
    const again = await act(b, { action: 'update_address', address }).expect(202);
    expect(again.body.status).toBe('sent');
    const after = await shipment(b.id);
    expect(after.addressCorrectionUnconfirmed).toBeNull();
    expect(after.recipient).toMatchObject({ address: address.address, postalCode: '10240' });
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['update_address', 'update_address']);
  });

  it('one action at a time per shipment: a second while the first is at the courier gets 409', async () => {
    const b = await book('jne');
    await drive(b, ...inTransit);
    const courier = courierOf('jne');
    const original = courier.requestAction.bind(courier);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(courier, 'requestAction').mockImplementation(async (order, action) => {
      await released;
      return original(order, action);
    });
    try {
      const first = act(b, { action: 'hold' })
        .set('idempotency-key', 'hold-once')
        .then((r) => r);
      await waitUntil(async () => (await rows(b.id)).length === 1, 'the first action is pending');
      expect(await rows(b.id)).toEqual([{ status: 'pending' }]);
      const second = await act(b, { action: 'hold' }).expect(409);
      expect(second.body.code).toBe('SHIPMENTS_ACTION_IN_PROGRESS');
      const third = await act(b, { action: 'return' }).expect(409);
      expect(third.body.code).toBe('SHIPMENTS_ACTION_IN_PROGRESS');
      // The same request repeated with its key does not wait for the courier either.
      const repeat = await act(b, { action: 'hold' }).set('idempotency-key', 'hold-once').expect(409);
      expect(repeat.body.code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
      release();
      const done = await first;
      expect(done.status).toBe(202);
      const replay = await act(b, { action: 'hold' }).set('idempotency-key', 'hold-once').expect(202);
      expect(replay.text).toBe(done.text);
    } finally {
      release();
      spy.mockRestore();
    }
    expect(await rows(b.id)).toEqual([{ status: 'sent' }]);
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['hold']);
  });

  it('an address correction the old courier took while the shipment was re-booked with another is not made the recipient: 409, ask again', async () => {
    // Not pinned: a booking its courier cancels is re-booked with another.
    const b = await book();
    // What each booking sent its courier as the recipient's address.
    const booked = new Map<string, string>();
    const orderSpies = t.app
      .get(CourierRegistry)
      .all()
      .map((c) => {
        const real = c.createOrder.bind(c);
        return jest.spyOn(c, 'createOrder').mockImplementation(async (request) => {
          const order = await real(request);
          booked.set(order.awb, request.recipient.address);
          return order;
        });
      });
    // The old courier takes the correction, and its answer is slow to come back.
    const courier = courierOf(b.courier);
    const original = courier.requestAction.bind(courier);
    let taken = false;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const actionSpy = jest.spyOn(courier, 'requestAction').mockImplementation(async (order, action) => {
      const outcome = await original(order, action);
      taken = true;
      await released;
      return outcome;
    });
    try {
      const correction = act(b, {
        action: 'update_address',
        address: {
          address: 'Jl. Cikini Raya No. 9',
          district: 'Menteng',
          city: 'Jakarta Pusat',
          province: 'DKI Jakarta',
          postalCode: '10330',
        },
      }).then((r) => r);
      await waitUntil(() => taken, 'the old courier took the correction');
      // Meanwhile the courier cancels the order itself, and the shipment is re-booked with another.
      await http
        .post(`/sandbox/parcels/${b.awb}/script`)
        .set(seller.auth)
        .send({ script: 'courier_cancelled' })
        .expect(200);
      t.clock.advance(HOUR);
      await pollNow(b);
      while ((await t.app.get(PickupService).processDue(50)) > 0);
      const rebooked = await shipment(b.id);
      expect(rebooked).toMatchObject({ status: 'booked' });
      expect(rebooked.awb).not.toBe(b.awb);
      release();
      const res = await correction;
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'SHIPMENTS_ACTION_SUPERSEDED' });
      expect(res.body.message).toContain(rebooked.awb);
    } finally {
      release();
      actionSpy.mockRestore();
      orderSpies.forEach((spy) => spy.mockRestore());
    }
    // The shipment says what its courier was told: the address the live booking carries.
    const after = await shipment(b.id);
    expect(after.recipient.address).toBe(booked.get(after.awb));
    expect(after.recipient.address).toBe('Jl. Kebon Sirih No. 5');
    expect(after.actions).toEqual([
      expect.objectContaining({
        action: 'update_address',
        status: 'failed',
        error: expect.stringContaining(after.awb),
        errorKind: 'superseded',
      }),
    ]);
  });

  it('a hold of a booking the shipment lost counts for nothing on its new booking: a re-attempt is 422 (not held), a hold is taken, heldBy stays null', async () => {
    // Not pinned: a booking its courier cancels is re-booked with another.
    const b = await book();
    // A hold recorded under the first booking (no request makes one today: a hold needs the parcel in the
    // courier's hands, and Kirim re-books only before pickup; written as an older release could have).
    const old = t.app.get(ShipmentActionsRepository);
    const at = t.clock.now();
    await old.insert({
      id: '7b0d3c4e-0a51-4c59-9d0b-2f6f1b1c0a01',
      sellerId: seller.sellerId,
      shipmentId: b.id,
      action: 'hold',
      note: null,
      address: null,
      confirmedWithBuyer: false,
      alertId: null,
      outcomeUnknown: false,
      errorKind: null,
      status: 'sent',
      courier: b.courier,
      awb: b.awb,
      failedAttempts: 0,
      courierReference: 'OLD-HOLD',
      error: null,
      requestedBy: `user:${seller.userId}`,
      sends: 1,
      claimedUntil: null,
      createdAt: at,
      updatedAt: at,
    });
    await http
      .post(`/sandbox/parcels/${b.awb}/script`)
      .set(seller.auth)
      .send({ script: 'courier_cancelled' })
      .expect(200);
    t.clock.advance(HOUR);
    await pollNow(b);
    while ((await t.app.get(PickupService).processDue(50)) > 0);
    const now = await shipment(b.id);
    expect(now.awb).not.toBe(b.awb);
    const rebooked: Booked = { id: b.id, reference: b.reference, awb: now.awb, courier: now.courier.code };
    await drive(rebooked, ...inTransit);
    expect((await shipment(b.id)).heldBy).toBeNull();

    // The new courier never held it: there is nothing to release.
    const refused = await act(b, { action: 'reattempt', confirmedWithBuyer: true }).expect(422);
    expect(refused.body).toMatchObject({
      code: 'SHIPMENTS_ACTION_NOT_ALLOWED',
      details: [{ field: 'action', message: expect.stringContaining('while the shipment is in_transit') }],
    });
    expect(await atCourier(rebooked)).toEqual([]);
    expect(await rows(b.id)).toEqual([{ status: 'sent' }]);
    // A hold of the new booking is no repeat of the old one.
    const hold = await act(b, { action: 'hold' }).expect(202);
    expect(hold.body).toMatchObject({ status: 'sent', awb: rebooked.awb });
    expect((await shipment(b.id)).heldBy).toBe(hold.body.id);
    expect((await atCourier(rebooked)).map((a) => a.kind)).toEqual(['hold']);
  });

  it('an action whose sender died while pending is sent again by the retry job once its claim runs out', async () => {
    const b = await book('idexpress');
    await drive(b, ...inTransit);
    const courier = courierOf('idexpress');
    const original = courier.requestAction.bind(courier);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The first send never reaches the courier (its answer "lost"); later sends go through.
    const spy = jest
      .spyOn(courier, 'requestAction')
      .mockImplementationOnce(async (): Promise<ParcelActionOutcome> => {
        await released;
        throw new CourierUnavailableError('idexpress', 'timeout', 'TIMEOUT', 'lost');
      })
      .mockImplementation(original);
    try {
      const stuck = act(b, { action: 'hold', note: 'Tahan' }).then((r) => r);
      await waitUntil(async () => (await rows(b.id)).length === 1, 'the action is pending');
      // Before its claim runs out, the job leaves it to its sender.
      await http.post('/sandbox/jobs/shipment-actions-retry/run').set(admin.auth).send({}).expect(200);
      expect(await rows(b.id)).toEqual([{ status: 'pending' }]);
      t.clock.advance(121_000);
      await http.post('/sandbox/jobs/shipment-actions-retry/run').set(admin.auth).send({}).expect(200);
      expect(await rows(b.id)).toEqual([{ status: 'sent' }]);
      // The first sender finally hears back: the action is no longer its to record.
      release();
      const res = await stuck;
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ action: 'hold', status: 'sent' });
    } finally {
      release();
      spy.mockRestore();
    }
    expect(await rows(b.id)).toEqual([{ status: 'sent' }]);
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['hold']);
    const [row] = await t.dataSource.query<{ sends: number }[]>(
      'SELECT sends FROM shipment_actions WHERE shipment_id = $1',
      [b.id],
    );
    expect(row.sends).toBe(2);
  });

  it('an action interrupted at every send is failed after the configured sends, and the seller told', async () => {
    const b = await book('sap');
    await drive(b, ...inTransit);
    const courier = courierOf('sap');
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The request's send hangs; every resumed send dies before the courier answers.
    const spy = jest
      .spyOn(courier, 'requestAction')
      .mockImplementationOnce(async (): Promise<ParcelActionOutcome> => {
        await released;
        return { accepted: true, courierReference: 'late' };
      })
      .mockRejectedValue(new Error('the process died'));
    try {
      const stuck = act(b, { action: 'return' }).then((r) => r);
      await waitUntil(async () => (await rows(b.id)).length === 1, 'the action is pending');
      for (let i = 0; i < 3; i += 1) {
        t.clock.advance(121_000);
        await http.post('/sandbox/jobs/shipment-actions-retry/run').set(admin.auth).send({}).expect(200);
      }
      expect(spy).toHaveBeenCalledTimes(3); // the request's send and two resumed ones (maxSends 3)
      const [row] = await t.dataSource.query<{ status: string; error: string; sends: number }[]>(
        'SELECT status, error, sends FROM shipment_actions WHERE shipment_id = $1',
        [b.id],
      );
      expect(row).toEqual({ status: 'failed', error: 'interrupted 3 times: not sent again', sends: 4 });
      release();
      // The first sender's late answer is no longer its to record.
      expect((await stuck).body).toMatchObject({ status: 'failed', courierReference: null });
    } finally {
      release();
      spy.mockRestore();
    }
    const hooks = await actionWebhooks(b.id);
    expect(hooks.map((h) => h.body.data)).toEqual([
      expect.objectContaining({
        action: expect.objectContaining({
          status: 'failed',
          error: 'interrupted 3 times: not sent again',
          errorKind: 'interrupted',
        }),
      }),
    ]);
  });

  it('with an Idempotency-Key, a repeat replays the first answer and the courier is asked once; a failed request frees the key', async () => {
    const b = await book('ninja');
    await drive(b, ...inTransit);
    await http.post('/sandbox/couriers/ninja/faults').set(admin.auth).send({ errorRate: 1 }).expect(200);
    try {
      await act(b, { action: 'hold' }).set('idempotency-key', 'hold-1').expect(503);
    } finally {
      await http.post('/sandbox/couriers/ninja/faults').set(admin.auth).send({ errorRate: 0 }).expect(200);
    }
    const first = await act(b, { action: 'hold' }).set('idempotency-key', 'hold-1').expect(202);
    const again = await act(b, { action: 'hold' }).set('idempotency-key', 'hold-1').expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(first.text);
    const other = await act(b, { action: 'return' }).set('idempotency-key', 'hold-1').expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await atCourier(b)).map((a) => a.kind)).toEqual(['hold']);
    expect((await rows(b.id)).map((r) => r.status).sort()).toEqual(['failed', 'sent']);
  });

  // Last: it reads the actions every test above recorded.
  it('the migration that added errorKind classes the failed actions written before it as the service now does', async () => {
    const kinds = () =>
      t.dataSource.query<{ id: string; kind: string | null }[]>(
        'SELECT id, error_kind AS kind FROM shipment_actions ORDER BY id',
      );
    const written = await kinds();
    // Each kind is among them, or the comparison below would prove less than it says.
    expect(new Set(written.map((r) => r.kind))).toEqual(
      new Set([null, 'refused', 'unreachable', 'answer_lost', 'superseded', 'interrupted']),
    );
    await rerunMigration(t.dataSource, new ShipmentActionErrorKind1795502500000());
    expect(await kinds()).toEqual(written);
    // A timeout recorded before outcome_unknown was kept, in the words Kirim wrote then.
    const [old] = written.filter((r) => r.kind === 'unreachable');
    await t.dataSource.query(
      `UPDATE shipment_actions SET error = 'JNE could not be reached (timeout); nothing was changed, ask again'
        WHERE id = $1`,
      [old.id],
    );
    await rerunMigration(t.dataSource, new ShipmentActionErrorKind1795502500000());
    expect((await kinds()).find((r) => r.id === old.id)?.kind).toBe('answer_lost');
    // Set exactly on failed actions: neither a failed one without a kind nor another with one is written.
    for (const [set, where] of [
      ['error_kind = NULL', "status = 'failed'"],
      ["error_kind = 'refused'", "status <> 'failed'"],
      ["error_kind = 'lost'", "status = 'failed'"],
    ])
      await expect(t.dataSource.query(`UPDATE shipment_actions SET ${set} WHERE ${where}`)).rejects.toThrow(
        /violates check constraint "chk_shipment_actions_error_kind/,
      );
  });
});

function omitActions(s: Record<string, unknown>): Record<string, unknown> {
  const { actions: _actions, ...rest } = s;
  return rest;
}
