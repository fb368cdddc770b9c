import fc from 'fast-check';
import { PARCEL_ACTION_KINDS, type ParcelActionKind } from 'src/couriers/courier-adapter';
import { actionRefusal as courierRefusal, type ParcelStage } from 'src/couriers/sandbox/world';
import { SHIPMENT_STATUSES, type ShipmentStatus } from 'src/shipments/shipment-status';
import { SHIPMENT_ACTION_STATUSES } from 'src/tracking/shipment-action.entity';
import {
  ACTION_ALLOWED_IN,
  actionRefusal,
  afterReturnRefusal,
  answeringReattempt,
  askedReturn,
  bookingStanding,
  isHeld,
  RecordedAction,
  releasableHold,
  repeatRefusal,
  TakenAction,
  unconfirmedCorrection,
  unconfirmedReturn,
} from 'src/tracking/shipment-action-rules';

/** Where the sandbox courier's parcel is when Kirim's shipment has a status (null: it has no parcel). */
const STAGE: Record<ShipmentStatus, ParcelStage | null> = {
  ready: null,
  booking: null,
  booking_failed: null,
  booked: 'before_pickup',
  picked_up: 'picked_up',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivery_failed: 'delivery_failed',
  delivered: 'delivered',
  returning: 'returning',
  returned: 'returned',
  cancelled: 'cancelled',
  lost: null,
};

const allowed = (kind: ParcelActionKind, held = false) =>
  SHIPMENT_STATUSES.filter((s) => actionRefusal(kind, s, held) === null);

describe('which shipment statuses allow each seller action', () => {
  it('re-attempt only after a failed attempt; return and hold while the courier carries it; address from booking', () => {
    expect(allowed('reattempt')).toEqual(['delivery_failed']);
    expect(allowed('return')).toEqual(['picked_up', 'in_transit', 'out_for_delivery', 'delivery_failed']);
    expect(allowed('hold')).toEqual(['picked_up', 'in_transit', 'out_for_delivery', 'delivery_failed']);
    expect(allowed('update_address')).toEqual([
      'booked',
      'picked_up',
      'in_transit',
      'out_for_delivery',
      'delivery_failed',
    ]);
    // Releasing a held parcel is a re-attempt, wherever the courier holds it; never once it ended.
    expect(allowed('reattempt', true)).toEqual([
      'picked_up',
      'in_transit',
      'out_for_delivery',
      'delivery_failed',
    ]);
  });

  it('names the action, the status and where it is allowed when it refuses', () => {
    expect(actionRefusal('reattempt', 'in_transit', false)).toBe(
      'reattempt is not possible while the shipment is in_transit (only delivery_failed, or a parcel you had held)',
    );
    expect(actionRefusal('return', 'delivered', false)).toMatch(
      /^return is not possible while the shipment is delivered \(only picked_up, /,
    );
    expect(actionRefusal('hold', 'booked', true)).toMatch(
      /^hold is not possible while the shipment is booked/,
    );
  });

  it('allows nothing the sandbox couriers refuse (whatever the hold), so a sent action is taken', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PARCEL_ACTION_KINDS),
        fc.constantFrom(...SHIPMENT_STATUSES),
        fc.boolean(),
        (kind, status, held) => {
          if (actionRefusal(kind, status, held) !== null) return;
          const stage = STAGE[status];
          expect(stage).not.toBeNull();
          expect(courierRefusal(kind, stage!, held)).toBeNull();
        },
      ),
    );
  });

  it('lists each action’s statuses once, none terminal', () => {
    for (const kind of PARCEL_ACTION_KINDS) {
      const statuses = ACTION_ALLOWED_IN[kind];
      expect(new Set(statuses).size).toBe(statuses.length);
      for (const s of ['delivered', 'returned', 'cancelled', 'lost', 'returning'] as const)
        expect(statuses).not.toContain(s);
    }
  });
});

