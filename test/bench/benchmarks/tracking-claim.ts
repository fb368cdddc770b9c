import { AppConfig } from 'config';
import { COURIER_CODES, CourierCode } from 'src/couriers/courier-adapter';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { Transactions } from 'src/database/transaction';
import { TrackedShipments } from 'src/shipments/tracked-shipments.service';
import { claimSize } from 'src/tracking/poll-cadence';
import { DataSource } from 'typeorm';
import { signupSeller } from '../../support/factories/sellers';
import { seedTrackedShipments } from '../../support/factories/tracked';
import { Benchmark, Figure } from '../harness';
import { startInProcessApp } from '../in-process-app';

/** Due shipments in the cycle, spread over the five couriers. */
const DUE = 1000;
/** Active (not ended, next poll later) shipments beside them: the small and the large table. */
const ACTIVE = [10_000, 100_000];
/** Measured runs per size (after one to warm up); the medians are reported. */
const RUNS = 9;
/** The courier whose claim statement is explained (a batch courier: one claim takes its whole share). */
const EXPLAINED: CourierCode = 'ninja';
const HOUR = 3600_000;

/** Rolls a measuring transaction back, so every run finds the same due shipments. */
class RolledBack extends Error {}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A cycle's database cost follows the due shipments, not all the active ones: the claims of one cycle
 * (every courier claimed with the poller's own claim sizes until nothing is due, in a transaction rolled
 * back after) with 1,000 due beside 10,000 and then 100,000 active shipments (target ≤ 2×), and the
 * claim statement's plan (an index scan of idx_shipment_polls_due) with EXPLAIN (ANALYZE, BUFFERS).
 */
