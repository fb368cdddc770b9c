import { InvoicingService } from 'src/invoicing/invoicing.service';
import { DataSource } from 'typeorm';
import { createShipment, signupSeller } from '../../support/factories/sellers';
import { SERVICE_OF } from '../../support/factories/tracked';
import { Benchmark } from '../harness';
import { startInProcessApp } from '../in-process-app';

/** Sellers invoiced, each with the same number of delivered COD parcels (three lines each). */
const SELLERS = 1000;
const LINES = 1_000_000;
const SHIPMENTS = Math.ceil(LINES / 3);
const COURIERS = ['jne', 'jnt', 'sap', 'ninja', 'idexpress'] as const;
/** A period that is over (2026-11-09 … 2026-11-22 WIB) and the moment the run happens. */
const IN_PERIOD = '2026-11-10T05:00:00Z';
const AS_OF = new Date('2026-11-23T01:00:00Z');

/**
 * The invoicing run over 1,000,000 lines (333,334 delivered COD parcels of 1,000 sellers: shipping, COD
 * fee, cashback) against one raw `INSERT … SELECT` copying the same rows into a table like invoice_lines
 * (its indexes, no foreign key); target ≥ 20 % of the copy's lines/s. Shipments are seeded with SQL.
 */
export const invoicing: Benchmark = {
  name: 'invoicing',
  description: `invoicing run: ${LINES.toLocaleString('en-US')} lines of ${SELLERS.toLocaleString('en-US')} sellers vs one INSERT … SELECT`,
  async run(ctx) {
    const app = await startInProcessApp(await ctx.newDatabase());
    try {
      const ds = app.app.get(DataSource);
      const http = app.http();
      const owner = await signupSeller(http, 'Bench Invoicing');
      const template = await createShipment(http, owner);
      await ds.query(
        `INSERT INTO sellers (id, name, created_at)
         SELECT gen_random_uuid(), 'Toko Bench ' || n, now() FROM generate_series(1, $1::int) n`,
        [SELLERS - 1],
      );
      await ds.query(
        `INSERT INTO shipments
         SELECT (jsonb_populate_record(s, jsonb_build_object(
           'id', gen_random_uuid(), 'seller_id', ($6::uuid[])[1 + n % cardinality($6::uuid[])], 'reference', 'INVB-' || n, 'status', 'delivered',
           'courier', c.courier, 'service', c.service, 'awb', 'INVB' || upper(c.courier) || lpad(n::text, 8, '0'),
           'cod_amount', 150000, 'cod_collected', true, 'booked_at', $2::timestamptz,
           'picked_up_at', $2::timestamptz, 'ended_at', $2::timestamptz + n * interval '1 millisecond', 'outcome_recorded_at', $2::timestamptz + n * interval '1 millisecond',
           'shipping_fee', 9000 + n % 20 * 1000, 'cod_fee', 3000 + n % 7 * 250,
           'cashback', (9000 + n % 20 * 1000) / 10, 'return_fee', 9000 + n % 20 * 1000))).*
         FROM shipments s, generate_series(1, $3::int) n,
           LATERAL (SELECT ($4::text[])[1 + n % 5] AS courier, ($5::text[])[1 + n % 5] AS service) c
         WHERE s.id = $1`,
        [
          template.id,
          IN_PERIOD,
          SHIPMENTS,
          COURIERS,
          COURIERS.map((c) => SERVICE_OF[c]),
          (await ds.query<{ id: string }[]>('SELECT id FROM sellers')).map((r) => r.id),
        ],
      );
      await ds.query('VACUUM ANALYZE shipments');

      const t0 = performance.now();
      const result = await app.app.get(InvoicingService).run(AS_OF);
      const runSeconds = (performance.now() - t0) / 1000;
      const [{ n: lines }] = await ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM invoice_lines');
      if (result.issued !== SELLERS || lines < LINES)
        throw new Error(`invoicing: issued ${result.issued} invoices with ${lines} lines`);

      await ds.query('CREATE TABLE invoice_lines_copy (LIKE invoice_lines INCLUDING ALL)');
      await ds.query('CHECKPOINT');
      const t1 = performance.now();
      await ds.query(
        `INSERT INTO invoice_lines_copy (invoice_id, period_start, shipment_id, awb, courier, kind, amount)
         SELECT invoice_id, period_start, shipment_id, awb, courier, kind, amount FROM invoice_lines ORDER BY id`,
      );
      const copySeconds = (performance.now() - t1) / 1000;
      const runRate = lines / runSeconds;
      const copyRate = lines / copySeconds;
      return [
        {
          name: `invoicing run: ${lines.toLocaleString('en-US')} lines, ${result.issued.toLocaleString('en-US')} invoices`,
          unit: 'items/s',
          value: runRate,
          note: `${((100 * runRate) / copyRate).toFixed(1)} % of the INSERT … SELECT's lines/s (target ≥ 20 %); ${runSeconds.toFixed(2)} s (each invoice its own transaction: lines, number, posting, settlement, webhook)`,
        },
        {
          name: `raw INSERT … SELECT copying the same ${lines.toLocaleString('en-US')} lines`,
          unit: 'items/s',
          value: copyRate,
          note: `${copySeconds.toFixed(2)} s into a table like invoice_lines (same indexes)`,
        },
      ];
    } finally {
      await app.close();
    }
  },
};
