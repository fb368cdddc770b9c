import supertest from 'supertest';
import { AppConfig } from 'config';
import type { CancelOutcome, CourierCode } from 'src/couriers/courier-adapter';
import { CourierRegistry, type ResilientCourier } from 'src/couriers/courier-registry';
import { CourierRejectedError, CourierUnavailableError } from 'src/couriers/courier.errors';
import { SandboxControl } from 'src/couriers/sandbox/sandbox-control.service';
import { SandboxWorld } from 'src/couriers/sandbox/sandbox-world.service';
import { attemptReference, PickupService } from 'src/shipments/pickup.service';
import { PickupsRepository } from 'src/shipments/pickups.repository';
import { TrackedShipments } from 'src/shipments/tracked-shipments.service';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import { Transactions } from 'src/database/transaction';
import {
  createAddress,
  signupSeller,
  subscribeWebhooks,
  TestSeller,
  validShipment,
} from '../support/factories/sellers';
import { createOperator } from '../support/factories/operators';
import { pushedMove, SERVICE_OF } from '../support/factories/tracked';
import { startTestApp, TestApp, unthrottledTracking } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { WebhookReceiver } from '../support/webhook-receiver';

/** Whom an order placed at a courier directly (no shipment of Kirim's behind it yet) is from and to. */
function directOrderParties(origin: string) {
  return {
    sender: {
      name: 'Toko',
      phone: '+6281234567890',
      address: 'Jl. Braga 12',
      district: 'Sumur Bandung',
      city: 'Bandung',
      province: 'Jawa Barat',
      postalCode: '40111',
      districtCode: '32.73.19',
    },
    recipient: { ...validShipment(origin).recipient, phone: '+6281298765432', districtCode: '31.71.06' },
  };
}

