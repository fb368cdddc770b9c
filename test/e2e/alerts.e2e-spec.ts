import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { defaults } from 'config/defaults';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { Transactions } from 'src/database/transaction';
import { Shipment } from 'src/shipments/shipment.entity';
import { ShipmentsService } from 'src/shipments/shipments.service';
import { Alert } from 'src/tracking/alert.entity';
import { AlertsService, type AlertShipment } from 'src/tracking/alerts.service';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import { evaluateRisk, RULE_VERSIONS, type RiskFinding } from 'src/tracking/risk-rules';
import {
  addSellerUser,
  createAddress,
  createShipment,
  signupSeller,
  TestSeller,
} from '../support/factories/sellers';
import { bookPinned, PINNED } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';
import { withActionAnswersLost } from '../support/lost-answers';

const HOUR = 3600_000;

function finding(rule: RiskFinding['rule'], over: Partial<RiskFinding> = {}): RiskFinding {
  return {
    rule,
    version: RULE_VERSIONS[rule],
    severity: 'medium',
    reason: rule === 'failed_attempt' ? 'consignee_absent' : 'stale_no_scan',
    message: `${rule} happened.`,
    messageIndonesian: `${rule} terjadi.`,
    suggestedAction: 'contact',
    causeAt: null,
    ...over,
  };
}

