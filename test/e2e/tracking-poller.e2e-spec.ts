import supertest from 'supertest';
import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { CourierRejectedError } from 'src/couriers/courier.errors';
import { SandboxControl } from 'src/couriers/sandbox/sandbox-control.service';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { SandboxWorld } from 'src/couriers/sandbox/sandbox-world.service';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import { AppConfig } from 'config';
import { signupSeller, TestSeller } from '../support/factories/sellers';
import { seedTrackedShipments } from '../support/factories/tracked';
import { killAll, startService, stop } from '../support/process';
import { startTestApp, TEST_JWT_SECRET, TestApp, unthrottledTracking } from '../support/test-app';
import { waitUntil } from '../support/wait';

const HOUR = 3600_000;
/**
 * Budgets generous enough that a test cycle takes seconds, still bounded; parcels in transit asked about every
 * 6 h ± 15 % whatever the shipped default, so the cycles below know when each is due.
 */
const fastBudgets = (config: AppConfig) => {
  unthrottledTracking(config);
  config.business.tracking.cadence.everyMinutes.in_transit = 360;
  config.business.tracking.cadence.jitter = 0.15;
  // Three instances' batches on a busy machine: a sandbox answer over the 5 s timeout was asked again (rightly,
  // but then counted twice), which is not what these tests are about.
  config.business.couriers.resilience.timeoutMs = 60_000;
};

/** Every airway bill a sandbox was asked to track, counted (the sandbox's own lookups). */
function countTracked(t: TestApp): Map<string, number> {
  const counts = new Map<string, number>();
  const world = t.app.get(SandboxWorld);
  const note = (awbs: string[]) => awbs.forEach((a) => counts.set(a, (counts.get(a) ?? 0) + 1));
  const find = world.find.bind(world);
  const findMany = world.findMany.bind(world);
  jest.spyOn(world, 'find').mockImplementation((courier, awb) => {
    note([awb]);
    return find(courier, awb);
  });
  jest.spyOn(world, 'findMany').mockImplementation((courier, awbs) => {
    note(awbs);
    return findMany(courier, awbs);
  });
  return counts;
}

describe('three instances polling 3,000 shipments together', () => {
  let instances: TestApp[];
  let http: supertest.Agent;
  let seller: TestSeller;

  beforeAll(async () => {
    const first = await startTestApp({}, undefined, { configure: fastBudgets });
    instances = [
      first,
      await startTestApp({}, first.db, { configure: fastBudgets }),
      await startTestApp({}, first.db, { configure: fastBudgets }),
    ];
    http = first.http();
    seller = await signupSeller(http);
  });
  afterAll(async () => {
    for (const t of instances.slice(1).reverse()) await t.close();
    await instances[0].close();
  });

  it('polls every shipment once per cycle, none twice, the couriers asked once per airway bill', async () => {
    const [first] = instances;
    const now = first.clock.now();
    const seeded = await seedTrackedShipments(first, http, seller, {
      count: 3000,
      couriers: COURIER_CODES,
      status: 'in_transit',
      dueAt: now,
      prefix: 'TRIO',
    });
    const counts = instances.map(countTracked);
    for (const cycle of [0, 1]) {
      // In transit: polled every 6 h ± 15 %, so 7 h later every one is due again, and only once.
      const at = new Date(now.getTime() + cycle * 7 * HOUR);
      for (const t of instances) t.clock.set(at);
      for (const c of counts) c.clear();
      const results = await Promise.all(instances.map((t) => t.app.get(TrackingPoller).pollDue(at)));
      expect(results.reduce((sum, r) => sum + r.polled, 0)).toBe(3000);
      expect(results.reduce((sum, r) => sum + r.failed, 0)).toBe(0);
      const asked = new Map<string, number>();
      for (const c of counts) for (const [awb, n] of c) asked.set(awb, (asked.get(awb) ?? 0) + n);
      expect(seeded.filter((s) => asked.get(s.awb) !== 1)).toEqual([]);
      expect(asked.size).toBe(3000);
      const [due] = await first.dataSource.query<{ n: number }[]>(
        "SELECT count(*)::int AS n FROM shipments s JOIN shipment_polls p ON p.shipment_id = s.id WHERE s.awb LIKE 'TRIO%' AND p.next_poll_at <= $1",
        [at],
      );
      expect(due.n).toBe(0);
    }
  });
});

