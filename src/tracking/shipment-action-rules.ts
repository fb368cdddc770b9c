import type { ParcelActionKind } from 'src/couriers/courier-adapter';
import type { ShipmentStatus } from 'src/shipments/shipment-status';
import type { ShipmentActionStatus } from './shipment-action.entity';

/** The parcel is in the courier's hands and has not ended, nor started back. */
const IN_CUSTODY: readonly ShipmentStatus[] = [
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivery_failed',
];

/**
 * The shipment statuses in which each seller action makes sense, as the couriers (and their sandboxes,
 * world.ts actionRefusal) take them: a re-attempt after a failed attempt; a return or a hold while the
 * courier carries the parcel (before pickup the seller cancels instead); an address correction from
 * booking until the parcel ends or starts back. A re-attempt is also allowed for a parcel the seller had
 * held: releasing it is what a re-attempt does.
 */
export const ACTION_ALLOWED_IN: Readonly<Record<ParcelActionKind, readonly ShipmentStatus[]>> = {
  reattempt: ['delivery_failed'],
  return: IN_CUSTODY,
  update_address: ['booked', ...IN_CUSTODY],
  hold: IN_CUSTODY,
};

/** An action already recorded for the shipment, as far as the rules care. */
export interface RecordedAction {
  action: ParcelActionKind;
  status: ShipmentActionStatus;
  /** Failed with the courier's answer lost (answerMayBeLost): it may have taken the action all the same. */
  outcomeUnknown?: boolean;
}

/** A booking as the rules read it: its airway bill, and its failed delivery attempts so far. */
export interface Booking {
  awb: string;
  failedAttempts: number;
}

/** A recorded action with what tells a repeat: its booking and the failed attempt it answered. */
export interface TakenAction extends RecordedAction {
  id: string;
  awb: string;
  /** The shipment's failed delivery attempts when it was asked; null for actions recorded before it was kept. */
  failedAttempts: number | null;
}

/** It reached the courier (or operations, for a courier without such a call). */
const taken = (a: RecordedAction) => a.status === 'sent' || a.status === 'manual';

/**
 * A hold the courier never answered may have been taken (as a return so sent counts as asked): it counts
 * as a hold, so the seller can release it. A re-attempt or return never answered does not end a hold: the
 * seller may need to ask again.
 */
const maybeHeld = (a: RecordedAction) =>
  a.action === 'hold' && a.status === 'failed' && a.outcomeUnknown === true;

/** A return of the shipment the courier may be acting on: being sent, taken, with operations, or never answered. */
const returnAsked = (a: RecordedAction) =>
  a.action === 'return' && (a.status !== 'failed' || a.outcomeUnknown === true);

/**
 * A return the courier never answered: it may be on its way back, or the request may never have reached the
 * courier. Asking again is how the seller finds out: a courier that took it refuses the second (the parcel
 * is returning), one that did not takes it.
 */
const maybeReturned = (a: RecordedAction) =>
  a.action === 'return' && a.status === 'failed' && a.outcomeUnknown === true;

/** The latest re-attempt, return or hold that reached the courier (or operations), or a hold it may have taken. */
const latestInstruction = <T extends RecordedAction>(actions: readonly T[]): T | undefined =>
  actions.filter((a) => (taken(a) || maybeHeld(a)) && a.action !== 'update_address').pop();

/**
 * Whether the seller holds the parcel at the courier of the booking `awb`: its latest re-attempt, return or
 * hold that reached the courier (or operations), or a hold it may have taken (maybeHeld), is a hold. A hold
 * of an earlier booking is none: that booking's courier held it, not this one. `actions` oldest first.
 */
export function isHeld(actions: readonly (RecordedAction & { awb: string })[], awb: string): boolean {
  return latestInstruction(actions.filter((a) => a.awb === awb))?.action === 'hold';
}

/**
 * The hold of the booking the seller may release (its id; null: none): the parcel is held (isHeld, read on
 * this airway bill's actions) and no return was asked, after which a re-attempt is refused
 * (afterReturnRefusal) and the parcel goes back instead. `actions` oldest first.
 */
export function releasableHold(actions: readonly TakenAction[], awb: string): string | null {
  const ofBooking = actions.filter((a) => a.awb === awb);
  if (ofBooking.some(returnAsked)) return null;
  const latest = latestInstruction(ofBooking);
  return latest?.action === 'hold' ? latest.id : null;
}

