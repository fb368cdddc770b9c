import { createHmac } from 'node:crypto';
import supertest from 'supertest';
import { AppConfig } from 'config';
import type { CourierStatus } from 'src/couriers/courier-adapter';
import type { PushRequest, SandboxPush } from 'src/couriers/sandbox/courier-sandbox';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import { TrackingService } from 'src/tracking/tracking.service';
import { TrackingEventsRepository } from 'src/tracking/tracking-events.repository';
import { snapshotTables } from '../support/db-snapshot';
import { createOperator } from '../support/factories/operators';
import { createAddress, signupSeller, TestSeller } from '../support/factories/sellers';
import {
  bookPinned,
  deliveredWithCash,
  pickedUpWithPush,
  PINNED,
  pushesApplied,
} from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

/**
 * Courier pushes through `POST /v1/webhooks/couriers/:code`, signed by each courier's sandbox its own
 * way: stored once however often they come, refused with nothing stored when unsigned or forged, and
 * applied to the same end whatever order they arrive in — also when a poll brings the same events.
 */
describe.each(PINNED)('courier webhooks: $code', (pinned) => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let admin: { auth: { authorization: string } };
  let origin: string;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
    admin = await createOperator(t, http, 'admin');
    origin = (await createAddress(http, seller)).id;
  });
  afterAll(() => t.close());

  const book = async () => (await bookPinned(t, http, seller, origin, [pinned]))[0];
  const sandbox = () => t.app.get(CourierSandboxes).get(pinned.code)!;
  const advance = (awb: string, to: CourierStatus, reason?: string) =>
    http
      .post(`/sandbox/parcels/${awb}/advance`)
      .set(seller.auth)
      .send({ to, ...(reason ? { reason } : {}) })
      .expect(200);
  /** The push the courier sends now for the parcel's latest event. */
  async function pushFor(awb: string): Promise<SandboxPush> {
    const push = await sandbox().webhookFor(awb);
    expect(push).not.toBeNull();
    return push!;
  }
  const send = (push: PushRequest) =>
    http.post(`/v1/webhooks/couriers/${pinned.code}`).set(push.headers).send(push.body);
  const status = async (id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body.status as string;
  const storedEvents = async (awb: string) =>
    (
      await t.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM tracking_events WHERE courier = $1 AND awb = $2',
        [pinned.code, awb],
      )
    )[0].n;
  const runJob = (name: string) =>
    http.post(`/sandbox/jobs/${name}/run`).set(admin.auth).send({}).expect(200);
  /**
   * The inbox job, then the round the webhook route kicked by itself: events that round holds are skipped
   * by the job (SKIP LOCKED), so it can answer before they are applied.
   */
  const applyInbox = async () => {
    await runJob('tracking-inbox');
    await pushesApplied(t);
  };

  /** The parcel moved at its sandbox courier, the courier's push for it sent, and the inbox applied. */
  const pushed = async (awb: string, to: CourierStatus, reason?: string) => {
    await advance(awb, to, reason);
    await send(await pushFor(awb)).expect(200);
    await applyInbox();
  };
  /** A parcel delivered (Kirim knows it), then an hour later a line that takes the delivery back. */
  const deliveredThen = async (to: CourierStatus, reason?: string) => {
    const b = await book();
    await pushed(b.awb, 'delivered');
    expect(await status(b.id)).toBe('delivered');
    t.clock.advance(3600_000);
    await pushed(b.awb, to, reason);
    return b;
  };

  it('alerts the seller when the courier takes a delivery back, and keeps the alert open: the shipment stays delivered', async () => {
    // An hour after the delivery, the courier's lines say the parcel went back to the seller after all.
    const b = await deliveredThen('returned');
    const alerts = async () =>
      t.dataSource.query<{ rule: string; severity: string; open: boolean }[]>(
        'SELECT rule, severity, resolved_at IS NULL AS open FROM alerts WHERE shipment_id = $1 ORDER BY opened_at',
        [b.id],
      );
    expect(await alerts()).toEqual([{ rule: 'delivery_contradicted', severity: 'high', open: true }]);
    const shipment = (await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body;
    expect({ status: shipment.status, risk: shipment.risk }).toEqual({
      status: 'delivered',
      risk: 'at_risk',
    });
    // The sweep that closes the alerts of ended shipments leaves this one, and the shipment at risk: the
    // problem is the ending itself.
    await runJob('alerts-sweep');
    expect(await alerts()).toEqual([{ rule: 'delivery_contradicted', severity: 'high', open: true }]);
    expect((await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body.risk).toBe('at_risk');
  });

  it('closes a delivery taken back once the courier delivers the parcel again, after any sweep', async () => {
    const b = await deliveredThen('delivery_failed', 'consignee_absent');
    await runJob('alerts-sweep');
    const open = async () =>
      (
        await t.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM alerts WHERE shipment_id = $1 AND resolved_at IS NULL',
          [b.id],
        )
      )[0].n;
    expect(await open()).toBe(1);
    t.clock.advance(3600_000);
    await pushed(b.awb, 'delivered');
    expect(await open()).toBe(0);
    const shipment = (await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body;
    expect({ status: shipment.status, risk: shipment.risk }).toEqual({ status: 'delivered', risk: 'none' });
  });

  it('stores a push replayed five times once and applies it; the shipment moves once', async () => {
    const b = await book();
    t.clock.advance(3600_000);
    await advance(b.awb, 'picked_up');
    const push = await pushFor(b.awb);
    for (let i = 0; i < 5; i += 1) {
      const res = await send(push).expect(200);
      expect(res.body.events).toBeGreaterThan(0);
      expect(res.body.fresh).toBe(i === 0 ? res.body.events : 0);
    }
    await waitUntil(async () => (await status(b.id)) === 'picked_up', 'the push applied');
    expect(await storedEvents(b.awb)).toBe((await send(push).expect(200)).body.events);
    const moves = await t.dataSource.query<{ to_status: string }[]>(
      "SELECT to_status FROM shipment_transitions WHERE shipment_id = $1 AND cause = 'courier_event'",
      [b.id],
    );
    expect(moves).toEqual([{ to_status: 'picked_up' }]);
    const [kept] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM courier_pushes WHERE courier = $1 AND strpos(body, $2) > 0`,
      [pinned.code, b.awb],
    );
    // The push is kept raw for audit once: a repeat that brought no new event is not (each copy of up to
    // 256 KB was kept for 30 days).
    expect(kept.n).toBe(1);
  });

  it('refuses unsigned and forged pushes with 401 and stores nothing', async () => {
    const b = await book();
    t.clock.advance(3600_000);
    await advance(b.awb, 'picked_up');
    const push = await pushFor(b.awb);
    const before = await snapshotTables(t.dataSource);
    for (const bad of [push.unsigned, push.forged]) {
      const res = await send(bad).expect(401);
      expect(res.body.code).toBe('COURIER_WEBHOOK_REJECTED');
    }
    expect(await snapshotTables(t.dataSource)).toEqual(before);
    expect(await status(b.id)).toBe('booked');
  });

  it('ends in the same status when the pushes arrive out of order as when in order', async () => {
    const [inOrder, reversed] = [await book(), await book()];
    const pushes: { a: SandboxPush; b: SandboxPush }[] = [];
    const journey: [CourierStatus, string?][] = [
      ['picked_up'],
      ['in_transit'],
      ['out_for_delivery'],
      ['delivery_failed', 'consignee_absent'],
      ['out_for_delivery'],
      ['delivered'],
    ];
    for (const [to, reason] of journey) {
      t.clock.advance(3600_000);
      await advance(inOrder.awb, to, reason);
      await advance(reversed.awb, to, reason);
      pushes.push({ a: await pushFor(inOrder.awb), b: await pushFor(reversed.awb) });
    }
    for (const p of pushes) await send(p.a).expect(200);
    for (const p of [...pushes].reverse()) await send(p.b).expect(200);
    await applyInbox();
    expect(await status(inOrder.id)).toBe('delivered');
    expect(await status(reversed.id)).toBe('delivered');
    const attempts = async (id: string) =>
      (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body.attempts as number;
    expect(await attempts(reversed.id)).toBe(await attempts(inOrder.id));
  });

  it('lists events of the same instant in journey order, whatever order their pushes came in', async () => {
    const b = await book();
    const pushes: SandboxPush[] = [];
    // One instant for the whole journey: a courier counting whole seconds (or minutes) ties them all.
    t.clock.advance(3600_000);
    for (const to of ['picked_up', 'in_transit', 'out_for_delivery', 'delivered'] as const) {
      await advance(b.awb, to);
      pushes.push(await pushFor(b.awb));
    }
    for (const push of pushes.reverse()) await send(push).expect(200);
    await applyInbox();
    const events = (await http.get(`/v1/shipments/${b.id}/events`).set(seller.auth).expect(200)).body
      .items as { at: string; status: string }[];
    expect(new Set(events.map((e) => e.at)).size).toBe(1);
    // J&T's scans on the way share one code (100): at one instant they are one event, so fewer are listed.
    const journey = ['picked_up', 'in_transit', 'out_for_delivery', 'delivered'];
    const listed = events.map((e) => e.status);
    expect(listed.length).toBeGreaterThanOrEqual(pinned.code === 'jnt' ? 2 : 4);
    expect(listed).toEqual([...listed].sort((a, b) => journey.indexOf(a) - journey.indexOf(b)));
    expect(listed[listed.length - 1]).toBe('delivered');
    expect(await status(b.id)).toBe('delivered');
  });

  it('takes back a first-attempt delivery when a failed attempt before it arrives after it', async () => {
    const b = await book();
    const pushes = new Map<string, SandboxPush>();
    const journey: [string, CourierStatus, string?][] = [
      ['pickup', 'picked_up'],
      ['transit', 'in_transit'],
      ['run 1', 'out_for_delivery'],
      ['failure', 'delivery_failed', 'consignee_absent'],
      ['run 2', 'out_for_delivery'],
      ['delivery', 'delivered'],
    ];
    for (const [name, to, reason] of journey) {
      t.clock.advance(3600_000);
      await advance(b.awb, to, reason);
      pushes.set(name, await pushFor(b.awb));
    }
    const outcome = async () =>
      (
        await t.dataSource.query<{ failed_attempts: number; stats_keys: string[] }[]>(
          'SELECT failed_attempts, stats_keys FROM delivery_outcomes WHERE shipment_id = $1',
          [b.id],
        )
      )[0];
    const firstAttempts = async (keys: string[]) =>
      t.dataSource.query<{ id: string; outcomes: number; first_attempt: number }[]>(
        `SELECT level || ':' || key AS id, outcomes, first_attempt FROM delivery_stats
         WHERE level || ':' || key = ANY($1::text[]) ORDER BY 1`,
        [keys],
      );
    // The failure's push is held back: the delivery is learned first, as at the first attempt. JNE's
    // pushes carry the whole history (jne.md), so the delivery's own push tells of the failure.
    const wholeHistory = pinned.code === 'jne';
    for (const [name, push] of pushes) if (name !== 'failure') await send(push).expect(200);
    await applyInbox();
    expect(await status(b.id)).toBe('delivered');
    const learned = await outcome();
    expect(learned.failed_attempts).toBe(wholeHistory ? 1 : 0);
    expect(learned.stats_keys).toEqual(expect.arrayContaining([`national:${pinned.code}`]));
    const before = await firstAttempts(learned.stats_keys);
    expect(before).toHaveLength(learned.stats_keys.length);

    await send(pushes.get('failure')!).expect(200);
    await applyInbox();
    expect(await status(b.id)).toBe('delivered');
    expect((await outcome()).failed_attempts).toBe(1);
    // Every row it was counted in: one first attempt fewer (none had been counted from JNE), the same
    // outcomes.
    const corrected = before.map((r) => ({ ...r, first_attempt: r.first_attempt - (wholeHistory ? 0 : 1) }));
    expect(await firstAttempts(learned.stats_keys)).toEqual(corrected);
    // Told again (a replay, a poll bringing the same failure): taken back once.
    await send(pushes.get('failure')!).expect(200);
    await applyInbox();
    expect(await firstAttempts(learned.stats_keys)).toEqual(corrected);
  });

  it('keeps one event when a push and a poll report the same thing', async () => {
    const b = await book();
    // Seconds past the minute: a courier whose history has whole minutes but whose push has seconds
    // (JNE) must still see one scan, not two.
    t.clock.advance(3600_000 + 37_000);
    await advance(b.awb, 'picked_up');
    await send(await pushFor(b.awb)).expect(200);
    await applyInbox();
    const afterPush = await storedEvents(b.awb);
    // Due now: the push postponed the next poll, so move past it.
    t.clock.advance(24 * 3600_000);
    await runJob('tracking-poll');
    const polled = await t.dataSource.query<{ raw_code: string; minute: Date; n: number }[]>(
      `SELECT raw_code, date_trunc('minute', occurred_at) AS minute, count(*)::int AS n FROM tracking_events
       WHERE courier = $1 AND awb = $2 GROUP BY raw_code, minute HAVING count(*) > 1`,
      [pinned.code, b.awb],
    );
    expect(polled).toEqual([]);
    expect(await storedEvents(b.awb)).toBeGreaterThanOrEqual(afterPush);
    expect(await status(b.id)).toBe('picked_up');
  });

  it('answers 404 for a courier it does not know', async () => {
    const res = await http.post('/v1/webhooks/couriers/dhl').send({}).expect(404);
    expect(res.body.code).toBe('COURIERS_NOT_FOUND');
  });
});

describe('the inbox with several events waiting per airway bill', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;

  beforeAll(async () => {
    // A batch of three events: with two or more waiting per airway bill, a batch holds fewer bills than events.
    t = await startTestApp({}, undefined, {
      configure: (config) => (config.business.tracking.inboxBatch = 3),
    });
    http = t.http();
    seller = await signupSeller(http);
  });
  afterAll(() => t.close());

  /** Four JNE parcels moved twice, their pushes stored as the route stores them, without its own kick. */
  async function fourPushed() {
    const origin = (await createAddress(http, seller)).id;
    const booked = await bookPinned(t, http, seller, origin, Array(4).fill({ code: 'jne', service: 'REG' }));
    for (const to of ['picked_up', 'in_transit'] as const) {
      t.clock.advance(3600_000);
      for (const b of booked)
        await http.post(`/sandbox/parcels/${b.awb}/advance`).set(seller.auth).send({ to }).expect(200);
    }
    const jne = t.app.get(CourierRegistry).get('jne');
    for (const b of booked) {
      const push = (await t.app.get(CourierSandboxes).get('jne')!.webhookFor(b.awb))!;
      const rawBody = Buffer.from(push.body);
      const events = jne.parseWebhook({ headers: push.headers, rawBody }, t.clock.now());
      expect(events.length).toBeGreaterThanOrEqual(2);
      await t.app.get(TrackingService).storePush('jne', events, rawBody, push.headers['content-type']);
    }
    return booked;
  }

  it('applies everything waiting in one run, however the events fall into batches', async () => {
    const booked = await fourPushed();
    const tracking = t.app.get(TrackingService);
    expect(await tracking.applyPushed()).toBe(4);
    const [waiting] = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM tracking_events WHERE processed_at IS NULL',
    );
    expect(waiting.n).toBe(0);
    for (const b of booked)
      expect((await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body.status).toBe(
        'in_transit',
      );
  });

  it('gives each applier other events: a claim holds them (committed) until its time runs out', async () => {
    await fourPushed();
    const events = t.app.get(TrackingEventsRepository);
    const now = t.realClock.now();
    const until = new Date(now.getTime() + 120_000);
    // As two instances would, one after the other while the first still applies.
    const first = await events.claimUnprocessed(3, now, until);
    const second = await events.claimUnprocessed(3, now, until);
    expect(first.eventIds).toHaveLength(3);
    expect(second.eventIds.length).toBeGreaterThan(0);
    expect(second.eventIds.filter((id) => first.eventIds.includes(id))).toEqual([]);
    // The first applier died: once its claim has run out, its events are taken again.
    const later = new Date(until.getTime() + 1);
    const again = await events.claimUnprocessed(100, later, new Date(later.getTime() + 120_000));
    expect(again.eventIds).toEqual(expect.arrayContaining([...first.eventIds, ...second.eventIds]));
    // What is still claimed by a live applier is not.
    const none = await events.claimUnprocessed(100, later, new Date(later.getTime() + 120_000));
    expect(none.eventIds).toEqual([]);
    await events.releaseClaim(again.eventIds, new Date(later.getTime() + 120_000));
    expect(await t.app.get(TrackingService).applyPushed()).toBe(4);
  });

  it('runs one applier per instance: a run asked for meanwhile joins it, and each airway bill is applied once', async () => {
    const booked = await fourPushed();
    const tracking = t.app.get(TrackingService);
    // Its private apply is watched (and still runs): which airway bills each run applied.
    const apply = jest.spyOn(
      tracking as unknown as { apply: (c: string, awbs: string[]) => unknown },
      'apply',
    );
    const runs = await Promise.all([tracking.applyPushed(), tracking.applyPushed(), tracking.applyPushed()]);
    const applied = apply.mock.calls.flatMap((call) => call[1]);
    apply.mockRestore();
    expect(runs).toEqual([4, 4, 4]);
    expect(applied.sort()).toEqual(booked.map((b) => b.awb).sort());
  });
});

describe('courier webhooks: a signed push holding what no courier sends', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
  });
  afterAll(() => t.close());

  /** A SAP parcel just picked up, and the push its courier sends for it (its body parsed, to change). */
  async function pickedUpSapPush() {
    const origin = (await createAddress(http, seller)).id;
    const { booked: b, push } = await pickedUpWithPush(t, http, seller, origin, 'sap');
    return { b, push, body: JSON.parse(push.body) as Record<string, unknown> };
  }

  // SAP signs with a token header, not over the body: a changed body is still signed.
  it('is refused as malformed (400, naming the field) with nothing stored: overlong texts, wrong types', async () => {
    const { b, push, body } = await pickedUpSapPush();
    const before = await snapshotTables(t.dataSource);
    for (const [changed, field, message] of [
      [{ rowstate_name: 'x'.repeat(9000) }, 'events[0].rawCode', 'is longer than 200 characters'],
      [{ awb_no: `${b.awb}${'9'.repeat(200)}` }, 'events[0].awb', 'is longer than 64 characters'],
      [{ description: 'y'.repeat(100_000) }, 'events[0].rawText', 'is longer than 2000 characters'],
      [{ awb_no: [b.awb] }, 'awb_no', 'is required, as text'],
      [{ rowstate_name: { name: 'DELIVERED' } }, 'rowstate_name', 'is required, as text'],
    ] as const) {
      const res = await http
        .post('/v1/webhooks/couriers/sap')
        .set(push.headers)
        .send(JSON.stringify({ ...body, ...changed }));
      expect({ changed: Object.keys(changed), status: res.status, body: res.body }).toEqual({
        changed: Object.keys(changed),
        status: 400,
        body: expect.objectContaining({
          code: 'COURIER_WEBHOOK_MALFORMED',
          details: [{ field, message }],
        }),
      });
    }
    // Not JSON: the courier's decoder says so once the push is signed, whatever its content type; unsigned,
    // it is refused as unsigned (401), as any unsigned push.
    // (A CSV type too: its parser decoded the body by its charset, losing the bytes: 400 signed, 415 unsigned.)
    for (const contentType of ['application/json', 'text/plain', 'text/csv; charset=foo']) {
      const notJson = await http
        .post('/v1/webhooks/couriers/sap')
        .set({ ...push.headers, 'content-type': contentType })
        .send('{"awb_no": ')
        .expect(400);
      expect(notJson.body).toMatchObject({
        code: 'COURIER_WEBHOOK_MALFORMED',
        details: [{ field: 'body', message: 'is not JSON' }],
      });
      const unsigned = await http
        .post('/v1/webhooks/couriers/sap')
        .set('content-type', contentType)
        .send('{"awb_no": ')
        .expect(401);
      expect(unsigned.body.code).toBe('COURIER_WEBHOOK_REJECTED');
    }
    // The account's token derived from the world seed alone, which anyone can read (it was), is forged.
    const seed = t.app.get(AppConfig).couriers.sandboxSeed;
    const guessed = createHmac('sha256', seed).update('sap:webhook_token').digest('base64url').slice(0, 32);
    const forged = await http
      .post('/v1/webhooks/couriers/sap')
      .set({ ...push.headers, 'x-sap-token': guessed })
      .send(push.body)
      .expect(401);
    expect(forged.body.message).toBe('sap webhook rejected: forged');
    expect(await snapshotTables(t.dataSource)).toEqual(before);
    // The same push unchanged is taken.
    await http.post('/v1/webhooks/couriers/sap').set(push.headers).send(push.body).expect(200);
  });

  // ID Express pushes each line alone: a problem scan is a failed attempt only after a Delivery Scan.
  it('takes a poll’s reading of a pushed ID Express problem scan: a hold read alone becomes the failed attempt', async () => {
    const origin = (await createAddress(http, seller)).id;
    const { booked: b, push } = await pickedUpWithPush(t, http, seller, origin, 'idexpress');
    const courier = t.app.get(CourierSandboxes).get('idexpress')!;
    const pushLatest = async (
      change: (line: Record<string, unknown>) => Record<string, unknown> = (l) => l,
    ) => {
      const latest = (await courier.webhookFor(b.awb))!;
      const [line] = JSON.parse(latest.body) as Record<string, unknown>[];
      await http
        .post('/v1/webhooks/couriers/idexpress')
        .set(push.headers)
        .send(JSON.stringify([change(line)]))
        .expect(200);
      await pushesApplied(t);
      return (await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body as {
        status: string;
        failedAttempts: number;
      };
    };
    await pushLatest();
    const advance = (to: string, reason?: string) =>
      http
        .post(`/sandbox/parcels/${b.awb}/advance`)
        .set(seller.auth)
        .send({ to, ...(reason ? { reason } : {}) })
        .expect(200);
    await advance('out_for_delivery');
    expect(await pushLatest()).toMatchObject({ status: 'out_for_delivery' });
    await advance('delivery_failed', 'consignee_unreachable');
    // Pushed alone, without its code, in words no rule knows: nothing says a Delivery Scan came before it.
    const alone = await pushLatest((line) => ({
      ...line,
      problemCode: undefined,
      problemDescription: 'Minta dijadwalkan ulang',
    }));
    expect(alone).toMatchObject({ status: 'out_for_delivery', failedAttempts: 0 });
    // The poll reads the line after the Delivery Scan before it: a failed attempt, counted and alerted.
    t.clock.advance(7 * 3600_000);
    await t.app.get(TrackingPoller).pollDue();
    const polled = (await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body;
    expect(polled).toMatchObject({ status: 'delivery_failed', failedAttempts: 1 });
    const alerts = await http.get(`/v1/alerts?shipmentId=${b.id}`).set(seller.auth).expect(200);
    expect(alerts.body.items).toEqual([expect.objectContaining({ rule: 'failed_attempt' })]);
  });

  // ID Express signs with a token header: the same push with its waybill in lower case is still signed.
  it('reads a pushed airway bill in lower case, padded, as the parcel the courier prints in capitals', async () => {
    const origin = (await createAddress(http, seller)).id;
    const { booked: b, push } = await pickedUpWithPush(t, http, seller, origin, 'idexpress');
    const [line] = JSON.parse(push.body) as Record<string, unknown>[];
    expect(b.awb).toMatch(/[A-Z]/);
    const lower = JSON.stringify([{ ...line, waybillNo: ` ${b.awb.toLowerCase()} ` }]);
    await http.post('/v1/webhooks/couriers/idexpress').set(push.headers).send(lower).expect(200);
    await pushesApplied(t);
    const shipment = await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200);
    expect(shipment.body.status).toBe('picked_up');
    const stored = await t.dataSource.query<{ awb: string; shipment_id: string }[]>(
      "SELECT awb, shipment_id FROM tracking_events WHERE courier = 'idexpress' AND upper(awb) = $1",
      [b.awb],
    );
    expect(stored).toEqual([{ awb: b.awb, shipment_id: b.id }]);
  });

  it('lists for finance a COD parcel delivered with less cash than asked, or none; not one paid in full', async () => {
    const finance = await createOperator(t, http, 'finance');
    const delivered = (cash: string) => deliveredWithCash(t, http, seller, cash);
    const short = await delivered('1000');
    // A second delivery line of the same parcel (ID Express has two codes for it): still one item.
    const again = {
      ...short.line,
      operationType: 'POD Entry',
      lastOperationTime: Number(short.line.lastOperationTime) + 60,
    };
    await http
      .post('/v1/webhooks/couriers/idexpress')
      .set(short.push.headers)
      .send(JSON.stringify([again]))
      .expect(200);
    await pushesApplied(t);
    const none = await delivered('0');
    const full = await delivered('full');
    // A delivery line dated before this booking is no delivery of it: the parcel is not delivered, nor listed.
    const origin = (await createAddress(http, seller)).id;
    const { booked: early, push: earlyPush } = await pickedUpWithPush(t, http, seller, origin, 'idexpress');
    const [earlyLine] = JSON.parse(earlyPush.body) as Record<string, unknown>[];
    const stale = {
      ...earlyLine,
      operationType: 'POD scan',
      lastOperationTime: Math.floor((t.clock.now().getTime() - 40 * 3600_000) / 1000),
      codAmount: '0',
    };
    await http
      .post('/v1/webhooks/couriers/idexpress')
      .set(earlyPush.headers)
      .send(JSON.stringify([stale, earlyLine]))
      .expect(200);
    await pushesApplied(t);
    expect((await http.get(`/v1/shipments/${early.id}`).set(seller.auth).expect(200)).body.status).toBe(
      'picked_up',
    );
    const list = await http.get('/v1/ops/cod-discrepancies').set(finance.auth).expect(200);
    const mine = (list.body.items as { shipmentId: string }[]).filter((d) =>
      [short.id, none.id, full.id, early.id].includes(d.shipmentId),
    );
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          shipmentId: short.id,
          awb: short.awb,
          codAmount: short.codAmount,
          reportedAmount: 1000,
          kind: 'less',
        }),
        expect.objectContaining({ shipmentId: none.id, reportedAmount: 0, kind: 'none' }),
      ]),
    );
    expect(mine).toHaveLength(2);
    // The seller is credited as the design says (the remittance settles the difference): delivered, all three.
    for (const b of [short, none, full])
      expect((await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body.status).toBe(
        'delivered',
      );
    await http.get('/v1/ops/cod-discrepancies').set(seller.auth).expect(403);
  });

  // Only the newest line is held to the replay window: an older one's time was stored as it came.
  it('is refused as malformed (400) with nothing stored when an older line is dated before any courier tracked', async () => {
    const origin = (await createAddress(http, seller)).id;
    const { push } = await pickedUpWithPush(t, http, seller, origin, 'idexpress');
    const [line] = JSON.parse(push.body) as Record<string, unknown>[];
    const before = await snapshotTables(t.dataSource);
    // Epoch seconds: 8e12 s before 1970 is a JavaScript date but before PostgreSQL's first (4713 BC); 0 is 1970.
    for (const lastOperationTime of [-8e12, 0]) {
      const res = await http
        .post('/v1/webhooks/couriers/idexpress')
        .set(push.headers)
        .send(JSON.stringify([{ ...line, lastOperationTime }, line]));
      expect({ lastOperationTime, status: res.status, body: res.body }).toEqual({
        lastOperationTime,
        status: 400,
        body: expect.objectContaining({
          code: 'COURIER_WEBHOOK_MALFORMED',
          details: [{ field: 'events[0].occurredAt', message: 'is before 2000' }],
        }),
      });
    }
    expect(await snapshotTables(t.dataSource)).toEqual(before);
  });

  it('answers each courier the acknowledgement it looks for, with the counts', async () => {
    const origin = (await createAddress(http, seller)).id;
    const acks = {
      jne: { status: true },
      jnt: { success: true },
      sap: { status: 200 },
      ninja: {},
      idexpress: {},
    };
    for (const [code, ack] of Object.entries(acks)) {
      const { push } = await pickedUpWithPush(t, http, seller, origin, code as keyof typeof acks);
      const res = await http
        .post(`/v1/webhooks/couriers/${code}`)
        .set(push.headers)
        .send(push.body)
        .expect(200);
      expect({ code, body: res.body }).toEqual({
        code,
        body: { ...ack, events: expect.any(Number), fresh: res.body.events },
      });
      expect(res.body.events).toBeGreaterThan(0);
    }
  });

  it('takes a signed push whose body starts with a UTF-8 byte-order mark, as JSON, text or a form', async () => {
    const origin = (await createAddress(http, seller)).id;
    const sap = await pickedUpWithPush(t, http, seller, origin, 'sap');
    const jnt = await pickedUpWithPush(t, http, seller, origin, 'jnt');
    for (const [code, push, contentType] of [
      ['sap', sap.push, 'application/json'],
      ['sap', sap.push, 'text/plain'],
      ['jnt', jnt.push, 'application/x-www-form-urlencoded'],
    ] as const) {
      const res = await http
        .post(`/v1/webhooks/couriers/${code}`)
        .set({ ...push.headers, 'content-type': contentType })
        // Sent as UTF-8: the mark is the bytes EF BB BF.
        .send(`\uFEFF${push.body}`);
      expect({ code, contentType, status: res.status }).toEqual({ code, contentType, status: 200 });
    }
    const stored = await t.dataSource.query<{ courier: string }[]>(
      'SELECT courier FROM tracking_events WHERE awb = ANY($1) ORDER BY courier',
      [[sap.booked.awb, jnt.booked.awb]],
    );
    expect(stored.map((e) => e.courier)).toEqual(expect.arrayContaining(['jnt', 'sap']));
  });

  it('keeps a signed push whose texts hold a NUL or a lone surrogate, whatever its content type, as U+FFFD', async () => {
    const { b, push, body } = await pickedUpSapPush();
    const contentTypes = ['text/plain', 'application/octet-stream', 'application/json', 'text/csv'];
    for (const [i, contentType] of contentTypes.entries()) {
      const odd = JSON.stringify({ ...body, description: `Gudang ${i}\u0000 Jakarta \ud800` });
      const res = await http
        .post('/v1/webhooks/couriers/sap')
        .set({ ...push.headers, 'content-type': contentType })
        .send(odd);
      expect({ contentType, status: res.status }).toEqual({ contentType, status: 200 });
      // Unsigned, it is refused as unsigned, not for its text.
      const unsigned = await http
        .post('/v1/webhooks/couriers/sap')
        .set({ 'content-type': contentType })
        .send(odd);
      expect({ contentType, status: unsigned.status }).toEqual({ contentType, status: 401 });
    }
    // Its event is kept once (the later pushes are the same event), its texts with U+FFFD.
    const kept = await t.dataSource.query<{ raw_text: string; raw: { rawText: string } }[]>(
      "SELECT raw_text, raw FROM tracking_events WHERE courier = 'sap' AND awb = $1",
      [b.awb],
    );
    expect(kept).toHaveLength(1);
    expect(kept[0].raw_text).toContain('Gudang 0\uFFFD Jakarta \uFFFD');
    expect(kept[0].raw.rawText).toContain('Gudang 0\uFFFD Jakarta \uFFFD');
    const pushes = await t.dataSource.query<{ body: string }[]>(
      "SELECT body FROM courier_pushes WHERE courier = 'sap' AND body LIKE '%Gudang %'",
    );
    // The first signed push is kept raw, as it came; the later ones brought no new event.
    expect(pushes).toHaveLength(1);
    expect(JSON.parse(pushes[0].body).description).toBe('Gudang 0\u0000 Jakarta \ud800');
  });
});
