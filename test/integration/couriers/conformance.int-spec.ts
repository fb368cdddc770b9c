import { buildAdapter } from 'src/couriers/adapters';
import { COURIER_CODES, CourierCode, CourierServiceInfo, CourierStatus } from 'src/couriers/courier-adapter';
import {
  CourierRejectedError,
  CourierUnavailableError,
  CourierWebhookRejectedError,
} from 'src/couriers/courier.errors';
import { CourierRegistry, ResilientCourier } from 'src/couriers/courier-registry';
import { CourierLocations } from 'src/couriers/locations';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import type { SandboxPush } from 'src/couriers/sandbox/courier-sandbox';
import { SandboxControl } from 'src/couriers/sandbox/sandbox-control.service';
import { SandboxWorld } from 'src/couriers/sandbox/sandbox-world.service';
import { PARCEL_ACTION_KINDS, ParcelActionKind } from 'src/couriers/courier-adapter';
import { pickupState } from 'src/shipments/pickup-sla';
import { defaults } from 'config/defaults';
import type { Principal } from 'src/common/auth/principal';
import { startForwardProxy } from '../../support/forward-proxy';
import { startTestApp, TestApp } from '../../support/test-app';
import { CASES, jakarta, order, quoteTo, reference } from './fixtures';

/** The day in Jakarta (UTC+7) an instant falls on, as a day number. */
const wibDay = (ms: number) => Math.floor((ms + 7 * HOUR) / (24 * HOUR));

const HOUR = 3600_000;
/** The tests drive parcels as an operator (any parcel). */
const OPERATOR: Principal = { kind: 'sandbox_operator', userId: '', role: 'admin', sellerId: null };

/**
 * One suite, run against every courier adapter through its sandbox over real HTTP: the port behaves
 * the same whoever is behind it.
 */
