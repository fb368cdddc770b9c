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
}

/**
 * Whether the seller holds the parcel at the courier: the latest re-attempt, return or hold that reached
 * the courier (or operations) is a hold. `actions` oldest first.
 */
export function isHeld(actions: readonly RecordedAction[]): boolean {
  const taken = actions.filter(
    (a) => (a.status === 'sent' || a.status === 'manual') && a.action !== 'update_address',
  );
  return taken[taken.length - 1]?.action === 'hold';
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
