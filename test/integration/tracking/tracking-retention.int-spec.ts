import type supertest from 'supertest';
import { EntityManager } from 'typeorm';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { Transactions } from 'src/database/transaction';
import { JobCatalogue } from 'src/operations/jobs/job-catalogue';
import { TrackingEventsRepository } from 'src/tracking/tracking-events.repository';
import { TrackingService } from 'src/tracking/tracking.service';
import { createAddress, signupSeller, TestSeller } from '../../support/factories/sellers';
import { bookPinned } from '../../support/factories/tracked';
import { startTestApp, TestApp } from '../../support/test-app';

const DAY_MS = 86_400_000;

/**
 * Courier pushes deleted COURIER_PUSH_RETENTION_DAYS after they came, and applied events' raw lines cleared
 * after TRACKING_RAW_RETENTION_DAYS, by the hourly jobs: what is still in the inbox stays, and the shipment's
 * events answer as before.
 */
describe('the retention of courier pushes and raw lines (real PostgreSQL)', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let origin: string;

  beforeEach(async () => {
    // Retentions other than the defaults, and batches small enough that a run needs several.
    t = await startTestApp(
      { COURIER_PUSH_RETENTION_DAYS: '5', TRACKING_RAW_RETENTION_DAYS: '10' },
      undefined,
      {
        configure: (c) => {
          c.business.tracking.cleanupBatch = 2;
        },
      },
    );
    http = t.http();
    seller = await signupSeller(http);
    origin = (await createAddress(http, seller)).id;
  });
  afterEach(() => t.close());

  const book = async () => (await bookPinned(t, http, seller, origin, [{ code: 'jne', service: 'REG' }]))[0];
  const run = (name: string) => t.app.get(JobCatalogue).run(name) as Promise<number>;

  /** The parcel moved at its JNE sandbox, and the push JNE sends for it now, as the adapter reads it. */
  async function moved(awb: string, to: string) {
    await http.post(`/sandbox/parcels/${awb}/advance`).set(seller.auth).send({ to }).expect(200);
    const push = (await t.app.get(CourierSandboxes).get('jne')!.webhookFor(awb))!;
    const rawBody = Buffer.from(push.body);
    const events = t.app
      .get(CourierRegistry)
      .get('jne')
      .parseWebhook({ headers: push.headers, rawBody }, t.clock.now());
    return { rawBody, events, contentType: push.headers['content-type'] ?? null };
  }
  /** Stores the push as the webhook route does, without the route's own kick: only applyPushed applies it. */
  const store = (push: Awaited<ReturnType<typeof moved>>) =>
    t.app.get(TrackingService).storePush('jne', push.events, push.rawBody, push.contentType);
  /** Stores the push as received at `at` (earlier than now), and leaves its events in the inbox. */
  const storeAt = (push: Awaited<ReturnType<typeof moved>>, at: Date) =>
    t.app
      .get(Transactions)
      .run(() =>
        t.app
          .get(TrackingEventsRepository)
          .insertPush('jne', push.rawBody, push.contentType, push.events, at),
      );
  const pushes = async () =>
    (await t.dataSource.query<{ id: string }[]>('SELECT id FROM courier_pushes ORDER BY id')).map(
      (r) => r.id,
    );
  const pushOf = async (awb: string) =>
    (
      await t.dataSource.query<{ push_id: string }[]>(
        'SELECT DISTINCT push_id FROM tracking_events WHERE awb = $1',
        [awb],
      )
    ).map((r) => r.push_id);

  it('deletes old pushes in several statements, and keeps recent ones and old ones still in the inbox', async () => {
    const parcels = [];
    for (let i = 0; i < 5; i += 1) parcels.push(await book());
    const b = parcels[0];
    t.clock.advance(3600_000);
    const start = t.clock.now();
    // Five pushes of one day (five parcels picked up; applied), one with its events still in the inbox.
    for (const p of parcels) await store(await moved(p.awb, 'picked_up'));
    expect(await t.app.get(TrackingService).applyPushed()).toBe(5);
    const [applied] = await pushOf(b.awb);
    // Four days later the courier pushes the first parcel's next scan: recent, nothing of it waits.
    t.clock.advance(4 * DAY_MS);
    await store(await moved(b.awb, 'in_transit'));
    await t.app.get(TrackingService).applyPushed();
    const [recent] = await t.dataSource.query<{ id: string }[]>(
      'SELECT id FROM courier_pushes WHERE received_at > $1',
      [start],
    );
    const d = await book();
    await storeAt(await moved(d.awb, 'picked_up'), start);
    const [waiting] = await pushOf(d.awb);
    expect(await pushes()).toHaveLength(7);

    // Six days after the first ones (retention five): those five go, two statements of two and one of one.
    t.clock.advance(2 * DAY_MS);
    const statements = jest.spyOn(t.app.get(TrackingEventsRepository), 'deletePushesBefore');
    expect(await run('courier-pushes-cleanup')).toBe(5);
    expect(statements).toHaveBeenCalledTimes(3);
    statements.mockRestore();
    expect(await pushes()).toEqual([recent.id, waiting].sort());
    expect(await pushes()).not.toContain(applied);
    // The events the deleted pushes brought stay, applied to their shipments.
    for (const p of parcels.slice(1))
      expect((await http.get(`/v1/shipments/${p.id}`).set(seller.auth).expect(200)).body.status).toBe(
        'picked_up',
      );

    // Once the waiting push is applied, it goes on the next run; the recent one when its time is up.
    await t.app.get(TrackingService).applyPushed();
    expect(await run('courier-pushes-cleanup')).toBe(1);
    expect(await pushes()).toEqual([recent.id]);
    // Five days after it came it is still kept; a moment later it goes.
    t.clock.advance(3 * DAY_MS);
    expect(await run('courier-pushes-cleanup')).toBe(0);
    t.clock.advance(1);
    expect(await run('courier-pushes-cleanup')).toBe(1);
    expect(await pushes()).toEqual([]);
  });

  it('clears the raw line of old applied events only, and the shipment’s events answer as before', async () => {
    const c = await book();
    t.clock.advance(3600_000);
    const start = t.clock.now();
    await store(await moved(c.awb, 'picked_up'));
    await t.app.get(TrackingService).applyPushed();
    t.clock.advance(6 * DAY_MS);
    await store(await moved(c.awb, 'in_transit'));
    await t.app.get(TrackingService).applyPushed();
    // Another parcel's push of the first day, still in the inbox.
    const d = await book();
    await storeAt(await moved(d.awb, 'picked_up'), start);

    type Row = Record<string, unknown> & { id: string; raw: unknown; received_at: Date };
    const rows = async (awb: string) =>
      t.dataSource.query<Row[]>('SELECT * FROM tracking_events WHERE awb = $1 ORDER BY occurred_at, id', [
        awb,
      ]);
    const before = await rows(c.awb);
    const old = before.filter((r) => r.received_at.getTime() === start.getTime());
    expect(old.length).toBeGreaterThan(0);
    expect(old.length).toBeLessThan(before.length);
    const waiting = await rows(d.awb);
    expect(waiting.every((r) => r.processed_at === null && r.raw !== null)).toBe(true);
    const detail = async () => (await http.get(`/v1/shipments/${c.id}`).set(seller.auth).expect(200)).body;
    const events = async () =>
      (await http.get(`/v1/shipments/${c.id}/events`).set(seller.auth).expect(200)).body as unknown[];
    const [detailBefore, eventsBefore] = [await detail(), await events()];

    // Eleven days after the first ones (retention ten).
    t.clock.advance(5 * DAY_MS);
    const statements = jest.spyOn(t.app.get(TrackingEventsRepository), 'clearRawBefore');
    expect(await run('tracking-raw-cleanup')).toBe(old.length);
    expect(statements).toHaveBeenCalledTimes(Math.floor(old.length / 2) + 1);
    statements.mockRestore();
    const after = await rows(c.awb);
    const cleared = new Set(old.map((r) => r.id));
    for (const [i, row] of after.entries()) {
      const { raw, ...rest } = before[i];
      if (cleared.has(row.id)) expect(row).toEqual({ ...rest, raw: null });
      else expect(row).toEqual({ ...rest, raw });
    }
    expect(await rows(d.awb)).toEqual(waiting);
    // The API reads none of it: the shipment and its events answer as they did.
    expect(await events()).toEqual(eventsBefore);
    expect(await detail()).toEqual(detailBefore);
    expect(await run('tracking-raw-cleanup')).toBe(0);

    // Once applied, the waiting events lose theirs too on the next run.
    await t.app.get(TrackingService).applyPushed();
    expect(await run('tracking-raw-cleanup')).toBe(waiting.length);
    expect((await rows(d.awb)).every((r) => r.raw === null && r.processed_at !== null)).toBe(true);

    // A delivery's line keeps its raw however old (its proof of delivery); its parcel's other lines do not.
    const e = await book();
    for (const to of ['picked_up', 'delivered']) {
      await store(await moved(e.awb, to));
      await t.app.get(TrackingService).applyPushed();
    }
    t.clock.advance(11 * DAY_MS);
    await run('tracking-raw-cleanup');
    const lines = await rows(e.awb);
    expect(lines.filter((r) => r.status === 'delivered')).toHaveLength(1);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((r) => [r.status, r.raw === null])).toEqual(
      lines.map((r) => [r.status, r.status !== 'delivered']),
    );
  });

  it('finds old pushes and raw lines by index, not by reading the tables', async () => {
    // The statements as the jobs send them.
    const query = jest.spyOn(EntityManager.prototype, 'query');
    let calls: typeof query.mock.calls;
    try {
      await run('courier-pushes-cleanup');
      await run('tracking-raw-cleanup');
    } finally {
      calls = [...query.mock.calls];
      query.mockRestore();
    }
    const push = calls.find(([text]) => /DELETE FROM courier_pushes/.test(text))!;
    const raw = calls.find(([text]) => /SET raw = NULL/.test(text))!;
    const plans = await t.dataSource.transaction(async (m) => {
      await m.query('SET LOCAL enable_seqscan = off');
      const explain = async ([text, params]: (typeof calls)[number]) =>
        (await m.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${text}`, params))
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      return { push: await explain(push), raw: await explain(raw) };
    });
    expect(plans.push).toContain('idx_courier_pushes_received');
    expect(plans.push).toContain('idx_tracking_events_unprocessed');
    expect(plans.push).not.toMatch(/Seq Scan/);
    expect(plans.raw).toContain('idx_tracking_events_raw_kept');
    expect(plans.raw).not.toMatch(/Seq Scan on tracking_events/);
  });
});
