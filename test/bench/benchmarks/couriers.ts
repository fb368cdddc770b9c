import { NestFactory } from '@nestjs/core';
import { loadConfig } from 'config';
import { AppModule } from 'src/app.module';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { CASES, jakarta, order, quoteTo } from '../../integration/couriers/fixtures';
import { BENCH_ENV, Benchmark, Figure } from '../harness';

const PARCELS = 300;
const BATCH = 100;

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * Per courier, through its adapter, resilience policies and sandbox over real HTTP: how many parcels
 * a second batch tracking gets through, and one quote's latency.
 */
export const couriers: Benchmark = {
  name: 'couriers',
  description: 'batch tracking throughput and quote latency per courier (adapter + sandbox over HTTP)',
  async run(ctx) {
    const config = loadConfig(
      { ...BENCH_ENV, DATABASE_URL: await ctx.newDatabase(), LOG_LEVEL: 'silent' },
      {},
    );
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
    const figures: Figure[] = [];
    const only = process.env.BENCH_COURIERS?.split(',');
    const seconds = Math.max(2, ctx.durationSec / 2);
    try {
      for (const courier of app
        .get(CourierRegistry)
        .all()
        .filter((c) => !only || only.includes(c.code))) {
        const awbs: string[] = [];
        for (let i = 0; i < PARCELS; i += 1)
          awbs.push((await courier.createOrder(order(CASES[courier.code].service))).awb);
        let tracked = 0;
        let started = performance.now();
        for (let i = 0; performance.now() - started < seconds * 1000; i += 1) {
          const batch = awbs.slice((i * BATCH) % PARCELS, ((i * BATCH) % PARCELS) + BATCH);
          const results = await courier.track(batch);
          tracked += results.filter((r) => r.found).length;
        }
        figures.push({
          name: `${courier.code}: batch tracking (${BATCH} per call)`,
          unit: 'items/s',
          value: tracked / ((performance.now() - started) / 1000),
        });

        const latencies: number[] = [];
        started = performance.now();
        while (performance.now() - started < seconds * 1000) {
          const t0 = performance.now();
          await courier.quote(quoteTo(jakarta));
          latencies.push(performance.now() - t0);
        }
        latencies.sort((a, b) => a - b);
        figures.push({
          name: `${courier.code}: quote (one at a time)`,
          unit: 'ops/s',
          value: latencies.length / ((performance.now() - started) / 1000),
          p50Ms: percentile(latencies, 0.5),
          p99Ms: percentile(latencies, 0.99),
        });
      }
    } finally {
      await app.close();
    }
    return figures;
  },
};