/**
 * The booking's latest re-attempt, return or hold the courier has (or operations), or may have: a hold or a
 * return never answered counts as in place (as isHeld reads a hold), so that a re-attempt after it is no
 * repeat of an earlier one and a second hold is (it would hold twice what one re-attempt releases); a return
 * never answered may itself be asked again (repeatRefusal). `actions` oldest first.
 */
const latestOfBooking = <T extends TakenAction>(actions: readonly T[], awb: string): T | undefined =>
  actions
    .filter(
      (a) => (taken(a) || maybeHeld(a) || maybeReturned(a)) && a.action !== 'update_address' && a.awb === awb,
    )
    .pop();

/**
 * A re-attempt answers one failed attempt, the booking's latest when it was asked: after the next fails,
 * the seller may ask again.
 */
const answers = (a: TakenAction, booking: Booking) =>
  a.action === 'reattempt' && a.failedAttempts !== null && a.failedAttempts === booking.failedAttempts;

/**
 * The re-attempt that answers the booking's current failed attempt, when it is the latest instruction the
 * courier has: another re-attempt is a repeat (409, repeatRefusal) until the next attempt fails. `actions`
 * oldest first; undefined when there is none.
 */
export function answeringReattempt<T extends TakenAction>(
  actions: readonly T[],
  booking: Booking,
): T | undefined {
  const latest = latestOfBooking(actions, booking.awb);
  return latest && answers(latest, booking) ? latest : undefined;
}

/**
 * Why `action` would only repeat what the courier already has for the shipment's booking (null: it would
 * not), so a double click or a retried request without an Idempotency-Key does not reach the courier
 * twice: a re-attempt for the failed attempt a re-attempt already answers, a return already asked for, a
 * hold already in place. Read from the latest re-attempt, return or hold that reached the courier (or
 * operations) for this airway bill, `actions` oldest first. An address correction may always be sent
 * again: it carries its own words; so may a return the courier never answered (unconfirmedReturn), which
 * the seller could not otherwise make sure of. A hold never answered is not sent twice: one re-attempt
 * releases it.
 */
export function repeatRefusal(
  action: ParcelActionKind,
  actions: readonly TakenAction[],
  shipment: Booking,
): string | null {
  if (action === 'update_address') return null;
  const latest = latestOfBooking(actions, shipment.awb);
  if (latest?.action !== action) return null;
  if (maybeHeld(latest))
    return `the parcel may already be held: a hold was sent to the courier, whose answer was lost (action ${latest.id}); check the shipment, and a re-attempt releases it`;
  if (maybeReturned(latest)) return null;
  const where = latest.status === 'manual' ? 'recorded for Kirim operations' : 'sent to the courier';
  switch (action) {
    case 'reattempt':
      if (!answers(latest, shipment)) return null;
      return `a re-attempt for this failed delivery attempt was already ${where} (action ${latest.id}); ask again if the next attempt fails`;
    case 'return':
      return `a return was already ${where} (action ${latest.id})`;
    case 'hold':
      return `the parcel is already held: the hold was ${where} (action ${latest.id}); a re-attempt releases it`;
  }
}

/**
 * The address correction of the booking the courier never answered (it may have taken it), when no later
 * correction reached it: the shipment's recipient stays what Kirim knows for sure, and the seller sees
 * which correction may be in effect. Sending the same correction again makes it the recipient once taken.
 * `actions` oldest first; null when there is none.
 */
export function unconfirmedCorrection(actions: readonly TakenAction[], awb: string): string | null {
  const corrections = actions.filter(
    (a) =>
      a.action === 'update_address' &&
      a.awb === awb &&
      (taken(a) || (a.status === 'failed' && a.outcomeUnknown === true)),
  );
  const latest = corrections[corrections.length - 1];
  return latest?.status === 'failed' ? latest.id : null;
}

/**
 * The booking's latest return asked, when the courier never answered it (its id; null: none, or a later one
 * was taken or is being sent; one the courier refused leaves the first named), while the parcel is where a
 * return may be asked: it may be returning, or the courier may never have had the request, so the seller
 * may ask again (repeatRefusal lets it through) and the courier's answer tells which. Once the shipment
 * shows the return begun (or the parcel ended), the question is settled: null. `actions` oldest first.
 */
