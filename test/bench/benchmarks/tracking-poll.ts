import { AppConfig } from 'config';
import { COURIER_CODES, CourierCode } from 'src/couriers/courier-adapter';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { SandboxControl } from 'src/couriers/sandbox/sandbox-control.service';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import { TrackingService } from 'src/tracking/tracking.service';
import { DataSource } from 'typeorm';
import { signupSeller } from '../../support/factories/sellers';
import { seedTrackedShipments } from '../../support/factories/tracked';
import { Benchmark, Figure } from '../harness';
import { startInProcessApp } from '../in-process-app';

/** Due parcels in the cycle (BENCH_POLL_PARCELS for a smaller run while developing). */
const PARCELS = Number(process.env.BENCH_POLL_PARCELS ?? 20_000);
/** What every sandbox courier call takes (injected latency). */
const LATENCY_MS = 200;
/** A per-minute budget far above what the concurrency allows: calls at once are the courier's limit. */
const PER_MINUTE = 1_000_000;

interface CourierPlan {
  code: CourierCode;
  concurrency: number;
  perMinute: number;
  batchSize: number;
  /** Parcels a second the budget allows: min(concurrency ÷ latency, perMinute ÷ 60) × batch size. */
  ceiling: number;
  parcels: number;
}

/**
 * Splits `total` parcels over the couriers in proportion to their ceilings, so that every courier's
 * budget is the limit for the whole cycle at once (the least time is then the same for each, and the
 * cycle's ceiling is Σ ceilings, as issue 9 states it).
 */
function mix(total: number, plans: Omit<CourierPlan, 'parcels'>[]): CourierPlan[] {
  const sum = plans.reduce((s, p) => s + p.ceiling, 0);
  const out = plans.map((p) => ({ ...p, parcels: Math.floor((total * p.ceiling) / sum) }));
  const largest = out.reduce((a, b) => (b.ceiling > a.ceiling ? b : a));
  largest.parcels += total - out.reduce((s, p) => s + p.parcels, 0);
  return out;
}

const pct = (x: number) => `${x.toFixed(1)} %`;
const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * One instance polls a cycle of due parcels over the five couriers' sandboxes, each call 200 ms: the
 * parcels a second achieved per courier against what its request budget allows, and the cycle's time
 * against the least time the budgets allow (target ≥ 90 %: the couriers' budgets, not the poller or the
 * database, set the pace).
 */
