import supertest from 'supertest';
import { AppConfig } from 'config';
import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { PickupService } from 'src/shipments/pickup.service';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import { createAddress, signupSeller, TestSeller, validShipment } from '../support/factories/sellers';
import { startTestApp, TestApp, unthrottledTracking } from '../support/test-app';

const HOUR = 3600_000;
/** Parcels per courier and province: enough that a lane's own record outweighs the levels above it. */
const PER_GROUP = 125;
const BAD = { courier: 'idexpress', service: '00' } as const;
const GOOD = { courier: 'ninja', service: 'STANDARD' } as const;
const EAST_JAVA = { district: 'Genteng', city: 'Surabaya', province: 'Jawa Timur', postalCode: '60275' };
const WEST_JAVA = { district: 'Sumur Bandung', city: 'Bandung', province: 'Jawa Barat', postalCode: '40111' };

/**
 * The loop closed: parcels followed to their end feed the delivery statistics, and quotes learn from
 * them. In this world ID Express — the cheapest — fails most COD parcels to East Java and does as usual
 * elsewhere; after 500 parcels have ended (125 per courier and province; the sandbox draws each the same
 * every run), it ranks below Ninja to East Java, and West Java is as before.
 */
describe('the scoring learns from tracked outcomes', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let origin: string;

  beforeAll(async () => {
    t = await startTestApp({}, undefined, {
      configure: (config: AppConfig) => {
        const world = config.couriers.sandboxWorld;
        // East Java is province 35; everything else keeps the default world's drawn odds.
        world.overrides = [{ courier: BAD.courier, area: '35', firstAttempt: 0.15, reattempt: 0.15 }];
        for (const c of COURIER_CODES) world.couriers[c].pickupMiss = 0;
        unthrottledTracking(config);
        // Quotes read the statistics again after this many seconds: the test waits that long, no longer.
        config.business.caches.statistics = 1;
      },
    });
    http = t.http();
    seller = await signupSeller(http);
    origin = (await createAddress(http, seller)).id;
  });
  afterAll(() => t.close());

  /** Each service's rank and expected cost in a balanced quote to `destination`. */
  async function ranks(destination: typeof EAST_JAVA, codAmount = 150_000) {
    const res = await http
      .post('/v1/quotes')
      .set(seller.auth)
      .send({
        originAddressId: origin,
        destination,
        parcel: { weightGrams: 1200 },
        codAmount,
        preset: 'balanced',
      })
      .expect(200);
    const of = (s: { courier: string; service: string }) =>
      res.body.options.find(
        (o: { courier: string; service: string }) => o.courier === s.courier && o.service === s.service,
      );
    return { bad: of(BAD), good: of(GOOD) };
  }

  it('ranks a courier lower to the province where its parcels failed, and nowhere else', async () => {
    const before = {
      east: await ranks(EAST_JAVA),
      west: await ranks(WEST_JAVA),
      eastPrepaid: await ranks(EAST_JAVA, 0),
    };
    // The cheapest courier leads at first, to both provinces.
    expect(before.east.bad.rank).toBeLessThan(before.east.good.rank);
    expect(before.west.bad.rank).toBeLessThan(before.west.good.rank);

    const ids: string[] = [];
    const groups = [
      [BAD, EAST_JAVA],
      [GOOD, EAST_JAVA],
      [BAD, WEST_JAVA],
      [GOOD, WEST_JAVA],
    ] as const;
    for (const [g, [courier, place]] of groups.entries()) {
      const rows = Array.from({ length: PER_GROUP }, (_, i) => {
        const s = validShipment(origin, `LEARN-${g}-${i}`);
        return {
          ...s,
          recipient: { ...s.recipient, ...place },
          courier: { code: courier.courier, service: courier.service },
        };
      });
      const res = await http.post('/v1/shipments/bulk').set(seller.auth).send(rows).expect(200);
      expect(res.body.errors).toEqual([]);
      const created: string[] = res.body.created.map((s: { id: string }) => s.id);
      await http.post('/v1/pickups').set(seller.auth).send({ shipmentIds: created }).expect(202);
      ids.push(...created);
    }
    while ((await t.app.get(PickupService).processDue(200)) > 0);

    // Follow every parcel to its end: time moves on, the poller asks the couriers.
    const poller = t.app.get(TrackingPoller);
    let seenReturning = 0;
    for (let step = 0; step < 60; step += 1) {
      t.clock.advance(12 * HOUR);
      await poller.pollDue();
      // A return is a failure from the moment it begins: the statistics do not wait for the parcel to be back.
      const [returning] = await t.dataSource.query<{ n: number; uncounted: number }[]>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE o.outcome IS DISTINCT FROM 'returned')::int AS uncounted
         FROM shipments s LEFT JOIN delivery_outcomes o ON o.shipment_id = s.id::text
         WHERE s.id = ANY($1) AND s.status = 'returning'`,
        [ids],
      );
      expect(returning.uncounted).toBe(0);
      seenReturning += returning.n;
      const [open] = await t.dataSource.query<{ n: number }[]>(
        "SELECT count(*)::int AS n FROM shipments WHERE id = ANY($1) AND status NOT IN ('delivered', 'returned', 'lost')",
        [ids],
      );
      if (open.n === 0) break;
    }
    const outcomes = await t.dataSource.query<
      { courier: string; province: string; outcome: string; n: number }[]
    >(
      `SELECT o.courier, s.recipient_province AS province, o.outcome, count(*)::int AS n
       FROM delivery_outcomes o JOIN shipments s ON s.id::text = o.shipment_id
       WHERE s.id = ANY($1) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [ids],
    );
    expect(seenReturning).toBeGreaterThan(0);
    // Counted once each: a return counted when it began is not counted again when the parcel is back.
    const total = outcomes.reduce((sum, o) => sum + o.n, 0);
    expect(total).toBe(4 * PER_GROUP);
    const returnedShare = (courier: string, province: string) => {
      const lane = outcomes.filter((o) => o.courier === courier && o.province === province);
      return (lane.find((o) => o.outcome === 'returned')?.n ?? 0) / lane.reduce((sum, o) => sum + o.n, 0);
    };
    expect(returnedShare(BAD.courier, EAST_JAVA.province)).toBeGreaterThan(0.5);
    expect(returnedShare(BAD.courier, WEST_JAVA.province)).toBeLessThan(0.2);

    // The statistics are cached for a few seconds: past that, quotes read the new figures.
    t.realClock.advance(60_000);
    await new Promise((r) => setTimeout(r, (t.app.get(AppConfig).business.caches.statistics + 1) * 1000));
    const after = { east: await ranks(EAST_JAVA), west: await ranks(WEST_JAVA) };
    expect(after.east.bad.successRate).toBeLessThan(before.east.bad.successRate - 0.3);
    expect(after.east.bad.rank).toBeGreaterThan(after.east.good.rank);
    // West Java learned from West Java's own parcels: the failures to East Java did not leak into it.
    expect(after.west.bad.successRate).toBeGreaterThan(after.east.bad.successRate + 0.3);
    const westDelivered = 1 - returnedShare(BAD.courier, WEST_JAVA.province);
    expect(Math.abs(after.west.bad.successRate - westDelivered)).toBeLessThan(0.05);
    // Every parcel here was COD, and COD is learned apart: a prepaid parcel to East Java (no buyer refusing
    // to pay at the door) is quoted as before.
    const [cod] = await t.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM delivery_outcomes WHERE shipment_id = ANY($1) AND cod',
      [ids],
    );
    expect(cod.n).toBe(4 * PER_GROUP);
    const eastPrepaid = await ranks(EAST_JAVA, 0);
    expect(eastPrepaid.bad.successRate).toBeCloseTo(before.eastPrepaid.bad.successRate, 10);
    expect(eastPrepaid.bad.rank).toBeLessThan(eastPrepaid.good.rank);
  }, 600_000);
});
