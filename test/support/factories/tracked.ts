import type supertest from 'supertest';
import { COURIER_CODES, CourierCode } from 'src/couriers/courier-adapter';
import type { SandboxPush } from 'src/couriers/sandbox/courier-sandbox';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { PickupService } from 'src/shipments/pickup.service';
import type { TestApp } from '../test-app';
import { waitUntil } from '../wait';
import { createAddress, createShipment, TestSeller, validShipment } from './sellers';

/** One service of each courier (config/defaults.ts catalogue). */
export const SERVICE_OF: Record<CourierCode, string> = {
  jne: 'REG',
  jnt: 'EZ',
  sap: 'UDRREG',
  ninja: 'STANDARD',
  idexpress: '00',
};

/** One service of each courier, as a shipment pins it. */
export const PINNED: { code: CourierCode; service: string }[] = COURIER_CODES.map((code) => ({
  code,
  service: SERVICE_OF[code],
}));

/**
 * Shipments of the seller pinned to `pinned` couriers, booked through the API and the pickup outbox:
 * their ids, airway bills and pickup. `overrides` change the shipment body.
 */
export async function bookPinned(
  t: TestApp,
  http: supertest.Agent,
  seller: TestSeller,
  origin: string,
  pinned: { code: CourierCode; service: string }[],
  overrides: object = {},
  pickupDate?: string,
): Promise<{ id: string; awb: string; courier: CourierCode; pickupId: string; pickupDueAt: string }[]> {
  const ids: string[] = [];
  for (const p of pinned) {
    const res = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({ ...validShipment(origin), courier: p, ...overrides })
      .expect(201);
    ids.push(res.body.id as string);
  }
  const pickup = await http
    .post('/v1/pickups')
    .set(seller.auth)
    .send({ shipmentIds: ids, ...(pickupDate ? { pickupDate } : {}) })
    .expect(202);
  while ((await t.app.get(PickupService).processDue(50)) > 0);
  const booked = [];
  for (const [i, id] of ids.entries()) {
    const s = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    if (
      s.status !== 'booked' ||
      s.courier?.code !== pinned[i].code ||
      s.courier?.service !== pinned[i].service
    )
      throw new Error(
        `${id} is ${s.status} with ${JSON.stringify(s.courier)}, not booked with ${JSON.stringify(pinned[i])}`,
      );
    booked.push({
      id,
      awb: s.awb,
      courier: pinned[i].code,
      pickupId: pickup.body.id,
      pickupDueAt: s.pickupDueAt,
    });
  }
  return booked;
}

/**
 * `count` copies of a shipment the seller created through the API, handed to `couriers` in turn , in `status`, due a poll at `dueAt`: a load for the tracker without booking
 * thousands of parcels one by one (AWB `<PREFIX><COURIER><n, 6 digits>`). Their couriers do not know the AWBs (tracking answers "not found").
 */
export async function seedTrackedShipments(
  t: Pick<TestApp, 'dataSource'>,
  http: supertest.Agent,
  seller: TestSeller,
  options: { count: number; couriers: readonly CourierCode[]; status: string; dueAt: Date; prefix: string },
): Promise<{ id: string; courier: CourierCode; awb: string }[]> {
  const template = await createShipment(http, seller);
  return t.dataSource.query(
    `WITH made AS (
       INSERT INTO shipments
       SELECT (jsonb_populate_record(s, jsonb_build_object(
         'id', gen_random_uuid(), 'reference', $2 || '-' || n, 'status', $3::text,
         'courier', c.courier, 'service', c.service, 'awb', upper($2 || c.courier) || lpad(n::text, 6, '0'),
         'booked_at', $4::timestamptz, 'picked_up_at', $4::timestamptz))).*
       FROM shipments s, generate_series(1, $5::int) n,
         LATERAL (SELECT ($6::text[])[1 + n % cardinality($6::text[])] AS courier,
                         ($7::text[])[1 + n % cardinality($6::text[])] AS service) c
       WHERE s.id = $1
       RETURNING id, courier, awb
     ), followed AS (
       INSERT INTO shipment_polls (shipment_id, courier, next_poll_at) SELECT id, courier, $4 FROM made
     )
     SELECT id, courier, awb FROM made`,
    [
      template.id,
      options.prefix,
      options.status,
      options.dueAt,
      options.count,
      options.couriers,
      options.couriers.map((c) => SERVICE_OF[c]),
    ],
  );
}