describe('whether the seller holds the parcel', () => {
  type OfBooking = RecordedAction & { awb: string };
  const a = (
    action: ParcelActionKind,
    status: RecordedAction['status'] = 'sent',
    awb = 'AWB1',
  ): OfBooking => ({
    action,
    status,
    awb,
  });
  const held = (actions: OfBooking[]) => isHeld(actions, 'AWB1');

  it('is held after a hold the courier (or operations) took, until a re-attempt or a return', () => {
    expect(held([])).toBe(false);
    expect(held([a('hold')])).toBe(true);
    expect(held([a('hold', 'manual')])).toBe(true);
    expect(held([a('hold'), a('update_address')])).toBe(true);
    expect(held([a('hold'), a('reattempt')])).toBe(false);
    expect(held([a('hold'), a('return')])).toBe(false);
    expect(held([a('reattempt'), a('hold')])).toBe(true);
  });

  it('reads the current booking only: a hold of an earlier one (another courier) is no hold of this one', () => {
    expect(held([a('hold', 'sent', 'AWB0')])).toBe(false);
    expect(held([a('hold'), a('reattempt', 'sent', 'AWB0')])).toBe(true);
    expect(isHeld([a('hold', 'sent', 'AWB0')], 'AWB0')).toBe(true);
  });

  it('ignores actions that did not reach the courier', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            action: fc.constantFrom(...PARCEL_ACTION_KINDS),
            status: fc.constantFrom(...SHIPMENT_ACTION_STATUSES),
            awb: fc.constantFrom('AWB0', 'AWB1'),
          }),
          { maxLength: 8 },
        ),
        fc.constantFrom<RecordedAction['status']>('pending', 'failed'),
        (history, status) => {
          expect(held([...history, a('hold', status)])).toBe(held(history));
          expect(held([...history, a('reattempt', status)])).toBe(held(history));
        },
      ),
    );
  });

  it('counts a hold the courier never answered (it may have taken it); a re-attempt or return never answered does not end a hold', () => {
    const unknown = (action: ParcelActionKind): OfBooking => ({
      action,
      status: 'failed',
      outcomeUnknown: true,
      awb: 'AWB1',
    });
    expect(held([unknown('hold')])).toBe(true);
    expect(held([a('reattempt'), unknown('hold')])).toBe(true);
    expect(held([unknown('hold'), a('reattempt')])).toBe(false);
    expect(held([a('hold'), unknown('reattempt')])).toBe(true);
    expect(held([a('hold'), unknown('return')])).toBe(true);
    expect(held([unknown('reattempt')])).toBe(false);
  });
});

describe('the hold a re-attempt would release', () => {
  let n = 0;
  const a = (action: ParcelActionKind, over: Partial<TakenAction> = {}): TakenAction => ({
    id: `h${(n += 1)}`,
    action,
    status: 'sent',
    awb: 'AWB1',
    failedAttempts: 0,
    ...over,
  });

  it('is the latest hold of the booking in place, also one never answered, until a re-attempt releases it', () => {
    const hold = a('hold');
    expect(releasableHold([hold], 'AWB1')).toBe(hold.id);
    expect(releasableHold([a('reattempt'), hold, a('update_address')], 'AWB1')).toBe(hold.id);
    const unknown = a('hold', { status: 'failed', outcomeUnknown: true });
    expect(releasableHold([unknown], 'AWB1')).toBe(unknown.id);
    expect(releasableHold([hold, a('reattempt')], 'AWB1')).toBeNull();
    expect(releasableHold([a('hold', { status: 'failed' })], 'AWB1')).toBeNull();
    expect(releasableHold([], 'AWB1')).toBeNull();
  });

  it('is none once a return of the booking was asked (even never answered), nor for another booking', () => {
    expect(releasableHold([a('hold'), a('return')], 'AWB1')).toBeNull();
    expect(
      releasableHold([a('hold'), a('return', { status: 'failed', outcomeUnknown: true })], 'AWB1'),
    ).toBeNull();
    expect(releasableHold([a('hold'), a('return', { status: 'manual' })], 'AWB1')).toBeNull();
    // A return the courier refused asked nothing.
    const hold = a('hold');
    expect(releasableHold([hold, a('return', { status: 'failed' })], 'AWB1')).toBe(hold.id);
    expect(releasableHold([a('hold', { awb: 'OLD' })], 'AWB1')).toBeNull();
    // Another booking's return does not end this booking's hold.
    const held = a('hold');
    expect(releasableHold([a('return', { awb: 'OLD' }), held], 'AWB1')).toBe(held.id);
  });
});

