import { Clock, MovableClock } from 'src/common/clock';
import { COURIER_CODES, CourierStatus } from 'src/couriers/courier-adapter';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { SandboxWorld } from 'src/couriers/sandbox/sandbox-world.service';
import type { SandboxParcel } from 'src/couriers/sandbox/sandbox.repository';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { signupSeller } from '../../support/factories/sellers';
import { SERVICE_OF, seedTrackedShipments } from '../../support/factories/tracked';
import { Benchmark } from '../harness';
import { InProcessApp, startInProcessApp } from '../in-process-app';

/** Parcels pushed about (four pushes each); BENCH_WEBHOOK_PARCELS for a smaller run while developing. */
const PARCELS = Number(process.env.BENCH_WEBHOOK_PARCELS ?? 7500);
/** Each parcel's journey, one push per step. */
const STEPS: CourierStatus[] = ['picked_up', 'in_transit', 'out_for_delivery', 'delivered'];
const HOUR = 3600_000;
/** How long the inbox may take to apply what was pushed during the load before the bench gives up. */
const APPLY_WAIT_MS = 120_000;

interface Push {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Signed pushes of the five couriers, each bringing a new event: parcels of a seller's booked shipments,
 * driven step by step in the sandbox world, each step's push signed by the courier's sandbox its own way.
 * Made three hours back in the service clock, half an hour between steps, so every event time is inside
 * the couriers' replay window when the measured instance (on real time) receives it.
 */
async function makePushes(app: InProcessApp, parcels: number): Promise<Push[]> {
  const http = app.http();
  const seller = await signupSeller(http, 'Bench Webhooks');
  const clock = app.app.get<Clock, MovableClock>(Clock);
  const world = app.app.get(SandboxWorld);
  const sandboxes = app.app.get(CourierSandboxes);
  clock.setOffset(-3 * HOUR);
  const shipments = await seedTrackedShipments({ dataSource: app.app.get(DataSource) }, http, seller, {
    count: parcels,
    couriers: COURIER_CODES,
    status: 'booked',
    dueAt: new Date(Date.now() + 24 * HOUR),
    prefix: 'HOOK',
  });
  const made = new Map<string, SandboxParcel>();
  const inChunks = async (work: (s: (typeof shipments)[number]) => Promise<void>) => {
    for (let i = 0; i < shipments.length; i += 50) await Promise.all(shipments.slice(i, i + 50).map(work));
  };
  await inChunks(async (s) => {
    const parcel = await world.create({
      courier: s.courier,
      awb: s.awb,
      reference: s.awb,
      service: SERVICE_OF[s.courier],
      originCity: 'Bandung',
      originProvince: 'Jawa Barat',
      destinationCity: 'Jakarta Pusat',
      destinationProvince: 'DKI Jakarta',
      weightGrams: 1200,
      codAmount: 150_000,
      pickup: true,
      request: {},
    });
    made.set(s.awb, parcel);
  });
  const pushes: Push[] = [];
  for (const [k, to] of STEPS.entries()) {
    clock.setOffset(-3 * HOUR + (k + 1) * (HOUR / 2));
    await inChunks(async (s) => {
      const parcel = made.get(s.awb)!;
      made.set(s.awb, { ...parcel, plan: await world.advance(parcel, to) });
      const push = await sandboxes.get(s.courier)!.webhookFor(s.awb);
      if (!push) throw new Error(`no push for ${s.courier} ${s.awb} after ${to}`);
      pushes.push({ path: `/v1/webhooks/couriers/${s.courier}`, headers: push.headers, body: push.body });
    });
  }
  return pushes;
}

/**
 * Courier pushes in (verify with the courier's scheme + store in the inbox + 2xx), fresh ones each time
 * (a replayed push stores no new event), against the raw-pg TPC-B loop of the same run, round by round
 * (target ≥ 50 %); then how long the inbox takes to apply what came in.
 */
export const trackingWebhooks: Benchmark = {
  name: 'tracking-webhooks',
  description:
    'POST /v1/webhooks/couriers/:code: verify + store + 2xx, fresh signed pushes of the five couriers',
  async run(ctx) {
    const database = await ctx.newDatabase();
    // The pushes are made by an instance in this process (its sandboxes sign them), closed before the
    // load: the measured instance runs alone in its own process.
    const maker = await startInProcessApp(database);
    let pushes: Push[];
    try {
      pushes = await makePushes(maker, PARCELS);
    } finally {
      await maker.close();
    }
    const base = await ctx.startApp(database);

    const db = new Client({ connectionString: database });
    await db.connect();
    try {
      const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;
      const waiting = () =>
        count('SELECT count(*)::int AS n FROM tracking_events WHERE processed_at IS NULL');
      /**
       * Waits until the inbox has applied what the round left: its work must not fall into the next
       * baseline round (it would slow the baseline, flattering the ratio). The backlog, and how long.
       */
      const drain = async () => {
        const started = performance.now();
        const backlog = await waiting();
        while ((await waiting()) > 0 && performance.now() - started < APPLY_WAIT_MS)
          await new Promise((resolve) => setTimeout(resolve, 100));
        return { backlog, seconds: (performance.now() - started) / 1000, left: await waiting() };
      };
      let next = 0;
      const load = (durationSec: number) =>
        ctx.load({
          url: base,
          method: 'POST',
          setupRequest: (req) => {
            const push = pushes[next++ % pushes.length];
            return { ...req, path: push.path, headers: push.headers, body: push.body };
          },
          durationSec,
        });
      // A running instance is warm: a short load first, applied before the rounds begin.
      await load(2);
      await drain();
      const warmup = next;
      const eventsBefore = await count('SELECT count(*)::int AS n FROM tracking_events');
      const drains: Awaited<ReturnType<typeof drain>>[] = [];
      const paired = await ctx.paired('raw pg', async (durationSec) => {
        const result = await load(durationSec);
        drains.push(await drain());
        return result;
      });
      const r = paired.result;
      if (r.non2xx || r.errors)
        throw new Error(`tracking-webhooks: ${r.non2xx} non-2xx and ${r.errors} errors`);
      const stored = (await count('SELECT count(*)::int AS n FROM tracking_events')) - eventsBefore;
      const left = drains.reduce((n, d) => n + d.left, 0);
      const moved = await count(
        "SELECT count(*)::int AS n FROM shipment_transitions WHERE cause = 'courier_event'",
      );
      const replayed = Math.max(0, next - pushes.length);
      const sent = next - warmup;
      const slowest = drains.reduce((a, b) => (b.seconds > a.seconds ? b : a));
      return [
        {
          name: 'POST /v1/webhooks/couriers/:code (fresh signed pushes, five couriers)',
          unit: 'req/s',
          value: r.requestsPerSec,
          p50Ms: r.p50Ms,
          p99Ms: r.p99Ms,
          note: `paired with the raw-pg loop round by round: median ${paired.median.toFixed(1)} % (rounds ${paired.ratios.map((x) => x.toFixed(1)).join(', ')}); target ≥ 50 % of raw pg tx/s; ${sent.toLocaleString('en-US')} pushes sent in the rounds, ${stored.toLocaleString('en-US')} new events stored, ${replayed ? `${replayed.toLocaleString('en-US')} replays (the ${pushes.length.toLocaleString('en-US')} prepared pushes ran out)` : `none a replay (${pushes.length.toLocaleString('en-US')} prepared)`}`,
        },
        {
          name: 'inbox: a round’s pushed events applied after its load (slowest round)',
          unit: 's',
          value: left ? Number.NaN : slowest.seconds,
          note: `backlogs at the end of the rounds ${drains.map((d) => d.backlog.toLocaleString('en-US')).join(', ')} events, applied in ${drains.map((d) => d.seconds.toFixed(1)).join(', ')} s${left ? `; ${left} not applied after ${APPLY_WAIT_MS / 1000} s` : ''} (before the next baseline round); ${moved.toLocaleString('en-US')} status moves made in all`,
        },
      ];
    } finally {
      await db.end();
    }
  },
};