/**
 * A parcel of `code` booked and just picked up (the sandbox moved it an hour after booking), with the
 * push its courier sends for it now, signed as the courier signs it.
 */
export async function pickedUpWithPush(
  t: TestApp,
  http: supertest.Agent,
  seller: TestSeller,
  origin: string,
  code: CourierCode,
): Promise<{ booked: { id: string; awb: string }; push: SandboxPush }> {
  const [booked] = await bookPinned(t, http, seller, origin, [PINNED.find((p) => p.code === code)!]);
  t.clock.advance(3600_000);
  await http
    .post(`/sandbox/parcels/${booked.awb}/advance`)
    .set(seller.auth)
    .send({ to: 'picked_up' })
    .expect(200);
  const push = await t.app.get(CourierSandboxes).get(code)!.webhookFor(booked.awb);
  if (!push) throw new Error(`the ${code} sandbox has no push for ${booked.awb}`);
  return { booked, push };
}

/**
 * An ID Express COD parcel delivered by a signed push whose POD line says the courier took `cash` (its
 * `codAmount` as the courier writes it; 'full' for the parcel's own COD amount), and that amount asked.
 */
export async function deliveredWithCash(
  t: TestApp,
  http: supertest.Agent,
  seller: TestSeller,
  cash: string,
): Promise<{ id: string; awb: string; codAmount: number; push: SandboxPush; line: Record<string, unknown> }> {
  const origin = (await createAddress(http, seller)).id;
  const { booked, push } = await pickedUpWithPush(t, http, seller, origin, 'idexpress');
  const [line] = JSON.parse(push.body) as Record<string, unknown>[];
  const codAmount = (await http.get(`/v1/shipments/${booked.id}`).set(seller.auth).expect(200)).body
    .codAmount as number;
  const pod = {
    ...line,
    operationType: 'POD scan',
    lastOperationTime: Math.floor(t.clock.now().getTime() / 1000),
    codAmount: cash === 'full' ? String(codAmount) : cash,
  };
  // ID Express signs with a token header: the changed body is still signed.
  await http
    .post('/v1/webhooks/couriers/idexpress')
    .set(push.headers)
    .send(JSON.stringify([pod]))
    .expect(200);
  await pushesApplied(t);
  return { ...booked, codAmount, push, line: pod };
}

/**
 * Waits until every stored courier event is applied. The webhook route applies what it stored off the
 * request, and an inbox run skips the events that round holds (SKIP LOCKED): the run can answer first.
 */
export async function pushesApplied(t: Pick<TestApp, 'dataSource'>): Promise<void> {
  await waitUntil(
    async () =>
      (
        await t.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM tracking_events WHERE processed_at IS NULL',
        )
      )[0].n === 0,
    'every pushed event is applied',
  );
}

/**
 * The parcel moved at its sandbox courier `code` (to `to`, for `reason`), the courier's push for it sent,
 * and the inbox applied: a courier's report as it reaches Kirim. `admin` runs the inbox job.
 */
export async function pushedMove(
  t: TestApp,
  http: supertest.Agent,
  who: { seller: TestSeller; admin: { auth: { authorization: string } } },
  code: CourierCode,
  awb: string,
  to: string,
  reason?: string,
): Promise<void> {
  await http
    .post(`/sandbox/parcels/${awb}/advance`)
    .set(who.seller.auth)
    .send({ to, ...(reason ? { reason } : {}) })
    .expect(200);
  const push = await t.app.get(CourierSandboxes).get(code)!.webhookFor(awb);
  if (!push) throw new Error(`the ${code} sandbox has no push for ${awb}`);
  await http.post(`/v1/webhooks/couriers/${code}`).set(push.headers).send(push.body).expect(200);
  await http.post('/sandbox/jobs/tracking-inbox/run').set(who.admin.auth).send({}).expect(200);
  await pushesApplied(t);
}
