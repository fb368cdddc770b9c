import { Transactions } from 'src/database/transaction';
import { ShipmentStateMachine } from 'src/shipments/shipment-state-machine';
import { createShipment, signupSeller } from '../../support/factories/sellers';
import { startTestApp, TestApp } from '../../support/test-app';

describe('the shipment transition statement (real PostgreSQL)', () => {
  let t: TestApp;
  let machine: ShipmentStateMachine;
  let tx: Transactions;

  beforeAll(async () => {
    t = await startTestApp();
    machine = t.app.get(ShipmentStateMachine);
    tx = t.app.get(Transactions);
  });
  afterAll(() => t.close());

  it('moves one shipment by a statement PostgreSQL plans once per connection, and many at once as before', async () => {
    const http = t.http();
    const seller = await signupSeller(http, 'Toko Transisi');
    const [a, b] = [await createShipment(http, seller), await createShipment(http, seller)];
    const at = new Date();
    const rounds = 7;

    const plans = await tx.run(async (m) => {
      const both = await machine.transitionMany([a.id, b.id], {
        from: ['ready'],
        to: 'booking',
        cause: 'booking',
        at,
      });
      expect(both.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
      // One shipment back and forth, each way the same statement every time, on this transaction's connection.
      const move = async (from: 'booking' | 'booking_failed', to: 'booking' | 'booking_failed') =>
        (await machine.transition(a.id, { from: [from], to, cause: to, at }))?.to;
      for (let i = 0; i < rounds; i += 1) {
        expect(await move('booking', 'booking_failed')).toBe('booking_failed');
        expect(await move('booking_failed', 'booking')).toBe('booking');
      }
      // A shipment that is not in an expected status is not moved.
      expect(
        await machine.transition(b.id, { from: ['booking_failed'], to: 'booking', cause: 'booking', at }),
      ).toBeNull();
      return m.query<{ generic_plans: string; custom_plans: string; statement: string }[]>(
        `SELECT generic_plans, custom_plans, statement FROM pg_prepared_statements WHERE name LIKE 'transition\\_%'`,
      );
    });
    // The one-shipment statements (`id = $n`) ran `rounds` times or more each; after PostgreSQL's five trial
    // plans, each reuses its generic plan instead of planning every call again.
    const single = plans.filter((p) => !/id = ANY\(\$\d+::uuid\[\]\)/.test(p.statement));
    const hot = single.filter((p) => Number(p.generic_plans) + Number(p.custom_plans) >= rounds);
    expect(hot).toHaveLength(2);
    for (const p of hot) expect(Number(p.generic_plans)).toBeGreaterThan(0);
    // The two-shipment move ran once, by `id = ANY($n)`.
    expect(plans.filter((p) => !single.includes(p))).toHaveLength(1);

    const rows = await t.dataSource.query<{ status: string; id: string }[]>(
      `SELECT id, status FROM shipments WHERE id = ANY($1::uuid[])`,
      [[a.id, b.id]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [a.id]: 'booking',
      [b.id]: 'booking',
    });
    const recorded = await t.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM shipment_transitions WHERE shipment_id = $1`,
      [a.id],
    );
    // Each move recorded once: ready → booking, then two per round.
    expect(Number(recorded[0].n)).toBe(1 + 2 * rounds);
  });
});