describe('an instance killed mid-cycle', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  const token = 'o'.repeat(40);

  beforeAll(async () => {
    t = await startTestApp({}, undefined, { configure: fastBudgets });
    http = t.http();
    seller = await signupSeller(http);
  });
  afterAll(async () => {
    killAll();
    await t.close();
  });

  it('leaves its claimed shipments to be polled by another after the lease: nothing lost', async () => {
    // Due by the test clock, which is behind the killed instance's real one.
    const seeded = await seedTrackedShipments(t, http, seller, {
      count: 200,
      couriers: ['jne'],
      status: 'in_transit',
      dueAt: t.clock.now(),
      prefix: 'KILL',
    });
    const child = await startService({
      NODE_ENV: 'test',
      DATABASE_URL: t.db.url,
      JWT_SECRET: TEST_JWT_SECRET,
      JOBS_ENABLED: 'false',
      SANDBOX_OPERATOR_TOKEN: token,
      LOG_LEVEL: 'info',
    });
    const operator = { 'x-sandbox-operator-token': token, 'content-type': 'application/json' };
    // Slow courier answers (shared by every instance's sandbox), so the cycle is still running when killed.
    const faults = await fetch(`${child.base}/sandbox/couriers/jne/faults`, {
      method: 'POST',
      headers: operator,
      body: JSON.stringify({ latencyMs: 150 }),
    });
    expect(faults.status).toBe(200);
    const startedAt = Date.now();
    let answered = '';
    void fetch(`${child.base}/sandbox/jobs/tracking-poll/run`, {
      method: 'POST',
      headers: operator,
      body: '{}',
    })
      .then(async (r) => (answered = `${r.status} ${await r.text()}`))
      .catch(() => undefined);
    const done = async () =>
      (
        await t.dataSource.query<{ n: number }[]>(
          "SELECT count(*)::int AS n FROM shipments s JOIN shipment_polls p ON p.shipment_id = s.id WHERE s.awb LIKE 'KILL%' AND p.next_poll_at > $1",
          [new Date(startedAt + 3600_000)],
        )
      )[0].n;
    await waitUntil(
      async () => (await done()) >= 20,
      `the killed instance polled some (answered: ${answered}) ${child.proc.stdout().slice(-2000)}`,
      30_000,
    );
    await stop(child.proc, 'SIGKILL');
    await t.app.get(SandboxControl).setFaults('jne', { latencyMs: 0 });

    const leaseEnds = new Date(
      startedAt + t.app.get(AppConfig).business.tracking.leaseSeconds * 1000 + 60_000,
    );
    const count = async (from: Date, to: Date) =>
      (
        await t.dataSource.query<{ n: number }[]>(
          "SELECT count(*)::int AS n FROM shipments s JOIN shipment_polls p ON p.shipment_id = s.id WHERE s.awb LIKE 'KILL%' AND p.next_poll_at > $1 AND p.next_poll_at <= $2",
          [from, to],
        )
      )[0].n;
    // Claimed by the killed instance and never finished: held by its lease.
    const leased = await count(new Date(startedAt), leaseEnds);
    // Not claimed yet: still due by the test clock.
    const unclaimed = await count(new Date(0), t.clock.now());
    const finished = await done();
    expect(leased).toBeGreaterThan(0);
    expect(finished + leased + unclaimed).toBe(200);

    // Before the lease runs out, another instance polls only the unclaimed ones; after it, the rest.
    expect((await t.app.get(TrackingPoller).pollDue(new Date(startedAt))).polled).toBe(unclaimed);
    expect((await t.app.get(TrackingPoller).pollDue(leaseEnds)).polled).toBe(leased);
    expect(await count(new Date(0), leaseEnds)).toBe(0);
    expect(seeded).toHaveLength(200);
  });
});