export function unconfirmedReturn(
  actions: readonly TakenAction[],
  shipment: { awb: string; status: ShipmentStatus },
): string | null {
  if (!ACTION_ALLOWED_IN.return.includes(shipment.status)) return null;
  const asked = askedReturn(actions, shipment.awb);
  return asked && maybeReturned(asked) ? asked.id : null;
}

/**
 * The booking's latest return the courier may be acting on (being sent, taken, recorded for operations, or
 * never answered): once there is one, a hold, a re-attempt or an address correction is refused
 * (afterReturnRefusal). `actions` oldest first; undefined when none was asked.
 */
export function askedReturn<T extends TakenAction>(actions: readonly T[], awb: string): T | undefined {
  return actions.filter((a) => a.awb === awb && returnAsked(a)).pop();
}

/**
 * Why a hold, a re-attempt or an address correction cannot be asked once a return of the booking was (null:
 * it can): the courier refuses them for a parcel it was told to send back (Ninja answers 422), or, where
 * operations arrange the return, would deliver to the new address a parcel going back, so it is not asked,
 * and the seller is told when the return was asked. Read as returnsAsked does: one never answered may have
 * been taken. A second return is a repeat instead (repeatRefusal), but for one never answered.
 */
export function afterReturnRefusal(
  action: ParcelActionKind,
  actions: readonly (TakenAction & { createdAt: Date })[],
  awb: string,
): string | null {
  if (action === 'return') return null;
  const asked = askedReturn(actions, awb);
  if (!asked) return null;
  const how =
    asked.status === 'failed'
      ? 'the courier’s answer was lost and it may have taken it'
      : asked.status === 'manual'
        ? 'recorded for Kirim operations'
        : 'sent to the courier';
  return `${action} is not possible: a return was asked at ${asked.createdAt.toISOString()} (action ${asked.id}, ${how}); the parcel goes back to you`;
}

/** Why `action` cannot be asked for a shipment in `status` (null: it can). */
export function actionRefusal(
  action: ParcelActionKind,
  status: ShipmentStatus,
  held: boolean,
): string | null {
  if (ACTION_ALLOWED_IN[action].includes(status)) return null;
  if (action === 'reattempt' && held && IN_CUSTODY.includes(status)) return null;
  const allowed = ACTION_ALLOWED_IN[action].join(', ');
  return `${action} is not possible while the shipment is ${status} (only ${allowed}${
    action === 'reattempt' ? ', or a parcel you had held' : ''
  })`;
}

/** Where the seller's actions leave a booking, as GET /v1/shipments/{id} and the alert inbox show it. */
export interface BookingStanding {
  heldBy: string | null;
  addressCorrectionUnconfirmed: string | null;
  returnAskedAt: string | null;
  returnUnconfirmed: string | null;
  reattemptAskedAt: string | null;
}

/**
 * Where the seller's actions leave the booking (`awb` null: not booked, nothing stands): the hold a
 * re-attempt would release (releasableHold), the address correction whose outcome is unknown
 * (unconfirmedCorrection), by id; when a return was asked (askedReturn), after which a hold, re-attempt or
 * correction is refused, and that return by id when the courier never answered it and the parcel may still be
 * sent back (unconfirmedReturn); when the re-attempt answering the current failed attempt was asked
 * (answeringReattempt), after which another is a repeat until the next attempt fails. `actions` the
 * shipment's, oldest first.
 */
export function bookingStanding(
  actions: readonly (TakenAction & { createdAt: Date })[],
  booking: { awb: string | null; failedAttempts: number; status: ShipmentStatus },
): BookingStanding {
  const { awb, failedAttempts, status } = booking;
  if (!awb)
    return {
      heldBy: null,
      addressCorrectionUnconfirmed: null,
      returnAskedAt: null,
      returnUnconfirmed: null,
      reattemptAskedAt: null,
    };
  return {
    heldBy: releasableHold(actions, awb),
    addressCorrectionUnconfirmed: unconfirmedCorrection(actions, awb),
    returnAskedAt: askedReturn(actions, awb)?.createdAt.toISOString() ?? null,
    returnUnconfirmed: unconfirmedReturn(actions, { awb, status }),
    reattemptAskedAt: answeringReattempt(actions, { awb, failedAttempts })?.createdAt.toISOString() ?? null,
  };
}
