import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { InvoicingService } from 'src/invoicing/invoicing.service';
import { DataSource } from 'typeorm';
import { signupSeller } from '../../support/factories/sellers';
import { Benchmark } from '../harness';
import { startInProcessApp } from '../in-process-app';

const SELLERS = 1000;
const LINES = 1_000_000;
/** 2026-11-09 00:00 WIB: a period start. */
const PERIOD_START = '2026-11-08T17:00:00.000Z';
const PERIOD_END = '2026-11-22T17:00:00.000Z';
const KINDS = ['shipping', 'cod_fee', 'cashback'];

/**
 * A minimal COPY … TO STDOUT for the `pg` client (what pg-copy-streams does): counts the bytes the server
 * sends. Only the baseline uses it.
 */
function copyOut(client: Client, sql: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let error: Error | null = null;
    const submittable = {
      submit: (connection: { query: (text: string) => void }) => connection.query(sql),
      handleCopyData: (msg: { chunk: Buffer }) => {
        bytes += msg.chunk.length;
      },
      handleCommandComplete: () => undefined,
      handleReadyForQuery: () => (error ? reject(error) : resolve(bytes)),
      handleError: (e: Error) => {
        error = e;
      },
    };
    void client.query(submittable as never);
  });
}

/**
 * The finance CSV export of a period with 1,000,000 lines (1,000 sellers' invoices), streamed through the
 * service to a sink, against `COPY (SELECT …) TO STDOUT` of the same rows and columns (target ≥ 30 % of its
 * rows/s), with the process's resident memory sampled every 20 ms during the export (target: grows
 * ≤ 64 MB). Invoices and lines are seeded with SQL.
 */
export const invoiceExport: Benchmark = {
  name: 'invoice-export',
  description: `finance CSV export of ${LINES.toLocaleString('en-US')} lines vs COPY … TO STDOUT; memory growth`,
  async run(ctx) {
    const url = await ctx.newDatabase();
    const app = await startInProcessApp(url);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const ds = app.app.get(DataSource);
      await signupSeller(app.http(), 'Bench Export');
      await ds.query(
        `INSERT INTO sellers (id, name, created_at)
         SELECT gen_random_uuid(), 'Toko Bench ' || n, now() FROM generate_series(1, $1::int) n`,
        [SELLERS - 1],
      );
      await ds.query(
        `INSERT INTO invoices (id, seller_id, number, period_start, period_end, status, shipping_total, cod_fee_total,
                               return_fee_total, cashback_total, total, paid, line_count, issued_at, updated_at)
         SELECT gen_random_uuid(), s.id, 'INV/2026/11/' || lpad((row_number() OVER (ORDER BY s.id))::text, 6, '0'),
                $1, $2, 'issued', 0, 0, 0, 0, 0, 0, $3::int / $4::int, $2, $2
           FROM sellers s`,
        [PERIOD_START, PERIOD_END, LINES, SELLERS],
      );
      await ds.query(
        `INSERT INTO invoice_lines (invoice_id, period_start, shipment_id, awb, courier, kind, amount)
         SELECT i.id, $1, gen_random_uuid(), 'BENCH' || lpad(n::text, 9, '0'), 'jne', ($3::text[])[1 + n % 3],
                CASE WHEN n % 3 = 2 THEN -(1000 + n % 500) ELSE 9000 + n % 5000 END
           FROM generate_series(0, $2::int - 1) n
           JOIN (SELECT id, row_number() OVER (ORDER BY number) - 1 AS k FROM invoices) i
             ON i.k = n / ($2::int / ${SELLERS})`,
        [PERIOD_START, LINES, KINDS],
      );
      await ds.query('VACUUM ANALYZE invoices');
      await ds.query('VACUUM ANALYZE invoice_lines');

      const copySql = `COPY (
          SELECT i.number AS invoice_number, i.seller_id, (i.period_start AT TIME ZONE 'Asia/Jakarta')::date AS period_start,
                 ((i.period_end - interval '1 microsecond') AT TIME ZONE 'Asia/Jakarta')::date AS period_last_day,
                 l.shipment_id, l.awb, l.courier, l.kind, l.amount
            FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
           WHERE l.period_start = '${PERIOD_START}' ORDER BY l.id
        ) TO STDOUT WITH (FORMAT csv, HEADER)`;
      await copyOut(client, copySql); // warm
      const t0 = performance.now();
      const copyBytes = await copyOut(client, copySql);
      const copySeconds = (performance.now() - t0) / 1000;

      const service = app.app.get(InvoicingService);
      const exportOnce = async () => {
        let bytes = 0;
        const { stream } = await service.exportPeriod('2026-11-09', 'csv');
        await pipeline(
          stream,
          new Writable({
            write(chunk: Buffer | string, _enc, done) {
              bytes += Buffer.byteLength(chunk);
              done();
            },
          }),
        );
        return bytes;
      };
      // Memory is measured on the first export in this process (nothing grown for it beforehand), from
      // a collected heap; the throughput on a second, warm one.
      const gc = (global as { gc?: () => void }).gc;
      gc?.();
      const before = process.memoryUsage();
      const rssBefore = before.rss;
      let rssPeak = rssBefore;
      let heapPeak = before.heapTotal;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        rssPeak = Math.max(rssPeak, m.rss);
        heapPeak = Math.max(heapPeak, m.heapTotal);
      }, 20);
      await exportOnce();
      clearInterval(sampler);
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      ctx.attach(
        'invoice export: memory of the first export',
        `RSS ${mb(rssBefore)} before (heap used ${mb(before.heapUsed)} of ${mb(before.heapTotal)}), peak RSS ${mb(rssPeak)}, peak heap ${mb(heapPeak)}`,
      );
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      const growthMb = (rssPeak - rssBefore) / 1024 / 1024;
      const t1 = performance.now();
      const exportBytes = await exportOnce();
      const exportSeconds = (performance.now() - t1) / 1000;
      const exportRate = LINES / exportSeconds;
      const copyRate = LINES / copySeconds;
      ctx.attach(
        'invoice export: bytes',
        `service CSV ${exportBytes.toLocaleString('en-US')} bytes; COPY CSV ${copyBytes.toLocaleString('en-US')} bytes`,
      );
      return [
        {
          name: `finance CSV export, ${LINES.toLocaleString('en-US')} lines (csv-stringify, keyset batches)`,
          unit: 'items/s',
          value: exportRate,
          note: `${((100 * exportRate) / copyRate).toFixed(1)} % of COPY's rows/s (target ≥ 30 %); ${exportSeconds.toFixed(2)} s; RSS grew ${growthMb.toFixed(1)} MB during the first export from a collected heap${gc ? '' : ' (no --expose-gc: not collected first)'} (target ≤ 64 MB)`,
        },
        {
          name: `COPY (SELECT …) TO STDOUT of the same ${LINES.toLocaleString('en-US')} rows`,
          unit: 'items/s',
          value: copyRate,
          note: `${copySeconds.toFixed(2)} s`,
        },
      ];
    } finally {
      await client.end();
      await app.close();
    }
  },
};
