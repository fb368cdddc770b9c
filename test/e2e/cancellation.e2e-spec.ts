import supertest from 'supertest';
import { CancellationClaims1795468412907 } from '../../migrations/1795468412907-CancellationClaims';
import type { CancelOutcome, CourierCode, CourierOrder } from 'src/couriers/courier-adapter';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { CourierUnavailableError } from 'src/couriers/courier.errors';
import { SandboxControl } from 'src/couriers/sandbox/sandbox-control.service';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { SandboxWorld } from 'src/couriers/sandbox/sandbox-world.service';
import { PickupService } from 'src/shipments/pickup.service';
import { ShipmentStateMachine } from 'src/shipments/shipment-state-machine';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import { createAddress, signupSeller, TestSeller } from '../support/factories/sellers';
import { bookPinned, PINNED, pushesApplied } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { rerunMigration } from '../support/migration-rerun';

interface Booked {
  id: string;
  awb: string;
  courier: CourierCode;
  pickupId: string;
  pickupDueAt: string;
}

describe('cancelling booked shipments and re-booking overdue pickups, at every courier', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let origin: string;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
    origin = (await createAddress(http, seller)).id;
  });
  afterAll(() => t.close());

  /** A shipment pinned to `pinned`, booked by running the pickup outbox. */
  const book = async (pinned = PINNED[0]): Promise<Booked> =>
    (await bookPinned(t, http, seller, origin, [pinned]))[0];
  async function drain(): Promise<void> {
    while ((await t.app.get(PickupService).processDue(50)) > 0);
  }
  const shipment = async (id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
  const world = () => t.app.get(SandboxWorld);
  /** What the courier's sandbox says happened to the parcel, in order. */
  const atCourier = async (b: Booked) =>
    world()
      .happened((await world().find(b.courier, b.awb))!)
      .map((s) => s.status);
  const pastDeadline = (b: Booked) =>
    t.clock.advance(new Date(b.pickupDueAt).getTime() - t.clock.now().getTime() + 60_000);
  const pickupMissed = async (b: Booked) =>
    world().script((await world().find(b.courier, b.awb))!, 'pickup_missed');

  /**
   * Every cancel call to `courier` is counted and held until `release()`, so a test can act while the
   * courier is still answering (the call then goes on to the sandbox as usual).
   */
  function holdCancels(courier: CourierCode) {
    const adapter = t.app.get(CourierRegistry).get(courier);
    const original = adapter.cancel.bind(adapter);
    const calls: CourierOrder[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(adapter, 'cancel').mockImplementation(async (order): Promise<CancelOutcome> => {
      calls.push(order);
      await released;
      return original(order);
    });
    return { calls, release, restore: () => spy.mockRestore() };
  }

  describe.each(PINNED)('$code $service', (pinned) => {
    it('cancels a booked shipment at the courier: 200 cancelled, the courier’s parcel cancelled', async () => {
      const b = await book(pinned);
      const res = await http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(200);
      expect(res.body).toMatchObject({ status: 'cancelled', reason: 'cancelled_by_seller', awb: b.awb });
      expect(await atCourier(b)).toContain('cancelled');
      expect(await shipment(b.id)).toMatchObject({ status: 'cancelled', pickupDueAt: null });
    });

    it('cancels a pickup missed by its deadline and, pinned to this courier alone, fails the booking', async () => {
      const b = await book(pinned);
      await pickupMissed(b);
      pastDeadline(b);
      expect(await t.app.get(TrackingPoller).pollDue()).toMatchObject({
        polled: 1,
        pickedUp: 0,
        rebooked: 0,
        bookingFailed: 1,
      });
      expect(await atCourier(b)).toContain('cancelled');
      // The only courier it may use just missed the pickup: not re-booked, its booking failed saying why.
      expect(await shipment(b.id)).toMatchObject({
        status: 'booking_failed',
        reason: 'pinned_courier_missed_pickup',
        courier: null,
        awb: null,
      });
      const pickup = (await http.get(`/v1/pickups/${b.pickupId}`).set(seller.auth).expect(200)).body;
      expect(pickup).toMatchObject({ status: 'done' });
      expect(pickup.shipments[0].attempts).toEqual([
        expect.objectContaining({
          courier: pinned.code,
          service: pinned.service,
          outcome: 'cancelled',
          awb: b.awb,
          errorKind: 'pickup_missed',
        }),
      ]);
      await drain();
      expect(await shipment(b.id)).toMatchObject({
        status: 'booking_failed',
        reason: 'pinned_courier_missed_pickup',
      });
      // Nothing is booked any more: the seller's cancel goes through without the courier.
      const res = await http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(200);
      expect(res.body).toMatchObject({ status: 'cancelled', reason: 'cancelled_by_seller' });
    });
  });

  it('two concurrent cancels of one booked shipment ask the courier once and end cancelled', async () => {
    const b = await book(PINNED[1]);
    const held = holdCancels(b.courier);
    try {
      held.release(); // counted, not held: the two requests race for real
      const responses = await Promise.all(
        [0, 1].map(() => supertest(t.url).post(`/v1/shipments/${b.id}/cancel`).set(seller.auth)),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      const refused = responses.find((r) => r.status === 409)!;
      expect(['SHIPMENTS_CANCEL_IN_PROGRESS', 'SHIPMENTS_CANNOT_CANCEL']).toContain(refused.body.code);
      expect(held.calls).toHaveLength(1);
    } finally {
      held.restore();
    }
    expect((await shipment(b.id)).status).toBe('cancelled');
    expect(await atCourier(b)).toContain('cancelled');
  });

  it('a second cancel while the courier is still answering the first gets 409 "in progress"', async () => {
    const b = await book(PINNED[1]);
    const held = holdCancels(b.courier);
    try {
      const first = http
        .post(`/v1/shipments/${b.id}/cancel`)
        .set(seller.auth)
        .then((r) => r);
      await waitUntil(() => held.calls.length === 1, 'the first cancel reaches the courier');
      const second = await http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(409);
      expect(second.body).toMatchObject({
        code: 'SHIPMENTS_CANCEL_IN_PROGRESS',
        message: expect.stringMatching(/cancellation is already in progress/i),
      });
      held.release();
      expect((await first).body).toMatchObject({ status: 'cancelled' });
      expect(held.calls).toEqual([
        { courier: b.courier, awb: b.awb, reference: expect.stringMatching(/^K/), service: 'EZ' },
      ]);
    } finally {
      held.release();
      held.restore();
    }
  });

  it('the pickup watch neither re-books nor cancels an overdue shipment whose cancellation is in flight', async () => {
    const b = await book(PINNED[1]);
    await pickupMissed(b);
    pastDeadline(b);
    const held = holdCancels(b.courier);
    try {
      const cancel = http
        .post(`/v1/shipments/${b.id}/cancel`)
        .set(seller.auth)
        .then((r) => r);
      await waitUntil(() => held.calls.length === 1, 'the seller’s cancel reaches the courier');
      expect(await t.app.get(TrackingPoller).pollDue()).toMatchObject({
        polled: 0,
        pickedUp: 0,
        rebooked: 0,
      });
      expect(await shipment(b.id)).toMatchObject({ status: 'booked', awb: b.awb });
      held.release();
      expect((await cancel).status).toBe(200);
      expect(held.calls).toHaveLength(1);
    } finally {
      held.release();
      held.restore();
    }
    expect(await shipment(b.id)).toMatchObject({ status: 'cancelled', reason: 'cancelled_by_seller' });
    const pickup = (await http.get(`/v1/pickups/${b.pickupId}`).set(seller.auth).expect(200)).body;
    expect(pickup.shipments[0].attempts).toEqual([expect.objectContaining({ outcome: 'booked' })]);
  });

  it('a seller’s cancel while the watch cancels an overdue pickup gets 409 "in progress"; the watch ends the pinned booking', async () => {
    const b = await book(PINNED[1]);
    await pickupMissed(b);
    pastDeadline(b);
    const held = holdCancels(b.courier);
    try {
      const watch = t.app.get(TrackingPoller).pollDue();
      await waitUntil(() => held.calls.length === 1, 'the watch’s cancel reaches the courier');
      const res = await http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(409);
      expect(res.body.code).toBe('SHIPMENTS_CANCEL_IN_PROGRESS');
      held.release();
      expect(await watch).toMatchObject({ polled: 1, pickedUp: 0, rebooked: 0, bookingFailed: 1 });
      expect(held.calls).toHaveLength(1);
    } finally {
      held.release();
      held.restore();
    }
    // Pinned to that courier: its booking failed rather than being re-booked.
    expect(await shipment(b.id)).toMatchObject({
      status: 'booking_failed',
      reason: 'pinned_courier_missed_pickup',
    });
  });

  it('when the courier cannot answer: 503, nothing changes, and a later cancel goes through', async () => {
    const b = await book(PINNED[1]);
    const control = t.app.get(SandboxControl);
    await control.setFaults(b.courier, { errorRate: 1 });
    try {
      const res = await http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(503);
      expect(res.body.code).toBe('COURIER_UNAVAILABLE');
      expect(await shipment(b.id)).toMatchObject({ status: 'booked', awb: b.awb });
      // The request the claim recorded is taken back: it never reached the courier.
      expect(
        await t.dataSource.query('SELECT cancel_requested_at FROM shipments WHERE id = $1', [b.id]),
      ).toEqual([{ cancel_requested_at: null }]);
    } finally {
      await control.setFaults(b.courier, { errorRate: 0 });
    }
    expect(await atCourier(b)).not.toContain('cancelled');
    await http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(200);
    expect(await atCourier(b)).toContain('cancelled');
  });

  /** The courier's cancel answers as `answer` says for the length of `work` (the real call made first when `reached`). */
  async function withCancelAnswer<T>(
    courier: CourierCode,
    answer: { lost: true; reached: boolean } | { lost: false; outcome: CancelOutcome },
    work: () => Promise<T>,
  ): Promise<T> {
    const adapter = t.app.get(CourierRegistry).get(courier);
    const original = adapter.cancel.bind(adapter);
    const spy = jest.spyOn(adapter, 'cancel').mockImplementation(async (order): Promise<CancelOutcome> => {
      if (!answer.lost) return answer.outcome;
      if (answer.reached) await original(order);
      throw new CourierUnavailableError(courier, 'timeout', 'ABORTED', 'the call was abandoned (timeout)');
    });
    try {
      return await work();
    } finally {
      spy.mockRestore();
    }
  }

  it('a cancel the courier took with its answer lost: 503, then the courier’s cancellation ends it as the seller’s, booking no other', async () => {
    const b = await book(PINNED[1]);
    await withCancelAnswer(b.courier, { lost: true, reached: true }, async () => {
      const res = await http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(503);
      expect(res.body.code).toBe('COURIER_UNAVAILABLE');
    });
    expect(await shipment(b.id)).toMatchObject({ status: 'booked', awb: b.awb });
    expect(await atCourier(b)).toContain('cancelled');
    // The tracker reads the courier's cancellation: the seller's, not the courier's own (which would fail
    // this pinned booking, or book an unpinned one with the next courier).
    t.clock.advance(3600_000);
    expect(await t.app.get(TrackingPoller).pollDue()).toMatchObject({ rebooked: 0, bookingFailed: 0 });
    expect(await shipment(b.id)).toMatchObject({ status: 'cancelled', reason: 'cancelled_by_seller' });
  });

  it('a cancel the courier made before Kirim failed to record it: the courier’s cancellation ends it as the seller’s, booking no other', async () => {
    const b = await book(PINNED[1]);
    // The courier cancels; then the database fails as the shipment is moved (a crash would leave the same).
    const machine = t.app.get(ShipmentStateMachine);
    const move = machine.transition.bind(machine);
    const failing = jest.spyOn(machine, 'transition').mockImplementation(async (id, change) => {
      if (change.cause === 'seller_cancel') throw new Error('the database went away');
      return move(id, change);
    });
    try {
      await http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(500);
    } finally {
      failing.mockRestore();
    }
    expect(await atCourier(b)).toContain('cancelled');
    expect(await shipment(b.id)).toMatchObject({ status: 'booked', awb: b.awb });
    // Once the claim has run out, the tracker reads the courier's cancellation: the seller's.
    t.clock.advance(3600_000);
    expect(await t.app.get(TrackingPoller).pollDue()).toMatchObject({ rebooked: 0, bookingFailed: 0 });
    expect(await shipment(b.id)).toMatchObject({ status: 'cancelled', reason: 'cancelled_by_seller' });
  });

  it('a cancel whose answer was lost before the courier had it: the pickup watch’s own cancel at the deadline is the seller’s', async () => {
    const b = await book(PINNED[1]);
    await withCancelAnswer(b.courier, { lost: true, reached: false }, () =>
      http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(503),
    );
    expect(await atCourier(b)).not.toContain('cancelled');
    await pickupMissed(b);
    pastDeadline(b);
    expect(await t.app.get(TrackingPoller).pollDue()).toMatchObject({ rebooked: 0, bookingFailed: 0 });
    expect(await shipment(b.id)).toMatchObject({ status: 'cancelled', reason: 'cancelled_by_seller' });
    expect(await atCourier(b)).toContain('cancelled');
  });

  it('a cancel whose answer was lost, then refused by the courier when asked again: the courier’s own cancellation later is its own', async () => {
    const b = await book(PINNED[1]);
    await withCancelAnswer(b.courier, { lost: true, reached: false }, () =>
      http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(503),
    );
    await withCancelAnswer(
      b.courier,
      {
        lost: false,
        outcome: { cancelled: false, reason: 'refused', rawMessage: 'order is being processed' },
      },
      () => http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(409),
    );
    await world().script((await world().find(b.courier, b.awb))!, 'courier_cancelled');
    t.clock.advance(3600_000);
    expect(await t.app.get(TrackingPoller).pollDue()).toMatchObject({ bookingFailed: 1 });
    expect(await shipment(b.id)).toMatchObject({
      status: 'booking_failed',
      reason: 'pinned_courier_cancelled',
    });
  });

  it('a courier that no longer knows the order (not_found) lets the seller cancel it', async () => {
    const b = await book(PINNED[1]);
    await withCancelAnswer(
      b.courier,
      { lost: false, outcome: { cancelled: false, reason: 'not_found', rawMessage: 'cnote not found' } },
      () => http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(200),
    );
    expect(await shipment(b.id)).toMatchObject({ status: 'cancelled', reason: 'cancelled_by_seller' });
  });

  it('when the courier refuses (already picked up): 409 with its reason, and the watch may then act', async () => {
    const b = await book(PINNED[1]);
    t.clock.advance(3600_000);
    await world().advance((await world().find(b.courier, b.awb))!, 'picked_up');
    const res = await http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(409);
    expect(res.body).toMatchObject({
      code: 'SHIPMENTS_CANNOT_CANCEL',
      message: expect.stringContaining('already_picked_up'),
    });
    expect((await shipment(b.id)).status).toBe('booked');
    t.clock.advance(3600_000);
    expect(await t.app.get(TrackingPoller).pollDue()).toMatchObject({ polled: 1, pickedUp: 1, rebooked: 0 });
    expect((await shipment(b.id)).status).toBe('picked_up');
  });

  it('a pickup pushed while the courier cancels: 409 saying what the courier answered and what it scanned, nothing left in progress', async () => {
    const b = await book(PINNED.find((p) => p.code === 'idexpress'));
    t.clock.advance(3600_000);
    const adapter = t.app.get(CourierRegistry).get(b.courier);
    let reached!: () => void;
    const atCourier = new Promise<void>((resolve) => (reached = resolve));
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    // The courier takes the cancel (its order is void there), but its answer comes after its pickup scan.
    const spy = jest.spyOn(adapter, 'cancel').mockImplementation(async (): Promise<CancelOutcome> => {
      reached();
      await answered;
      return { cancelled: true };
    });
    try {
      const cancel = http
        .post(`/v1/shipments/${b.id}/cancel`)
        .set(seller.auth)
        .then((r) => r);
      await atCourier;
      await http
        .post(`/sandbox/parcels/${b.awb}/advance`)
        .set(seller.auth)
        .send({ to: 'picked_up' })
        .expect(200);
      const push = (await t.app.get(CourierSandboxes).get(b.courier)!.webhookFor(b.awb))!;
      await http.post(`/v1/webhooks/couriers/${b.courier}`).set(push.headers).send(push.body).expect(200);
      await pushesApplied(t);
      expect((await shipment(b.id)).status).toBe('picked_up');
      answer();
      const res = await cancel;
      // Not "a cancellation is already in progress": none is, and asking again would be refused as picked up.
      expect({ status: res.status, body: res.body as unknown }).toMatchObject({
        status: 409,
        body: {
          code: 'SHIPMENTS_CANNOT_CANCEL',
          message: expect.stringContaining(
            'idexpress answered that it cancelled the order, but meanwhile reported the parcel picked up',
          ),
        },
      });
      const [row] = await t.dataSource.query<{ claim: Date | null }[]>(
        'SELECT cancel_claimed_until AS claim FROM shipments WHERE id = $1',
        [b.id],
      );
      expect(row.claim).toBeNull();
      expect((await shipment(b.id)).status).toBe('picked_up');
    } finally {
      answer();
      spy.mockRestore();
    }
  });

  it('a shipment booked before the courier reference was kept gets it from its booked attempt, and cancels', async () => {
    const b = await book(PINNED[1]);
    // The migration run again over today's data: its down drops the column, its up backfills it.
    await rerunMigration(t.dataSource, new CancellationClaims1795468412907());
    const [attempt] = await t.dataSource.query(
      "SELECT reference FROM booking_attempts WHERE shipment_id = $1 AND status = 'booked'",
      [b.id],
    );
    expect(await t.dataSource.query('SELECT courier_reference FROM shipments WHERE id = $1', [b.id])).toEqual(
      [{ courier_reference: attempt.reference }],
    );
    await http.post(`/v1/shipments/${b.id}/cancel`).set(seller.auth).expect(200);
    expect(await atCourier(b)).toContain('cancelled');
  });
});