interface AlertBody {
  id: string;
  shipmentId: string;
  rule: string;
  ruleVersion: number;
  severity: string;
  reason: string;
  message: string;
  suggestedAction: string;
  contact: { whatsappUrl: string | null };
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

describe('alerts: the store and the seller’s inbox', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let a: TestSeller;
  let b: TestSeller;
  let alerts: AlertsService;
  /** A fixed origin of `now`s for reconciles, far from the app clock so tests do not collide. */
  let base: number;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    a = await signupSeller(http, 'Seller A');
    b = await signupSeller(http, 'Seller B');
    alerts = t.app.get(AlertsService);
    base = t.clock.now().getTime();
  });
  afterAll(() => t.close());

  /** A shipment created over the API, as the tracker would hand it to reconcile (booked with J&T). */
  async function shipmentOf(seller: TestSeller, overrides: object = {}): Promise<Shipment & AlertShipment> {
    const { id } = await createShipment(http, seller, overrides);
    const s = await t.app.get(ShipmentsService).find(seller.sellerId, id);
    return { ...s, courier: 'jnt' };
  }

  const at = (hours: number) => new Date(base + hours * HOUR);
  const rows = (shipmentId: string) => t.dataSource.getRepository(Alert).findBy({ shipmentId });
  const inbox = async (seller: TestSeller, query = '') =>
    (await http.get(`/v1/alerts${query}`).set(seller.auth).expect(200)).body as {
      items: AlertBody[];
      nextCursor: string | null;
    };

  it('opens one alert per rule, once, with the buyer’s WhatsApp link, and shows it in the inbox', async () => {
    const s = await shipmentOf(a, { reference: 'INV-123' });
    const cause = randomUUID();
    const found = [finding('failed_attempt', { causeAt: at(-1), message: 'J&T Express could not deliver.' })];
    const first = await alerts.reconcile(s, found, at(0), cause);
    expect(first.opened).toHaveLength(1);
    expect([first.updated, first.resolved]).toEqual([[], []]);
    const again = await alerts.reconcile(s, found, at(1), randomUUID());
    expect(again).toEqual({ opened: [], updated: [], resolved: [] });

    const stored = await rows(s.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      sellerId: a.sellerId,
      rule: 'failed_attempt',
      ruleVersion: 1,
      severity: 'medium',
      severityRank: 2,
      causeEventId: cause,
      details: { causeAt: at(-1).toISOString() },
    });

    const item = (await inbox(a, `?shipmentId=${s.id}`)).items;
    expect(item).toEqual([
      {
        id: first.opened[0].id,
        shipmentId: s.id,
        shipmentReference: s.reference,
        rule: 'failed_attempt',
        ruleVersion: 1,
        severity: 'medium',
        reason: 'consignee_absent',
        message: 'J&T Express could not deliver.',
        messageIndonesian: 'failed_attempt terjadi.',
        suggestedAction: 'contact',
        contact: { whatsappUrl: expect.stringMatching(/^https:\/\/wa\.me\/6281298765432\?text=/) },
        openedAt: at(0).toISOString(),
        acknowledgedAt: null,
        resolvedAt: null,
        shipment: {
          status: 'ready',
          heldBy: null,
          returnAskedAt: null,
          returnUnconfirmed: null,
          reattemptAskedAt: null,
        },
      },
    ]);
    const text = new URL(item[0].contact.whatsappUrl!).searchParams.get('text');
    expect(text).toBe(
      'Halo Kak Budi Santoso, pesanan #INV-123 Anda (J&T Express) gagal diantar karena penerima tidak di tempat. ' +
        'Kapan Kakak bisa menerima paketnya agar kami minta kurir mengantar ulang? Terima kasih.',
    );
  });

  it('says by each alert where its shipment stands, as GET /v1/shipments/{id} does: the hold a re-attempt releases, when a return or the failed attempt’s re-attempt was asked', async () => {
    const c = await signupSeller(http, 'Seller Standing');
    const origin = (await createAddress(http, c)).id;
    const jne = PINNED.find((p) => p.code === 'jne')!;
    const booked = [];
    for (const reference of ['STAND-HELD', 'STAND-RETURN', 'STAND-NONE', 'STAND-REATTEMPT', 'STAND-UNSURE'])
      booked.push((await bookPinned(t, http, c, origin, [jne], { reference }))[0]);
    t.clock.advance(HOUR);
    const steps = (i: number) =>
      i !== 3
        ? [{ to: 'picked_up' }, { to: 'in_transit' }]
        : [
            { to: 'picked_up' },
            { to: 'in_transit' },
            { to: 'out_for_delivery' },
            { to: 'delivery_failed', reason: 'consignee_absent' },
          ];
    for (const [i, p] of booked.entries())
      for (const step of steps(i))
        await http.post(`/sandbox/parcels/${p.awb}/advance`).set(c.auth).send(step).expect(200);
    const statusOf = async (id: string) =>
      (await http.get(`/v1/shipments/${id}`).set(c.auth).expect(200)).body.status as string;
    const expected = ['in_transit', 'in_transit', 'in_transit', 'delivery_failed', 'in_transit'];
    for (let round = 0; round < 12; round += 1) {
      if ((await Promise.all(booked.map((p) => statusOf(p.id)))).every((x, i) => x === expected[i])) break;
      t.clock.advance(2 * HOUR);
      await t.app.get(TrackingPoller).pollDue();
    }
    const [held, returning, none, reattempted, unsure] = booked;
    const act = async (id: string, action: string) =>
      (await http.post(`/v1/shipments/${id}/actions`).set(c.auth).send({ action }).expect(202)).body as {
        id: string;
        createdAt: string;
      };
    const hold = await act(held.id, 'hold');
    const ret = await act(returning.id, 'return');
    const again = await act(reattempted.id, 'reattempt');
    // A return whose courier call timed out: it may or may not have been taken.
    await withActionAnswersLost(t.app.get(CourierRegistry).get('jne'), { reached: false }, () =>
      http.post(`/v1/shipments/${unsure.id}/actions`).set(c.auth).send({ action: 'return' }).expect(503),
    );
    const [unanswered] = (await http.get(`/v1/shipments/${unsure.id}`).set(c.auth).expect(200)).body.actions;
    for (const p of booked) {
      const s = await t.app.get(ShipmentsService).find(c.sellerId, p.id);
      await alerts.reconcile({ ...s, courier: 'jne' }, [finding('stale_no_scan')], at(300), randomUUID());
    }

    const standing = async (id: string) => {
      const [item] = (await inbox(c, `?shipmentId=${id}`)).items as (AlertBody & { shipment: object })[];
      const detail = (await http.get(`/v1/shipments/${id}`).set(c.auth).expect(200)).body;
      // The same as the shipment's own view says.
      expect(item.shipment).toEqual({
        status: detail.status,
        heldBy: detail.heldBy,
        returnAskedAt: detail.returnAskedAt,
        returnUnconfirmed: detail.returnUnconfirmed,
        reattemptAskedAt: detail.reattemptAskedAt,
      });
      return item;
    };
    expect((await standing(held.id)).shipment).toEqual({
      status: 'in_transit',
      heldBy: hold.id,
      returnAskedAt: null,
      returnUnconfirmed: null,
      reattemptAskedAt: null,
    });
    expect((await standing(returning.id)).shipment).toEqual({
      status: 'in_transit',
      heldBy: null,
      returnAskedAt: ret.createdAt,
      returnUnconfirmed: null,
      reattemptAskedAt: null,
    });
    expect((await standing(unsure.id)).shipment).toEqual({
      status: 'in_transit',
      heldBy: null,
      returnAskedAt: unanswered.createdAt,
      returnUnconfirmed: unanswered.id,
      reattemptAskedAt: null,
    });
    expect((await standing(reattempted.id)).shipment).toEqual({
      status: 'delivery_failed',
      heldBy: null,
      returnAskedAt: null,
      returnUnconfirmed: null,
      reattemptAskedAt: again.createdAt,
    });
    const plain = await standing(none.id);
    expect(plain.shipment).toEqual({
      status: 'in_transit',
      heldBy: null,
      returnAskedAt: null,
      returnUnconfirmed: null,
      reattemptAskedAt: null,
    });
    // The whole page carries each one's own, and so does an acknowledgement's answer.
    const page = (await inbox(c, '?rule=stale_no_scan&limit=100')).items as (AlertBody & {
      shipment: { heldBy: string | null };
    })[];
    expect(page.filter((i) => i.shipment.heldBy !== null).map((i) => i.shipmentId)).toEqual([held.id]);
    const acked = await http.post(`/v1/alerts/${plain.id}/acknowledge`).set(c.auth).expect(200);
    expect(acked.body.shipment).toEqual(plain.shipment);
  });

  it('updates an open alert in place; a severity rise clears the acknowledgement, a drop keeps it', async () => {
    const s = await shipmentOf(a);
    const cause = randomUUID();
    const { opened } = await alerts.reconcile(s, [finding('failed_attempt')], at(0), cause);
    const id = opened[0].id;
    await http.post(`/v1/alerts/${id}/acknowledge`).set(a.auth).expect(200);

    const drop = await alerts.reconcile(
      s,
      [finding('failed_attempt', { message: 'Attempt 2.', messageIndonesian: 'Percobaan ke-2.' })],
      at(1),
      null,
    );
    expect(drop.updated.map((u) => u.id)).toEqual([id]);
    let [row] = await rows(s.id);
    expect(row).toMatchObject({
      message: 'Attempt 2.',
      messageIndonesian: 'Percobaan ke-2.',
      openedAt: at(0),
      updatedAt: at(1),
      causeEventId: cause,
    });
    expect(row.acknowledgedAt).not.toBeNull();

    const newCause = randomUUID();
    const rise = await alerts.reconcile(
      s,
      [finding('failed_attempt', { severity: 'critical', reason: 'consignee_refused_did_not_order' })],
      at(2),
      newCause,
    );
    expect(rise.updated).toHaveLength(1);
    [row] = await rows(s.id);
    expect(row).toMatchObject({
      id,
      severity: 'critical',
      severityRank: 4,
      reason: 'consignee_refused_did_not_order',
      openedAt: at(0),
      updatedAt: at(2),
      acknowledgedAt: null,
      causeEventId: newCause,
    });
    // The buyer's message follows the new reason.
    expect(decodeURIComponent(row.whatsappUrl!)).toContain('penerima merasa tidak memesan');
  });

  it('a further failed attempt (a later cause) asks the seller again at the same severity; the same cause does not', async () => {
    const s = await shipmentOf(a);
    const first = new Date('2026-11-02T05:00:00Z');
    const { opened } = await alerts.reconcile(
      s,
      [finding('failed_attempt', { severity: 'high', causeAt: first, message: 'Attempt 1.' })],
      at(0),
      null,
    );
    const id = opened[0].id;
    await http.post(`/v1/alerts/${id}/acknowledge`).set(a.auth).expect(200);

    // Out for delivery again: the same failure, told differently, stays acknowledged.
    await alerts.reconcile(
      s,
      [finding('failed_attempt', { severity: 'high', causeAt: first, message: 'Attempt 1. Out again.' })],
      at(1),
      null,
    );
    expect((await rows(s.id))[0].acknowledgedAt).not.toBeNull();

    const second = new Date(first.getTime() + 86_400_000);
    const again = await alerts.reconcile(
      s,
      [finding('failed_attempt', { severity: 'high', causeAt: second, message: 'Attempt 2.' })],
      at(2),
      null,
    );
    expect(again.updated.map((u) => u.id)).toEqual([id]);
    const [row] = await rows(s.id);
    expect(row).toMatchObject({ id, severity: 'high', message: 'Attempt 2.', acknowledgedAt: null });
    expect(row.details).toMatchObject({ causeAt: second.toISOString() });
  });

  it('an acknowledgement committed while a reconcile was planning its update is kept; a later cause still clears it', async () => {
    const s = await shipmentOf(a);
    const first = new Date('2026-11-02T05:00:00Z');
    const failed = (message: string, causeAt = first) =>
      finding('failed_attempt', { severity: 'high', causeAt, message });
    const { opened } = await alerts.reconcile(s, [failed('Attempt 1.')], at(0), null);
    const id = opened[0].id;

    /** Reconciles `found` while the seller acknowledges the alert after the reconcile read it. */
    const acknowledgedMeanwhile = async (found: RiskFinding, now: Date) => {
      const seller = t.dataSource.createQueryRunner();
      await seller.connect();
      try {
        await seller.startTransaction();
        await seller.query('SELECT id FROM alerts WHERE id = $1 FOR UPDATE', [id]);
        const [{ pid: sellerPid }] = (await seller.query('SELECT pg_backend_pid() AS pid')) as {
          pid: number;
        }[];
        const reconciled = alerts.reconcile(s, [found], now, null);
        // The reconcile has read the alert (unacknowledged) and waits on its row to write it.
        for (let i = 0; ; i += 1) {
          // Asked on another connection: a transaction sees one snapshot of the activity view.
          const [{ n }] = await t.dataSource.query<{ n: number }[]>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_blocking_pids(pid) @> ARRAY[$1::int]',
            [sellerPid],
          );
          if (n === 1) break;
          if (i > 500) throw new Error('the reconcile never reached its update');
          await new Promise((r) => setTimeout(r, 10));
        }
        await seller.query('UPDATE alerts SET acknowledged_at = $2 WHERE id = $1', [id, at(5)]);
        await seller.commitTransaction();
        return await reconciled;
      } finally {
        await seller.release();
      }
    };

    const same = await acknowledgedMeanwhile(failed('Attempt 1. Out again.'), at(1));
    expect(same.updated[0]).toMatchObject({ id, message: 'Attempt 1. Out again.', acknowledgedAt: at(5) });
    expect((await rows(s.id))[0]).toMatchObject({ message: 'Attempt 1. Out again.', acknowledgedAt: at(5) });

    // A second failed attempt is a new thing to act on: the acknowledgement of the first one is cleared.
    const later = await acknowledgedMeanwhile(
      failed('Attempt 2.', new Date(first.getTime() + 24 * HOUR)),
      at(2),
    );
    expect(later.updated[0]).toMatchObject({ id, message: 'Attempt 2.', acknowledgedAt: null });
    expect((await rows(s.id))[0]).toMatchObject({ message: 'Attempt 2.', acknowledgedAt: null });
  });

  it('resolves alerts whose rule is no longer found, and opens a fresh one if the problem comes back', async () => {
    const s = await shipmentOf(a);
    const { opened } = await alerts.reconcile(
      s,
      [finding('failed_attempt'), finding('stale_no_scan')],
      at(0),
      null,
    );
    const delivered = randomUUID();
    const r = await alerts.reconcile(s, [finding('failed_attempt')], at(3), delivered);
    expect(r.resolved.map((x) => x.rule)).toEqual(['stale_no_scan']);
    const stale = (await rows(s.id)).find((x) => x.rule === 'stale_no_scan')!;
    expect(stale).toMatchObject({
      resolvedAt: at(3),
      details: { causeAt: null, resolvedByEventId: delivered },
    });

    const back = await alerts.reconcile(
      s,
      [finding('failed_attempt'), finding('stale_no_scan')],
      at(5),
      null,
    );
    expect(back.opened.map((x) => x.rule)).toEqual(['stale_no_scan']);
    expect(back.opened[0].id).not.toBe(opened.find((x) => x.rule === 'stale_no_scan')!.id);
    expect(
      (await rows(s.id))
        .filter((x) => x.resolvedAt === null)
        .map((x) => x.rule)
        .sort(),
    ).toEqual(['failed_attempt', 'stale_no_scan']);
    expect(await alerts.openFor(s.id)).toHaveLength(2);
  });

  it('closes everything once the rules say the shipment is delivered', async () => {
    const s = await shipmentOf(a);
    await alerts.reconcile(s, [finding('failed_attempt'), finding('late_vs_lane')], at(0), null);
    const delivered = evaluateRisk({
      now: at(10),
      shipment: { ...s, status: 'delivered', bookedAt: null, pickedUpAt: null, pickupDueAt: null },
      events: [],
      lane: { p90TransitDays: 1, promisedMaxDays: 1 },
      recipient: null,
      config: defaults.risk,
    });
    const r = await alerts.reconcile(s, delivered, at(10), null);
    expect(r.resolved).toHaveLength(2);
    expect(await alerts.openFor(s.id)).toEqual([]);
  });

  it('gives an alert kept before Indonesian was its Indonesian wording quietly: no update, no seller told again', async () => {
    const s = await shipmentOf(a);
    const found = [finding('failed_attempt', { causeAt: at(-1) })];
    const { opened } = await alerts.reconcile(s, found, at(0), null);
    await t.dataSource.query('UPDATE alerts SET message_indonesian = NULL WHERE id = $1', [opened[0].id]);
    const again = await alerts.reconcile(s, found, at(5), null);
    expect(again).toEqual({ opened: [], updated: [], resolved: [] });
    expect((await rows(s.id))[0]).toMatchObject({
      messageIndonesian: 'failed_attempt terjadi.',
      updatedAt: at(0),
    });
  });

  it('acknowledges as before after a column is added to alerts (a migration while the service runs)', async () => {
    const s = await shipmentOf(a);
    const { opened } = await alerts.reconcile(s, [finding('failed_attempt')], at(0), null);
    const acknowledge = () => http.post(`/v1/alerts/${opened[0].id}/acknowledge`).set(a.auth).expect(200);
    // Prepared on the pool's connections first, then the table changes under them.
    for (let i = 0; i < 5; i += 1) await acknowledge();
    await t.dataSource.query('ALTER TABLE alerts ADD COLUMN added_meanwhile text');
    try {
      for (let i = 0; i < 5; i += 1) expect((await acknowledge()).body.id).toBe(opened[0].id);
    } finally {
      await t.dataSource.query('ALTER TABLE alerts DROP COLUMN added_meanwhile');
    }
  });

  it('runs inside the caller’s transaction: rolled back with it', async () => {
    const s = await shipmentOf(a);
    await expect(
      t.app.get(Transactions).run(async () => {
        await alerts.reconcile(s, [finding('failed_attempt')], at(0), null);
        expect(await alerts.openFor(s.id)).toHaveLength(1); // seen inside
        throw new Error('the tracker failed later in the same transaction');
      }),
    ).rejects.toThrow('the tracker failed');
    expect(await rows(s.id)).toEqual([]);
  });

  /**
   * Runs `work` in `n` transactions that are all open at once before any of them starts it (as the
   * tracker's concurrent webhook and poll transactions would be), so the reconciles truly overlap.
   */
  async function overlapping<T>(n: number, work: (i: number) => Promise<T>): Promise<T[]> {
    const tx = t.app.get(Transactions);
    let open = 0;
    let allOpen!: () => void;
    const barrier = new Promise<void>((resolve) => (allOpen = resolve));
    return Promise.all(
      Array.from({ length: n }, (_, i) =>
        tx.run(async (manager) => {
          await manager.query('SELECT 1'); // this transaction holds its connection now
          if (++open === n) allOpen();
          await barrier;
          return work(i);
        }),
      ),
    );
  }

  it('ten concurrent reconciles of one shipment open one alert per rule', async () => {
    const s = await shipmentOf(a);
    const found = [finding('failed_attempt'), finding('stale_no_scan', { severity: 'high' })];
    const results = await overlapping(10, (i) => alerts.reconcile(s, found, at(i / 10), randomUUID()));
    expect(
      results
        .flatMap((r) => r.opened)
        .map((x) => x.rule)
        .sort(),
    ).toEqual(['failed_attempt', 'stale_no_scan']);
    const open = (await rows(s.id)).filter((x) => x.resolvedAt === null);
    expect(open.map((x) => x.rule).sort()).toEqual(['failed_attempt', 'stale_no_scan']);

    // Concurrent reconciles that disagree end in one consistent state, never two open alerts of a rule.
    const mixed = await overlapping(10, (i) =>
      alerts.reconcile(
        s,
        i % 2 ? found : [finding('failed_attempt', { severity: 'high' }), finding('late_vs_lane')],
        at(1 + i),
        null,
      ),
    );
    const after = (await rows(s.id)).filter((x) => x.resolvedAt === null).map((x) => x.rule);
    expect(new Set(after).size).toBe(after.length);
    expect(mixed.flatMap((r) => r.opened).length).toBeGreaterThan(0);
  });

  it('reconciles a batch of shipments at once (the tracker’s batches) as it would each alone', async () => {
    const [x, y, z] = [await shipmentOf(a), await shipmentOf(a), await shipmentOf(a)];
    await alerts.reconcile(y, [finding('failed_attempt'), finding('stale_no_scan')], at(0), null);
    await alerts.reconcile(z, [finding('late_vs_lane')], at(0), null);
    const [causeY, causeZ] = [randomUUID(), randomUUID()];
    // Two concurrent batches over the same shipments in opposite orders: serialized, never deadlocked.
    const [first, second] = await overlapping(2, (i) =>
      alerts.reconcileMany(
        (i === 0 ? [x, y, z] : [z, y, x]).map((s) => ({
          shipment: s,
          findings:
            s === x
              ? [finding('stale_no_scan')]
              : s === y
                ? [finding('failed_attempt', { severity: 'critical' })]
                : [],
          causeEventId: s === y ? causeY : s === z ? causeZ : null,
        })),
        at(1),
      ),
    );
    const [rx, ry, rz] = first;
    const done = [...first, ...second];
    expect(done.flatMap((r) => r.opened).map((o) => o.shipmentId)).toEqual([x.id]);
    expect(rx.opened.map((o) => o.rule).concat(second[2].opened.map((o) => o.rule))).toEqual([
      'stale_no_scan',
    ]);
    expect(ry.updated.length + second[1].updated.length).toBe(1);
    expect([...ry.resolved, ...second[1].resolved].map((r) => r.rule)).toEqual(['stale_no_scan']);
    expect([...rz.resolved, ...second[0].resolved].map((r) => r.rule)).toEqual(['late_vs_lane']);
    const open = async (s: { id: string }) =>
      (await rows(s.id)).filter((r) => r.resolvedAt === null).map((r) => [r.rule, r.severity]);
    expect(await open(x)).toEqual([['stale_no_scan', 'medium']]);
    expect(await open(y)).toEqual([['failed_attempt', 'critical']]);
    expect(await open(z)).toEqual([]);
    // Each resolution names its own shipment's cause.
    expect((await rows(y.id)).find((r) => r.rule === 'stale_no_scan')!.details).toMatchObject({
      resolvedByEventId: causeY,
    });
    expect((await rows(z.id)).find((r) => r.rule === 'late_vs_lane')!.details).toMatchObject({
      resolvedByEventId: causeZ,
    });
  });

  describe('the inbox', () => {
    let seller: TestSeller;
    /** [severity, opened at hour] of each alert, one shipment each, plus one resolved. */
    const plan: [RiskFinding['severity'], number][] = [
      ['medium', 1],
      ['critical', 2],
      ['high', 3],
      ['critical', 4],
      ['low', 5],
      ['high', 5],
    ];
    let ids: string[] = [];
    let shipments: string[] = [];
    let resolved: string[] = [];

    beforeAll(async () => {
      seller = await signupSeller(http, 'Inbox');
      ids = [];
      shipments = [];
      for (const [severity, hour] of plan) {
        const s = await shipmentOf(seller);
        const rule = severity === 'low' ? 'late_vs_lane' : 'failed_attempt';
        const r = await alerts.reconcile(s, [finding(rule, { severity })], at(100 + hour), null);
        ids.push(r.opened[0].id);
        shipments.push(s.id);
      }
      resolved = [];
      for (const hour of [7, 9, 8]) {
        const s = await shipmentOf(seller);
        const r = await alerts.reconcile(s, [finding('stale_no_scan')], at(100), null);
        await alerts.reconcile(s, [], at(100 + hour), null);
        resolved.push(r.opened[0].id);
      }
    });

    it('lists open alerts most severe first, newest first within a severity', async () => {
      const page = await inbox(seller);
      expect(page.items.map((i) => [i.severity, i.openedAt])).toEqual([
        ['critical', at(104).toISOString()],
        ['critical', at(102).toISOString()],
        ['high', at(105).toISOString()],
        ['high', at(103).toISOString()],
        ['medium', at(101).toISOString()],
        ['low', at(105).toISOString()],
      ]);
      expect(page.nextCursor).toBeNull();
      expect(page.items.every((i) => i.resolvedAt === null)).toBe(true);
      expect((await inbox(seller, '?state=open')).items).toEqual(page.items);
    });

    it('pages through in the same order with stable cursors, none twice', async () => {
      const all = (await inbox(seller)).items.map((i) => i.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await inbox(seller, `?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(4);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
      const two = await inbox(seller, '?limit=2');
      // A cursor of the open listing means nothing to the resolved one.
      const res = await http
        .get(`/v1/alerts?state=resolved&cursor=${two.nextCursor}`)
        .set(seller.auth)
        .expect(400);
      expect(res.body.details).toEqual([{ field: 'cursor', message: 'is not a valid cursor' }]);
    });

    it('lists resolved alerts most recently resolved first, and pages them', async () => {
      const page = await inbox(seller, '?state=resolved');
      expect(page.items.map((i) => i.resolvedAt)).toEqual([
        at(109).toISOString(),
        at(108).toISOString(),
        at(107).toISOString(),
      ]);
      expect(page.items.map((i) => i.id).sort()).toEqual([...resolved].sort());
      const first = await inbox(seller, '?state=resolved&limit=2');
      const second = await inbox(seller, `?state=resolved&limit=2&cursor=${first.nextCursor}`);
      expect([...first.items, ...second.items].map((i) => i.id)).toEqual(page.items.map((i) => i.id));
      expect(second.nextCursor).toBeNull();
    });

    it('answers forged cursors with extreme but well-formed values, never a 5xx', async () => {
      const id = randomUUID();
      const forged = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
      // The largest rank and latest time sort before everything: the whole inbox follows such a cursor.
      const everything = await inbox(
        seller,
        `?cursor=${forged(['alerts:open', Number.MAX_SAFE_INTEGER, '9999-12-31T23:59:59.999Z', id])}`,
      );
      expect(everything.items).toHaveLength(6);
      const lowest = forged(['alerts:open', -Number.MAX_SAFE_INTEGER, '1000-01-01T00:00:00.000Z', id]);
      expect((await inbox(seller, `?cursor=${lowest}`)).items).toEqual([]);
      const none = await inbox(
        seller,
        `?state=resolved&cursor=${forged(['alerts:resolved', '1000-01-01T00:00:00.000Z', id])}`,
      );
      expect(none.items).toEqual([]);
      await http
        .get(`/v1/alerts?cursor=${forged(['alerts:open', 1, '0000-01-01T00:00:00.000Z', id])}`)
        .set(seller.auth)
        .expect(400);
    });

    it('filters by rule, severity and shipment', async () => {
      expect((await inbox(seller, '?rule=late_vs_lane')).items.map((i) => i.id)).toEqual([ids[4]]);
      expect((await inbox(seller, '?severity=critical')).items.map((i) => i.id)).toEqual([ids[3], ids[1]]);
      expect((await inbox(seller, `?shipmentId=${shipments[2]}`)).items.map((i) => i.id)).toEqual([ids[2]]);
      expect((await inbox(seller, '?rule=stale_no_scan')).items).toEqual([]);
      expect((await inbox(seller, '?state=resolved&rule=stale_no_scan')).items).toHaveLength(3);
      expect(
        (await inbox(seller, `?severity=high&rule=failed_attempt&shipmentId=${shipments[5]}`)).items.map(
          (i) => i.id,
        ),
      ).toEqual([ids[5]]);
    });

    it('reads state, rule and severity in any letter case, as the shipment list reads its filters', async () => {
      expect((await inbox(seller, '?rule=Late_Vs_Lane')).items.map((i) => i.id)).toEqual([ids[4]]);
      expect((await inbox(seller, '?severity=CRITICAL')).items.map((i) => i.id)).toEqual([ids[3], ids[1]]);
      expect((await inbox(seller, '?state=%20Resolved%20&rule=STALE_NO_SCAN')).items).toHaveLength(3);
    });

    it.each([
      ['state', 'closed'],
      ['severity', 'urgent'],
      ['rule', 'vibes'],
      ['shipmentId', 'not-a-uuid'],
      ['acknowledged', 'yes'],
      ['limit', '0'],
      ['cursor', 'garbage'],
    ])('a bad %s is a 400 naming it', async (field, value) => {
      const res = await http.get(`/v1/alerts?${field}=${value}`).set(seller.auth).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
    });

    it('another seller sees none of them, not even by filtering on the shipment', async () => {
      const theirs = await inbox(b, '?limit=500');
      expect(theirs.items.map((i) => i.id)).not.toEqual(expect.arrayContaining([ids[0]]));
      expect((await inbox(b, `?shipmentId=${shipments[0]}`)).items).toEqual([]);
      expect(await alerts.listForShipment(b.sellerId, shipments[0], 'THEIRS')).toEqual([]);
    });

    it('the shipment view lists a shipment’s alerts, open ones first', async () => {
      const s = await shipmentOf(seller);
      await alerts.reconcile(s, [finding('stale_no_scan'), finding('late_vs_lane')], at(200), null);
      await alerts.reconcile(s, [finding('late_vs_lane', { severity: 'low' })], at(201), null);
      const listed = await alerts.listForShipment(seller.sellerId, s.id, s.reference);
      expect(listed.map((x) => [x.rule, x.resolvedAt === null])).toEqual([
        ['late_vs_lane', true],
        ['stale_no_scan', false],
      ]);
    });
  });

  describe('acknowledging', () => {
    it('records the first time, idempotently; staff may do it too', async () => {
      const s = await shipmentOf(a);
      const { opened } = await alerts.reconcile(s, [finding('failed_attempt')], at(0), null);
      const id = opened[0].id;
      const first = t.clock.advance(60_000);
      const staff = await addSellerUser(http, a, 'seller_staff');
      const res = await http.post(`/v1/alerts/${id}/acknowledge`).set(staff.auth).expect(200);
      expect(res.body).toMatchObject({ id, acknowledgedAt: first.toISOString(), resolvedAt: null });
      t.clock.advance(60_000);
      const again = await http.post(`/v1/alerts/${id}/acknowledge`).set(a.auth).expect(200);
      expect(again.body.acknowledgedAt).toBe(first.toISOString());
      expect(again.body).toEqual(res.body);
    });

    it('a resolved alert never acknowledged is 409 ALERTS_ALREADY_RESOLVED, nothing written; one acknowledged before it resolved answers as it is', async () => {
      const s = await shipmentOf(a);
      const { opened } = await alerts.reconcile(
        s,
        [finding('failed_attempt'), finding('stale_no_scan')],
        at(0),
        null,
      );
      const [unseen, seen] = ['failed_attempt', 'stale_no_scan'].map(
        (rule) => opened.find((o) => o.rule === rule)!.id,
      );
      const seenAt = t.clock.advance(60_000);
      await http.post(`/v1/alerts/${seen}/acknowledge`).set(a.auth).expect(200);
      const { resolved } = await alerts.reconcile(s, [], at(1), null);
      expect(resolved).toHaveLength(2);
      t.clock.advance(60_000);

      const late = await http.post(`/v1/alerts/${unseen}/acknowledge`).set(a.auth).expect(409);
      expect(late.body).toMatchObject({
        code: 'ALERTS_ALREADY_RESOLVED',
        message: `This alert was resolved at ${at(1).toISOString()}: there is nothing left to acknowledge`,
      });
      const again = await http.post(`/v1/alerts/${seen}/acknowledge`).set(a.auth).expect(200);
      expect(again.body).toMatchObject({
        id: seen,
        acknowledgedAt: seenAt.toISOString(),
        resolvedAt: at(1).toISOString(),
      });
      const byId = new Map((await rows(s.id)).map((r) => [r.id, r]));
      expect(byId.get(unseen)).toMatchObject({ acknowledgedAt: null, updatedAt: at(1) });
      expect(byId.get(seen)).toMatchObject({ acknowledgedAt: seenAt, updatedAt: at(1) });
      // What still asks for the seller among resolved alerts is unchanged by the refused acknowledgement.
      expect((await inbox(a, `?state=resolved&acknowledged=false&shipmentId=${s.id}`)).items).toEqual([
        expect.objectContaining({ id: unseen, acknowledgedAt: null }),
      ]);
    });

    it('the inbox filters by acknowledgement: what still asks for the seller, and what was seen', async () => {
      const seller = await signupSeller(http, 'Toko Kotak Masuk');
      const opened = [];
      for (let i = 0; i < 3; i += 1) {
        const s = await shipmentOf(seller);
        opened.push((await alerts.reconcile(s, [finding('failed_attempt')], at(i), null)).opened[0].id);
      }
      await http.post(`/v1/alerts/${opened[1]}/acknowledge`).set(seller.auth).expect(200);
      const ids = async (query: string) => (await inbox(seller, query)).items.map((i) => i.id).sort();
      expect(await ids('?acknowledged=false')).toEqual([opened[0], opened[2]].sort());
      expect(await ids('?acknowledged=true')).toEqual([opened[1]]);
      expect(await ids('')).toEqual([...opened].sort());
    });

    it('another seller’s alert, an unknown id or a body: refused, and nothing changes', async () => {
      const s = await shipmentOf(a);
      const { opened } = await alerts.reconcile(s, [finding('failed_attempt')], at(0), null);
      const id = opened[0].id;
      const theirs = await http.post(`/v1/alerts/${id}/acknowledge`).set(b.auth).expect(404);
      expect(theirs.body.code).toBe('ALERTS_NOT_FOUND');
      await http.post(`/v1/alerts/${randomUUID()}/acknowledge`).set(a.auth).expect(404);
      await http.post('/v1/alerts/not-an-id/acknowledge').set(a.auth).expect(404);
      await http.post(`/v1/alerts/${id}/acknowledge`).set(a.auth).send({ note: 'x' }).expect(400);
      expect((await rows(s.id))[0].acknowledgedAt).toBeNull();
    });
  });
});