export const trackingClaim: Benchmark = {
  name: 'tracking-claim',
  description: `tracking poll claims: ${DUE.toLocaleString('en-US')} due beside ${ACTIVE.map((n) => n.toLocaleString('en-US')).join(' / ')} active shipments`,
  async run(ctx) {
    const app = await startInProcessApp(await ctx.newDatabase());
    try {
      const dataSource = app.app.get(DataSource);
      const tx = app.app.get(Transactions);
      const tracked = app.app.get(TrackedShipments);
      const config = app.app.get(AppConfig).business.tracking;
      const registry = app.app.get(CourierRegistry);
      const sizes = new Map(
        COURIER_CODES.map((c) => [
          c,
          claimSize(config.claimBatch, registry.get(c).trackBatchSize, config.budgets[c].concurrency),
        ]),
      );
      const http = app.http();
      const seller = await signupSeller(http, 'Bench Claims');
      const now = new Date();
      const leaseUntil = new Date(now.getTime() + config.leaseSeconds * 1000);

      /** `count` in-transit shipments, their next polls spread over (from, from + spreadMs). */
      const seed = async (count: number, prefix: string, from: Date, spreadMs: number) => {
        await seedTrackedShipments({ dataSource }, http, seller, {
          count,
          couriers: COURIER_CODES,
          status: 'in_transit',
          dueAt: from,
          prefix,
        });
        await dataSource.query(
          `UPDATE shipment_polls p SET next_poll_at = p.next_poll_at + random() * $2 * interval '1 millisecond'
           FROM shipments s WHERE s.id = p.shipment_id AND s.awb LIKE $1`,
          [`${prefix}%`, spreadMs],
        );
      };
      await seed(DUE, 'DUE', new Date(now.getTime() - HOUR), HOUR - 1000);

      /** Runs `work` in a transaction rolled back after; what it returned and how long it took. */
      const rolledBack = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
        let out!: { value: T; ms: number };
        await tx
          .run(async () => {
            const t0 = performance.now();
            const value = await work();
            out = { value, ms: performance.now() - t0 };
            throw new RolledBack();
          })
          .catch((e: unknown) => {
            if (!(e instanceof RolledBack)) throw e;
          });
        return out;
      };
      /** Every courier claimed as the poller does, until nothing is due: how many were claimed. */
      const cycle = async () => {
        let claimed = 0;
        for (const courier of COURIER_CODES) {
          const size = sizes.get(courier)!;
          for (;;) {
            const got = await tracked.claimDue(courier, now, leaseUntil, size);
            claimed += got.length;
            if (got.length < size) break;
          }
        }
        return claimed;
      };
      /** The claim statement exactly as the repository sends it (captured from its transaction). */
      const claimStatement = async () => {
        let captured: { sql: string; params: unknown[] } | undefined;
        await rolledBack(async () => {
          const manager = tx.manager;
          const query = manager.query.bind(manager);
          manager.query = (sql: string, params?: unknown[]) => {
            captured ??= { sql, params: params ?? [] };
            return query(sql, params);
          };
          await tracked.claimDue(EXPLAINED, now, leaseUntil, sizes.get(EXPLAINED)!);
        });
        return captured!;
      };
      const explain = async (analyze: boolean) => {
        const { sql, params } = await claimStatement();
        const { value } = await rolledBack(() =>
          tx.manager.query<{ 'QUERY PLAN': string }[]>(
            `EXPLAIN (${analyze ? 'ANALYZE, BUFFERS' : 'COSTS'}) ${sql}`,
            params,
          ),
        );
        return value.map((r) => r['QUERY PLAN']).join('\n');
      };

      const measured: { active: number; cycleMs: number; statementMs: number; plan: string }[] = [];
      let seeded = 0;
      for (const [i, active] of ACTIVE.entries()) {
        // Next polls later, spread over the next six hours as the cadence spreads them.
        await seed(active - seeded, `ACT${i}X`, new Date(now.getTime() + 60_000), 6 * HOUR);
        seeded = active;
        await dataSource.query('VACUUM ANALYZE shipments, shipment_polls');
        const warm = await rolledBack(cycle);
        if (warm.value !== DUE) throw new Error(`tracking-claim: claimed ${warm.value} of ${DUE} due`);
        const cycles: number[] = [];
        const statements: number[] = [];
        let plan = '';
        for (let run = 0; run < RUNS; run += 1) {
          cycles.push((await rolledBack(cycle)).ms);
          plan = await explain(true);
          statements.push(Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1]));
        }
        // A few thousand narrow poll rows may be read whole (the planner's choice, and cheap); beside 100,000
        // the claim must walk the poll index, and it never reads the shipments but by their keys.
        if (
          /Seq Scan on shipments\s/.test(plan) ||
          (active >= 100_000 &&
            (!plan.includes('idx_shipment_polls_due') || /Seq Scan on shipment_polls/.test(plan)))
        )
          throw new Error(
            `tracking-claim: the claim does not read by index (idx_shipment_polls_due, shipments_pkey):\n${plan}`,
          );
        measured.push({ active, cycleMs: median(cycles), statementMs: median(statements), plan });
      }

      const [small, large] = measured;
      const cycleRatio = large.cycleMs / small.cycleMs;
      const statementRatio = large.statementMs / small.statementMs;
      const claims = COURIER_CODES.map((c) => `${c} ${sizes.get(c)}`).join(', ');
      const figures: Figure[] = measured.flatMap((m) => [
        {
          name: `claim cycle: ${DUE.toLocaleString('en-US')} due beside ${m.active.toLocaleString('en-US')} active (median of ${RUNS})`,
          unit: 'ms' as const,
          value: m.cycleMs,
          note:
            m === large
              ? `${cycleRatio.toFixed(2)}× the time with ${small.active.toLocaleString('en-US')} active; target ≤ 2×`
              : `every courier claimed until nothing is due, claims of ${claims}`,
        },
        {
          name: `claim statement (${EXPLAINED}, ${DUE / COURIER_CODES.length} due) beside ${m.active.toLocaleString('en-US')} active: server time (median of ${RUNS})`,
          unit: 'ms' as const,
          value: m.statementMs,
          note:
            m === large
              ? `${statementRatio.toFixed(2)}× the time with ${small.active.toLocaleString('en-US')} active; an index scan of idx_shipment_polls_due (EXPLAIN below)`
              : 'EXPLAIN ANALYZE execution time',
        },
      ]);
      const { sql } = await claimStatement();
      ctx.attach('the claim statement (src/shipments/shipments.repository.ts claimDuePolls)', sql);
      for (const m of measured)
        ctx.attach(
          `EXPLAIN (ANALYZE, BUFFERS) of the claim, ${DUE.toLocaleString('en-US')} due beside ${m.active.toLocaleString('en-US')} active`,
          m.plan,
        );
      return figures;
    } finally {
      await app.close();
    }
  },
};
