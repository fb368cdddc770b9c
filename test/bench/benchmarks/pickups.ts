import { validAddress, validShipment } from '../../support/factories/sellers';
import { Benchmark } from '../harness';

/**
 * POST /v1/pickups for one shipment each (accept + persist the outbox + 202; target ≥ 50 % of the raw-pg
 * TPC-B baseline), then how fast a second instance's outbox worker books them through the sandboxes.
 */
export const pickups: Benchmark = {
  name: 'pickups',
  description: 'POST /v1/pickups (one shipment: accept + persist + 202) and outbox booking throughput',
  async run(ctx) {
    // Accepts are measured with jobs off; a second instance on the same database then does the booking.
    const database = await ctx.newDatabase();
    const base = await ctx.startApp(database, { JOBS_ENABLED: 'false' });
    const json = { 'content-type': 'application/json' };
    const signup = await fetch(`${base}/v1/auth/signup`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        sellerName: 'Bench',
        email: 'pickups@example.id',
        password: 'bench password 1',
      }),
    });
    const { accessToken } = (await signup.json()) as { accessToken: string };
    const auth = { ...json, authorization: `Bearer ${accessToken}` };
    const { id: origin } = (await (
      await fetch(`${base}/v1/addresses`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(validAddress()),
      })
    ).json()) as { id: string };

    // Enough ready shipments for the whole load: 5,000 per bulk call.
    const ids: string[] = [];
    for (let batch = 0; batch < 8; batch += 1) {
      const rows = Array.from({ length: 5000 }, (_, i) => validShipment(origin, `B${batch}-${i}`));
      const res = (await (
        await fetch(`${base}/v1/shipments/bulk`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify(rows),
        })
      ).json()) as { created: { id: string }[] };
      ids.push(...res.created.map((s) => s.id));
    }
    let next = 0;
    const paired = await ctx.paired('raw pg', (durationSec) =>
      ctx.load({
        url: `${base}/v1/pickups`,
        method: 'POST',
        headers: { authorization: auth.authorization },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ shipmentIds: [ids[next++ % ids.length]] }),
        }),
        durationSec,
      }),
    );
    const r = paired.result;
    const accepted = next;
    await ctx.startApp(database, { JOBS_ENABLED: 'true' });
    const count = async () => {
      let n = 0;
      let cursor: string | null = null;
      do {
        const page = (await (
          await fetch(`${base}/v1/shipments?status=booked&limit=500${cursor ? `&cursor=${cursor}` : ''}`, {
            headers: auth,
          })
        ).json()) as { items: unknown[]; nextCursor: string | null };
        n += page.items.length;
        cursor = page.nextCursor;
      } while (cursor);
      return n;
    };
    const start = await count();
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, ctx.durationSec * 1000));
    const end = await count();
    const seconds = (performance.now() - t0) / 1000;
    return [
      {
        name: 'POST /v1/pickups (one shipment)',
        unit: 'req/s',
        value: r.requestsPerSec,
        p50Ms: r.p50Ms,
        p99Ms: r.p99Ms,
        note: `${r.non2xx} non-2xx of ${accepted}; paired with the raw-pg loop round by round: median ${paired.median.toFixed(1)} % (rounds ${paired.ratios.map((x) => x.toFixed(1)).join(', ')}); target ≥ 50 % of raw pg tx/s`,
      },
      {
        name: 'outbox worker: shipments booked (one instance, 5 sandboxes)',
        unit: 'items/s',
        value: (end - start) / seconds,
      },
    ];
  },
};
