import { randomUUID } from 'node:crypto';
import { Transactions } from 'src/database/transaction';
import { Accounts } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
import { DataSource } from 'typeorm';
import { Benchmark, LoadResult } from '../harness';
import { startInProcessApp } from '../in-process-app';

const SELLERS = 1000;
const COURIERS = ['jne', 'jnt', 'sap', 'ninja', 'idexpress'];

/**
 * LedgerService.post() as the service calls it (a transaction each: a COD credit — courier receivable
 * debited, the seller's pending credited), from as many concurrent callers as the baseline has clients:
 * spread over 1,000 sellers (target ≥ 1× the raw-pg TPC-B loop's tx/s) and all to one hot seller
 * (≥ 25 %: every posting then waits for the one seller row and one courier row).
 */
export const ledger: Benchmark = {
  name: 'ledger',
  description: 'ledger postings (COD credits) spread over 1,000 sellers and all to one hot seller',
  async run(ctx) {
    const app = await startInProcessApp(await ctx.newDatabase(), undefined, {
      DATABASE_POOL_SIZE: String(ctx.connections),
    });
    try {
      const ds = app.app.get(DataSource);
      const tx = app.app.get(Transactions);
      const service = app.app.get(LedgerService);
      const sellers: { id: string }[] = await ds.query(
        `INSERT INTO sellers (id, name, created_at)
         SELECT gen_random_uuid(), 'Bench ' || n, now() FROM generate_series(1, $1) n RETURNING id`,
        [SELLERS],
      );
      let n = 0;
      const postings =
        (pick: () => string) =>
        async (durationSec: number): Promise<LoadResult> => {
          const end = Date.now() + durationSec * 1000;
          const latencies: number[] = [];
          const worker = async () => {
            while (Date.now() < end) {
              const sellerId = pick();
              const t0 = performance.now();
              n += 1;
              await tx.run(() =>
                service.post({
                  key: `bench:${randomUUID()}`,
                  type: 'cod_credit',
                  at: new Date(),
                  sellerId,
                  reference: `AWB${n}`,
                  entries: [
                    { account: Accounts.courierCodReceivable(COURIERS[n % COURIERS.length]), debit: 150_000 },
                    { account: Accounts.seller(sellerId, 'pending'), credit: 150_000 },
                  ],
                }),
              );
              latencies.push(performance.now() - t0);
            }
          };
          const t0 = performance.now();
          await Promise.all(Array.from({ length: ctx.connections }, worker));
          const seconds = (performance.now() - t0) / 1000;
          latencies.sort((a, b) => a - b);
          return {
            requestsPerSec: latencies.length / seconds,
            p50Ms: latencies[Math.floor(latencies.length / 2)],
            p99Ms: latencies[Math.floor(latencies.length * 0.99)],
            non2xx: 0,
            errors: 0,
          };
        };
      const spread = await ctx.paired(
        'raw pg',
        postings(() => sellers[Math.floor(Math.random() * sellers.length)].id),
      );
      const hot = await ctx.paired(
        'raw pg',
        postings(() => sellers[0].id),
      );
      const check = await service.verify();
      const figure = (name: string, p: typeof spread, target: string) => ({
        name,
        unit: 'tx/s' as const,
        value: p.result.requestsPerSec,
        p50Ms: p.result.p50Ms,
        p99Ms: p.result.p99Ms,
        note: `paired with the raw-pg TPC-B loop round by round: median ${p.median.toFixed(1)} % (rounds ${p.ratios.map((x) => x.toFixed(1)).join(', ')}); target ${target}`,
      });
      return [
        figure(`LedgerService.post, ${SELLERS.toLocaleString('en-US')} sellers`, spread, '≥ 100 % of raw pg'),
        figure('LedgerService.post, one hot seller', hot, '≥ 25 % of raw pg'),
        {
          name: 'ledger:verify after the run',
          unit: 'items/s',
          value: check.transactions,
          note: `${check.ok ? 'verified' : 'FAILED'}: ${check.transactions} transactions, ${check.entries} entries, sum ${check.ledgerSum}`,
        },
      ];
    } finally {
      await app.close();
    }
  },
};