describe('an instruction the courier already has is not sent again', () => {
  let n = 0;
  const a = (action: ParcelActionKind, over: Partial<TakenAction> = {}): TakenAction => ({
    id: `a${(n += 1)}`,
    action,
    status: 'sent',
    awb: 'AWB1',
    failedAttempts: 1,
    ...over,
  });
  const shipment = { awb: 'AWB1', failedAttempts: 1 };

  it('a re-attempt for the failed attempt a re-attempt answers; another after the next failure', () => {
    const first = a('reattempt');
    expect(repeatRefusal('reattempt', [first], shipment)).toBe(
      `a re-attempt for this failed delivery attempt was already sent to the courier (action ${first.id}); ask again if the next attempt fails`,
    );
    expect(repeatRefusal('reattempt', [first], { ...shipment, failedAttempts: 2 })).toBeNull();
    // Recorded before the failed attempt was kept: which failure it answered is not known.
    expect(repeatRefusal('reattempt', [a('reattempt', { failedAttempts: null })], shipment)).toBeNull();
    expect(repeatRefusal('reattempt', [a('reattempt', { status: 'manual' })], shipment)).toMatch(
      /already recorded for Kirim operations/,
    );
  });

  it('a second return or hold; a hold released by a re-attempt may be held again', () => {
    const ret = a('return');
    expect(repeatRefusal('return', [ret], shipment)).toBe(
      `a return was already sent to the courier (action ${ret.id})`,
    );
    expect(repeatRefusal('hold', [a('hold')], shipment)).toMatch(/^the parcel is already held/);
    expect(repeatRefusal('hold', [a('hold'), a('reattempt')], shipment)).toBeNull();
    // Releasing a hold is a re-attempt, whatever the failed attempts.
    expect(repeatRefusal('reattempt', [a('reattempt'), a('hold')], shipment)).toBeNull();
    expect(repeatRefusal('return', [a('return'), a('update_address')], shipment)).toMatch(/^a return was/);
  });

  it('address corrections, actions that never reached the courier, and another booking’s actions do not count', () => {
    expect(repeatRefusal('update_address', [a('update_address')], shipment)).toBeNull();
    for (const status of ['pending', 'failed'] as const) {
      expect(repeatRefusal('return', [a('return', { status })], shipment)).toBeNull();
      expect(repeatRefusal('reattempt', [a('reattempt', { status })], shipment)).toBeNull();
    }
    expect(repeatRefusal('return', [a('return', { awb: 'OLD' })], shipment)).toBeNull();
    expect(repeatRefusal('hold', [a('hold', { awb: 'OLD' })], shipment)).toBeNull();
  });
});

/** Actions of booking AWB1 asked at its first failed attempt (1 December, 03:00 UTC), ids `<prefix>-<action>`. */
const atFirstFailure =
  (prefix: string) =>
  (action: ParcelActionKind, over: Partial<TakenAction> = {}): TakenAction & { createdAt: Date } => ({
    id: `${prefix}-${action}`,
    action,
    status: 'sent',
    awb: 'AWB1',
    failedAttempts: 1,
    createdAt: new Date('2026-12-01T03:00:00.000Z'),
    ...over,
  });

describe('the re-attempt that answers the current failed attempt (reattemptAskedAt)', () => {
  const a = atFirstFailure('a');
  const now = { awb: 'AWB1', failedAttempts: 1 };

  it('is the latest instruction when it was asked at the booking’s failed attempts, the one repeatRefusal refuses', () => {
    const sent = a('reattempt');
    expect(answeringReattempt([sent], now)).toBe(sent);
    expect(answeringReattempt([a('hold'), a('reattempt', { status: 'manual' })], now)?.status).toBe('manual');
    expect(bookingStanding([sent], { ...now, status: 'delivery_failed' }).reattemptAskedAt).toBe(
      '2026-12-01T03:00:00.000Z',
    );
    expect(repeatRefusal('reattempt', [sent], now)).not.toBeNull();
  });

  it('is none once the next attempt failed, after a later hold or return, for another booking, or refused', () => {
    expect(answeringReattempt([a('reattempt')], { ...now, failedAttempts: 2 })).toBeUndefined();
    expect(answeringReattempt([a('reattempt'), a('hold')], now)).toBeUndefined();
    expect(answeringReattempt([a('reattempt'), a('return')], now)).toBeUndefined();
    expect(answeringReattempt([a('reattempt', { awb: 'OLD' })], now)).toBeUndefined();
    expect(answeringReattempt([a('reattempt', { status: 'failed' })], now)).toBeUndefined();
    expect(answeringReattempt([a('reattempt', { failedAttempts: null })], now)).toBeUndefined();
    expect(
      bookingStanding([a('reattempt')], { awb: null, failedAttempts: 1, status: 'ready' }).reattemptAskedAt,
    ).toBeNull();
    // Wherever it is none, a re-attempt is not refused as a repeat.
    expect(repeatRefusal('reattempt', [a('reattempt')], { ...now, failedAttempts: 2 })).toBeNull();
  });
});