describe('pickups', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let origin: string;

  beforeAll(async () => {
    // Polls are not what this suite is about: at SAP's real budget, one poll of the 200 parcels an earlier
    // test booked took twenty seconds.
    t = await startTestApp({}, undefined, { configure: unthrottledTracking });
    http = t.http();
    seller = await signupSeller(http);
    origin = (await createAddress(http, seller)).id;
  });
  afterAll(() => t.close());

  /** Ready shipments through the bulk API. */
  async function shipments(n: number, prefix: string): Promise<string[]> {
    const res = await http
      .post('/v1/shipments/bulk')
      .set(seller.auth)
      .send(Array.from({ length: n }, (_, i) => validShipment(origin, `${prefix}-${i}`)))
      .expect(200);
    expect(res.body.errors).toEqual([]);
    return res.body.created.map((s: { id: string }) => s.id);
  }
  /** One ready shipment whose pickup is requested (its item waiting for the worker). */
  async function requested(prefix: string): Promise<string> {
    const [id] = await shipments(1, prefix);
    await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [id] })
      .expect(202);
    return id;
  }
  async function drain(app: TestApp = t): Promise<void> {
    while ((await app.app.get(PickupService).processDue(50)) > 0);
  }

  it('accepts 200 shipments at once and books every one, storing the decision', async () => {
    const ids = await shipments(200, 'P200');
    const accepted = await http.post('/v1/pickups').set(seller.auth).send({ shipmentIds: ids }).expect(202);
    expect(accepted.body).toMatchObject({
      status: 'accepted',
      shipments: expect.arrayContaining([{ shipmentId: ids[0], status: 'booking' }]),
    });
    await drain();
    const pickup = await http.get(`/v1/pickups/${accepted.body.id}`).set(seller.auth).expect(200);
    expect(pickup.body.status).toBe('done');
    expect(pickup.body.shipments).toHaveLength(200);
    for (const s of pickup.body.shipments) {
      expect(s).toMatchObject({ status: 'booked', courier: expect.any(String), awb: expect.any(String) });
      expect(s.attempts).toHaveLength(1);
      expect(s.attempts[0]).toMatchObject({ outcome: 'booked', courier: s.courier, awb: s.awb });
    }
    const detail = await http.get(`/v1/shipments/${ids[0]}`).set(seller.auth).expect(200);
    expect(detail.body.decision).toMatchObject({
      preset: 'balanced',
      modelVersion: expect.any(String),
      winner: { courier: expect.any(String) },
      runnerUp: expect.any(Object),
    });
    expect(detail.body.decision.candidates.length).toBe(12);
    expect(detail.body.decision.booked).toEqual(detail.body.decision.winner);
    // The shipment shows the booking's attempts as its pickup does.
    const ofPickup = (pickup.body.shipments as { shipmentId: string; attempts: unknown[] }[]).find(
      (s) => s.shipmentId === ids[0],
    )!;
    expect(detail.body.pickupAttempts).toEqual(ofPickup.attempts);
    // What it costs is the booked candidate's quote (return fee: the courier's contract share of the price).
    const booked = (
      detail.body.decision.candidates as {
        courier: string;
        service: string;
        price: number;
        codFee: number;
        cashback: number;
      }[]
    ).find((c) => c.courier === detail.body.courier.code && c.service === detail.body.courier.service)!;
    const terms = t.app.get(AppConfig).business.couriers.terms[detail.body.courier.code as CourierCode];
    expect(detail.body.charges).toEqual({
      shipping: booked.price,
      codFee: booked.codFee,
      cashback: booked.cashback,
      returnFee: Math.round((booked.price * terms.returnFeeBasisPoints) / 10_000),
    });
    expect(booked.price).toBeGreaterThan(0);
  }, 120_000);

  it('creates one pickup for 50 concurrent retries with the same Idempotency-Key', async () => {
    const ids = await shipments(3, 'RACE');
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        supertest(t.url)
          .post('/v1/pickups')
          .set(seller.auth)
          .set('idempotency-key', 'pickup-race')
          .send({ shipmentIds: ids }),
      ),
    );
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([202]));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    const [{ n }] = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM pickup_items WHERE shipment_id = ANY($1)',
      [ids],
    );
    expect(n).toBe(3);
    await drain();
  });

  /** A quote for the test shipment's place and parcel (its rates then cached): the answer's body. */
  async function quoteTestShipment(): Promise<{ recommended: unknown }> {
    const { district, city, province, postalCode } = validShipment(origin).recipient;
    const { description: _d, ...parcel } = validShipment(origin).parcel;
    const destination = { district, city, province, postalCode };
    return (
      await http
        .post('/v1/quotes')
        .set(seller.auth)
        .send({ originAddressId: origin, destination, parcel, codAmount: 150_000 })
        .expect(200)
    ).body as { recommended: unknown };
  }

  it('books every shipment with the runner-up when the best courier fails every call, recording each attempt', async () => {
    const ids = await shipments(5, 'FAIL');
    const best = (await quoteTestShipment()).recommended as { courier: string; service: string };
    const control = t.app.get(SandboxControl);
    await control.setFaults(best.courier, { errorRate: 1 });
    try {
      const accepted = await http.post('/v1/pickups').set(seller.auth).send({ shipmentIds: ids }).expect(202);
      await drain();
      const pickup = (await http.get(`/v1/pickups/${accepted.body.id}`).set(seller.auth).expect(200)).body;
      for (const s of pickup.shipments) {
        expect(s.status).toBe('booked');
        expect(s.courier).not.toBe(best.courier);
        const failed = s.attempts.filter((a: { outcome: string }) => a.outcome === 'failed');
        expect(failed.length).toBeGreaterThanOrEqual(1);
        expect(failed.every((a: { courier: string; errorKind: string }) => a.errorKind === 'retriable')).toBe(
          true,
        );
        expect(failed.map((a: { courier: string }) => a.courier)).toContain(best.courier);
        // The shipment's own page tells the same story: the failed courier, then the one that booked it.
        const detail = (await http.get(`/v1/shipments/${s.shipmentId}`).set(seller.auth).expect(200)).body;
        expect(detail.pickupAttempts).toEqual(s.attempts);
        expect(detail.pickupAttempts.filter((a: { outcome: string }) => a.outcome === 'booked')).toEqual([
          expect.objectContaining({ courier: s.courier, awb: s.awb }),
        ]);
      }
    } finally {
      await control.setFaults(best.courier, { errorRate: 0 });
    }
  });

  /** A new shipment pinned to SAP UDRREG: its id. */
  async function pinnedToSap(reference: string): Promise<string> {
    const shipment = validShipment(origin, reference);
    const res = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({ ...shipment, courier: { code: 'sap', service: 'UDRREG' } })
      .expect(201);
    return (res.body as { id: string }).id;
  }

  /**
   * The shipment's pickup asked for and tried while SAP fails every call, its rates known (a quote just
   * made: the booking asks SAP for the order, which fails); `meanwhile` runs before SAP answers again.
   */
  async function triedWhileSapFails(id: string, meanwhile?: () => Promise<void>): Promise<void> {
    await quoteTestShipment();
    const control = t.app.get(SandboxControl);
    await control.setFaults('sap', { errorRate: 1 });
    try {
      await http
        .post('/v1/pickups')
        .set(seller.auth)
        .send({ shipmentIds: [id] })
        .expect(202);
      await drain();
      await meanwhile?.();
    } finally {
      await control.setFaults('sap', { errorRate: 0 });
    }
  }

  it('tries a pinned courier that fails for now again later, and books with it once it answers: no booking_failed for a brief outage', async () => {
    const id = await pinnedToSap('PINNED-OUTAGE');
    await triedWhileSapFails(id, async () => {
      const waiting = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
      expect(waiting.status).toBe('booking');
      expect(waiting.pickupAttempts).toEqual([
        expect.objectContaining({ courier: 'sap', outcome: 'failed', errorKind: 'retriable' }),
      ]);
      // Not before its time: the item waits.
      t.clock.advance(60_000);
      expect(await t.app.get(PickupService).processDue(10)).toBe(0);
    });
    t.clock.advance(5 * 60_000);
    await drain();
    const booked = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    expect(booked).toMatchObject({ status: 'booked', courier: { code: 'sap' } });
    expect((booked.pickupAttempts as { outcome: string }[]).map((a) => a.outcome)).toEqual([
      'failed',
      'booked',
    ]);
  });

  it('lets the seller cancel a booking while it waits for its couriers to answer again: none is booked after', async () => {
    const id = await pinnedToSap('PINNED-WAITING');
    await triedWhileSapFails(id);
    expect((await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body.status).toBe('booking');
    const cancelled = await http.post(`/v1/shipments/${id}/cancel`).set(seller.auth).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', reason: 'cancelled_by_seller' });
    t.clock.advance(5 * 60_000);
    await drain();
    const after = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    expect(after.status).toBe('cancelled');
    expect((after.pickupAttempts as { outcome: string }[]).map((a) => a.outcome)).toEqual(['failed']);
  });

  it('tries again a pinned booking whose order was lost and not found at the courier, rather than failing it', async () => {
    const id = await pinnedToSap('PINNED-LOST');
    await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [id] })
      .expect(202);
    // SAP never makes the order: the call times out, and SAP does not have it when asked, now or later.
    const sap = t.app.get(CourierRegistry).get('sap');
    const spies = [
      jest
        .spyOn(sap, 'createOrder')
        .mockRejectedValue(
          new CourierUnavailableError('sap', 'timeout', 'ABORTED', 'the call was abandoned'),
        ),
      jest.spyOn(sap, 'findByReference').mockResolvedValue(null),
    ];
    try {
      await drain();
      t.clock.advance(61_000);
      await drain();
      const waiting = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
      expect(waiting.status).toBe('booking');
      expect((waiting.pickupAttempts as { errorKind: string }[]).map((a) => a.errorKind)).toEqual([
        'reconciled',
      ]);
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
    t.clock.advance(5 * 60_000);
    await drain();
    const booked = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    expect(booked).toMatchObject({ status: 'booked', courier: { code: 'sap' } });
  });

  /**
   * A pickup requested for one new shipment, booked by `run` while every courier's calls are spied on by
   * `spy`, which notes in `made` the order the first courier asked made. Answers the pickup's id and it.
   */
  async function bookedWhileSpied<M>(
    prefix: string,
    spy: (courier: ResilientCourier, made: { order?: M }) => jest.SpyInstance[],
    run: () => Promise<unknown>,
  ): Promise<{ pickupId: string; made: M }> {
    const [id] = await shipments(1, prefix);
    const accepted = await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [id] })
      .expect(202);
    const made: { order?: M } = {};
    const spies = t.app
      .get(CourierRegistry)
      .all()
      .flatMap((courier) => spy(courier, made));
    try {
      await run();
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
    expect(made.order).toBeDefined();
    return { pickupId: accepted.body.id as string, made: made.order! };
  }

  /**
   * The first courier asked makes the order and has the connection reset before its answer arrives (and,
   * with `lookupFails`, every courier's look-up by reference fails too) while `run` books.
   */
  const resetAfterOrder = (prefix: string, lookupFails: boolean, run: () => Promise<unknown>) =>
    bookedWhileSpied<{ courier: CourierCode; reference: string }>(
      prefix,
      (courier, made) => {
        const real = courier.createOrder.bind(courier);
        const create = jest.spyOn(courier, 'createOrder').mockImplementation(async (request) => {
          if (made.order) return real(request);
          await real(request);
          made.order = { courier: courier.code, reference: request.reference };
          throw new CourierUnavailableError(courier.code, 'network', 'ECONNRESET', 'socket hang up');
        });
        if (!lookupFails) return [create];
        // The look-up fails right after, as a reset connection's often does.
        const reset = new CourierUnavailableError(courier.code, 'network', 'ECONNRESET', 'reset');
        return [create, jest.spyOn(courier, 'findByReference').mockRejectedValue(reset)];
      },
      run,
    );

  it('learns no pickup failure of a courier whose call Kirim kept from it (its circuit open, its queue full), and books the runner-up', async () => {
    const failures = async () =>
      Object.fromEntries(
        (
          await t.dataSource.query<{ courier: string; failures: number }[]>(
            'SELECT courier, failures::int AS failures FROM pickup_stats',
          )
        ).map((r) => [r.courier, r.failures]),
      );
    const before = await failures();
    const kept: string[] = [];
    const { pickupId } = await bookedWhileSpied<string>(
      'KEPT',
      (courier, made) => {
        const real = courier.createOrder.bind(courier);
        return [
          jest.spyOn(courier, 'createOrder').mockImplementation(async (request) => {
            if (kept.length === 2) return real(request);
            kept.push(courier.code);
            made.order ??= courier.code;
            throw kept.length === 1
              ? new CourierUnavailableError(
                  courier.code,
                  'circuit_open',
                  'CIRCUIT_OPEN',
                  'circuit breaker is open',
                )
              : new CourierUnavailableError(courier.code, 'bulkhead_full', 'BULKHEAD_FULL', 'too many calls');
          }),
        ];
      },
      drain,
    );
    const [booked] = (await http.get(`/v1/pickups/${pickupId}`).set(seller.auth).expect(200)).body
      .shipments as {
      status: string;
      attempts: { outcome: string; errorKind?: string }[];
    }[];
    expect(booked.status).toBe('booked');
    // Made at one instant of the test's clock: in no set order.
    expect(booked.attempts.map((a) => `${a.outcome} ${a.errorKind ?? ''}`).sort()).toEqual([
      'booked ',
      'failed retriable',
      'failed retriable',
    ]);
    expect(await failures()).toEqual(before);
  });

  it('a courier order whose connection broke after the courier made it is found by its reference, not left live beside a runner-up’s', async () => {
    const { pickupId, made } = await resetAfterOrder('RESET', false, drain);
    const pickup = (await http.get(`/v1/pickups/${pickupId}`).set(seller.auth).expect(200)).body;
    const [booked] = pickup.shipments as {
      status: string;
      courier: string;
      awb: string;
      attempts: unknown[];
    }[];
    const orders = await t.app.get(SandboxWorld).findByReference(made.courier, made.reference);
    expect(orders).toHaveLength(1);
    expect(booked).toMatchObject({ status: 'booked', courier: made.courier, awb: orders[0].awb });
    expect(booked.attempts).toEqual([expect.objectContaining({ outcome: 'booked', courier: made.courier })]);
  });

  /**
   * The pickup's shipment, still booking, after the lease: the restart check finds the order `made` and
   * books it with that courier, the only order made. Answers the pickup.
   */
  async function bookedAfterTheLease(pickupId: string, made: { courier: CourierCode; reference: string }) {
    const waiting = (await http.get(`/v1/pickups/${pickupId}`).set(seller.auth).expect(200)).body;
    expect(waiting.shipments[0]).toMatchObject({ status: 'booking' });
    t.clock.advance(61_000);
    await drain();
    const pickup = (await http.get(`/v1/pickups/${pickupId}`).set(seller.auth).expect(200)).body;
    const orders = await t.app.get(SandboxWorld).findByReference(made.courier, made.reference);
    expect(orders).toHaveLength(1);
    expect(pickup.shipments[0]).toMatchObject({
      status: 'booked',
      courier: made.courier,
      awb: orders[0].awb,
    });
    return pickup as { shipments: { attempts: unknown[] }[] };
  }

  it('a courier order whose answer was lost and whose look-up failed too waits for the look-up after the lease, not for another courier', async () => {
    const { pickupId, made } = await resetAfterOrder('RESETLOOK', true, async () =>
      expect(await t.app.get(PickupService).processDue(10)).toBe(1),
    );
    await bookedAfterTheLease(pickupId, made);
  });

  it('a courier order whose answer was lost and that the courier had not made yet when looked up at once is looked up again after the lease, not left live beside a runner-up’s', async () => {
    const { pickupId, made } = await bookedWhileSpied<{ courier: CourierCode; reference: string }>(
      'LATEORDER',
      (courier, made) => {
        const real = courier.createOrder.bind(courier);
        let late: (() => Promise<unknown>) | undefined;
        return [
          jest.spyOn(courier, 'createOrder').mockImplementation(async (request) => {
            if (made.order) return real(request);
            made.order = { courier: courier.code, reference: request.reference };
            // The courier is still making it when the call times out; it finishes after its look-up.
            late = () => real(request);
            throw new CourierUnavailableError(courier.code, 'timeout', 'ABORTED', 'the call was abandoned');
          }),
          jest.spyOn(courier, 'findByReference').mockImplementation(async () => {
            const finishing = late;
            late = undefined;
            await finishing?.();
            return null;
          }),
        ];
      },
      async () => expect(await t.app.get(PickupService).processDue(10)).toBe(1),
    );
    const pickup = await bookedAfterTheLease(pickupId, made);
    expect(pickup.shipments[0].attempts).toEqual([
      expect.objectContaining({ outcome: 'booked', courier: made.courier }),
    ]);
  });

  /**
   * The first courier asked makes the order and then fails its pickup request (its answer lost, or
   * `refused`), and every courier's cancel answers `cancel`, while `run` books.
   */
  const pickupRequestFails = (
    prefix: string,
    cancel: () => Promise<CancelOutcome>,
    run: () => Promise<unknown>,
    pickup: 'lost' | 'refused' = 'lost',
  ) =>
    bookedWhileSpied<{ courier: CourierCode; awb: string }>(
      prefix,
      (courier, made) => {
        const real = courier.requestPickup.bind(courier);
        return [
          jest.spyOn(courier, 'requestPickup').mockImplementation(async (order, request) => {
            if (made.order) return real(order, request);
            made.order = { courier: courier.code, awb: order.awb };
            throw pickup === 'lost'
              ? new CourierUnavailableError(courier.code, 'timeout', 'ETIMEDOUT', 'no answer in time')
              : new CourierRejectedError(courier.code, 'invalid_request', 'PU01', 'no pickup on that day');
          }),
          jest.spyOn(courier, 'cancel').mockImplementation(cancel),
        ];
      },
      run,
    );

  it('an order whose pickup request was lost and whose cancel failed waits for its courier, not for another', async () => {
    const unreachable = (): Promise<CancelOutcome> =>
      Promise.reject(new CourierUnavailableError('jne', 'network', 'ECONNRESET', 'reset'));
    const { pickupId, made } = await pickupRequestFails('PUCANCEL', unreachable, async () =>
      expect(await t.app.get(PickupService).processDue(10)).toBe(1),
    );
    const waiting = (await http.get(`/v1/pickups/${pickupId}`).set(seller.auth).expect(200)).body;
    expect(waiting.shipments[0]).toMatchObject({
      status: 'booking',
      attempts: [expect.objectContaining({ courier: made.courier, outcome: 'started' })],
    });
    // After the lease, the restart check finds the order live and asks for its pickup again: booked with it.
    t.clock.advance(61_000);
    await drain();
    const pickup = (await http.get(`/v1/pickups/${pickupId}`).set(seller.auth).expect(200)).body;
    expect(pickup.shipments[0]).toMatchObject({ status: 'booked', courier: made.courier, awb: made.awb });
    expect(pickup.shipments[0].attempts).toEqual([
      expect.objectContaining({ courier: made.courier, outcome: 'booked', awb: made.awb }),
    ]);
  });

  it('an order whose pickup request failed is booked when its courier, asked to cancel, has the parcel already', async () => {
    const pickedUp = (): Promise<CancelOutcome> =>
      Promise.resolve({
        cancelled: false,
        reason: 'already_picked_up',
        rawMessage: 'sandbox says picked up',
      });
    const { pickupId, made } = await pickupRequestFails('PUTAKEN', pickedUp, drain);
    const pickup = (await http.get(`/v1/pickups/${pickupId}`).set(seller.auth).expect(200)).body;
    expect(pickup.shipments[0]).toMatchObject({ status: 'booked', courier: made.courier, awb: made.awb });
  });

  it('an order its courier refuses to cancel after refusing its pickup keeps its airway bill on the failed attempt', async () => {
    const refused = (): Promise<CancelOutcome> =>
      Promise.resolve({ cancelled: false, reason: 'refused', rawMessage: 'sandbox says no' });
    const { pickupId, made } = await pickupRequestFails('PUREFUSED', refused, drain, 'refused');
    const pickup = (await http.get(`/v1/pickups/${pickupId}`).set(seller.auth).expect(200)).body;
    const [shipment] = pickup.shipments;
    expect(shipment.status).toBe('booked');
    expect(shipment.courier).not.toBe(made.courier);
    // A scan of the live order is then told to the seller, as for any earlier booking. (Attempts started at
    // one moment of the test clock come in no set order.)
    expect(shipment.attempts).toHaveLength(2);
    expect(shipment.attempts.find((a: { courier: string }) => a.courier === made.courier)).toMatchObject({
      courier: made.courier,
      outcome: 'failed',
      awb: made.awb,
      errorMessage: expect.stringContaining('could not be cancelled (sandbox says no)'),
    });
  });

  it('an order found again whose pickup is refused and whose courier will not cancel it is not ordered there a second time', async () => {
    let cancels = 0;
    const { pickupId, made } = await bookedWhileSpied<{ courier: CourierCode; awb: string }>(
      'PUTWICE',
      (courier, made) => {
        const real = courier.requestPickup.bind(courier);
        return [
          // The first courier asked refuses every pickup of the shipment; the others take theirs.
          jest.spyOn(courier, 'requestPickup').mockImplementation(async (order, request) => {
            if (made.order && made.order.courier !== courier.code) return real(order, request);
            made.order ??= { courier: courier.code, awb: order.awb };
            throw new CourierRejectedError(courier.code, 'invalid_request', 'PU01', 'no pickup on that day');
          }),
          // Its first cancel cannot reach it (the attempt is left started); asked again, it refuses.
          jest.spyOn(courier, 'cancel').mockImplementation((): Promise<CancelOutcome> => {
            cancels += 1;
            if (cancels === 1)
              return Promise.reject(
                new CourierUnavailableError(courier.code, 'network', 'ECONNRESET', 'reset'),
              );
            return Promise.resolve({ cancelled: false, reason: 'refused', rawMessage: 'sandbox says no' });
          }),
        ];
      },
      async () => {
        expect(await t.app.get(PickupService).processDue(10)).toBe(1);
        // After the lease, the restart check finds the order, whose pickup is refused again, still live.
        t.clock.advance(61_000);
        await drain();
      },
    );
    const [shipment] = (await http.get(`/v1/pickups/${pickupId}`).set(seller.auth).expect(200)).body
      .shipments;
    expect(shipment.status).toBe('booked');
    expect(shipment.courier).not.toBe(made.courier);
    // One order at the first courier, live there and said so: not a second beside it.
    expect(shipment.attempts.filter((a: { courier: string }) => a.courier === made.courier)).toEqual([
      expect.objectContaining({ outcome: 'failed', awb: made.awb }),
    ]);
  });

  it('an order its courier will not cancel after a pickup request whose answer was lost is booked: that courier may come', async () => {
    // Refused by an error answer (credentials), not an outage: asking again after the lease would not help.
    const refused = (): Promise<CancelOutcome> =>
      Promise.reject(new CourierRejectedError('jne', 'auth', '401', 'unauthorised'));
    const { pickupId, made } = await pickupRequestFails('PULOSTKEPT', refused, drain);
    const pickup = (await http.get(`/v1/pickups/${pickupId}`).set(seller.auth).expect(200)).body;
    expect(pickup.shipments[0]).toMatchObject({ status: 'booked', courier: made.courier, awb: made.awb });
    expect(pickup.shipments[0].attempts).toEqual([
      expect.objectContaining({ courier: made.courier, outcome: 'booked', awb: made.awb }),
    ]);
  });

  it('after a crash between "sent" and "saved", a second instance reconciles by our reference: no second airway bill', async () => {
    const [id] = await shipments(1, 'CRASH');
    const accepted = await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [id] })
      .expect(202);
    // Instance A claims the item, writes its attempt and reaches the courier, then dies before saving.
    const repo = t.app.get(PickupsRepository);
    const tx = t.app.get(Transactions);
    const [item] = await tx.run(() => repo.claimDue(10, t.clock.now(), 60_000));
    expect(item.shipment_id).toBe(id);
    const reference = attemptReference(id, 1);
    await repo.startAttempt({
      shipmentId: id,
      itemId: item.id,
      courier: 'sap',
      service: 'UDRREG',
      reference,
      charges: { shippingFee: 18_000, codFee: 3000, cashback: 2700, returnFee: 9000 },
      now: t.clock.now(),
    });
    const sap = t.app.get(CourierRegistry).get('sap');
    const order = await sap.createOrder({
      reference,
      service: 'UDRREG',
      sender: {
        ...validShipment(origin).recipient,
        name: 'Toko',
        district: 'Sumur Bandung',
        city: 'Bandung',
        province: 'Jawa Barat',
        postalCode: '40111',
        phone: '+6281234567890',
        address: 'Jl. Braga 12',
        districtCode: '32.73.19',
      },
      recipient: { ...validShipment(origin).recipient, phone: '+6281298765432', districtCode: '31.71.06' },
      parcel: { weightGrams: 1200 },
      codAmount: 150_000,
      pickup: true,
    });

    // Instance B on the same database: nothing is claimable until A's lease runs out.
    const b = await startTestApp({}, t.db);
    try {
      expect(await b.app.get(PickupService).processDue(10)).toBe(0);
      b.clock.set(new Date(t.clock.now().getTime() + 61_000));
      expect(await b.app.get(PickupService).processDue(10)).toBe(1);
      const pickup = (await http.get(`/v1/pickups/${accepted.body.id}`).set(seller.auth).expect(200)).body;
      expect(pickup.shipments[0]).toMatchObject({ status: 'booked', courier: 'sap', awb: order.awb });
      expect(pickup.shipments[0].attempts).toEqual([
        expect.objectContaining({ courier: 'sap', outcome: 'booked', awb: order.awb }),
      ]);
      expect(await t.app.get(SandboxWorld).findByReference('sap', reference)).toHaveLength(1);
      // What it costs comes from the attempt A wrote before it called the courier.
      const shipment = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
      expect(shipment.charges).toEqual({ shipping: 18_000, codFee: 3000, cashback: 2700, returnFee: 9000 });
    } finally {
      await b.close();
    }
  });

  /**
   * A booking whose instance died between the courier order and its pickup request (JNE issues the airway
   * bill, generatecnote, and books the pickup, pickupcashless, in two calls): the order at JNE, no pickup.
   */
  async function crashedAfterOrder(prefix: string): Promise<{ id: string; awb: string }> {
    const id = await requested(prefix);
    const repo = t.app.get(PickupsRepository);
    const [item] = await t.app.get(Transactions).run(() => repo.claimDue(10, t.clock.now(), 60_000));
    const reference = attemptReference(id, 1);
    await repo.startAttempt({
      shipmentId: id,
      itemId: item.id,
      courier: 'jne',
      service: 'REG',
      reference,
      charges: { shippingFee: 18_000, codFee: 3000, cashback: 1800, returnFee: 18_000 },
      now: t.clock.now(),
    });
    const order = await t.app
      .get(CourierRegistry)
      .get('jne')
      .createOrder({
        reference,
        service: 'REG',
        ...directOrderParties(origin),
        parcel: { weightGrams: 1200 },
        codAmount: 150_000,
        pickup: true,
      });
    return { id, awb: order.awb };
  }

  it('after a crash between the courier order and its pickup request, the reconciled booking has its pickup requested', async () => {
    const { id, awb } = await crashedAfterOrder('CRASHPU');
    const world = t.app.get(SandboxWorld);
    const steps = async () => world.happened((await world.find('jne', awb))!).map((s) => s.status);
    expect(await steps()).not.toContain('pickup_requested');

    t.clock.advance(61_000);
    expect(await t.app.get(PickupService).processDue(10)).toBe(1);
    const shipment = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    expect(shipment).toMatchObject({ status: 'booked', courier: { code: 'jne' }, awb });
    expect(await steps()).toContain('pickup_requested');
  });

  it('a worker whose reconciling outlived its lease leaves the item to the worker that took it over', async () => {
    const { id, awb } = await crashedAfterOrder('CRASHLEASE');
    t.clock.advance(61_000);
    // The first worker's look-up at JNE is slow: its answer comes after the item's lease has run out.
    const jne = t.app.get(CourierRegistry).get('jne');
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let lookups = 0;
    const find = jne.findByReference.bind(jne);
    const lookupSpy = jest.spyOn(jne, 'findByReference').mockImplementation(async (reference) => {
      if (++lookups === 1) await slow;
      return find(reference);
    });
    // A courier that refuses a pickup asked for twice.
    let pickups = 0;
    const request = jne.requestPickup.bind(jne);
    const pickupSpy = jest.spyOn(jne, 'requestPickup').mockImplementation(async (order, req) => {
      if (++pickups > 1)
        throw new CourierRejectedError('jne', 'duplicate', 'DUP', 'pickup already requested');
      return request(order, req);
    });
    try {
      const first = t.app.get(PickupService).processDue(10);
      await waitUntil(() => lookups === 1, 'the first worker is asking JNE');
      t.clock.advance(61_000);
      // A second worker takes the item over and books the order it finds.
      expect(await t.app.get(PickupService).processDue(10)).toBe(1);
      release();
      await first;
    } finally {
      release();
      lookupSpy.mockRestore();
      pickupSpy.mockRestore();
    }
    expect(pickups).toBe(1);
    const shipment = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    expect(shipment).toMatchObject({ status: 'booked', awb });
    expect((shipment.pickupAttempts as { outcome: string }[]).map((a) => a.outcome)).toEqual(['booked']);
    const world = t.app.get(SandboxWorld);
    expect(world.happened((await world.find('jne', awb))!).map((s) => s.status)).not.toContain('cancelled');
  });

  it('a booking that fails over from courier to courier keeps its item: its lease is renewed before each courier', async () => {
    const id = await requested('RENEW');
    // Each courier takes 50 s to answer: the first fails, the second books, 100 s after the item was claimed.
    let calls = 0;
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const spies = t.app
      .get(CourierRegistry)
      .all()
      .map((courier) => {
        const real = courier.createOrder.bind(courier);
        return jest.spyOn(courier, 'createOrder').mockImplementation(async (request) => {
          calls += 1;
          t.clock.advance(50_000);
          if (calls === 1)
            throw new CourierUnavailableError(courier.code, 'server_error', '503', 'Service Unavailable');
          if (calls === 2) await slow;
          return real(request);
        });
      });
    try {
      const first = t.app.get(PickupService).processDue(10);
      await waitUntil(() => calls === 2, 'the first worker is at its second courier');
      // Another worker finds nothing to take over: the first is still at work on it.
      expect(await t.app.get(PickupService).processDue(10)).toBe(0);
      release();
      await first;
    } finally {
      release();
      spies.forEach((s) => s.mockRestore());
    }
    const shipment = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    expect(shipment.status).toBe('booked');
    expect((shipment.pickupAttempts as { outcome: string }[]).map((a) => a.outcome)).toEqual([
      'failed',
      'booked',
    ]);
  });

  it('a worker whose last courier failed after its lease ran out leaves the shipment to the worker that took it over', async () => {
    const id = await requested('ALLFAILED');
    const couriers = t.app.get(CourierRegistry).all();
    // The first worker's quotes fail at every courier but J&T (one service): J&T is its only candidate. The
    // second worker, which took the item over, has them all.
    let takenOver = false;
    const releases: (() => void)[] = [];
    const spies = couriers.flatMap((courier) => {
      const quote = courier.quote.bind(courier);
      const create = courier.createOrder.bind(courier);
      return [
        jest.spyOn(courier, 'quote').mockImplementation(async (request) => {
          if (!takenOver && courier.code !== 'jnt')
            throw new CourierUnavailableError(courier.code, 'server_error', '502', 'Bad Gateway');
          return quote(request);
        }),
        // Each worker's courier answers only once let go: the first worker's fails, the second's books.
        jest.spyOn(courier, 'createOrder').mockImplementation(async (request) => {
          const call = releases.length;
          await new Promise<void>((resolve) => releases.push(resolve));
          if (call === 0)
            throw new CourierUnavailableError(courier.code, 'server_error', '503', 'Service Unavailable');
          return create(request);
        }),
      ];
    });
    try {
      const first = t.app.get(PickupService).processDue(10);
      await waitUntil(() => releases.length === 1, 'the first worker is at J&T');
      t.clock.advance(61_000);
      takenOver = true;
      const second = t.app.get(PickupService).processDue(10);
      await waitUntil(
        () => releases.length === 2,
        'the second worker took the item over and is at a courier',
      );
      // The first worker's only courier fails: it has none left, but the item is no longer its own.
      releases[0]();
      await first;
      releases[1]();
      expect(await second).toBe(1);
    } finally {
      releases.forEach((release) => release());
      spies.forEach((spy) => spy.mockRestore());
    }
    const shipment = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    expect(shipment.status).toBe('booked');
    expect(shipment.courier.code).not.toBe('jnt');
    expect((shipment.pickupAttempts as { outcome: string }[]).map((a) => a.outcome)).toEqual([
      'failed',
      'booked',
    ]);
  });

  /**
   * The due item booked over a takeover: the first courier asked is slow, its answer coming after the item's
   * lease has run out; a second worker takes the item over and books it; then the first courier answers.
   * `alsoSpy` replaces more of each courier meanwhile.
   */
  async function bookedOverATakeover(alsoSpy?: (courier: ResilientCourier) => jest.SpyInstance) {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const held: CourierCode[] = [];
    const spies = t.app
      .get(CourierRegistry)
      .all()
      .flatMap((courier) => {
        const real = courier.createOrder.bind(courier);
        return [
          jest.spyOn(courier, 'createOrder').mockImplementation(async (request) => {
            if (!held.length) {
              held.push(courier.code);
              await slow;
            }
            return real(request);
          }),
          ...(alsoSpy ? [alsoSpy(courier)] : []),
        ];
      });
    try {
      const first = t.app.get(PickupService).processDue(10);
      await waitUntil(() => held.length > 0, 'the first worker is at the courier');
      t.clock.advance(61_000);
      expect(await t.app.get(PickupService).processDue(10)).toBe(1);
      release();
      await first;
    } finally {
      release();
      spies.forEach((spy) => spy.mockRestore());
    }
  }

  it('a booking that outlives its lease, taken over by another worker, leaves one live airway bill', async () => {
    const id = await requested('LEASE');
    await bookedOverATakeover();
    const shipment = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    expect(shipment.status).toBe('booked');
    const world = t.app.get(SandboxWorld);
    const live: string[] = [];
    for (const attempt of shipment.pickupAttempts as { courier: CourierCode }[])
      for (let n = 1; n <= shipment.pickupAttempts.length; n++)
        for (const parcel of await world.findByReference(attempt.courier, attemptReference(id, n)))
          if (!world.happened(parcel).some((step) => step.status === 'cancelled')) live.push(parcel.awb);
    expect([...new Set(live)]).toEqual([shipment.awb]);
    // The order the slow worker made is shown cancelled, and why.
    const outcomes = shipment.pickupAttempts as {
      courier: CourierCode;
      outcome: string;
      errorKind?: string;
      awb?: string;
    }[];
    expect(outcomes.filter((a) => a.outcome === 'booked')).toEqual([
      expect.objectContaining({ awb: shipment.awb }),
    ]);
    const superseded = outcomes.find((a) => a.errorKind === 'superseded')!;
    expect(superseded).toMatchObject({ outcome: 'cancelled' });

    // Its courier did nothing wrong: when the live booking's courier cancels, it may carry the parcel again.
    await http
      .post(`/sandbox/parcels/${shipment.awb}/script`)
      .set(seller.auth)
      .send({ script: 'courier_cancelled' })
      .expect(200);
    t.clock.advance(3600_000);
    await t.app.get(TrackedShipments).pollBy(id, t.clock.now());
    expect((await t.app.get(TrackingPoller).pollDue()).rebooked).toBe(1);
    await drain();
    const again = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    expect(again).toMatchObject({ status: 'booked', courier: { code: superseded.courier } });
  });

  it('a superseded order its courier does not know is shown cancelled; one it refuses to cancel stays booked', async () => {
    for (const reason of ['not_found', 'refused'] as const) {
      const id = await requested(`LEASE-${reason.toUpperCase().replace('_', '')}`);
      await bookedOverATakeover((courier) =>
        jest
          .spyOn(courier, 'cancel')
          .mockResolvedValue({ cancelled: false, reason, rawMessage: `sandbox says ${reason}` }),
      );
      const shipment = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
      const outcomes = (shipment.pickupAttempts as { outcome: string; awb?: string }[])
        .map((a) => (a.awb === shipment.awb ? 'live' : a.outcome))
        .sort();
      expect({ reason, outcomes }).toEqual({
        reason,
        outcomes: reason === 'not_found' ? ['cancelled', 'live'] : ['booked', 'live'],
      });
    }
  });

  /** The attempt of a shipment whose order is not its booking's (a superseded one), as the API shows it. */
  async function supersededAttempt(id: string) {
    const s = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    return (
      s.pickupAttempts as {
        courier: CourierCode;
        outcome: string;
        awb?: string;
        errorKind?: string;
        errorCode?: string;
      }[]
    ).find((a) => a.awb && a.awb !== s.awb)!;
  }

  it('asks the courier of a superseded order it could not reach again, until the order is cancelled', async () => {
    const id = await requested('LEASE-UNREACHABLE');
    let asked = 0;
    await bookedOverATakeover((courier) =>
      jest.spyOn(courier, 'cancel').mockImplementation(() => {
        asked += 1;
        return Promise.reject(new Error('connect ECONNREFUSED'));
      }),
    );
    expect(asked).toBe(1);
    const earlier = () => supersededAttempt(id);
    const pending = await earlier();
    expect(pending).toMatchObject({
      outcome: 'booked',
      errorKind: 'superseded',
      errorCode: 'SUPERSEDED_CANCEL_PENDING',
    });
    const world = t.app.get(SandboxWorld);
    const cancelledThere = async () =>
      world
        .happened((await world.find(pending.courier, pending.awb!))!)
        .some((s) => s.status === 'cancelled');
    expect(await cancelledThere()).toBe(false);
    // Its courier answers again (the spy is gone); ten minutes on, the pickup job asks it once more.
    await t.app.get(PickupService).drainDue();
    expect((await earlier()).outcome).toBe('booked');
    t.clock.advance(10 * 60_000);
    await t.app.get(PickupService).drainDue();
    expect(await earlier()).toMatchObject({
      outcome: 'cancelled',
      errorKind: 'superseded',
      errorCode: 'SUPERSEDED',
    });
    expect(await cancelledThere()).toBe(true);
  });

  it('stops asking after a day, saying so; a retry that outlived its claim changes nothing; a rejection thrown is asked again', async () => {
    const id = await requested('LEASE-GIVEUP');
    const unreachable = () => Promise.reject(new Error('connect ECONNREFUSED'));
    await bookedOverATakeover((courier) => jest.spyOn(courier, 'cancel').mockImplementation(unreachable));
    const earlier = () => supersededAttempt(id);
    const [row] = await t.dataSource.query<{ id: string }[]>(
      "SELECT id FROM booking_attempts WHERE shipment_id = $1 AND error_code = 'SUPERSEDED_CANCEL_PENDING'",
      [id],
    );
    const repository = t.app.get(PickupsRepository);
    // Two runs claim it in turn (the first outlived its claim): the first's late answer is not written.
    t.clock.advance(10 * 60_000);
    const first = new Date(t.clock.now().getTime() + 60_000);
    expect((await repository.claimCancelRetries(t.clock.now(), first, 5)).map((a) => a.id)).toContain(row.id);
    t.clock.advance(61_000);
    const second = new Date(t.clock.now().getTime() + 60_000);
    expect((await repository.claimCancelRetries(t.clock.now(), second, 5)).map((a) => a.id)).toContain(
      row.id,
    );
    await repository.supersededLive(row.id, { code: 'SUPERSEDED_LIVE', message: 'late' }, null, first);
    expect((await earlier()).errorCode).toBe('SUPERSEDED_CANCEL_PENDING');

    // Its courier stays unreachable: a day after the booking Kirim stops asking, and says so.
    const spies = t.app
      .get(CourierRegistry)
      .all()
      .map((courier) => jest.spyOn(courier, 'cancel').mockImplementation(unreachable));
    try {
      t.clock.advance(25 * 3600_000);
      await t.app.get(PickupService).drainDue();
      const asked = spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
      expect(asked).toBe(1);
      expect(await earlier()).toMatchObject({
        outcome: 'booked',
        errorKind: 'superseded',
        errorCode: 'SUPERSEDED_GIVEN_UP',
      });
      t.clock.advance(3600_000);
      await t.app.get(PickupService).drainDue();
      expect(spies.reduce((n, spy) => n + spy.mock.calls.length, 0)).toBe(asked);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }

    // A courier that throws a rejection (its credentials refused, a page it could not read) is asked again:
    // only an answer worded as a cancel outcome is final.
    const rejectedId = await requested('LEASE-THROWN');
    await bookedOverATakeover((courier) =>
      jest
        .spyOn(courier, 'cancel')
        .mockRejectedValue(new CourierRejectedError(courier.code, 'auth', '401', 'token expired')),
    );
    expect(await supersededAttempt(rejectedId)).toMatchObject({
      outcome: 'booked',
      errorCode: 'SUPERSEDED_CANCEL_PENDING',
    });
  });

  it('books every courier for a recipient named in emoji: a name cut to a courier’s limit keeps whole characters', async () => {
    const name = `a${'😀'.repeat(40)}`;
    for (const [code, service] of Object.entries(SERVICE_OF) as [CourierCode, string][]) {
      const base = validShipment(origin);
      const { id } = (
        await http
          .post('/v1/shipments')
          .set(seller.auth)
          .send({ ...base, recipient: { ...base.recipient, name }, courier: { code, service } })
          .expect(201)
      ).body as { id: string };
      await http
        .post('/v1/pickups')
        .set(seller.auth)
        .send({ shipmentIds: [id] })
        .expect(202);
      await drain();
      const s = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body as {
        status: string;
        awb: string;
      };
      expect({ code, status: s.status }).toEqual({ code, status: 'booked' });
      // What the courier received has no half of a character in it.
      const parcel = await t.app.get(SandboxWorld).find(code, s.awb);
      expect(JSON.stringify(parcel!.request)).not.toMatch(/\\ud[89a-f]/i);
    }
  });

  it('passes the requested pickup day to the courier, a day to come by the service clock', async () => {
    // The test clock stands weeks before real time: a day to come by it is one real time has passed. Each
    // courier is asked for the requested day (the service's today decides, as the sandbox couriers' does).
    const ids: Record<'sap' | 'ninja' | 'jnt', string> = { sap: '', ninja: '', jnt: '' };
    for (const [code, service] of [
      ['sap', 'UDRREG'],
      ['ninja', 'STANDARD'],
      ['jnt', 'EZ'],
    ] as const)
      ids[code] = (
        await http
          .post('/v1/shipments')
          .set(seller.auth)
          .send({ ...validShipment(origin), courier: { code, service } })
          .expect(201)
      ).body.id;
    await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: Object.values(ids), pickupDate: '2026-11-05' })
      .expect(202);
    await drain();
    const request = async (code: 'sap' | 'ninja' | 'jnt') => {
      const { awb } = (await http.get(`/v1/shipments/${ids[code]}`).set(seller.auth).expect(200)).body;
      return (await t.app.get(SandboxWorld).find(code, awb))!.request;
    };
    expect(String((await request('sap')).expected_pickup_date)).toBe('2026-11-05 09:00:00');
    expect((await request('ninja')).parcel_job).toMatchObject({ pickup_date: '2026-11-05' });
    expect(await request('jnt')).toMatchObject({
      sendstarttime: '2026-11-05 08:00:00',
      sendendtime: '2026-11-05 17:00:00',
    });
  });

  it('refuses unknown, foreign or unready shipments naming each, and hides other sellers’ pickups', async () => {
    const [ready, cancelled] = await shipments(2, 'MIX');
    await http.post(`/v1/shipments/${cancelled}/cancel`).set(seller.auth).expect(200);
    const other = await signupSeller(http);
    const res = await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [ready, cancelled, '00000000-0000-4000-8000-000000000001'] })
      .expect(422);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([
      'shipmentIds.1',
      'shipmentIds.2',
    ]);
    const past = await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [ready], pickupDate: '2026-11-01' })
      .expect(422);
    expect(past.body.details).toEqual([
      { field: 'pickupDate', message: expect.stringContaining('before today') },
    ]);
    await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [ready], pickupDate: '2026-12-31' })
      .expect(422);
    expect((await t.dataSource.query('SELECT status FROM shipments WHERE id = $1', [ready]))[0].status).toBe(
      'ready',
    );
    const mine = await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [ready] })
      .expect(202);
    await http.get(`/v1/pickups/${mine.body.id}`).set(other.auth).expect(404);
    await http.post('/v1/pickups').set(seller.auth).send({ shipmentIds: [] }).expect(400);
    await drain();
  });

  it('takes shipment ids in any letter case: one shipment named twice is refused as a duplicate, and answered as stored', async () => {
    const [id] = await shipments(1, 'CASE');
    const twice = await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [id, id.toUpperCase()] })
      .expect(400);
    expect(twice.body.details).toEqual([
      { field: 'shipmentIds', message: expect.stringContaining('unique') },
    ]);
    const accepted = await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [id.toUpperCase()] })
      .expect(202);
    expect(accepted.body.shipments).toEqual([{ shipmentId: id, status: 'booking' }]);
    await drain();
  });
});