export const trackingPoll: Benchmark = {
  name: 'tracking-poll',
  description: `tracking poller, one instance: ${PARCELS.toLocaleString('en-US')} due parcels, ${LATENCY_MS} ms per courier call`,
  async run(ctx) {
    const database = await ctx.newDatabase();
    const app = await startInProcessApp(database, (config: AppConfig) => {
      for (const code of COURIER_CODES)
        config.business.tracking.budgets[code] = {
          concurrency: config.business.tracking.budgets[code].concurrency,
          perMinute: PER_MINUTE,
        };
    });
    try {
      const config = app.app.get(AppConfig);
      const registry = app.app.get(CourierRegistry);
      const plans = mix(
        PARCELS,
        COURIER_CODES.map((code) => {
          const { concurrency, perMinute } = config.business.tracking.budgets[code];
          const batchSize = Math.max(1, registry.get(code).trackBatchSize);
          const ceiling = Math.min(concurrency / (LATENCY_MS / 1000), perMinute / 60) * batchSize;
          return { code, concurrency, perMinute, batchSize, ceiling };
        }),
      );

      const http = app.http();
      const seller = await signupSeller(http, 'Bench Tracking');
      const dataSource = app.app.get(DataSource);
      const now = new Date();
      for (const p of plans)
        await seedTrackedShipments({ dataSource }, http, seller, {
          count: p.parcels,
          couriers: [p.code],
          status: 'in_transit',
          dueAt: new Date(now.getTime() - 60_000),
          prefix: `POLL${p.code.toUpperCase()}`,
        });
      // Every parcel its own buyer, as in life (the risk rules read each recipient's record).
      await dataSource.query(
        `UPDATE shipments SET recipient_phone = '+628' || lpad((abs(hashtext(id::text)) % 1000000000)::text, 10, '0')
         WHERE awb LIKE 'POLL%'`,
      );
      await dataSource.query('VACUUM ANALYZE shipments');
      const control = app.app.get(SandboxControl);
      for (const code of COURIER_CODES) await control.setFaults(code, { latencyMs: LATENCY_MS });
      // A running instance has its couriers' access tokens and open connections: one call each first.
      await Promise.all(
        COURIER_CODES.map((code) => registry.get(code).track([`WARM${code.toUpperCase()}1`])),
      );

      // When each courier's last batch was recorded: its own rate, though all five run at once.
      const tracking = app.app.get(TrackingService);
      const recordPoll = tracking.recordPoll.bind(tracking);
      const finished = new Map<CourierCode, number>();
      tracking.recordPoll = async (courier, ...rest) => {
        const r = await recordPoll(courier, ...rest);
        finished.set(courier, performance.now());
        return r;
      };
      // How long the courier calls took, as the poller saw them (the injected latency plus the sandbox's
      // own work and the HTTP round trip): what part of a shortfall is the courier's, not the poller's.
      const callMs = new Map<CourierCode, number[]>(COURIER_CODES.map((c) => [c, []]));
      for (const code of COURIER_CODES) {
        const courier = registry.get(code);
        const track = courier.track.bind(courier);
        courier.track = async (awbs) => {
          const t0 = performance.now();
          const r = await track(awbs);
          callMs.get(code)!.push(performance.now() - t0);
          return r;
        };
      }
      const sandboxes = app.app.get(CourierSandboxes);
      const calls = new Map(COURIER_CODES.map((c) => [c, sandboxes.get(c)!.requests]));

      const started = performance.now();
      const result = await app.app.get(TrackingPoller).pollDue(now);
      const seconds = (performance.now() - started) / 1000;
      tracking.recordPoll = recordPoll;
      const [{ due }] = await dataSource.query<{ due: number }[]>(
        'SELECT count(*)::int AS due FROM shipment_polls WHERE next_poll_at <= $1',
        [now],
      );
      if (result.polled !== PARCELS || result.failed || due)
        throw new Error(
          `tracking-poll: polled ${result.polled} of ${PARCELS}, ${result.failed} failed, ${due} still due`,
        );

      const leastSeconds = Math.max(...plans.map((p) => p.parcels / p.ceiling));
      const ceilingSum = plans.reduce((s, p) => s + p.ceiling, 0);
      const figures: Figure[] = [];
      const rows: string[] = [];
      for (const p of plans) {
        const f = result.couriers[p.code];
        const took = ((finished.get(p.code) ?? performance.now()) - started) / 1000;
        const rate = p.parcels / took;
        const asked = sandboxes.get(p.code)!.requests - calls.get(p.code)!;
        const ms = callMs.get(p.code)!.sort((a, b) => a - b);
        const meanMs = ms.reduce((sum, x) => sum + x, 0) / ms.length;
        // The same ceiling with the calls' measured time in place of the injected latency.
        const callCeiling = Math.min(p.concurrency / (meanMs / 1000), p.perMinute / 60) * p.batchSize;
        figures.push({
          name: `${p.code}: parcels polled (${p.parcels.toLocaleString('en-US')}, batch ${p.batchSize}, ${p.concurrency} at once); p50/p99: courier call`,
          unit: 'items/s',
          value: rate,
          p50Ms: percentile(ms, 0.5),
          p99Ms: percentile(ms, 0.99),
          note: `${pct((100 * rate) / p.ceiling)} of its budget's ceiling ${p.ceiling.toLocaleString('en-US')}/s (min(${p.concurrency} ÷ ${LATENCY_MS / 1000} s, ${p.perMinute.toLocaleString('en-US')}/min) × ${p.batchSize}); calls took ${meanMs.toFixed(0)} ms on average, for which the ceiling is ${callCeiling.toFixed(0)}/s (${pct((100 * rate) / callCeiling)}); ${f.requests} requests (${asked} at the sandbox)`,
        });
        rows.push(
          [
            p.code.padEnd(10),
            String(p.parcels).padStart(7),
            String(f.requests).padStart(8),
            took.toFixed(2).padStart(7),
            rate.toFixed(0).padStart(9),
            p.ceiling.toFixed(0).padStart(7),
            pct((100 * rate) / p.ceiling).padStart(10),
            meanMs.toFixed(0).padStart(7),
            pct((100 * rate) / callCeiling).padStart(11),
          ].join(' '),
        );
      }
      const ratio = (100 * leastSeconds) / seconds;
      figures.push(
        {
          name: `cycle: all ${PARCELS.toLocaleString('en-US')} parcels polled`,
          unit: 's',
          value: seconds,
          note: `the budgets allow ${leastSeconds.toFixed(2)} s at best (max over couriers of parcels ÷ ceiling): ${pct(ratio)} of the ceiling; target ≥ 90 %`,
        },
        {
          name: 'cycle: parcels polled a second (five couriers at once)',
          unit: 'items/s',
          value: PARCELS / seconds,
          note: `Σ ceilings ${ceilingSum.toLocaleString('en-US')}/s: ${pct((100 * PARCELS) / seconds / ceilingSum)}`,
        },
      );
      ctx.attach(
        'per courier',
        [
          'courier    parcels requests seconds parcels/s ceiling of ceiling call ms of call-time ceiling',
          ...rows,
          `cycle: ${seconds.toFixed(2)} s; least the budgets allow ${leastSeconds.toFixed(2)} s → ${pct(ratio)} (target ≥ 90 %)`,
        ].join('\n'),
      );
      return figures;
    } finally {
      await app.close();
    }
  },
};