describe('a hold, a re-attempt or an address correction after a return was asked', () => {
  const a = atFirstFailure('r');

  it('is refused, naming when the return was asked and how far it got', () => {
    expect(afterReturnRefusal('hold', [a('return')], 'AWB1')).toBe(
      'hold is not possible: a return was asked at 2026-12-01T03:00:00.000Z (action r-return, sent to the courier); the parcel goes back to you',
    );
    expect(afterReturnRefusal('reattempt', [a('hold'), a('return', { status: 'manual' })], 'AWB1')).toMatch(
      /^reattempt is not possible: a return was asked at .*recorded for Kirim operations/,
    );
    expect(
      afterReturnRefusal('reattempt', [a('return', { status: 'failed', outcomeUnknown: true })], 'AWB1'),
    ).toMatch(/the courier’s answer was lost and it may have taken it/);
    // A correction would be refused by the courier, or (operations arranging the return) deliver a parcel
    // going back to the new address.
    expect(afterReturnRefusal('update_address', [a('return', { status: 'manual' })], 'AWB1')).toBe(
      'update_address is not possible: a return was asked at 2026-12-01T03:00:00.000Z (action r-return, recorded for Kirim operations); the parcel goes back to you',
    );
    expect(
      afterReturnRefusal('update_address', [a('return', { status: 'failed', outcomeUnknown: true })], 'AWB1'),
    ).toMatch(/^update_address is not possible: .*may have taken it/);
  });

  it('is allowed when no return reached the courier for this booking; a second return is never refused here (it is a repeat)', () => {
    expect(afterReturnRefusal('hold', [], 'AWB1')).toBeNull();
    expect(afterReturnRefusal('hold', [a('return', { status: 'failed' })], 'AWB1')).toBeNull();
    expect(afterReturnRefusal('hold', [a('return', { awb: 'OLD' })], 'AWB1')).toBeNull();
    expect(afterReturnRefusal('return', [a('return')], 'AWB1')).toBeNull();
    expect(afterReturnRefusal('update_address', [], 'AWB1')).toBeNull();
    expect(afterReturnRefusal('update_address', [a('return', { status: 'failed' })], 'AWB1')).toBeNull();
    expect(afterReturnRefusal('update_address', [a('return', { awb: 'OLD' })], 'AWB1')).toBeNull();
  });

  it('the return asked is the booking’s latest one the courier may act on (the shipment’s returnAskedAt)', () => {
    const refused = a('return', { id: 'r-refused', status: 'failed' });
    const unknown = a('return', { id: 'r-unknown', status: 'failed', outcomeUnknown: true });
    expect(askedReturn([a('hold'), unknown, refused], 'AWB1')).toBe(unknown);
    expect(
      askedReturn([a('return', { id: 'r-1' }), a('return', { id: 'r-2', status: 'pending' })], 'AWB1')?.id,
    ).toBe('r-2');
    expect(askedReturn([refused], 'AWB1')).toBeUndefined();
    expect(askedReturn([a('return', { awb: 'OLD' })], 'AWB1')).toBeUndefined();
  });
});

describe('a hold the courier never answered', () => {
  it('counts as in place: a second hold is refused, saying it may be held; a re-attempt after it releases', () => {
    const unknown: TakenAction = {
      id: 'h1',
      action: 'hold',
      status: 'failed',
      outcomeUnknown: true,
      awb: 'AWB1',
      failedAttempts: 0,
    };
    const shipment = { awb: 'AWB1', failedAttempts: 0 };
    expect(repeatRefusal('hold', [unknown], shipment)).toBe(
      'the parcel may already be held: a hold was sent to the courier, whose answer was lost (action h1); check the shipment, and a re-attempt releases it',
    );
    const released: TakenAction = { ...unknown, id: 'r1', action: 'reattempt', status: 'sent' };
    expect(repeatRefusal('hold', [unknown, released], shipment)).toBeNull();
    expect(repeatRefusal('hold', [{ ...unknown, outcomeUnknown: false }], shipment)).toBeNull();
  });
});

