import supertest from 'supertest';
import type { CourierCode, TrackingEvent } from 'src/couriers/courier-adapter';
import { TrackingService } from 'src/tracking/tracking.service';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { SandboxWorld } from 'src/couriers/sandbox/sandbox-world.service';
import { createAddress, signupSeller, subscribeWebhooks, TestSeller } from '../support/factories/sellers';
import { createOperator } from '../support/factories/operators';
import { bookPinned, PINNED, pushesApplied } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';
import { verifySignature } from 'src/sellers/notifications/webhook-signature';
import { Transactions } from 'src/database/transaction';
import { TrackedShipments } from 'src/shipments/tracked-shipments.service';
import { ShipmentQuotedEta1795473800000 } from '../../migrations/1795473800000-ShipmentQuotedEta';
import { rerunMigration } from '../support/migration-rerun';

interface Booked {
  id: string;
  awb: string;
  courier: CourierCode;
}

/**
 * Journeys through the tracker: shipments booked at every courier's sandbox, driven by the sandbox's
 * scripts, followed by the poller over real HTTP until they end. Each ends in the status its courier's
 * own words say, with the events kept, every move recorded with the event that caused it, and its
 * outcome recorded once for the scoring.
 */
describe('tracking journeys at every courier', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let admin: { auth: { authorization: string } };
  let origin: string;
  let receiver: WebhookReceiver;
  let secret: string;

  beforeAll(async () => {
    // Journeys are followed 2 h at a time for a few days: parcels in transit are asked about every 6 h
    // here, whatever the shipped cadence, so a silent one is seen past its threshold within the journey.
    t = await startTestApp({}, undefined, {
      configure: (c) => (c.business.tracking.cadence.everyMinutes.in_transit = 360),
    });
    http = t.http();
    seller = await signupSeller(http);
    origin = (await createAddress(http, seller)).id;
    receiver = await WebhookReceiver.start();
    secret = await subscribeWebhooks(http, seller, receiver.url('/kirim'));
    admin = await createOperator(t, http, 'admin');
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  /**
   * What the seller's receiver got about shipment `id` (after the webhook worker ran), every signature
   * checked: type → the events' data.
   */
  async function toldAbout(id: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
    // The worker sends a few at a time per seller: run it until nothing is pending.
    for (let i = 0; i < 100; i += 1) {
      await http.post('/sandbox/jobs/seller-webhooks/run').set(admin.auth).send({}).expect(200);
      const pending = await http
        .get('/v1/webhook-deliveries?status=pending&limit=1')
        .set(seller.auth)
        .expect(200);
      if (!pending.body.items.length) break;
    }
    const bodies = [];
    for (const r of receiver.received) {
      const body = JSON.parse(r.rawBody.toString('utf8')) as {
        id: string;
        type: string;
        createdAt: string;
        data: Record<string, unknown>;
      };
      if (body.data.shipmentId !== id) continue;
      expect(verifySignature(secret, r.rawBody, r.signature, t.realClock.now()).valid).toBe(true);
      // The body API.md gives, whether the event was written by JavaScript or by the move's own statement.
      expect(Object.keys(body)).toEqual(['id', 'type', 'createdAt', 'data']);
      expect(body.id).toBe(r.eventId);
      expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
      if (body.type === 'shipment.status_changed') {
        expect(body.data).toEqual({
          shipmentId: id,
          reference: expect.any(String),
          from: expect.any(String),
          status: expect.any(String),
          reason: body.data.reason === null ? null : expect.any(String),
          courier: expect.any(String),
          awb: expect.any(String),
          at: expect.any(String),
          // Whether the courier took the COD cash, said on a COD parcel's delivery only.
          codCollected: body.data.status === 'delivered' ? expect.any(Boolean) : null,
        });
        expect(new Date(body.data.at as string).toISOString()).toBe(body.data.at);
      }
      bodies.push(body);
    }
    return bodies;
  }
  /** The status changes the seller was told of, as "from → to", in the order the moves were recorded. */
  const changesTold = async (id: string) =>
    (await toldAbout(id))
      .filter((b) => b.type === 'shipment.status_changed')
      .map((b) => `${String(b.data.from)} → ${String(b.data.status)}`)
      .sort();

  const bookAll = (codAmount = 150_000): Promise<Booked[]> =>
    bookPinned(t, http, seller, origin, PINNED, { codAmount });
  const shipment = async (id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
  const script = (b: Booked, name: string) =>
    http.post(`/sandbox/parcels/${b.awb}/script`).set(seller.auth).send({ script: name }).expect(200);
  const poll = () => http.post('/sandbox/jobs/tracking-poll/run').set(admin.auth).send({}).expect(200);
  /**
   * Moves time two hours at a time, `steps` times; after each step the couriers push what happened to
   * `booked` (each its own way, signed) and the poller runs.
   */
  async function follow(steps: number, booked: Booked[]): Promise<void> {
    const sent = new Map<string, number>();
    const world = t.app.get(SandboxWorld);
    for (let i = 0; i < steps; i += 1) {
      t.clock.advance(2 * 3600_000);
      for (const b of booked) {
        // Only news: a courier pushes an event once (a replay hours later would be refused as stale).
        const happened = world.happened((await world.find(b.courier, b.awb))!).length;
        if (sent.get(b.awb) === happened) continue;
        sent.set(b.awb, happened);
        const push = await t.app.get(CourierSandboxes).get(b.courier)!.webhookFor(b.awb);
        if (!push) continue;
        await http.post(`/v1/webhooks/couriers/${b.courier}`).set(push.headers).send(push.body).expect(200);
      }
      await http.post('/sandbox/jobs/tracking-inbox/run').set(admin.auth).send({}).expect(200);
      await pushesApplied(t);
      await poll();
    }
  }
  const transitions = (id: string) =>
    t.dataSource.query<
      { from_status: string; to_status: string; cause: string; cause_event_id: string | null }[]
    >(
      `SELECT t.from_status, t.to_status, t.cause, t.cause_event_id FROM shipment_transitions t
       LEFT JOIN tracking_events e ON e.id = t.cause_event_id
       WHERE t.shipment_id = $1 ORDER BY t.at, e.occurred_at NULLS FIRST`,
      [id],
    );
  /** The shipment's alerts as the seller sees them: rule → whether it is still open. */
  const alertsOf = async (id: string): Promise<Record<string, 'open' | 'resolved'>> => {
    const s = await shipment(id);
    return Object.fromEntries(
      (s.alerts as { rule: string; resolvedAt: string | null }[]).map((a) => [
        a.rule,
        a.resolvedAt ? 'resolved' : 'open',
      ]),
    );
  };
  const outcomes = (id: string) =>
    t.dataSource.query<{ outcome: string; failed_attempts: number }[]>(
      'SELECT outcome, failed_attempts FROM delivery_outcomes WHERE shipment_id = $1',
      [id],
    );

  it('happy: picked up, carried, delivered; the COD cash counted as collected by the delivering event', async () => {
    const booked = await bookAll();
    for (const b of booked) await script(b, 'happy');
    await follow(40, booked);
    for (const b of booked) {
      const s = await shipment(b.id);
      expect({ courier: b.courier, status: s.status, cod: s.codCollected, attempts: s.attempts }).toEqual({
        courier: b.courier,
        status: 'delivered',
        cod: true,
        attempts: 1,
      });
      const statuses = s.events.map((e: { status: string | null }) => e.status).filter(Boolean);
      // Couriers that push only their latest event leave the pickup scan to the poll that follows.
      expect(statuses).toEqual(expect.arrayContaining(['picked_up', 'out_for_delivery', 'delivered']));
      expect(s.alerts).toEqual([]);
      // Who took it, as the courier's proof of delivery says, where its sandbox writes one as the courier does.
      const proof = s.events.find((e: { status: string | null }) => e.status === 'delivered').pod;
      const expected: Record<string, object | null> = {
        idexpress: {
          receiver: s.recipient.name,
          relation: 'Self',
          photoUrls: [`https://pod.idexpress.sandbox.invalid/${b.awb}.jpg`],
        },
        ninja: { receiver: s.recipient.name, relation: 'Self' },
        jne: { receiver: s.recipient.name.toUpperCase() },
        jnt: null,
        sap: null,
      };
      expect({ courier: b.courier, proof }).toEqual({ courier: b.courier, proof: expected[b.courier] });
      for (const e of s.events) {
        expect(e.rawCode).toEqual(expect.any(String));
        expect(e.description.length).toBeGreaterThan(0);
        expect(e.awb).toBe(b.awb);
      }
      // Every poll answered with the whole history: each event was stored once, applied to this shipment.
      const [stored] = await t.dataSource.query<{ events: number; distinct: number; unapplied: number }[]>(
        `SELECT count(*)::int AS events, count(DISTINCT (raw_code, occurred_at))::int AS distinct,
                count(*) FILTER (WHERE processed_at IS NULL OR shipment_id IS DISTINCT FROM $3)::int AS unapplied
           FROM tracking_events WHERE courier = $1 AND awb = $2`,
        [b.courier, b.awb, b.id],
      );
      expect(stored.events).toBe(s.events.length);
      expect(stored).toEqual({ events: stored.distinct, distinct: stored.distinct, unapplied: 0 });
      const moves = await transitions(b.id);
      const courierMoves = moves.filter((m) => m.cause === 'courier_event');
      expect(courierMoves.map((m) => m.to_status)).toEqual(
        expect.arrayContaining(['out_for_delivery', 'delivered']),
      );
      expect(courierMoves.every((m) => m.cause_event_id !== null)).toBe(true);
      // Every move after the pickup request (whose own answer said "booking") is pushed.
      expect(await changesTold(b.id)).toEqual(
        moves
          .filter((m) => m.cause !== 'pickup_request')
          .map((m) => `${m.from_status} → ${m.to_status}`)
          .sort(),
      );
      const [cod] = await t.dataSource.query<{ cod_collected_event_id: string; status: string }[]>(
        `SELECT s.cod_collected_event_id, e.status FROM shipments s
         JOIN tracking_events e ON e.id = s.cod_collected_event_id WHERE s.id = $1`,
        [b.id],
      );
      expect(cod.status).toBe('delivered');
      expect(await outcomes(b.id)).toEqual([{ outcome: 'delivered', failed_attempts: 0 }]);
      // Ended: it leaves the poll set.
      expect(
        await t.dataSource.query('SELECT next_poll_at FROM shipment_polls WHERE shipment_id = $1', [b.id]),
      ).toEqual([]);
    }
  });

  it('failed then delivered: the failed attempt is recorded with its reason, then the re-attempt delivers', async () => {
    const booked = await bookAll();
    for (const b of booked) await script(b, 'failed_then_delivered');
    await follow(40, booked);
    for (const b of booked) {
      const s = await shipment(b.id);
      expect({ courier: b.courier, status: s.status, attempts: s.attempts, cod: s.codCollected }).toEqual({
        courier: b.courier,
        status: 'delivered',
        attempts: 2,
        cod: true,
      });
      const moves = (await transitions(b.id)).map((m) => m.to_status);
      expect(moves.indexOf('delivery_failed')).toBeGreaterThan(moves.indexOf('out_for_delivery'));
      expect(moves.lastIndexOf('out_for_delivery')).toBeGreaterThan(moves.indexOf('delivery_failed'));
      expect(await outcomes(b.id)).toEqual([{ outcome: 'delivered', failed_attempts: 1 }]);
      // The seller was told of every move, and warned of the failed attempt with what to do.
      const recorded = (await transitions(b.id))
        .filter((m) => m.cause !== 'pickup_request')
        .map((m) => `${m.from_status} → ${m.to_status}`)
        .sort();
      expect(await changesTold(b.id)).toEqual(recorded);
      const warnings = (await toldAbout(b.id)).filter((w) => w.type === 'shipment.at_risk');
      expect(warnings.map((w) => (w.data.alert as { rule: string }).rule)).toContain('failed_attempt');
      // Worded in both languages from the same facts: the dashboard shows Indonesian first.
      const failed = warnings
        .map((w) => w.data.alert as { rule: string; message: string; messageIndonesian: string })
        .find((a) => a.rule === 'failed_attempt')!;
      expect(failed.message).toMatch(/ could not deliver the parcel on attempt 1: /);
      expect(failed.messageIndonesian).toMatch(/ gagal mengantar paket pada percobaan ke-1: /);
      expect(failed.messageIndonesian.split(' gagal ')[0]).toBe(failed.message.split(' could not ')[0]);
      // The failed attempt was flagged, and the delivery closed it: the seller was told that too.
      expect(await alertsOf(b.id)).toMatchObject({ failed_attempt: 'resolved' });
      const closed = warnings
        .map((w) => w.data.alert as { rule: string; resolvedAt: string | null })
        .filter((a) => a.rule === 'failed_attempt' && a.resolvedAt !== null);
      expect(closed).toHaveLength(1);
      expect(s.risk).toBe('none');
    }
  });

  it('refused, returned to sender: ends returned, no COD collected, the outcome a failure', async () => {
    const booked = await bookAll();
    for (const b of booked) await script(b, 'refused_rts');
    await follow(40, booked);
    for (const b of booked) {
      const s = await shipment(b.id);
      // Why it came back stays said: the refusal at the door, not nothing.
      expect({ courier: b.courier, status: s.status, cod: s.codCollected, reason: s.reason }).toEqual({
        courier: b.courier,
        status: 'returned',
        cod: false,
        reason: expect.stringMatching(/^consignee_refused/),
      });
      const moves = (await transitions(b.id)).map((m) => m.to_status);
      expect(moves).toEqual(expect.arrayContaining(['delivery_failed', 'returning', 'returned']));
      expect(await outcomes(b.id)).toEqual([{ outcome: 'returned', failed_attempts: 1 }]);
      expect(await alertsOf(b.id)).toMatchObject({ failed_attempt: 'resolved', return_started: 'resolved' });
      const recorded = (await transitions(b.id))
        .filter((m) => m.cause !== 'pickup_request')
        .map((m) => `${m.from_status} → ${m.to_status}`)
        .sort();
      expect(await changesTold(b.id)).toEqual(recorded);
      expect(s.risk).toBe('none');
    }
  });

  it('stuck: stays in transit and keeps being polled; nothing ends, no outcome', async () => {
    const booked = await bookAll();
    for (const b of booked) await script(b, 'stuck');
    await follow(30, booked);
    for (const b of booked) {
      const s = await shipment(b.id);
      expect({ courier: b.courier, status: s.status }).toEqual({ courier: b.courier, status: 'in_transit' });
      // Silent for 60 hours in transit to Java: flagged, and the shipment is at risk.
      expect(await alertsOf(b.id)).toEqual({ stale_no_scan: 'open' });
      expect(s.risk).toBe('at_risk');
      const [alert] = s.alerts as { suggestedAction: string; contact: { whatsappUrl: string } }[];
      expect(alert.contact.whatsappUrl).toMatch(/^https:\/\/wa\.me\/62\d+\?text=/);
      expect(await outcomes(b.id)).toEqual([]);
      const polls = await t.dataSource.query<{ next_poll_at: Date }[]>(
        'SELECT next_poll_at FROM shipment_polls WHERE shipment_id = $1',
        [b.id],
      );
      expect(polls).toEqual([{ next_poll_at: expect.any(Date) }]);
    }
  });

  it('a non-COD parcel delivered collects nothing', async () => {
    const booked = await bookAll(0);
    for (const b of booked) await script(b, 'happy');
    await follow(40, booked);
    for (const b of booked) {
      const s = await shipment(b.id);
      expect({ courier: b.courier, status: s.status, cod: s.codCollected }).toEqual({
        courier: b.courier,
        status: 'delivered',
        cod: false,
      });
    }
  });

  it('sums it up for the seller: by status, open alerts by rule, each courier’s success and return rates', async () => {
    const figures = (await http.get('/v1/monitoring').set(seller.auth).expect(200)).body;
    // Per courier, the journeys above: three delivered (happy, failed then delivered, non-COD), one returned.
    expect(figures.couriers).toHaveLength(5);
    for (const c of figures.couriers) {
      expect(c).toMatchObject({
        shipments: 4,
        delivered: 3,
        returned: 1,
        lost: 0,
        successRate: 0.75,
        returnRate: 0.25,
      });
      expect(c.avgTransitDays).toBeGreaterThan(0);
    }
    expect(figures.byStatus).toEqual({ delivered: 15, returned: 5, in_transit: 5 });
    // A courier whose delivery is stamped before its pickup (times out of order) adds no time, never less.
    const jne = figures.couriers.find((c: { courier: string }) => c.courier === 'jne');
    await t.dataSource.query(
      `UPDATE shipments SET picked_up_at = ended_at + interval '5 days'
       WHERE seller_id = $1 AND courier = 'jne' AND status = 'delivered'`,
      [seller.sellerId],
    );
    const skewed = (await http.get('/v1/monitoring').set(seller.auth).expect(200)).body.couriers.find(
      (c: { courier: string }) => c.courier === 'jne',
    );
    expect(skewed.avgTransitDays).toBe(0);
    expect(jne.avgTransitDays).toBeGreaterThan(0);
    // The stuck ones: silent, and by now past their lane's transit time too.
    expect(figures.openAlertsByRule).toMatchObject({ stale_no_scan: 5 });
    expect(
      Object.keys(figures.openAlertsByRule).filter((r) => !['stale_no_scan', 'late_vs_lane'].includes(r)),
    ).toEqual([]);

    // A window that ended before these shipments ended has no couriers; another seller sees none of it.
    const before = new Date(t.clock.now().getTime() - 365 * 86_400_000).toISOString();
    const empty = (
      await http
        .get(`/v1/monitoring?to=${encodeURIComponent(before)}`)
        .set(seller.auth)
        .expect(200)
    ).body;
    expect(empty).toMatchObject({ byStatus: {}, couriers: [] });
    const other = await signupSeller(http);
    expect((await http.get('/v1/monitoring').set(other.auth).expect(200)).body).toMatchObject({
      byStatus: {},
      couriers: [],
      openAlertsByRule: {},
    });
    const bad = await http
      .get(
        `/v1/monitoring?from=${encodeURIComponent(t.clock.now().toISOString())}&to=${encodeURIComponent(before)}`,
      )
      .set(seller.auth)
      .expect(400);
    expect(bad.body.details).toEqual([{ field: 'from', message: 'must be before `to`' }]);
  });

  it('resolves the alerts of a shipment that ended without the tracker (cancelled by the seller)', async () => {
    // Picked up in three days, the seller asked; a day on, no pickup scan yet: the tracker flags it.
    const pickupDate = new Date(t.clock.now().getTime() + 3 * 86_400_000 + 7 * 3600_000)
      .toISOString()
      .slice(0, 10);
    const [{ id, awb }] = await bookPinned(t, http, seller, origin, [PINNED[0]], {}, pickupDate);
    await script({ id, awb, courier: PINNED[0].code }, 'pickup_missed');
    t.clock.advance(30 * 3600_000);
    await poll();
    let s = await shipment(id);
    expect({ status: s.status, risk: s.risk }).toEqual({ status: 'booked', risk: 'at_risk' });
    expect(await alertsOf(id)).toEqual({ pickup_not_made: 'open' });
    const b = { id };
    // The seller gives up and cancels it at the courier (still before pickup).
    await http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(200);
    await http.post('/sandbox/jobs/alerts-sweep/run').set(admin.auth).send({}).expect(200);
    s = await shipment(b.id);
    expect({ status: s.status, risk: s.risk }).toEqual({ status: 'cancelled', risk: 'none' });
    expect(await alertsOf(b.id)).toEqual({ pickup_not_made: 'resolved' });
  });

  it('leaves out a polled line that cannot be stored and follows the rest of the batch', async () => {
    const [a, b] = await bookPinned(t, http, seller, origin, [PINNED[4], PINNED[4]]);
    const tracked = t.app.get(TrackedShipments);
    const shipments = await t.app.get(Transactions).run(() => tracked.lock([a.id, b.id]));
    const at = new Date(t.clock.now().getTime() - 60_000);
    const line = (awb: string, over: Partial<TrackingEvent> = {}): TrackingEvent => ({
      awb,
      status: 'picked_up',
      rawCode: 'Pickup Scan',
      rawText: 'Paket telah di-pickup',
      occurredAt: at,
      isReturnLeg: false,
      ...over,
    });
    // What a courier's answer could hold: a time before any PostgreSQL stores (4713 BC), a code past what
    // its index holds, a note of 100,000 characters (cut, kept).
    await t.app.get(TrackingService).recordPoll(
      PINNED[4].code,
      shipments,
      [
        {
          awb: a.awb,
          found: true,
          events: [line(a.awb), line(a.awb, { rawCode: 'Weird', occurredAt: new Date(-8e15) })],
        },
        {
          awb: b.awb,
          found: true,
          events: [
            line(b.awb, { rawText: 'x'.repeat(100_000) }),
            line(b.awb, {
              rawCode: 'C'.repeat(9000),
              status: null,
              occurredAt: new Date(at.getTime() + 1000),
            }),
          ],
        },
      ],
      t.clock.now(),
    );
    expect([(await shipment(a.id)).status, (await shipment(b.id)).status]).toEqual([
      'picked_up',
      'picked_up',
    ]);
    const stored = await t.dataSource.query<{ awb: string; raw_code: string; n: number }[]>(
      `SELECT awb, raw_code, length(raw_text)::int AS n FROM tracking_events WHERE awb = ANY($1) ORDER BY awb`,
      [[a.awb, b.awb]],
    );
    expect(stored.map((r) => [r.awb, r.raw_code, r.n])).toEqual(
      [
        [a.awb, 'Pickup Scan', 21],
        [b.awb, 'Pickup Scan', 2000],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });

  it('keeps the transit days the courier quoted for the chosen service beside the shipment, as its booking decision has them', async () => {
    const booked = await bookAll();
    const tracked = t.app.get(TrackedShipments);
    const read = async (ids: string[]) =>
      new Map(
        (await t.app.get(Transactions).run(() => tracked.lock(ids))).map((s) => [s.id, s.quotedEtaDays]),
      );
    const quoted = new Map<string, { min: number; max: number } | null>();
    for (const b of booked) {
      const { decision, courier } = await shipment(b.id);
      const chosen = (
        decision.candidates as { courier: string; service: string; etaDays: { min: number; max: number } }[]
      ).find((c) => c.courier === courier.code && c.service === courier.service);
      expect(chosen?.etaDays).toEqual({ min: expect.any(Number), max: expect.any(Number) });
      quoted.set(b.id, chosen!.etaDays);
    }
    expect(await read(booked.map((b) => b.id))).toEqual(quoted);
    // Shipments booked before the columns existed take them from their decision when the migration runs; a
    // decision without the chosen option's days (or none at all) leaves none: the catalogue's promise instead.
    const [first, second] = booked;
    await t.dataSource.query(`UPDATE shipments SET decision = '{"candidates": "none"}' WHERE id = $1`, [
      first.id,
    ]);
    await t.dataSource.query('UPDATE shipments SET decision = NULL WHERE id = $1', [second.id]);
    await rerunMigration(t.dataSource, new ShipmentQuotedEta1795473800000());
    quoted.set(first.id, null).set(second.id, null);
    expect(await read(booked.map((b) => b.id))).toEqual(quoted);
  });
});