describe.each(COURIER_CODES)('courier conformance: %s', (code: CourierCode) => {
  let t: TestApp;
  let courier: ResilientCourier;
  let control: SandboxControl;
  let world: SandboxWorld;
  let webhookFor: (awb: string) => Promise<SandboxPush | null>;
  const c = CASES[code];

  beforeAll(async () => {
    t = await startTestApp();
    courier = t.app.get(CourierRegistry).get(code);
    control = t.app.get(SandboxControl);
    world = t.app.get(SandboxWorld);
    const sandbox = t.app.get(CourierSandboxes).get(code)!;
    webhookFor = (awb) => sandbox.webhookFor(awb);
  });
  afterAll(() => t.close());

  const trackOne = async (awb: string) => {
    const [r] = await courier.track([awb]);
    if (!r.found) throw new Error(`${awb} not found`);
    return r.events;
  };
  const statuses = async (awb: string) =>
    (await trackOne(awb)).map((e) => e.status).filter((s): s is CourierStatus => s !== null);

  it('quotes every service on a served route in integer rupiah, with the COD fee', async () => {
    const quotes = await courier.quote(quoteTo(jakarta));
    expect(quotes.length).toBeGreaterThan(0);
    const catalogue = courier.services().map((s: CourierServiceInfo) => s.code);
    for (const q of quotes) {
      expect(catalogue).toContain(q.service);
      expect(q.courier).toBe(code);
      expect(Number.isSafeInteger(q.price) && q.price > 0).toBe(true);
      expect(Number.isSafeInteger(q.codFee)).toBe(true);
      expect(q.etaDays.min).toBeGreaterThan(0);
      expect(q.etaDays.max).toBeGreaterThanOrEqual(q.etaDays.min);
      if (q.codAvailable) expect(q.codFee).toBeGreaterThan(0);
    }
    const main = quotes.find((q) => q.service === c.service)!;
    expect(main.codAvailable).toBe(true);
    const heavier = (await courier.quote(quoteTo(jakarta, 150_000, 5200))).find(
      (q) => q.service === c.service,
    )!;
    expect(heavier.price).toBeGreaterThan(main.price);
    const unserved = await courier.quote(quoteTo(c.unserved.to));
    expect(unserved.map((q) => q.service)).not.toContain(c.unserved.service);
  });

  it('creates an order with an airway bill, books its pickup, and finds it again by our reference', async () => {
    const req = order(c.service);
    const created = await courier.createOrder(req);
    expect(created).toMatchObject({ courier: code, reference: req.reference, service: c.service });
    expect(created.awb).toMatch(/^[A-Z0-9-]{8,20}$/);
    const pickup = await courier.requestPickup(created, req);
    expect(pickup.awb).toBe(created.awb);
    t.clock.advance(HOUR);
    const found = await courier.findByReference(req.reference);
    expect(found?.awb).toBe(created.awb);
    expect(await courier.findByReference(reference('NONE'))).toBeNull();
  });

  it('tracks one parcel through its journey as the clock moves, in normalized statuses', async () => {
    const req = order(c.service);
    const created = await courier.createOrder(req);
    await courier.requestPickup(created, req);
    await control.script(OPERATOR, created.awb, 'happy');
    t.clock.advance(12 * HOUR);
    const seen = await statuses(created.awb);
    expect(seen).toEqual(
      expect.arrayContaining(['picked_up', 'in_transit', 'out_for_delivery', 'delivered']),
    );
    expect(seen.indexOf('delivered')).toBeGreaterThan(seen.indexOf('picked_up'));
    const events = await trackOne(created.awb);
    const delivered = events.find((e) => e.status === 'delivered')!;
    // JNE and SAP tracking carry no COD field: the tracker decides from the delivery of a COD parcel.
    expect(delivered.codCollected).toBe(code === 'jne' || code === 'sap' ? undefined : true);
    // The sandboxes speak only codes the status tables know.
    expect(events.filter((e) => e.unmapped).map((e) => e.rawCode)).toEqual([]);
    for (const e of events) {
      expect(e.awb).toBe(created.awb);
      expect(Number.isNaN(e.occurredAt.getTime())).toBe(false);
      expect(e.rawCode).toEqual(expect.any(String));
    }
  });

  it('reports every state the sandbox can be driven to, in the courier’s vocabulary and back', async () => {
    const driven: [string, CourierStatus, string?][] = [
      ['picked_up', 'picked_up'],
      ['in_transit', 'in_transit'],
      ['out_for_delivery', 'out_for_delivery'],
      ['delivery_failed', 'delivery_failed', 'address_problem'],
      ['out_for_delivery', 'out_for_delivery'],
      ['delivery_failed', 'delivery_failed', 'consignee_refused_no_money'],
      ['returning', 'returning_to_sender'],
      ['returned', 'returned'],
    ];
    const created = await courier.createOrder(order(c.service));
    for (const [to, expected, reason] of driven) {
      t.clock.advance(HOUR);
      await control.advance(OPERATOR, created.awb, {
        to: to as never,
        ...(reason ? { reason: reason as never } : {}),
      });
      const events = await trackOne(created.awb);
      const last = events[events.length - 1];
      expect([to, last.status]).toEqual([to, expected]);
      if (expected === 'delivery_failed') expect([to, last.reason]).toEqual([to, reason]);
      if (expected === 'returning_to_sender' || expected === 'returned') expect(last.isReturnLeg).toBe(true);
    }
  });

  it('tracks many parcels at once, keeping their order, with unknown ones marked not found', async () => {
    const awbs = [];
    for (let i = 0; i < 3; i += 1) awbs.push((await courier.createOrder(order(c.service))).awb);
    // Same format, a number no parcel has: sequences are short, so trailing 9s are never taken.
    const unknown = `${awbs[0].slice(0, -3)}999`;
    expect(awbs).not.toContain(unknown);
    const results = await courier.track([awbs[0], unknown, awbs[1], awbs[2]]);
    expect(results.map((r) => [r.awb, r.found])).toEqual([
      [awbs[0], true],
      [unknown, false],
      [awbs[1], true],
      [awbs[2], true],
    ]);
  });

  it('cancels before pickup, refuses after pickup, and says when it was already cancelled', async () => {
    const early = await courier.createOrder(order(c.service));
    expect(await courier.cancel(early)).toEqual({ cancelled: true });
    expect(await courier.cancel(early)).toMatchObject({ cancelled: false, reason: 'already_cancelled' });
    expect(await statuses(early.awb)).toContain('cancelled');

    const late = await courier.createOrder(order(c.service));
    t.clock.advance(HOUR);
    await control.advance(OPERATOR, late.awb, { to: 'picked_up' });
    expect(await courier.cancel(late)).toMatchObject({
      cancelled: false,
      reason: 'already_picked_up',
      rawMessage: expect.any(String),
    });
  });

  it('reports a missed pickup as a pickup failure (no handover, still cancellable) and its own cancel as cancelled', async () => {
    const booked = async () => {
      const req = order(c.service);
      const created = await courier.createOrder(req);
      await courier.requestPickup(created, req);
      t.clock.advance(HOUR);
      return created;
    };
    const missed = await booked();
    await control.script(OPERATOR, missed.awb, 'pickup_missed');
    t.clock.advance(HOUR);
    const events = await trackOne(missed.awb);
    expect(events.some((e) => e.reason === 'pickup_failed')).toBe(true);
    expect(pickupState(events).state).toBe('waiting');
    expect(await courier.cancel(missed)).toEqual({ cancelled: true });

    const voided = await booked();
    await control.script(OPERATOR, voided.awb, 'courier_cancelled');
    t.clock.advance(HOUR);
    expect(pickupState(await trackOne(voided.awb)).state).toBe('cancelled_by_courier');
  });

  it('verifies pushes with the courier’s scheme: good, forged, unsigned and replayed outside the window', async () => {
    const created = await courier.createOrder(order(c.service));
    t.clock.advance(HOUR);
    await control.advance(OPERATOR, created.awb, { to: 'out_for_delivery' });
    const push = (await webhookFor(created.awb))!;
    const request = (headers: Record<string, string>, body: string) => ({
      headers,
      rawBody: Buffer.from(body),
    });
    const now = t.clock.now();

    const events = courier.parseWebhook(request(push.headers, push.body), now);
    expect(events.map((e) => [e.awb, e.status])).toContainEqual([created.awb, 'out_for_delivery']);

    const rejection = (p: { headers: Record<string, string>; body: string }) => {
      try {
        courier.parseWebhook(request(p.headers, p.body), now);
        return 'accepted';
      } catch (e) {
        return e instanceof CourierWebhookRejectedError ? e.why : String(e);
      }
    };
    expect(rejection(push.forged)).toBe('forged');
    expect(rejection(push.unsigned)).toBe('unsigned');
    const later = new Date(now.getTime() + (defaults.couriers.webhookMaxAgeSeconds + 60) * 1000);
    let why: unknown;
    try {
      courier.parseWebhook(request(push.headers, push.body), later);
    } catch (e) {
      why = (e as CourierWebhookRejectedError).why;
    }
    expect(why).toBe('stale');
  });

  it('types errors: refusals are permanent with the courier’s own message, outages retriable', async () => {
    const unserved = await courier
      .createOrder(order(c.unserved.service, { recipient: c.unserved.to, codAmount: 0 }))
      .catch((e: unknown) => e);
    expect(unserved).toBeInstanceOf(CourierRejectedError);
    expect((unserved as CourierRejectedError).reason).toBe('unserviceable_route');
    expect((unserved as CourierRejectedError).rawMessage).toEqual(expect.any(String));

    const noCod = await courier
      .createOrder(
        order(c.noCod.service, {
          recipient: c.noCod.to,
          codAmount: c.noCod.codAmount ?? 150_000,
          parcel: { weightGrams: c.noCod.weightGrams ?? 1200 },
        }),
      )
      .catch((e: unknown) => e);
    expect(noCod).toBeInstanceOf(CourierRejectedError);
    expect((noCod as CourierRejectedError).reason).toBe('cod_not_allowed');

    const sandbox = t.app.get(CourierSandboxes).get(code)!;
    const badAccount = Object.fromEntries(
      Object.entries(sandbox.account()).map(([k, v]) => [
        k,
        /KEY|SECRET|PASSWORD|TOKEN/.test(k) ? `${v}x` : v,
      ]),
    );
    const impostor = buildAdapter(code, {
      account: badAccount,
      name: courier.name,
      catalogue: courier.services(),
      webhookMaxAgeSeconds: defaults.couriers.webhookMaxAgeSeconds,
      locations: t.app.get(CourierLocations),
    });
    const auth = await impostor.quote(quoteTo(jakarta)).catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(CourierRejectedError);
    expect((auth as CourierRejectedError).reason).toBe('auth');

    await control.setFaults(code, { errorRate: 1 });
    try {
      const down = await courier.track(['ANY0000001']).catch((e: unknown) => e);
      expect(down).toBeInstanceOf(CourierUnavailableError);
      expect(['server_error', 'circuit_open']).toContain((down as CourierUnavailableError).reason);
    } finally {
      await control.setFaults(code, { errorRate: 0 });
    }
  });

  it('reaches the courier through COURIER_PROXY_URL when one is set, with the proxy’s credentials', async () => {
    const proxy = await startForwardProxy();
    try {
      // The account's hosts renamed to one no resolver knows: only the proxy can reach the courier now.
      const hidden = Object.fromEntries(
        Object.entries(t.app.get(CourierSandboxes).get(code)!.account()).map(([k, v]) => [
          k,
          v.replace(/^http:\/\/127\.0\.0\.1:/, 'http://courier.test:'),
        ]),
      );
      const behindProxy = buildAdapter(code, {
        account: { ...hidden, COURIER_PROXY_URL: proxy.url },
        name: courier.name,
        catalogue: courier.services(),
        webhookMaxAgeSeconds: defaults.couriers.webhookMaxAgeSeconds,
        locations: t.app.get(CourierLocations),
      });
      const quotes = await behindProxy.quote(quoteTo(jakarta));
      expect(quotes.length).toBeGreaterThan(0);
      expect(proxy.forwarded.length).toBeGreaterThan(0);
      for (const f of proxy.forwarded) {
        expect(f.url).toMatch(/^http:\/\/courier\.test:\d+\//);
        expect(f.auth).toBe(proxy.basicAuth);
      }
    } finally {
      await proxy.close();
    }
  });

  /** A parcel driven to `path` (each step an hour apart), as a booked courier order. */
  const driven = async (path: [string, string?][]) => {
    const created = await courier.createOrder(order(c.service));
    for (const [to, reason] of path) {
      t.clock.advance(HOUR);
      await control.advance(OPERATOR, created.awb, {
        to: to as never,
        ...(reason ? { reason: reason as never } : {}),
      });
    }
    return created;
  };
  const failedOnce: [string, string?][] = [
    ['picked_up'],
    ['in_transit'],
    ['out_for_delivery'],
    ['delivery_failed', 'consignee_absent'],
  ];
  const lastEvent = async (awb: string) => {
    const events = await trackOne(awb);
    return events[events.length - 1];
  };

  it('takes every seller action through its API', () => {
    expect(courier.parcelActions).toEqual(expect.arrayContaining([...PARCEL_ACTION_KINDS]));
    for (const kind of PARCEL_ACTION_KINDS) expect(courier.supportsAction(kind)).toBe(true);
  });

  it('re-attempts a failed parcel at the seller’s request: out again the next morning, then as planned', async () => {
    const created = await driven(failedOnce);
    t.clock.advance(HOUR);
    const asked = t.clock.now();
    const outcome = await courier.requestAction(created, {
      kind: 'reattempt',
      confirmedWithBuyer: true,
      note: 'Pembeli ada di rumah setelah jam 17',
    });
    expect(outcome).toEqual({ accepted: true, courierReference: expect.any(String) });
    const parcel = (await world.find(code, created.awb))!;
    expect(parcel.actions).toEqual([
      expect.objectContaining({
        kind: 'reattempt',
        confirmedWithBuyer: true,
        reference: outcome.accepted && outcome.courierReference,
      }),
    ]);
    const run = parcel.plan.find((s) => s.status === 'out_for_delivery' && s.attempt === 2)!;
    expect(wibDay(Date.parse(run.at))).toBe(wibDay(asked.getTime()) + 1);
    // Nothing new until the run; then the courier reports what the world planned.
    expect((await lastEvent(created.awb)).status).toBe('delivery_failed');
    const end = parcel.plan[parcel.plan.length - 1];
    t.clock.set(new Date(Date.parse(end.at) + HOUR));
    const seen = await statuses(created.awb);
    expect(seen.lastIndexOf('out_for_delivery')).toBeGreaterThan(seen.indexOf('delivery_failed'));
    expect(seen[seen.length - 1]).toBe(end.status);
    // JNE's and SAP's tracking say nothing about the COD cash (the tracker decides from the delivery).
    if (end.status === 'delivered')
      expect((await lastEvent(created.awb)).codCollected).toBe(
        code === 'jne' || code === 'sap' ? undefined : true,
      );
  });

  it('starts a return at once: tracking shows the parcel returning, then back at the sender', async () => {
    const created = await driven([['picked_up'], ['in_transit']]);
    const outcome = await courier.requestAction(created, {
      kind: 'return',
      note: 'Pembeli membatalkan pesanan',
    });
    expect(outcome.accepted).toBe(true);
    const now = await lastEvent(created.awb);
    expect([now.status, now.isReturnLeg]).toEqual(['returning_to_sender', true]);
    t.clock.advance(15 * 24 * HOUR);
    const back = await lastEvent(created.awb);
    expect([back.status, back.isReturnLeg]).toEqual(['returned', true]);
  });

  it('holds a parcel at the hub until a re-attempt, and keeps a corrected address for the next run', async () => {
    const created = await driven([['picked_up'], ['in_transit']]);
    expect(
      await courier.requestAction(created, { kind: 'hold', note: 'Tunggu konfirmasi pembeli' }),
    ).toMatchObject({
      accepted: true,
    });
    t.clock.advance(10 * 24 * HOUR);
    expect(await statuses(created.awb)).not.toContain('out_for_delivery');
    const moved = { ...jakarta, address: 'Jl. Cikini Raya 9', district: 'Menteng' };
    expect(
      await courier.requestAction(created, {
        kind: 'update_address',
        address: moved,
        confirmedWithBuyer: true,
      }),
    ).toMatchObject({ accepted: true });
    const resumed = await courier.requestAction(created, { kind: 'reattempt' });
    expect(resumed.accepted).toBe(true);
    const parcel = (await world.find(code, created.awb))!;
    expect(parcel.actions.map((a) => a.kind)).toEqual(['hold', 'update_address', 'reattempt']);
    // The courier kept the new street in its own fields.
    expect(JSON.stringify(parcel.actions[1].request)).toContain('Cikini Raya');
    t.clock.advance(2 * 24 * HOUR);
    expect(await statuses(created.awb)).toContain('out_for_delivery');
  });

  it('refuses, in its own words, what the parcel’s state no longer allows', async () => {
    const delivered = await driven([['picked_up'], ['in_transit'], ['out_for_delivery'], ['delivered']]);
    const kinds: ParcelActionKind[] = ['reattempt', 'return', 'update_address', 'hold'];
    for (const kind of kinds) {
      const outcome = await courier.requestAction(delivered, {
        kind,
        ...(kind === 'update_address' ? { address: jakarta } : {}),
      });
      expect([kind, outcome]).toEqual([
        kind,
        { accepted: false, reason: 'not_allowed_now', rawMessage: expect.any(String) },
      ]);
    }
    // A re-attempt needs a failed attempt (or a hold) first; a return, a parcel the courier has.
    const moving = await driven([['picked_up'], ['in_transit']]);
    expect(await courier.requestAction(moving, { kind: 'reattempt' })).toMatchObject({
      accepted: false,
      reason: 'not_allowed_now',
    });
    const waiting = await courier.createOrder(order(c.service));
    expect(await courier.requestAction(waiting, { kind: 'return' })).toMatchObject({
      accepted: false,
      reason: 'not_allowed_now',
    });
    const returning = await driven([['picked_up'], ['in_transit'], ['returning']]);
    expect(await courier.requestAction(returning, { kind: 'reattempt' })).toMatchObject({
      accepted: false,
      reason: 'not_allowed_now',
    });
    // Nothing was recorded for a refusal.
    expect((await world.find(code, delivered.awb))!.actions).toEqual([]);
  });

  it('answers not_found for an airway bill it does not know, and refuses an address change without an address', async () => {
    const known = await courier.createOrder(order(c.service));
    const unknown = { ...known, awb: `${known.awb.slice(0, -3)}999` };
    expect(await courier.requestAction(unknown, { kind: 'reattempt' })).toEqual({
      accepted: false,
      reason: 'not_found',
      rawMessage: expect.any(String),
    });
    const missing = await courier.requestAction(known, { kind: 'update_address' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(CourierRejectedError);
    expect((missing as CourierRejectedError).reason).toBe('invalid_request');
  });
});
