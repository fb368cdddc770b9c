import supertest from 'supertest';
import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { SandboxWorld } from 'src/couriers/sandbox/sandbox-world.service';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import type { AppConfig } from 'config';
import { signupSeller, TestSeller } from '../support/factories/sellers';
import { seedTrackedShipments } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3600_000;
/** Budgets generous enough that a test cycle takes seconds, still bounded. */
const fastBudgets = (config: AppConfig) => {
  for (const code of COURIER_CODES)
    config.business.tracking.budgets[code] = { concurrency: 4, perMinute: 60_000 };
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
        "SELECT count(*)::int AS n FROM shipments WHERE awb LIKE 'TRIO%' AND next_poll_at <= $1",
        [at],
      );
      expect(due.n).toBe(0);
    }
  });
});
