import supertest from 'supertest';
import { AppConfig } from 'config';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { Accounts } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import { TrackingService } from 'src/tracking/tracking.service';
import { formatWib } from 'src/common/wib';
import { creditPending, endPinned } from '../support/factories/money';
import { createOperator } from '../support/factories/operators';
import { createAddress, signupSeller, TestSeller } from '../support/factories/sellers';
import { bookPinned, pickedUpWithPush, PINNED, pushesApplied } from '../support/factories/tracked';
import { startTestApp, TestApp, unthrottledTracking } from '../support/test-app';
import { raceWithTracker, lockAccount } from '../support/lock-race';

describe('COD credit: a delivered COD parcel credits the seller once, held, then released', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let other: TestSeller;
  let origin: string;
  let admin: { auth: { authorization: string } };

  beforeAll(async () => {
    t = await startTestApp({}, undefined, { configure: (c) => (c.business.money.codHoldDays = 2) });
    http = t.http();
    seller = await signupSeller(http);
    other = await signupSeller(http, 'Toko Lain');
    origin = (await createAddress(http, seller)).id;
    admin = await createOperator(t, http, 'admin');
  });
  afterAll(() => t.close());

  const codCredits = async (shipmentId: string) =>
    (
      await t.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM ledger_transactions WHERE key = $1',
        [`cod-credit:${shipmentId}`],
      )
    )[0].n;
  const entries = async (s: TestSeller) =>
    (await http.get('/v1/ledger/entries').set(s.auth).expect(200)).body as {
      items: { type: string; account: string; amount: number; balanceAfter: number; reference: string }[];
    };

  it('credits pending once however often the delivered event arrives, polled and pushed (×5 each)', async () => {
    const pinned = PINNED.find((p) => p.code === 'jne')!;
    const [d] = await endPinned(t, http, seller, origin, [pinned], { overrides: { codAmount: 275_000 } });
    expect(await codCredits(d.id)).toBe(1);

    const push = (await t.app.get(CourierSandboxes).get('jne')!.webhookFor(d.awb))!;
    for (let i = 0; i < 5; i += 1) {
      await http.post('/v1/webhooks/couriers/jne').set(push.headers).send(push.body).expect(200);
      await t.app.get(TrackingService).applyPushed();
      await pushesApplied(t);
      // And polled again: the courier still says delivered.
      await t.dataSource.query('UPDATE shipment_polls SET next_poll_at = $2 WHERE shipment_id = $1', [
        d.id,
        t.clock.now(),
      ]);
      await t.app.get(TrackingPoller).pollDue();
    }
    expect(await codCredits(d.id)).toBe(1);

    const mine = await entries(seller);
    const credit = mine.items.filter((e) => e.type === 'cod_credit');
    expect(credit).toEqual([
      expect.objectContaining({
        account: 'pending',
        amount: 275_000,
        balanceAfter: 275_000,
        reference: d.awb,
      }),
    ]);
    const receivable = (
      await t.app
        .get(LedgerService)
        .balances([
          { code: 'platform:courier_cod_receivable:jne', kind: 'courier_cod_receivable', sellerId: null },
        ])
    ).get('platform:courier_cod_receivable:jne');
    expect(receivable).toBe(275_000);
    // Another seller sees none of it.
    expect((await entries(other)).items).toEqual([]);
    expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  });

  it('releases the cash to available after the hold (days after delivery), once, by the ledger-holds job', async () => {
    const before = await t.app.get(LedgerService).sellerBalances(seller.sellerId);
    const pinned = PINNED.find((p) => p.code === 'jnt')!;
    const [d] = await endPinned(t, http, seller, origin, [pinned], { overrides: { codAmount: 90_000 } });
    const held = await t.app.get(LedgerService).sellerBalances(seller.sellerId);
    expect(held.pending - before.pending).toBe(90_000);
    expect(held.available).toBe(before.available);

    const run = async () =>
      (await http.post('/sandbox/jobs/ledger-holds/run').set(admin.auth).send({}).expect(200)).body;
    await run();
    expect((await t.app.get(LedgerService).sellerBalances(seller.sellerId)).available).toBe(before.available);

    t.clock.advance(3 * 86_400_000);
    await run();
    await run();
    const after = await t.app.get(LedgerService).sellerBalances(seller.sellerId);
    expect(after.available - before.available).toBe(90_000 + before.pending);
    expect(after.pending).toBe(0);
    const releases = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ledger_transactions WHERE type = 'hold_released' AND seller_id = $1`,
      [seller.sellerId],
    );
    expect(releases[0].n).toBe(2);
    expect(d.status).toBe('delivered');
    // The seller's entry names the parcel whose cash it releases, as its credit did.
    const released = (await entries(seller)).items.filter(
      (e) => e.type === 'hold_released' && e.account === 'available',
    );
    expect(released.map((e) => e.reference)).toContain(d.awb);
  });

  it('credits nothing for a parcel that comes back, nor for a prepaid one', async () => {
    const before = await t.app.get(LedgerService).sellerBalances(seller.sellerId);
    const [returned] = await endPinned(t, http, seller, origin, [PINNED.find((p) => p.code === 'sap')!], {
      to: 'returned',
    });
    const [prepaid] = await endPinned(t, http, seller, origin, [PINNED.find((p) => p.code === 'ninja')!], {
      overrides: { codAmount: 0 },
    });
    expect(await codCredits(returned.id)).toBe(0);
    expect(await codCredits(prepaid.id)).toBe(0);
    expect(await t.app.get(LedgerService).sellerBalances(seller.sellerId)).toEqual(before);
  });

  it('takes no event dated over a day before the booking as the parcel’s, and does not list it', async () => {
    const { booked: b, push: real } = await pickedUpWithPush(t, http, seller, origin, 'jne');
    const body = JSON.parse(real.body) as {
      history: { date: string; status_code: string; status_desc: string }[];
    };
    const longBefore = formatWib(new Date(t.clock.now().getTime() - 40 * 3600_000));
    body.history.unshift({
      date: longBefore,
      status_code: 'D01',
      status_desc: 'DELIVERED TO [BUDI | 01-01-2026 10:00 | JAKARTA]',
    });
    await http.post('/v1/webhooks/couriers/jne').set(real.headers).send(JSON.stringify(body)).expect(200);
    await t.app.get(TrackingService).applyPushed();
    await pushesApplied(t);
    const detail = (await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body as {
      status: string;
      events: { rawCode: string }[];
    };
    expect(detail.status).toBe('picked_up');
    expect(detail.events.map((e) => e.rawCode)).not.toContain('D01');
    const listed = (await http.get(`/v1/shipments/${b.id}/events`).set(seller.auth).expect(200)).body
      .items as { rawCode: string }[];
    expect(listed.map((e) => e.rawCode)).not.toContain('D01');
    expect(listed.length).toBeGreaterThan(0);
    expect(await codCredits(b.id)).toBe(0);
  });

  it('credits a parcel the courier reported missing and then delivered after all, once', async () => {
    const { booked: b, push: real } = await pickedUpWithPush(t, http, seller, origin, 'jne');
    await http.post('/v1/webhooks/couriers/jne').set(real.headers).send(real.body).expect(200);
    const body = JSON.parse(real.body) as {
      history: { date: string; status_code: string; status_desc: string }[];
    };
    t.clock.advance(6 * 3600_000);
    const hoursAgo = (h: number) => formatWib(new Date(t.clock.now().getTime() - h * 3600_000));
    const push = async (history: typeof body.history) => {
      await http
        .post('/v1/webhooks/couriers/jne')
        .set(real.headers)
        .send(JSON.stringify({ ...body, history }))
        .expect(200);
      await t.app.get(TrackingService).applyPushed();
      await pushesApplied(t);
      return (await http.get(`/v1/shipments/${b.id}`).set(seller.auth).expect(200)).body as {
        status: string;
        codCollected: boolean;
      };
    };
    const missing = { date: hoursAgo(5), status_code: 'U14', status_desc: 'MISSING [JAKARTA]' };
    expect((await push([...body.history, missing])).status).toBe('lost');
    expect(await codCredits(b.id)).toBe(0);

    // Found: the courier delivers it and takes the buyer's cash, which must reach the seller.
    const found = [
      missing,
      { date: hoursAgo(3), status_code: 'IP3', status_desc: 'WITH DELIVERY COURIER [JAKARTA]' },
      {
        date: hoursAgo(1),
        status_code: 'D01',
        status_desc: 'DELIVERED TO [BUDI | 01-01-2026 10:00 | JAKARTA]',
      },
    ];
    for (let i = 0; i < 3; i += 1) {
      const after = await push([...body.history, ...found]);
      expect(after).toMatchObject({ status: 'delivered', codCollected: true });
    }
    expect(await codCredits(b.id)).toBe(1);
    const moves = await t.dataSource.query<{ from_status: string; to_status: string }[]>(
      'SELECT from_status, to_status FROM shipment_transitions WHERE shipment_id = $1',
      [b.id],
    );
    expect(
      moves
        .filter((m) => m.from_status === 'lost' || m.to_status === 'lost')
        .sort((x, y) => (x.to_status < y.to_status ? -1 : 1)),
    ).toEqual([
      { from_status: 'lost', to_status: 'delivered' },
      { from_status: 'picked_up', to_status: 'lost' },
    ]);
  });

  it('credits nothing for an airway bill pushed before it was issued: a foretold "delivered" is not the parcel that later gets it', async () => {
    const jne = PINNED.find((p) => p.code === 'jne')!;
    // A delivered parcel's push, as the courier signs it; then the same, for the next airway bill.
    const [first] = await endPinned(t, http, seller, origin, [jne]);
    const real = (await t.app.get(CourierSandboxes).get('jne')!.webhookFor(first.awb))!;
    const next = `88${String(Number(first.awb.slice(2)) + 1).padStart(14, '0')}`;
    const foretold = JSON.stringify({ ...JSON.parse(real.body), awb: next });
    expect(
      (await http.post('/v1/webhooks/couriers/jne').set(real.headers).send(foretold).expect(200)).body,
    ).toEqual({ status: true, events: expect.any(Number), fresh: expect.any(Number) });
    await t.app.get(TrackingService).applyPushed();
    await pushesApplied(t);

    t.clock.advance(3600_000);
    const [later] = await bookPinned(t, http, seller, origin, [jne], { codAmount: 999_000 });
    expect(later.awb).toBe(next);
    for (let round = 0; round < 3; round += 1) {
      t.clock.advance(2 * 3600_000);
      await t.app.get(TrackingPoller).pollDue();
      await t.app.get(TrackingService).applyPushed();
      await pushesApplied(t);
    }
    const shipment = (await http.get(`/v1/shipments/${later.id}`).set(seller.auth).expect(200)).body as {
      status: string;
      codCollected: boolean;
    };
    expect(shipment.status).not.toBe('delivered');
    expect(await codCredits(later.id)).toBe(0);

    // Its own journey still moves it: delivered for real, credited once.
    await http
      .post(`/sandbox/parcels/${later.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'delivered' })
      .expect(200);
    for (let round = 0; round < 4 && (await codCredits(later.id)) === 0; round += 1) {
      t.clock.advance(2 * 3600_000);
      await t.app.get(TrackingPoller).pollDue();
    }
    expect((await http.get(`/v1/shipments/${later.id}`).set(seller.auth).expect(200)).body.status).toBe(
      'delivered',
    );
    expect(await codCredits(later.id)).toBe(1);
  });

  it('still asks about a lost parcel once a day: one delivered after all is credited with no push; after lostFollowDays it is asked about no more', async () => {
    const lostByPush = async () => {
      const { booked, push: real } = await pickedUpWithPush(t, http, seller, origin, 'jne');
      const body = JSON.parse(real.body) as { history: object[] };
      t.clock.advance(2 * 3600_000);
      const missing = {
        date: formatWib(new Date(t.clock.now().getTime() - 3600_000)),
        status_code: 'U14',
        status_desc: 'MISSING [JAKARTA]',
      };
      await http
        .post('/v1/webhooks/couriers/jne')
        .set(real.headers)
        .send(JSON.stringify({ ...body, history: [...body.history, missing] }))
        .expect(200);
      await t.app.get(TrackingService).applyPushed();
      await pushesApplied(t);
      return booked;
    };
    const view = async (id: string) =>
      (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body as {
        status: string;
        codCollected: boolean;
      };
    const nextPoll = async (id: string) =>
      (
        await t.dataSource.query<{ at: Date }[]>(
          'SELECT next_poll_at AS at FROM shipment_polls WHERE shipment_id = $1',
          [id],
        )
      )[0]?.at ?? null;
    const hours = (h: number) => t.clock.now().getTime() + h * 3600_000;

    const found = await lostByPush();
    const gone = await lostByPush();
    for (const s of [found, gone]) expect((await view(s.id)).status).toBe('lost');

    // Asked now: the courier's history moves nothing, and it is asked again about a day later (± jitter).
    await t.dataSource.query('UPDATE shipment_polls SET next_poll_at = $1 WHERE shipment_id = ANY($2)', [
      t.clock.now(),
      [found.id, gone.id],
    ]);
    await t.app.get(TrackingPoller).pollDue();
    for (const s of [found, gone]) {
      expect((await view(s.id)).status).toBe('lost');
      const at = (await nextPoll(s.id)).getTime();
      expect(at).toBeGreaterThan(hours(20));
      expect(at).toBeLessThan(hours(28));
    }

    // The courier delivers one after all and tells nobody: the next daily poll finds it, and credits it once.
    await http
      .post(`/sandbox/parcels/${found.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'delivered' })
      .expect(200);
    t.clock.advance(28 * 3600_000);
    await t.app.get(TrackingPoller).pollDue();
    expect(await view(found.id)).toMatchObject({ status: 'delivered', codCollected: true });
    expect(await codCredits(found.id)).toBe(1);
    expect(await nextPoll(found.id)).toBeNull();
    expect(await view(gone.id)).toMatchObject({ status: 'lost', codCollected: false });
    expect(await nextPoll(gone.id)).not.toBeNull();

    // The other is asked about no more once it has been lost for lostFollowDays.
    t.clock.advance(t.app.get(AppConfig).business.tracking.lostFollowDays * 86_400_000);
    await t.app.get(TrackingPoller).pollDue();
    expect(await nextPoll(gone.id)).toBeNull();
    expect((await view(gone.id)).status).toBe('lost');
    expect(await codCredits(gone.id)).toBe(0);
  });
});

describe('COD credit: recordings of every courier at once credit the same sellers without a deadlock', () => {
  let t: TestApp;
  let http: supertest.Agent;

  beforeAll(async () => {
    // Small recordings, many at once: every courier's poller records two at a time, four answers each, so
    // the credits of one seller land in several transactions together, in whatever order their batches hold.
    t = await startTestApp({}, undefined, {
      configure: (c) => {
        c.business.tracking.claimBatch = 4;
        c.business.tracking.recordingsPerCourier = 2;
        unthrottledTracking(c);
      },
    });
    http = t.http();
  });
  afterAll(() => t.close());

  it('credits every parcel delivered in one poll, once, to its own seller', async () => {
    const sellers = [await signupSeller(http, 'Toko Satu'), await signupSeller(http, 'Toko Dua')];
    const booked: { id: string; awb: string; seller: TestSeller }[] = [];
    for (let round = 0; round < 4; round += 1)
      for (const s of sellers) {
        const origin = (await createAddress(http, s)).id;
        for (const b of await bookPinned(t, http, s, origin, [...PINNED, ...PINNED], { codAmount: 100_000 }))
          booked.push({ id: b.id, awb: b.awb, seller: s });
      }
    t.clock.advance(3600_000);
    for (const b of booked)
      await http
        .post(`/sandbox/parcels/${b.awb}/advance`)
        .set(b.seller.auth)
        .send({ to: 'delivered' })
        .expect(200);
    t.clock.advance(2 * 3600_000);

    await t.app.get(TrackingPoller).pollDue();

    const statuses = await t.dataSource.query<{ status: string; n: number }[]>(
      'SELECT status, count(*)::int AS n FROM shipments WHERE id = ANY($1::uuid[]) GROUP BY status',
      [booked.map((b) => b.id)],
    );
    expect(statuses).toEqual([{ status: 'delivered', n: booked.length }]);
    for (const s of sellers) {
      const mine = booked.filter((b) => b.seller === s);
      const credits = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(DISTINCT key)::int AS n FROM ledger_transactions
          WHERE type = 'cod_credit' AND seller_id = $1 AND key = ANY($2::text[])`,
        [s.sellerId, mine.map((b) => `cod-credit:${b.id}`)],
      );
      expect(credits[0].n).toBe(mine.length);
      expect((await t.app.get(LedgerService).sellerBalances(s.sellerId)).pending).toBe(mine.length * 100_000);
    }
  });

  it('the ledger-holds job and the tracker credit the same sellers at once without a deadlock', async () => {
    const admin = await createOperator(t, http, 'admin');
    const [low, high] = [await signupSeller(http, 'Toko Awal'), await signupSeller(http, 'Toko Akhir')].sort(
      (a, b) => (a.sellerId < b.sellerId ? -1 : 1),
    );
    // Each seller's COD cash held in pending; the later seller's (by id) falls due first.
    const day = 86_400_000;
    const start = t.clock.now().getTime();
    for (const [s, releaseAt] of [
      [high, new Date(start + day)],
      [low, new Date(start + day + 60_000)],
    ] as const)
      await creditPending(t, s.sellerId, 70_000, releaseAt);
    t.clock.advance(2 * day);
    // As the tracker does when one recording credits both sellers (seller after seller, by id): the courier's
    // receivable and the first seller's pending are taken, the second seller's pending comes next. The job
    // releases what fell due meanwhile, until it waits for a seller the tracker holds.
    const { trackerError, answer } = await raceWithTracker(
      t,
      {
        first: async (q) => {
          await lockAccount(q, Accounts.courierCodReceivable('jne').code);
          await lockAccount(q, Accounts.seller(low.sellerId, 'pending').code);
        },
        then: (q) => lockAccount(q, Accounts.seller(high.sellerId, 'pending').code),
      },
      () => http.post('/sandbox/jobs/ledger-holds/run').set(admin.auth).send({}),
      'the job waits for a lock the tracker holds',
    );
    expect({ trackerError, status: answer.status, code: answer.body.code as unknown }).toEqual({
      trackerError: null,
      status: 200,
      code: undefined,
    });
    // Both sellers' holds, and any other that fell due meanwhile.
    expect(answer.body.result).toBeGreaterThanOrEqual(2);
    for (const s of [low, high])
      expect(await t.app.get(LedgerService).sellerBalances(s.sellerId)).toMatchObject({
        pending: 0,
        available: 70_000,
      });
    expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  });
});