describe('cancelling a booked shipment', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
  });
  afterAll(() => t.close());

  async function booked(): Promise<{ id: string; awb: string }> {
    const origin = (await createAddress(http, seller)).id;
    const { id } = (await http.post('/v1/shipments').set(seller.auth).send(validShipment(origin)).expect(201))
      .body;
    await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [id] })
      .expect(202);
    while ((await t.app.get(PickupService).processDue(10)) > 0);
    const shipment = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    expect(shipment.status).toBe('booked');
    return { id, awb: shipment.awb };
  }

  it('cancels at the courier before pickup', async () => {
    const { id, awb } = await booked();
    const res = await http.post(`/v1/shipments/${id}/cancel`).set(seller.auth).expect(200);
    expect(res.body.status).toBe('cancelled');
    const parcel = await t.app.get(SandboxWorld).find(res.body.courier.code, awb);
    expect(
      t.app
        .get(SandboxWorld)
        .happened(parcel!)
        .map((s) => s.status),
    ).toContain('cancelled');
  });

  it('keeps the shipment when the courier already picked the parcel up, with the courier’s reason', async () => {
    const { id, awb } = await booked();
    t.clock.advance(3600_000);
    await http.post(`/sandbox/parcels/${awb}/advance`).set(seller.auth).send({ to: 'picked_up' }).expect(200);
    const res = await http.post(`/v1/shipments/${id}/cancel`).set(seller.auth).expect(409);
    expect(res.body).toMatchObject({
      code: 'SHIPMENTS_CANNOT_CANCEL',
      message: expect.stringContaining('already_picked_up'),
    });
    expect((await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body.status).toBe('booked');
  });
});