describe('a courier that is down', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;

  beforeAll(async () => {
    t = await startTestApp({}, undefined, { configure: fastBudgets });
    http = t.http();
    seller = await signupSeller(http);
  });
  afterAll(() => t.close());

  it('backs its polls off and opens its circuit: a bounded number of calls, no hot loop', async () => {
    const now = t.clock.now();
    await seedTrackedShipments(t, http, seller, {
      count: 300,
      couriers: ['sap'],
      status: 'in_transit',
      dueAt: now,
      prefix: 'DOWN',
    });
    await t.app.get(SandboxControl).setFaults('sap', { errorRate: 1 });
    const sandbox = t.app.get(CourierSandboxes).get('sap')!;
    const before = sandbox.requests;
    const first = await t.app.get(TrackingPoller).pollDue(now);
    expect(first.polled).toBe(300);
    expect(first.failed).toBe(300);
    expect(t.app.get(CourierRegistry).get('sap').policies.state).toBe('open');
    // The breaker answers for the courier once open: far fewer calls than shipments.
    const calls = sandbox.requests - before;
    expect(calls).toBeLessThan(60);
    // Nothing is due again at once: polling again now asks nobody.
    const again = await t.app.get(TrackingPoller).pollDue(now);
    expect(again.polled).toBe(0);
    expect(sandbox.requests - before).toBe(calls);
    // Every shipment waits at least half the first backoff.
    const [soonest] = await t.dataSource.query<{ at: Date }[]>(
      "SELECT min(p.next_poll_at) AS at FROM shipments s JOIN shipment_polls p ON p.shipment_id = s.id WHERE s.awb LIKE 'DOWN%'",
    );
    expect(soonest.at.getTime() - now.getTime()).toBeGreaterThanOrEqual(
      (t.app.get(AppConfig).business.tracking.courierBackoff.baseSeconds / 2) * 1000,
    );
    await t.app.get(SandboxControl).setFaults('sap', { errorRate: 0 });
  });

  it('still has its parcels judged on what Kirim holds: a parcel silent too long is alerted through the outage', async () => {
    const now = t.clock.now();
    // Picked up three days ago, not heard of since; its courier now fails every call.
    const [parcel] = await seedTrackedShipments(t, http, seller, {
      count: 1,
      couriers: ['sap'],
      status: 'in_transit',
      dueAt: new Date(now.getTime() - 72 * HOUR),
      prefix: 'SILENT',
    });
    const control = t.app.get(SandboxControl);
    await control.setFaults('sap', { errorRate: 1 });
    try {
      expect(await t.app.get(TrackingPoller).pollDue(now)).toMatchObject({ polled: 1, failed: 1 });
    } finally {
      await control.setFaults('sap', { errorRate: 0 });
    }
    const alerts = (await http.get('/v1/alerts').query({ state: 'open' }).set(seller.auth).expect(200)).body
      .items as { shipmentId: string; rule: string }[];
    expect(alerts.filter((a) => a.shipmentId === parcel.id).map((a) => a.rule)).toEqual(['stale_no_scan']);
    // Its next poll is still the backoff's, not its usual pace's.
    const [poll] = await t.dataSource.query<{ at: Date }[]>(
      'SELECT next_poll_at AS at FROM shipment_polls WHERE shipment_id = $1',
      [parcel.id],
    );
    expect(poll.at.getTime() - now.getTime()).toBeLessThan(
      t.app.get(AppConfig).business.tracking.cadence.everyMinutes.in_transit! * 60_000,
    );
  });
});

describe('a parcel the courier refuses to answer for', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;

  beforeAll(async () => {
    t = await startTestApp({}, undefined, { configure: fastBudgets });
    http = t.http();
    seller = await signupSeller(http);
  });
  afterAll(() => t.close());

  it('is asked again at its usual pace, and the others of its batch are answered: the run goes on', async () => {
    const now = t.clock.now();
    // Ninja tracks up to 50 airway bills a request: the refused one shares a batch with the others.
    const seeded = await seedTrackedShipments(t, http, seller, {
      count: 12,
      couriers: ['ninja'],
      status: 'in_transit',
      dueAt: now,
      prefix: 'REFUSED',
    });
    const refused = seeded[5].awb;
    const adapter = t.app.get(CourierRegistry).get('ninja');
    const track = adapter.track.bind(adapter);
    const asked: number[] = [];
    const spy = jest.spyOn(adapter, 'track').mockImplementation((awbs: string[]) => {
      asked.push(awbs.length);
      return awbs.includes(refused)
        ? Promise.reject(
            new CourierRejectedError('ninja', 'invalid_request', '400', 'Invalid tracking number'),
          )
        : track(awbs);
    });
    try {
      const figures = await t.app.get(TrackingPoller).pollDue(now);
      expect({ polled: figures.polled, failed: figures.failed }).toEqual({ polled: 12, failed: 1 });
      // Halved until the refused one stood alone: 12, then 6 and 6, then 3 and 3, 2 and 1, 1 and 1.
      expect(asked[0]).toBe(12);
      expect(asked.length).toBeLessThan(12);
      const next = await t.dataSource.query<{ awb: string; at: Date }[]>(
        'SELECT s.awb, p.next_poll_at AS at FROM shipment_polls p JOIN shipments s ON s.id = p.shipment_id WHERE s.awb LIKE $1',
        ['REFUSED%'],
      );
      const inTransitMs = 360 * 60_000 * (1 - 0.15);
      // Every one is next asked at an in-transit parcel's pace: the refused one no sooner than the others.
      for (const p of next)
        expect({ awb: p.awb, late: p.at.getTime() - now.getTime() >= inTransitMs }).toEqual({
          awb: p.awb,
          late: true,
        });
      expect(next).toHaveLength(12);
    } finally {
      spy.mockRestore();
    }
  });
});
