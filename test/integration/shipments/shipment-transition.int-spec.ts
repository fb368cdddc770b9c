import { randomUUID } from 'node:crypto';
import { Transactions } from 'src/database/transaction';
import { ShipmentStateMachine } from 'src/shipments/shipment-state-machine';
import { createShipment, signupSeller, subscribeWebhooks } from '../../support/factories/sellers';
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

  /** A JNE tracking event of `awb` stored as a poll found it: its id, for a move's cause. */
  async function trackingEvent(awb: string, occurredAt: Date): Promise<string> {
    const id = randomUUID();
    await t.dataSource.query(
      `INSERT INTO tracking_events (id, courier, awb, raw_code, occurred_at, raw_text, is_return_leg, unmapped,
         source, raw, received_at)
       VALUES ($1, 'jne', $2, 'X', $3, 'x', false, false, 'poll', '{}', $3)`,
      [id, awb, occurredAt],
    );
    return id;
  }

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

  it("tells the seller of each move with the time it was made: a poll's moves, all at the poll's start, keep their order", async () => {
    const http = t.http();
    const seller = await signupSeller(http, 'Toko Urutan');
    await subscribeWebhooks(http, seller, 'https://93.184.215.14/kirim');
    const s = await createShipment(http, seller);
    const start = t.clock.now();
    const minutes = (m: number) => new Date(start.getTime() + m * 60_000);
    // One poll that began at `start`: every round of its answer is a move at `start`, while the clock runs on.
    const steps: [string[], string][] = [
      [['ready'], 'booking'],
      [['booking'], 'booked'],
      [['booked'], 'picked_up'],
      [['picked_up'], 'in_transit'],
    ];
    for (const [i, [from, to]] of steps.entries()) {
      t.clock.set(minutes(i + 1));
      const move = { from: from as never, to: to as never, at: start };
      if (i < 2) await machine.transitionMany([s.id], { ...move, cause: 'booking' });
      else
        await tx.run(async () =>
          machine.transitionEach(
            [
              {
                id: s.id,
                causeEventId: await trackingEvent('ORDER1', minutes(i)),
                reason: null,
                occurredAt: minutes(i),
              },
            ],
            { ...move, cause: 'courier_event' },
          ),
        );
    }
    const told = (
      await t.dataSource.query<{ body: string }[]>(
        `SELECT body FROM webhook_deliveries WHERE seller_id = $1 AND type = 'shipment.status_changed'`,
        [seller.sellerId],
      )
    ).map((r) => JSON.parse(r.body) as { createdAt: string; data: { from: string; status: string } });
    // Sorted by createdAt, as API.md tells receivers to: the moves in the order they were made, each at its own time.
    const sorted = told.sort((x, y) => x.createdAt.localeCompare(y.createdAt));
    expect(sorted.map((b) => `${b.data.from} → ${b.data.status}`)).toEqual(
      steps.map(([[from], to]) => `${from} → ${to}`),
    );
    expect(sorted.map((b) => b.createdAt)).toEqual(steps.map((_, i) => minutes(i + 1).toISOString()));
  });

  it('moves a batch in one statement, each shipment for its own courier event, time and reason', async () => {
    const http = t.http();
    const seller = await signupSeller(http, 'Toko Serentak');
    const [a, b, c] = [
      await createShipment(http, seller),
      await createShipment(http, seller),
      await createShipment(http, seller),
    ];
    const at = new Date('2026-12-01T10:00:00Z');
    const event = async (awb: string, occurredAt: string) => ({
      id: await trackingEvent(awb, new Date(occurredAt)),
      occurredAt: new Date(occurredAt),
    });
    const [ea, eb, ec] = [
      await event('A1', '2026-12-01T08:00:00Z'),
      await event('B1', '2026-12-01T09:00:00Z'),
      await event('C1', '2026-12-01T09:30:00Z'),
    ];
    const [da, db] = [await event('A1', '2026-12-01T09:10:00Z'), await event('B1', '2026-12-01T09:20:00Z')];

    await tx.run(async () => {
      await machine.transitionMany([a.id, b.id, c.id], {
        from: ['ready'],
        to: 'booking',
        cause: 'booking',
        at,
      });
      await machine.transitionMany([a.id, b.id], { from: ['booking'], to: 'booked', cause: 'booking', at });
      // c is still booking: not in the batch's expected status, so it does not move.
      const picked = await machine.transitionEach(
        [
          { id: a.id, causeEventId: ea.id, reason: null, occurredAt: ea.occurredAt },
          { id: b.id, causeEventId: eb.id, reason: 'late_scan', occurredAt: eb.occurredAt },
          { id: c.id, causeEventId: ec.id, reason: null, occurredAt: ec.occurredAt },
        ],
        { from: ['booked'], to: 'picked_up', cause: 'courier_event', at },
      );
      expect(picked.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
      // Only a's delivery collected the COD.
      const delivered = await machine.transitionEach(
        [
          {
            id: a.id,
            causeEventId: da.id,
            reason: null,
            occurredAt: da.occurredAt,
            codCollectedEventId: da.id,
          },
          {
            id: b.id,
            causeEventId: db.id,
            reason: null,
            occurredAt: db.occurredAt,
            codCollectedEventId: null,
          },
        ],
        { from: ['picked_up'], to: 'delivered', cause: 'courier_event', at },
      );
      expect(delivered.map((m) => [m.from, m.to])).toEqual([
        ['picked_up', 'delivered'],
        ['picked_up', 'delivered'],
      ]);
    });

    const rows = await t.dataSource.query<
      {
        id: string;
        status: string;
        status_event_id: string | null;
        picked_up_at: Date | null;
        ended_at: Date | null;
        cod_collected: boolean;
        cod_collected_event_id: string | null;
        attempts: number;
      }[]
    >(
      `SELECT id, status, status_event_id, picked_up_at, ended_at, cod_collected, cod_collected_event_id, attempts
       FROM shipments WHERE id = ANY($1::uuid[])`,
      [[a.id, b.id, c.id]],
    );
    const row = (id: string) => rows.find((r) => r.id === id)!;
    expect(row(a.id)).toMatchObject({
      status: 'delivered',
      status_event_id: da.id,
      picked_up_at: ea.occurredAt,
      ended_at: da.occurredAt,
      cod_collected: true,
      cod_collected_event_id: da.id,
      attempts: 1,
    });
    expect(row(b.id)).toMatchObject({
      status: 'delivered',
      status_event_id: db.id,
      picked_up_at: eb.occurredAt,
      ended_at: db.occurredAt,
      cod_collected: false,
      cod_collected_event_id: null,
    });
    expect(row(c.id)).toMatchObject({ status: 'booking', status_event_id: null, picked_up_at: null });
    // Each move recorded with its own cause and reason.
    const recorded = await t.dataSource.query<
      { shipment_id: string; to_status: string; cause_event_id: string; reason: string | null }[]
    >(
      `SELECT shipment_id, to_status, cause_event_id, reason FROM shipment_transitions
       WHERE shipment_id = ANY($1::uuid[]) AND cause = 'courier_event' ORDER BY shipment_id, at, to_status`,
      [[a.id, b.id, c.id]],
    );
    expect(recorded.map((r) => [r.shipment_id, r.to_status, r.cause_event_id, r.reason]).sort()).toEqual(
      [
        [a.id, 'picked_up', ea.id, null],
        [a.id, 'delivered', da.id, null],
        [b.id, 'picked_up', eb.id, 'late_scan'],
        [b.id, 'delivered', db.id, null],
      ].sort(),
    );
  });
});
