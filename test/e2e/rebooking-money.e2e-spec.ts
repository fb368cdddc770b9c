import supertest from 'supertest';
import { AppConfig } from 'config';
import type { CourierCode, CourierStatus } from 'src/couriers/courier-adapter';
import { periodContaining } from 'src/invoicing/invoice-period';
import { LedgerService } from 'src/ledger/ledger.service';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { runInvoicing } from '../support/factories/invoices';
import { createOperator } from '../support/factories/operators';
import { sellerWithOrigin, TestSeller, validShipment } from '../support/factories/sellers';
import { bookPinned, PINNED, pushedMove, pushesApplied } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

type Auth = { auth: { authorization: string } };
interface Line {
  awb: string;
  courier: string;
  kind: string;
  amount: number;
}

/**
 * Re-bookings and returns against the money: a parcel's fees are charged once, for the booking that
 * carried it, its COD cash credited once, whatever its earlier airway bills or repeated reports say.
 */
describe('re-booked and returned parcels: fees, cash and invoices', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let admin: Auth;

  beforeAll(async () => {
    t = await startTestApp({}, undefined, { configure: (c) => (c.business.money.codHoldDays = 1) });
    http = t.http();
    admin = await createOperator(t, http, 'admin');
  });
  afterAll(() => t.close());

  const newSeller = (name: string) => sellerWithOrigin(http, name);
  const runJob = async (name: string) =>
    (await http.post(`/sandbox/jobs/${name}/run`).set(admin.auth).send({}).expect(200)).body.result as Record<
      string,
      number
    >;
  const view = async (seller: TestSeller, id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
  const balance = async (seller: TestSeller) =>
    (await http.get('/v1/balance').set(seller.auth).expect(200)).body as {
      pending: number;
      available: number;
      outstandingInvoices: number;
    };
  const linesOf = async (shipmentId: string) =>
    t.dataSource.query<Line[]>(
      `SELECT l.awb, l.courier, l.kind, l.amount::int AS amount FROM invoice_lines l
        WHERE l.shipment_id = $1 ORDER BY l.id`,
      [shipmentId],
    );
  const postingsOf = async (shipmentId: string) =>
    t.dataSource.query<{ key: string }[]>(
      `SELECT split_part(key, ':', 1) AS key FROM ledger_transactions WHERE key LIKE '%:' || $1 ORDER BY key`,
      [shipmentId],
    );
  const closePeriod = async () => {
    const rule = t.app.get(AppConfig).business.money.invoicing;
    const period = periodContaining(t.clock.now(), rule);
    const asOf = new Date(period.end.getTime() + (rule.closeGraceMinutes + 1) * 60_000);
    await runInvoicing(http, admin, asOf);
  };
  const verified = async () => expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  const receivable = async (courier: string) =>
    Number(
      (
        await t.dataSource.query<{ balance: string }[]>(
          'SELECT balance FROM ledger_accounts WHERE code = $1',
          [`platform:courier_cod_receivable:${courier}`],
        )
      )[0]?.balance ?? 0,
    );

  /** A COD shipment created and booked by the pickup worker: its id, pickup id and view once booked. */
  const bookedCod = async (seller: TestSeller, origin: string, reference: string, codAmount: number) => {
    const created = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({ ...validShipment(origin, reference), codAmount })
      .expect(201);
    const id: string = created.body.id;
    const pickup = await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [id] })
      .expect(202);
    await runJob('pickups');
    return { id, pickupId: pickup.body.id as string, booked: await view(seller, id) };
  };
  /** The courier fails the booking by `script`; a poll `laterMs` after re-books it, and the worker books it again. */
  const rebookedAfter = async (seller: TestSeller, awb: string, script: string, laterMs: number) => {
    await http.post(`/sandbox/parcels/${awb}/script`).set(seller.auth).send({ script }).expect(200);
    t.clock.advance(laterMs);
    expect((await runJob('tracking-poll')).rebooked).toBe(1);
    await runJob('pickups');
  };

  it('a parcel re-booked after a missed pickup is charged once, at the booking that carried it; its old bill moves nothing', async () => {
    const { seller, origin } = await newSeller('Toko Rebook Uang');
    const { id, booked: first } = await bookedCod(seller, origin, 'RB-MONEY-1', 150_000);
    expect(first.status).toBe('booked');
    await rebookedAfter(seller, first.awb, 'pickup_missed', 25 * 3600_000);
    const again = await view(seller, id);
    expect(again.status).toBe('booked');
    expect(again.courier.code).not.toBe(first.courier.code);
    const oldReceivable = await receivable(first.courier.code);
    const newReceivable = await receivable(again.courier.code);

    // The new courier carries and delivers it; the old one's late lines (pushed and polled) say delivered too.
    const who = { seller, admin };
    t.clock.advance(3600_000);
    await pushedMove(t, http, who, again.courier.code as CourierCode, again.awb, 'picked_up');
    t.clock.advance(3600_000);
    await pushedMove(t, http, who, again.courier.code as CourierCode, again.awb, 'delivered');
    expect(await view(seller, id)).toMatchObject({ status: 'delivered', awb: again.awb, codCollected: true });
    t.clock.advance(3600_000);
    for (const to of ['picked_up', 'delivered'] as CourierStatus[]) {
      await pushedMove(t, http, who, first.courier.code as CourierCode, first.awb, to);
      t.clock.advance(3600_000);
    }
    await pushedMove(t, http, who, again.courier.code as CourierCode, again.awb, 'delivered');
    t.clock.advance(3 * 3600_000);
    await runJob('tracking-poll');
    expect(await view(seller, id)).toMatchObject({ status: 'delivered', awb: again.awb });
    expect(await postingsOf(id)).toEqual([{ key: 'cod-credit' }]);
    expect(await receivable(again.courier.code)).toBe(newReceivable + 150_000);
    expect(await receivable(first.courier.code)).toBe(oldReceivable);
    expect(await balance(seller)).toMatchObject({ pending: 150_000 });

    await closePeriod();
    const c = again.charges as { shipping: number; codFee: number; cashback: number; returnFee: number };
    const line = (kind: string, amount: number) => ({
      awb: again.awb,
      courier: again.courier.code,
      kind,
      amount,
    });
    expect(await linesOf(id)).toEqual([
      line('shipping', c.shipping),
      line('cod_fee', c.codFee),
      line('cashback', -c.cashback),
    ]);
    await verified();
  });

  it('a COD parcel refused and returned, its pushes out of order and twice, then polled: the return fee once, no cash', async () => {
    const { seller, origin } = await newSeller('Toko Retur Uang');
    const sap = PINNED.find((p) => p.code === 'sap')!;
    const [b] = await bookPinned(t, http, seller, origin, [sap], { codAmount: 200_000 });
    // Each of SAP's pushes kept as it was sent, then all sent newest first, then again in order.
    const pushes: { headers: Record<string, string>; body: string }[] = [];
    for (const [to, reason] of [
      ['picked_up'],
      ['delivery_failed', 'consignee_refused'],
      ['returning'],
      ['returned'],
    ] as [string, string?][]) {
      t.clock.advance(30 * 60_000);
      await http
        .post(`/sandbox/parcels/${b.awb}/advance`)
        .set(seller.auth)
        .send({ to, ...(reason ? { reason } : {}) })
        .expect(200);
      pushes.push((await t.app.get(CourierSandboxes).get(sap.code)!.webhookFor(b.awb))!);
    }
    for (const push of [...pushes.reverse(), ...pushes.reverse()])
      await http.post('/v1/webhooks/couriers/sap').set(push.headers).send(push.body).expect(200);
    await runJob('tracking-inbox');
    await pushesApplied(t);
    t.clock.advance(24 * 3600_000);
    await runJob('tracking-poll');
    const s = await view(seller, b.id);
    expect(s).toMatchObject({ status: 'returned', codCollected: false });
    expect(await postingsOf(b.id)).toEqual([]);
    expect(await balance(seller)).toMatchObject({ pending: 0, available: 0 });
    await closePeriod();
    const c = s.charges as { shipping: number; codFee: number; cashback: number; returnFee: number };
    expect((await linesOf(b.id)).map((l) => [l.kind, l.amount])).toEqual([
      ['shipping', c.shipping],
      ['return_fee', c.returnFee],
      ['cashback', -c.cashback],
    ]);
    await verified();
  });

  it('a return the courier calls off to deliver the parcel after all: delivered, its cash credited once, invoiced as a delivery', async () => {
    const { seller, origin } = await newSeller('Toko Retur Batal');
    const sap = PINNED.find((p) => p.code === 'sap')!;
    const [b] = await bookPinned(t, http, seller, origin, [sap], { codAmount: 175_000 });
    const who = { seller, admin };
    for (const [to, reason] of [
      ['picked_up'],
      ['delivery_failed', 'consignee_unreachable'],
      ['returning'],
    ] as [string, string?][]) {
      t.clock.advance(3600_000);
      await pushedMove(t, http, who, sap.code, b.awb, to, reason);
    }
    expect(await view(seller, b.id)).toMatchObject({ status: 'returning', risk: 'at_risk' });
    // SAP's forward-leg scans after the return began: out for delivery again, then delivered to the buyer
    // (its return's end would be SHIPMENT RETURN TO CLIENT); the delivery pushed twice, then polled.
    for (const to of ['out_for_delivery', 'delivered', 'delivered']) {
      t.clock.advance(3600_000);
      await pushedMove(t, http, who, sap.code, b.awb, to);
    }
    t.clock.advance(3600_000);
    await runJob('tracking-poll');
    const s = await view(seller, b.id);
    expect(s).toMatchObject({ status: 'delivered', codCollected: true, risk: 'none' });
    expect(await postingsOf(b.id)).toEqual([{ key: 'cod-credit' }]);
    expect(await balance(seller)).toMatchObject({ pending: 175_000 });
    const open = (await http.get(`/v1/alerts?shipmentId=${b.id}&state=open`).set(seller.auth).expect(200))
      .body.items;
    expect(open).toEqual([]);
    await closePeriod();
    const c = s.charges as { shipping: number; codFee: number; cashback: number };
    expect((await linesOf(b.id)).map((l) => [l.kind, l.amount])).toEqual([
      ['shipping', c.shipping],
      ['cod_fee', c.codFee],
      ['cashback', -c.cashback],
    ]);
    await verified();

    // The return's end scanned after the delivery takes it back: the shipment stays delivered, at risk, its cash
    // withheld in pending past its hold.
    await pushedMove(t, http, who, sap.code, b.awb, 'returned');
    expect(await view(seller, b.id)).toMatchObject({ status: 'delivered', risk: 'at_risk' });
    const rules = (
      await http.get(`/v1/alerts?shipmentId=${b.id}&state=open`).set(seller.auth).expect(200)
    ).body.items.map((a: { rule: string }) => a.rule);
    expect(rules).toEqual(['delivery_contradicted']);
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    expect(await balance(seller)).toMatchObject({ pending: 175_000 });
    expect(await postingsOf(b.id)).toEqual([{ key: 'cod-credit' }]);
    await verified();
  });

  it('the same called-off return learned from polls alone, in one answer: delivered, credited once', async () => {
    const { seller, origin } = await newSeller('Toko Retur Batal Poll');
    const sap = PINNED.find((p) => p.code === 'sap')!;
    const [b] = await bookPinned(t, http, seller, origin, [sap], { codAmount: 160_000 });
    for (const [to, reason] of [
      ['picked_up'],
      ['delivery_failed', 'consignee_unreachable'],
      ['returning'],
      ['out_for_delivery'],
      ['delivered'],
    ] as [string, string?][]) {
      t.clock.advance(3600_000);
      await http
        .post(`/sandbox/parcels/${b.awb}/advance`)
        .set(seller.auth)
        .send({ to, ...(reason ? { reason } : {}) })
        .expect(200);
    }
    t.clock.advance(3600_000);
    await runJob('tracking-poll');
    t.clock.advance(24 * 3600_000);
    await runJob('tracking-poll');
    expect(await view(seller, b.id)).toMatchObject({ status: 'delivered', codCollected: true, attempts: 2 });
    expect(await postingsOf(b.id)).toEqual([{ key: 'cod-credit' }]);
    expect(await balance(seller)).toMatchObject({ pending: 160_000 });
    await verified();
  });

  it('a J&T line pushed alone that says delivered after the return began is no delivery: it may be the return’s end, and credits nothing', async () => {
    const { seller, origin } = await newSeller('Toko Retur JNT');
    const jnt = PINNED.find((p) => p.code === 'jnt')!;
    const [b] = await bookPinned(t, http, seller, origin, [jnt], { codAmount: 130_000 });
    const who = { seller, admin };
    for (const [to, reason] of [
      ['picked_up'],
      ['delivery_failed', 'consignee_refused'],
      ['returning'],
      ['delivered'],
    ] as [string, string?][]) {
      t.clock.advance(3600_000);
      await pushedMove(t, http, who, jnt.code, b.awb, to, reason);
    }
    expect(await view(seller, b.id)).toMatchObject({ status: 'returning', codCollected: false });
    expect(await postingsOf(b.id)).toEqual([]);
    expect(await balance(seller)).toMatchObject({ pending: 0, available: 0 });
    // The poll reads the same line with the lines before it: the return's end. Its reading replaces the push's,
    // which moved nothing, and the parcel ends returned (it stayed returning, polled daily, for good).
    t.clock.advance(2 * 24 * 3600_000);
    expect(await runJob('tracking-poll')).toMatchObject({ polled: 1, moved: 1 });
    expect(await view(seller, b.id)).toMatchObject({ status: 'returned', codCollected: false });
    expect(await postingsOf(b.id)).toEqual([]);
    expect(await balance(seller)).toMatchObject({ pending: 0, available: 0 });
    await verified();
  });

  it('a J&T return whose lines were never pushed, its end pushed alone: credited as a delivery, then the poll that confirms it takes it back and keeps the cash', async () => {
    const { seller, origin } = await newSeller('Toko Retur Hilang');
    const jnt = PINNED.find((p) => p.code === 'jnt')!;
    const sap = PINNED.find((p) => p.code === 'sap')!;
    const [lost, kept, bySap] = await bookPinned(t, http, seller, origin, [jnt, jnt, sap], {
      codAmount: 120_000,
    });
    const who = { seller, admin };
    const polled = async (id: string) =>
      (
        await t.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM shipment_polls WHERE shipment_id = $1',
          [id],
        )
      )[0].n;
    for (const to of ['picked_up', 'delivery_failed'] as CourierStatus[]) {
      t.clock.advance(3600_000);
      await pushedMove(
        t,
        http,
        who,
        jnt.code,
        lost.awb,
        to,
        to === 'delivery_failed' ? 'consignee_refused' : undefined,
      );
      await pushedMove(t, http, who, jnt.code, kept.awb, to === 'picked_up' ? to : 'out_for_delivery');
    }
    // Its return begins at J&T, and that push never arrives; the return's end, J&T's ordinary delivery code,
    // is pushed alone: a delivery, by all Kirim can tell yet. The other parcel is delivered to its buyer.
    t.clock.advance(3600_000);
    await http
      .post(`/sandbox/parcels/${lost.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'returning' })
      .expect(200);
    t.clock.advance(3600_000);
    await pushedMove(t, http, who, jnt.code, lost.awb, 'delivered');
    await pushedMove(t, http, who, jnt.code, kept.awb, 'delivered');
    // SAP's lines each say their leg: its delivery pushed is not polled again.
    await pushedMove(t, http, who, sap.code, bySap.awb, 'picked_up');
    await pushedMove(t, http, who, sap.code, bySap.awb, 'delivered');
    expect(await view(seller, bySap.id)).toMatchObject({ status: 'delivered', codCollected: true });
    expect(await polled(bySap.id)).toBe(0);
    // Nor is a prepaid parcel's: no cash is at stake.
    const [prepaid] = await bookPinned(t, http, seller, origin, [jnt], { codAmount: 0 });
    await pushedMove(t, http, who, jnt.code, prepaid.awb, 'picked_up');
    await pushedMove(t, http, who, jnt.code, prepaid.awb, 'delivered');
    expect(await view(seller, prepaid.id)).toMatchObject({ status: 'delivered' });
    expect(await polled(prepaid.id)).toBe(0);
    for (const s of [lost, kept]) {
      expect(await view(seller, s.id)).toMatchObject({
        status: 'delivered',
        codCollected: true,
        risk: 'none',
      });
      // Followed after its delivery, for one poll of its whole history.
      expect(await polled(s.id)).toBe(1);
    }
    expect(await balance(seller)).toMatchObject({ pending: 360_000, available: 0 });

    expect(await runJob('tracking-poll')).toMatchObject({ polled: 2 });
    // The history says the parcel was on its way back before that line: taken back, the seller told.
    expect(await view(seller, lost.id)).toMatchObject({ status: 'delivered', risk: 'at_risk' });
    const alerts = (
      await http.get(`/v1/alerts?shipmentId=${lost.id}&state=open`).set(seller.auth).expect(200)
    ).body.items as { rule: string; message: string }[];
    expect(alerts.map((a) => a.rule)).toEqual(['delivery_contradicted']);
    expect(alerts[0].message).toMatch(/probably the return's end, not the buyer's delivery/);
    expect(await view(seller, kept.id)).toMatchObject({ status: 'delivered', risk: 'none' });
    // Neither is polled again.
    for (const s of [lost, kept]) expect(await polled(s.id)).toBe(0);
    t.clock.advance(3600_000);
    expect(await runJob('tracking-poll')).toMatchObject({ polled: 0 });

    // Past the hold, the delivered parcels' cash is available; the returned one's stays withheld in pending.
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    expect(await balance(seller)).toMatchObject({ pending: 120_000, available: 240_000 });
    expect(await postingsOf(lost.id)).toEqual([{ key: 'cod-credit' }]);
    await verified();
  });

  it('a seller’s cancel in flight when the courier voids the order itself: the pushed void re-books nothing, the cancel ends it, nothing is charged', async () => {
    const { seller, origin } = await newSeller('Toko Batal Balapan');
    const { id, pickupId, booked } = await bookedCod(seller, origin, 'RB-RACE-1', 90_000);
    const code = booked.courier.code as CourierCode;
    const adapter = t.app.get(CourierRegistry).get(code);
    const original = adapter.cancel.bind(adapter);
    let calls = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(adapter, 'cancel').mockImplementation(async (order) => {
      calls += 1;
      await released;
      return original(order);
    });
    try {
      const cancel = http
        .post(`/v1/shipments/${id}/cancel`)
        .set(seller.auth)
        .then((r) => r);
      await waitUntil(() => calls === 1, 'the seller’s cancel reaches the courier');
      // Meanwhile the courier voids the order and pushes it; the inbox applies the push (the watch runs).
      await http
        .post(`/sandbox/parcels/${booked.awb}/script`)
        .set(seller.auth)
        .send({ script: 'courier_cancelled' })
        .expect(200);
      const push = (await t.app.get(CourierSandboxes).get(code)!.webhookFor(booked.awb))!;
      await http.post(`/v1/webhooks/couriers/${code}`).set(push.headers).send(push.body).expect(200);
      await runJob('tracking-inbox');
      await pushesApplied(t);
      expect(await view(seller, id)).toMatchObject({ status: 'booked', awb: booked.awb });
      release();
      expect((await cancel).status).toBe(200);
    } finally {
      release();
      spy.mockRestore();
    }
    expect(await view(seller, id)).toMatchObject({ status: 'cancelled', reason: 'cancelled_by_seller' });
    await runJob('pickups');
    t.clock.advance(25 * 3600_000);
    await runJob('tracking-poll');
    expect(await view(seller, id)).toMatchObject({ status: 'cancelled', awb: booked.awb });
    const attempts = (await http.get(`/v1/pickups/${pickupId}`).set(seller.auth).expect(200)).body
      .shipments[0].attempts;
    expect(attempts).toEqual([expect.objectContaining({ outcome: 'booked', awb: booked.awb })]);
    await closePeriod();
    expect(await linesOf(id)).toEqual([]);
    expect(await postingsOf(id)).toEqual([]);
    await verified();
  });

  it('a re-booked parcel is acted on, cancelled and driven only by its seller, at its live booking; returned, it is charged that booking’s return fee', async () => {
    const { seller, origin } = await newSeller('Toko Aksi Ulang');
    const other = await newSeller('Toko Tetangga');
    const { id, booked: first } = await bookedCod(seller, origin, 'RB-ACT-1', 120_000);
    await rebookedAfter(seller, first.awb, 'courier_cancelled', 3600_000);
    const again = await view(seller, id);
    expect(again).toMatchObject({ status: 'booked' });
    const code = again.courier.code as CourierCode;

    // Another seller: not found, whichever airway bill it names.
    for (const awb of [first.awb, again.awb])
      await http
        .post(`/sandbox/parcels/${awb}/advance`)
        .set(other.seller.auth)
        .send({ to: 'picked_up' })
        .expect(404);
    await http.post(`/v1/shipments/${id}/cancel`).set(other.seller.auth).expect(404);
    await http
      .post(`/v1/shipments/${id}/actions`)
      .set(other.seller.auth)
      .send({ action: 'return' })
      .expect(404);

    const who = { seller, admin };
    t.clock.advance(3600_000);
    await pushedMove(t, http, who, code, again.awb, 'picked_up');
    // Picked up: too late to cancel; a return goes to the live booking's courier.
    await http.post(`/v1/shipments/${id}/cancel`).set(seller.auth).expect(409);
    const action = await http
      .post(`/v1/shipments/${id}/actions`)
      .set(seller.auth)
      .send({ action: 'return' })
      .expect(202);
    expect(['sent', 'manual']).toContain(action.body.status);
    expect((await view(seller, id)).actions).toEqual([
      expect.objectContaining({ action: 'return', courier: code, awb: again.awb }),
    ]);
    for (const to of ['returning', 'returned']) {
      t.clock.advance(3600_000);
      await pushedMove(t, http, who, code, again.awb, to);
    }
    const s = await view(seller, id);
    expect(s).toMatchObject({ status: 'returned', codCollected: false });
    await closePeriod();
    const c = s.charges as { shipping: number; cashback: number; returnFee: number };
    expect(await linesOf(id)).toEqual(
      [
        ['shipping', c.shipping],
        ['return_fee', c.returnFee],
        ['cashback', -c.cashback],
      ].map(([kind, amount]) => ({ awb: again.awb, courier: code, kind, amount })),
    );
    expect(await postingsOf(id)).toEqual([]);
    await verified();
  });
});
