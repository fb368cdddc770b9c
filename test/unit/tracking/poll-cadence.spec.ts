import fc from 'fast-check';
import { claimSize, courierBackoffAt, nextPollAt, PollCadence } from 'src/tracking/poll-cadence';
import { RequestBudget } from 'src/tracking/request-budget';

const cadence: PollCadence = {
  everyMinutes: { out_for_delivery: 30, in_transit: 360, delivery_failed: 60 },
  defaultMinutes: 240,
  jitter: 0.15,
  arrivingMinutes: 120,
};
const now = new Date('2026-11-30T00:00:00Z');
const minutesAfter = (d: Date) => (d.getTime() - now.getTime()) / 60_000;

describe('poll cadence', () => {
  it('polls often out for delivery, rarely in long-haul transit, within the jitter', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.999999, noNaN: true }), (r) => {
        const ofd = minutesAfter(nextPollAt('out_for_delivery', now, cadence, r));
        const transit = minutesAfter(nextPollAt('in_transit', now, cadence, r));
        const other = minutesAfter(nextPollAt('picked_up', now, cadence, r));
        expect(ofd).toBeGreaterThanOrEqual(30 * 0.85 - 1e-9);
        expect(ofd).toBeLessThanOrEqual(30 * 1.15 + 1e-9);
        expect(transit).toBeGreaterThanOrEqual(360 * 0.85 - 1e-9);
        expect(other).toBeGreaterThanOrEqual(240 * 0.85 - 1e-9);
        expect(transit).toBeGreaterThan(ofd);
      }),
    );
  });

  it('from a day before the expected arrival, polls a parcel on its way at the arriving pace', () => {
    const hour = 3600_000;
    const arrival = (hours: number) => new Date(now.getTime() + hours * hour);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.999999, noNaN: true }), (r) => {
        const regular = minutesAfter(nextPollAt('in_transit', now, cadence, r));
        // Far ahead: the in-transit pace.
        expect(minutesAfter(nextPollAt('in_transit', now, cadence, r, arrival(72)))).toBe(regular);
        // Within a day of it, or past it: the arriving pace (still jittered), for picked up parcels too.
        for (const at of [arrival(20), arrival(-30)]) {
          const m = minutesAfter(nextPollAt('in_transit', now, cadence, r, at));
          expect(m).toBeGreaterThanOrEqual(120 * 0.85 - 1e-9);
          expect(m).toBeLessThanOrEqual(120 * 1.15 + 1e-9);
          expect(minutesAfter(nextPollAt('picked_up', now, cadence, r, at))).toBe(m);
        }
        // The arriving window opens before the next regular poll: polled as it opens.
        expect(minutesAfter(nextPollAt('in_transit', now, cadence, r, arrival(24 + 4)))).toBe(
          Math.min(regular, 4 * 60),
        );
        // Other statuses keep their own pace.
        expect(minutesAfter(nextPollAt('out_for_delivery', now, cadence, r, arrival(1)))).toBe(
          minutesAfter(nextPollAt('out_for_delivery', now, cadence, r)),
        );
      }),
    );
  });

  it('spreads shipments polled together', () => {
    const times = new Set([0.1, 0.5, 0.9].map((r) => nextPollAt('in_transit', now, cadence, r).getTime()));
    expect(times.size).toBe(3);
  });
});

describe('courier backoff', () => {
  const backoff = { baseSeconds: 60, maxSeconds: 1800 };
  it('doubles per failure in a row up to the cap, jittered in the upper half', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (n, r) => {
          const seconds = (courierBackoffAt(n, now, backoff, r).getTime() - now.getTime()) / 1000;
          const full = Math.min(1800, 60 * 2 ** (n - 1));
          expect(seconds).toBeGreaterThanOrEqual(full / 2);
          expect(seconds).toBeLessThanOrEqual(full);
        },
      ),
    );
  });
});

describe('the claim size', () => {
  it('is two rounds of the courier’s concurrent requests, capped by the claim batch', () => {
    expect(claimSize(500, 1, 4)).toBe(8);
    expect(claimSize(500, 50, 4)).toBe(400);
    expect(claimSize(500, 100, 4)).toBe(500);
    expect(claimSize(500, 0, 1)).toBe(2);
  });
});

describe('a courier’s request budget', () => {
  it('never lets more than `concurrency` requests run at once', async () => {
    const budget = new RequestBudget(3, 1_000_000);
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const release = await budget.acquire();
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 2));
        running -= 1;
        release();
      }),
    );
    expect(most).toBe(3);
  });

  it('hands out tokens at the per-minute rate, a second’s worth at once', async () => {
    let t = 0;
    const budget = new RequestBudget(100, 600, () => t);
    let granted = 0;
    const all = Array.from({ length: 15 }, async () => {
      const release = await budget.acquire();
      granted += 1;
      release();
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(granted).toBe(10);
    // Half a second later (budget time): five more tokens, so all fifteen go.
    t = 500;
    await Promise.all(all);
    expect(granted).toBe(15);
  });

  it('grants a request at once only when a slot and a token are free, and never makes it wait', async () => {
    let t = 0;
    const budget = new RequestBudget(2, 120, () => t);
    const first = budget.tryAcquire();
    const second = budget.tryAcquire();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    // Both slots taken.
    expect(budget.tryAcquire()).toBeNull();
    first!();
    // A slot is free, but the two tokens of the second are spent.
    expect(budget.tryAcquire()).toBeNull();
    t = 500;
    const third = budget.tryAcquire();
    expect(third).not.toBeNull();
    expect(budget.tryAcquire()).toBeNull();
    // A waiting acquire gets the slot the try released.
    t = 1_000;
    const waiting = budget.acquire();
    second!();
    third!();
    (await waiting)();
  });
});