describe('a return the courier never answered', () => {
  const unknown: TakenAction = {
    id: 'r1',
    action: 'return',
    status: 'failed',
    outcomeUnknown: true,
    awb: 'AWB1',
    failedAttempts: 0,
  };
  const shipment = { awb: 'AWB1', failedAttempts: 0 };
  const carried = { awb: 'AWB1', status: 'in_transit' } as const;

  it('may be asked again: the courier’s answer to the second tells whether it had the first', () => {
    expect(repeatRefusal('return', [unknown], shipment)).toBeNull();
    // After a hold the courier took, as well.
    const held: TakenAction = { ...unknown, id: 'h1', action: 'hold', status: 'sent', outcomeUnknown: false };
    expect(repeatRefusal('return', [held, unknown], shipment)).toBeNull();
    // The second refused (or the courier unreachable): nothing more is known, a third may be asked.
    const refused: TakenAction = { ...unknown, id: 'r2', outcomeUnknown: false };
    expect(repeatRefusal('return', [unknown, refused], shipment)).toBeNull();
    // Once a second one was taken, a third is a repeat of that one.
    const sent: TakenAction = { ...unknown, id: 'r2', status: 'sent', outcomeUnknown: false };
    expect(repeatRefusal('return', [unknown, sent], shipment)).toBe(
      'a return was already sent to the courier (action r2)',
    );
    // It does not end a hold (isHeld), nor count as a hold repeated.
    expect(repeatRefusal('hold', [held, unknown], shipment)).toBeNull();
  });

  it('is named as unconfirmed (returnUnconfirmed) until a later return is answered or being sent', () => {
    const at = (a: TakenAction, iso: string) => ({ ...a, createdAt: new Date(iso) });
    const standing = (actions: TakenAction[]) =>
      bookingStanding(
        actions.map((x, i) => at(x, `2026-12-01T0${i}:00:00.000Z`)),
        { ...shipment, status: 'in_transit' },
      );
    expect(unconfirmedReturn([unknown], carried)).toBe('r1');
    expect(standing([unknown])).toMatchObject({
      returnAskedAt: '2026-12-01T00:00:00.000Z',
      returnUnconfirmed: 'r1',
    });
    // Asked again and refused by the courier (or not reached): the first is still the one that may stand.
    const refused: TakenAction = { ...unknown, id: 'r2', outcomeUnknown: false };
    expect(standing([unknown, refused])).toMatchObject({
      returnAskedAt: '2026-12-01T00:00:00.000Z',
      returnUnconfirmed: 'r1',
    });
    // Asked again and taken, or being sent: that one stands, answered or soon.
    for (const status of ['sent', 'pending', 'manual'] as const)
      expect(standing([unknown, { ...unknown, id: 'r2', status, outcomeUnknown: false }])).toMatchObject({
        returnAskedAt: '2026-12-01T01:00:00.000Z',
        returnUnconfirmed: null,
      });
    // A return answered, refused or of another booking is none.
    expect(unconfirmedReturn([{ ...unknown, status: 'sent', outcomeUnknown: false }], carried)).toBeNull();
    expect(unconfirmedReturn([refused], carried)).toBeNull();
    expect(unconfirmedReturn([{ ...unknown, awb: 'OLD' }], carried)).toBeNull();
    expect(
      bookingStanding([at(unknown, '2026-12-01T00:00:00.000Z')], {
        awb: null,
        failedAttempts: 0,
        status: 'ready',
      }),
    ).toEqual(expect.objectContaining({ returnUnconfirmed: null }));
  });

  it('is settled once the parcel is where no return may be asked (the return begun, or the parcel ended)', () => {
    for (const status of SHIPMENT_STATUSES)
      expect({ status, id: unconfirmedReturn([unknown], { awb: 'AWB1', status }) }).toEqual({
        status,
        id: ACTION_ALLOWED_IN.return.includes(status) ? 'r1' : null,
      });
    expect(unconfirmedReturn([unknown], { awb: 'AWB1', status: 'returning' })).toBeNull();
  });
});

describe('an address correction the courier never answered', () => {
  const c = (id: string, over: Partial<TakenAction> = {}): TakenAction => ({
    id,
    action: 'update_address',
    status: 'failed',
    outcomeUnknown: true,
    awb: 'AWB1',
    failedAttempts: 0,
    ...over,
  });

  it('is unconfirmed until a later correction of the booking reaches the courier; a refused one changes nothing', () => {
    expect(unconfirmedCorrection([], 'AWB1')).toBeNull();
    expect(unconfirmedCorrection([c('u1')], 'AWB1')).toBe('u1');
    expect(unconfirmedCorrection([c('u1'), c('r1', { outcomeUnknown: false })], 'AWB1')).toBe('u1');
    expect(
      unconfirmedCorrection([c('u1'), c('s1', { status: 'sent', outcomeUnknown: false })], 'AWB1'),
    ).toBeNull();
    expect(unconfirmedCorrection([c('s1', { status: 'sent' }), c('u2')], 'AWB1')).toBe('u2');
    expect(unconfirmedCorrection([c('u1', { awb: 'OLD' })], 'AWB1')).toBeNull();
    expect(unconfirmedCorrection([c('h1', { action: 'hold' })], 'AWB1')).toBeNull();
  });
});