describe('the pickup watch', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let origin: string;

  // The jobs and the clock are operator controls.
  let admin: { auth: { authorization: string } };

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
    admin = await createOperator(t, http, 'admin');
    origin = (await createAddress(http, seller)).id;
  });
  afterAll(() => t.close());

  interface Booked {
    id: string;
    awb: string;
    courier: string;
    pickupId: string;
  }

  /** Ready shipments booked through the API, the outbox run by its job route. */
  async function book(n: number, prefix: string, extra: object = {}): Promise<Booked[]> {
    const res = await http
      .post('/v1/shipments/bulk')
      .set(seller.auth)
      .send(Array.from({ length: n }, (_, i) => ({ ...validShipment(origin, `${prefix}-${i}`), ...extra })))
      .expect(200);
    const ids: string[] = res.body.created.map((s: { id: string }) => s.id);
    const pickup = await http.post('/v1/pickups').set(seller.auth).send({ shipmentIds: ids }).expect(202);
    await runJob('pickups');
    return Promise.all(
      ids.map(async (id) => {
        const s = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
        expect(s).toMatchObject({ status: 'booked', pickupDueAt: expect.any(String) });
        return { id, awb: s.awb, courier: s.courier.code, pickupId: pickup.body.id };
      }),
    );
  }
  async function runJob(name: string): Promise<Record<string, number>> {
    return (await http.post(`/sandbox/jobs/${name}/run`).set(admin.auth).send({}).expect(200)).body.result;
  }
  const shipment = async (id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
  const pickupFailures = async (courier: string): Promise<number> =>
    (await t.dataSource.query('SELECT failures FROM pickup_stats WHERE courier = $1', [courier]))[0]
      ?.failures ?? 0;
  const advanceHours = (h: number) =>
    http.post('/sandbox/clock').set(admin.auth).send({ advanceHours: h }).expect(200);
  /** What `receiver` was told of shipment `id`, once the seller-webhooks job has sent `to` everything. */
  async function toldOf(receiver: WebhookReceiver, to: TestSeller, id: string) {
    for (let i = 0; i < 20; i += 1) {
      await runJob('seller-webhooks');
      const pending = await http
        .get('/v1/webhook-deliveries?status=pending&limit=1')
        .set(to.auth)
        .expect(200);
      if (!pending.body.items.length) break;
    }
    return receiver.received
      .map((r) => JSON.parse(r.rawBody.toString('utf8')) as { type: string; data: Record<string, unknown> })
      .filter((b) => b.data.shipmentId === id);
  }

  it('re-books with another courier a pickup the courier did not make by the deadline, and says why', async () => {
    const [a, b] = await book(2, 'MISS');
    const due = new Date((await shipment(a.id)).pickupDueAt).getTime();
    expect(due - t.clock.now().getTime()).toBe(24 * 3600_000);
    await http
      .post(`/sandbox/parcels/${a.awb}/script`)
      .set(seller.auth)
      .send({ script: 'pickup_missed' })
      .expect(200);
    await http
      .post(`/sandbox/parcels/${b.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'picked_up' })
      .expect(200);
    const failuresBefore = await pickupFailures(a.courier);

    // Before the deadline: the missed pickup is only waited on; the picked-up parcel leaves the watch.
    await advanceHours(2);
    await runJob('tracking-poll');
    expect(await shipment(a.id)).toMatchObject({ status: 'booked', awb: a.awb });
    expect(await shipment(b.id)).toMatchObject({ status: 'picked_up', awb: b.awb, pickupDueAt: null });

    await advanceHours(23);
    const result = await runJob('tracking-poll');
    expect(result.rebooked).toBe(1);
    expect(await shipment(a.id)).toMatchObject({
      status: 'booking',
      reason: 'pickup_missed',
      awb: null,
      courier: null,
      decision: null,
    });
    expect(
      await t.dataSource.query(
        'SELECT quoted_eta_min_days, quoted_eta_max_days FROM shipments WHERE id = $1',
        [a.id],
      ),
    ).toEqual([{ quoted_eta_min_days: null, quoted_eta_max_days: null }]);
    // Being booked again: the seller is told when a cancel can go through.
    const early = await http.post(`/v1/shipments/${a.id}/cancel`).set(seller.auth).expect(409);
    expect(early.body).toMatchObject({
      code: 'SHIPMENTS_CANNOT_CANCEL',
      message: expect.stringContaining('cancel it again once it is booked'),
    });
    const old = await t.app.get(SandboxWorld).find(a.courier as never, a.awb);
    expect(
      t.app
        .get(SandboxWorld)
        .happened(old!)
        .map((s) => s.status),
    ).toContain('cancelled');
    expect(await pickupFailures(a.courier)).toBe(failuresBefore + 1);

    await runJob('pickups');
    const again = await shipment(a.id);
    expect(again).toMatchObject({ status: 'booked', reason: null });
    expect(again.courier.code).not.toBe(a.courier);
    expect(again.awb).not.toBe(a.awb);
    const pickup = (await http.get(`/v1/pickups/${a.pickupId}`).set(seller.auth).expect(200)).body;
    expect(pickup.status).toBe('done');
    const attempts = pickup.shipments.find((s: { shipmentId: string }) => s.shipmentId === a.id).attempts;
    expect(attempts).toEqual([
      expect.objectContaining({
        courier: a.courier,
        outcome: 'cancelled',
        awb: a.awb,
        errorKind: 'pickup_missed',
        errorMessage: expect.stringContaining('did not pick up by'),
      }),
      expect.objectContaining({ courier: again.courier.code, outcome: 'booked', awb: again.awb }),
    ]);
    expect(attempts[0].errorCode).not.toBe('NO_PICKUP_SCAN'); // the courier's own pickup-failure scan
  });

  it('re-booking a missed pickup orders nothing where a superseded order of the shipment is still live', async () => {
    const [a] = await book(1, 'GHOST');
    // Orders made by workers that lost the shipment to another, their couriers not cancelling them: live at
    // every service of every other courier.
    const ghosts = t.app
      .get(CourierRegistry)
      .all()
      .filter((c) => c.code !== a.courier)
      .flatMap((c) => c.services().map((x): [CourierCode, string] => [c.code, x.code]));
    for (const [code, service] of ghosts)
      await t.dataSource.query(
        `INSERT INTO booking_attempts (id, shipment_id, pickup_item_id, courier, service, reference, status, awb,
           error_kind, error_code, error_message, started_at, finished_at)
         SELECT gen_random_uuid(), shipment_id, pickup_item_id, $2, $3, reference || '-ghost-' || $2 || $3, 'booked',
           'GHOST' || upper($2) || $3, 'superseded', 'SUPERSEDED_LIVE', 'its courier would not cancel it',
           started_at, finished_at
         FROM booking_attempts WHERE shipment_id = $1 AND awb = $4`,
        [a.id, code, service, a.awb],
      );
    await http
      .post(`/sandbox/parcels/${a.awb}/script`)
      .set(seller.auth)
      .send({ script: 'pickup_missed' })
      .expect(200);
    await advanceHours(25);
    expect((await runJob('tracking-poll')).rebooked).toBe(1);
    await runJob('pickups');
    const pickup = (await http.get(`/v1/pickups/${a.pickupId}`).set(seller.auth).expect(200)).body;
    const attempts = pickup.shipments.find((x: { shipmentId: string }) => x.shipmentId === a.id).attempts as {
      courier: string;
      service: string;
      outcome: string;
      errorKind?: string;
    }[];
    // At a courier's service holding a live order, the only attempt is that order: not a second airway bill.
    for (const [code, service] of ghosts)
      expect({
        code,
        attempts: attempts
          .filter((x) => x.courier === code && x.service === service)
          .map((x) => x.errorKind ?? x.outcome),
      }).toEqual({ code, attempts: ['superseded'] });
  });

  it('re-books at the next check, before the deadline, when the courier cancels the order itself', async () => {
    const [a] = await book(1, 'VOID');
    await http
      .post(`/sandbox/parcels/${a.awb}/script`)
      .set(seller.auth)
      .send({ script: 'courier_cancelled' })
      .expect(200);
    await advanceHours(1);
    expect((await runJob('tracking-poll')).rebooked).toBe(1);
    expect(await shipment(a.id)).toMatchObject({ status: 'booking', reason: 'courier_cancelled' });
    await runJob('pickups');
    const pickup = (await http.get(`/v1/pickups/${a.pickupId}`).set(seller.auth).expect(200)).body;
    const [cancelled, booked] = pickup.shipments[0].attempts;
    expect(cancelled).toMatchObject({
      courier: a.courier,
      outcome: 'cancelled',
      errorKind: 'courier_cancelled',
      errorCode: expect.any(String),
    });
    expect(booked).toMatchObject({ outcome: 'booked' });
    expect(booked.courier).not.toBe(a.courier);
  });

  it('tells the seller when the courier it re-booked away from scans the parcel after all: one alert per shipment, naming that courier and its airway bill, until the shipment ends', async () => {
    // A seller of its own, whose webhooks go to a receiver: what it is told is asserted below.
    const receiver = await WebhookReceiver.start();
    try {
      const mover = await signupSeller(http, 'Toko Resi Lama');
      await subscribeWebhooks(http, mover, receiver.url('/old-awb'));
      const from = (await createAddress(http, mover)).id;
      const created = await http
        .post('/v1/shipments')
        .set(mover.auth)
        .send(validShipment(from, 'OLDAWB-1'))
        .expect(201);
      const id: string = created.body.id;
      const view = async () => (await http.get(`/v1/shipments/${id}`).set(mover.auth).expect(200)).body;
      await http
        .post('/v1/pickups')
        .set(mover.auth)
        .send({ shipmentIds: [id] })
        .expect(202);
      await runJob('pickups');
      const first = await view();
      await http
        .post(`/sandbox/parcels/${first.awb}/script`)
        .set(mover.auth)
        .send({ script: 'pickup_missed' })
        .expect(200);
      await advanceHours(25);
      expect((await runJob('tracking-poll')).rebooked).toBe(1);
      await runJob('pickups');
      const again = await view();
      expect(again).toMatchObject({ status: 'booked', risk: 'none' });
      expect(again.courier.code).not.toBe(first.courier.code);
      const catalogue = t.app.get(AppConfig).business.couriers.catalogue;
      const [oldName, newName] = [first, again].map((s) => catalogue[s.courier.code as CourierCode].name);
      const open = async () =>
        (await http.get(`/v1/alerts?shipmentId=${id}`).set(mover.auth).expect(200)).body.items;

      // The first courier's driver took the parcel after all (the seller handed it over), and scans it under
      // the old airway bill, which no shipment has now.
      const who = { seller: mover, admin };
      await pushedMove(t, http, who, first.courier.code, first.awb, 'picked_up');
      const [alert] = await open();
      expect(await open()).toEqual([
        expect.objectContaining({
          rule: 'rebooked_parcel_scanned',
          severity: 'high',
          suggestedAction: 'contact',
          resolvedAt: null,
        }),
      ]);
      expect(alert.message).toMatch(
        new RegExp(
          `^${oldName} scanned the parcel under its earlier airway bill ${first.awb} \\(picked up\\) at .+ WIB, ` +
            `after Kirim re-booked it with ${newName}: the parcel may be with ${oldName}\\.`,
        ),
      );
      expect(alert.messageIndonesian).toContain(`resi lamanya ${first.awb} (sudah diambil kurir)`);
      // The shipment stays with its new booking, at risk.
      expect(await view()).toMatchObject({ status: 'booked', awb: again.awb, risk: 'at_risk' });

      // A later scan of the old bill updates the alert; it opens no second one.
      t.clock.advance(3600_000);
      await pushedMove(t, http, who, first.courier.code, first.awb, 'in_transit');
      expect(await open()).toEqual([
        expect.objectContaining({ id: alert.id, message: expect.stringContaining('(in transit)') }),
      ]);
      const rows = async () =>
        (
          await t.dataSource.query<{ n: number }[]>(
            "SELECT count(*)::int AS n FROM alerts WHERE rule = 'rebooked_parcel_scanned'",
          )
        )[0].n;
      expect(await rows()).toBe(1);
      // The shipment's events show the old bill's scans, marked as an earlier booking's; its own are not.
      const shown = (await view()).events as {
        status: string;
        courier: string;
        awb: string;
        earlierBooking: boolean;
      }[];
      expect(shown.filter((e) => e.earlierBooking).map((e) => [e.courier, e.awb, e.status])).toEqual(
        expect.arrayContaining([
          [first.courier.code, first.awb, 'picked_up'],
          [first.courier.code, first.awb, 'in_transit'],
        ]),
      );
      expect(shown.filter((e) => !e.earlierBooking).every((e) => e.awb === again.awb)).toBe(true);

      // A parcel of that courier no shipment was ever booked with: its scans are kept, and alert no one.
      const stray = await t.app
        .get(CourierRegistry)
        .get(first.courier.code)
        .createOrder({
          reference: 'STRAY-OLDAWB',
          service: SERVICE_OF[first.courier.code as CourierCode],
          ...directOrderParties(from),
          parcel: { weightGrams: 1200 },
          codAmount: 0,
          pickup: true,
        });
      // Not the seller's parcel: an operator drives it.
      const operator = { seller: { ...mover, auth: admin.auth }, admin };
      await pushedMove(t, http, operator, first.courier.code, stray.awb, 'picked_up');
      expect(await rows()).toBe(1);
      expect(((await view()).events as { awb: string }[]).map((e) => e.awb)).not.toContain(stray.awb);

      // The new courier's polls keep the alert open, and so does its own missed pickup (the parcel is not at
      // the seller's) and the re-booking after it; the shipment's end closes it.
      await advanceHours(1);
      await runJob('tracking-poll');
      expect(await open()).toEqual([expect.objectContaining({ id: alert.id, resolvedAt: null })]);
      await http
        .post(`/sandbox/parcels/${again.awb}/script`)
        .set(mover.auth)
        .send({ script: 'pickup_missed' })
        .expect(200);
      await advanceHours(25);
      expect((await runJob('tracking-poll')).rebooked).toBe(1);
      expect(await view()).toMatchObject({ status: 'booking', risk: 'at_risk' });
      expect(await open()).toEqual([expect.objectContaining({ id: alert.id, resolvedAt: null })]);
      await runJob('pickups');
      const third = await view();
      expect(third).toMatchObject({ status: 'booked', risk: 'at_risk' });
      await http
        .post(`/sandbox/parcels/${third.awb}/advance`)
        .set(mover.auth)
        .send({ to: 'delivered' })
        .expect(200);
      await advanceHours(1);
      await runJob('tracking-poll');
      expect(await view()).toMatchObject({ status: 'delivered', risk: 'none' });
      expect(await open()).toEqual([]);

      // The seller heard of it by webhook, as of every alert.
      const told = (await toldOf(receiver, mover, id))
        .filter((b) => b.type === 'shipment.at_risk')
        .map(
          (b) =>
            b.data as {
              status: string;
              alert: { id: string; rule: string; message: string; resolvedAt: string | null };
            },
        )
        .filter((d) => d.alert.rule === 'rebooked_parcel_scanned');
      expect(told[0]).toMatchObject({
        status: 'booked',
        alert: {
          id: alert.id,
          message: alert.message,
          resolvedAt: null,
        },
      });
      expect(told[told.length - 1]).toMatchObject({
        status: 'delivered',
        alert: { id: alert.id, resolvedAt: expect.any(String) },
      });
    } finally {
      await receiver.stop();
    }
  });

  it('fails the booking of a shipment pinned to a courier that missed its pickup, says so, and leaves the seller an alert; a new pickup request tries that courier again', async () => {
    // A seller of its own, whose webhooks go to a receiver: what it is told is asserted below.
    const receiver = await WebhookReceiver.start();
    try {
      const pinner = await signupSeller(http, 'Toko Pin');
      await subscribeWebhooks(http, pinner, receiver.url('/pin'));
      const from = (await createAddress(http, pinner)).id;
      const sap = { code: 'sap', service: 'UDRREG' };
      const created = await http
        .post('/v1/shipments')
        .set(pinner.auth)
        .send({ ...validShipment(from, 'PIN-1'), courier: sap })
        .expect(201);
      const id: string = created.body.id;
      const view = async () => (await http.get(`/v1/shipments/${id}`).set(pinner.auth).expect(200)).body;
      const pickup = await http
        .post('/v1/pickups')
        .set(pinner.auth)
        .send({ shipmentIds: [id] })
        .expect(202);
      await runJob('pickups');
      const booked = await view();
      expect(booked).toMatchObject({ status: 'booked', courier: sap });
      await http
        .post(`/sandbox/parcels/${booked.awb}/script`)
        .set(pinner.auth)
        .send({ script: 'pickup_missed' })
        .expect(200);

      await advanceHours(25);
      expect(await runJob('tracking-poll')).toMatchObject({ rebooked: 0, bookingFailed: 1 });
      // Pinned to SAP alone: not sent back for a re-booking that could only fail, but ended with a reason
      // that says what happened, the missed booking cancelled at the courier.
      const failed = await view();
      expect(failed).toMatchObject({
        status: 'booking_failed',
        reason: 'pinned_courier_missed_pickup',
        courier: null,
        awb: null,
        requestedCourier: sap,
        risk: 'at_risk',
      });
      const old = await t.app.get(SandboxWorld).find('sap', booked.awb);
      expect(
        t.app
          .get(SandboxWorld)
          .happened(old!)
          .map((x) => x.status),
      ).toContain('cancelled');
      const attempts = (await http.get(`/v1/pickups/${pickup.body.id}`).set(pinner.auth).expect(200)).body
        .shipments[0].attempts;
      expect(attempts).toEqual([
        expect.objectContaining({ courier: 'sap', outcome: 'cancelled', errorKind: 'pickup_missed' }),
      ]);
      // The outbox has nothing left to book: the worker does not touch it.
      await runJob('pickups');
      expect(await view()).toMatchObject({
        status: 'booking_failed',
        reason: 'pinned_courier_missed_pickup',
      });

      // The alert stays open and tells the seller what to do, promising no other courier.
      const alerts = (await http.get(`/v1/alerts?shipmentId=${id}`).set(pinner.auth).expect(200)).body.items;
      expect(alerts).toEqual([
        expect.objectContaining({
          rule: 'pickup_not_made',
          severity: 'high',
          suggestedAction: 'rebook',
          resolvedAt: null,
          message: expect.stringContaining('you pinned this courier service'),
          messageIndonesian: expect.stringContaining('minta pickup lagi'),
        }),
      ]);
      expect(alerts[0].message).toContain('request the pickup again');
      expect(alerts[0].message).not.toContain('next-best');
      expect(alerts[0].messageIndonesian).not.toContain('kurir terbaik berikutnya');

      // The seller's webhooks say the same: one move, booked → booking_failed with the reason, and the
      // open alert; never a move back to booking.
      const told = await toldOf(receiver, pinner, id);
      const moves = told.filter((b) => b.type === 'shipment.status_changed').map((b) => b.data);
      expect(moves.map((m) => [m.from, m.status])).toEqual([
        ['booking', 'booked'],
        ['booked', 'booking_failed'],
      ]);
      expect(moves[1]).toMatchObject({ reason: 'pinned_courier_missed_pickup', courier: null, awb: null });
      const risk = told.filter((b) => b.type === 'shipment.at_risk').map((b) => b.data);
      expect(risk).toEqual([
        expect.objectContaining({
          alert: expect.objectContaining({ id: alerts[0].id, suggestedAction: 'rebook', resolvedAt: null }),
        }),
      ]);

      // A new pickup request books SAP again; once the new booking is tracked, the alert is over.
      await http
        .post('/v1/pickups')
        .set(pinner.auth)
        .send({ shipmentIds: [id] })
        .expect(202);
      await runJob('pickups');
      const again = await view();
      expect(again).toMatchObject({ status: 'booked', reason: null, courier: sap });
      expect(again.awb).not.toBe(booked.awb);
      await advanceHours(1);
      await runJob('tracking-poll');
      expect(await view()).toMatchObject({ status: 'booked', risk: 'none' });
      const resolved = (
        await http.get(`/v1/alerts?shipmentId=${id}&state=resolved`).set(pinner.auth).expect(200)
      ).body.items;
      expect(resolved).toEqual([
        expect.objectContaining({ id: alerts[0].id, resolvedAt: expect.any(String) }),
      ]);
    } finally {
      await receiver.stop();
    }
  });

  it('refuses a pickup script for a parcel already picked up, and names the jobs when asked for an unknown one', async () => {
    const [a] = await book(1, 'LATE');
    await http
      .post(`/sandbox/parcels/${a.awb}/advance`)
      .set(seller.auth)
      .send({ to: 'picked_up' })
      .expect(200);
    const res = await http
      .post(`/sandbox/parcels/${a.awb}/script`)
      .set(seller.auth)
      .send({ script: 'courier_cancelled' })
      .expect(409);
    expect(res.body.code).toBe('SANDBOX_PARCEL_PICKED_UP');
    const unknown = await http.post('/sandbox/jobs/nope/run').set(admin.auth).send({}).expect(404);
    expect(unknown.body.message).toEqual(expect.stringContaining('tracking-poll'));
  });
});

describe('the pickup watch on two instances', () => {
  // Its own database: only this test's shipments are booked, so the watches' counts are exact.
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

  const drain = async () => {
    while ((await t.app.get(PickupService).processDue(50)) > 0);
  };
  const statusOf = async (id: string): Promise<string> =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body.status;

  it('re-books each overdue shipment once when two instances watch at the same time', async () => {
    const created = await http
      .post('/v1/shipments/bulk')
      .set(seller.auth)
      .send(Array.from({ length: 6 }, (_, i) => validShipment(origin, `TWIN-${i}`)))
      .expect(200);
    const ids: string[] = created.body.created.map((s: { id: string }) => s.id);
    await http.post('/v1/pickups').set(seller.auth).send({ shipmentIds: ids }).expect(202);
    await drain();
    const world = t.app.get(SandboxWorld);
    for (const id of ids) {
      const s = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
      expect(s.status).toBe('booked');
      await world.script((await world.find(s.courier.code, s.awb))!, 'pickup_missed');
    }
    t.clock.advance(25 * 3600_000);
    const other = await startTestApp({}, t.db);
    try {
      other.clock.set(t.clock.now());
      const [x, y] = await Promise.all([
        t.app.get(TrackingPoller).pollDue(),
        other.app.get(TrackingPoller).pollDue(),
      ]);
      expect(x.rebooked + y.rebooked).toBe(6);
      expect(x.polled + y.polled).toBe(6);
    } finally {
      await other.close();
    }
    const cancelled = await t.dataSource.query(
      "SELECT shipment_id FROM booking_attempts WHERE shipment_id = ANY($1) AND status = 'cancelled'",
      [ids],
    );
    expect(cancelled.map((r: { shipment_id: string }) => r.shipment_id).sort()).toEqual([...ids].sort());
    const pending = await t.dataSource.query(
      "SELECT count(*)::int AS n FROM pickup_items WHERE shipment_id = ANY($1) AND status = 'pending'",
      [ids],
    );
    expect(pending[0].n).toBe(6);
    await drain();
    for (const id of ids) expect(await statusOf(id)).toBe('booked');
  });
});
