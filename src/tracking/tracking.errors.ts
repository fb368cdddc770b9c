import { AppError, BusinessRuleError, ConflictError, NotFoundError } from 'src/common/errors/app-error';

export class AlertNotFoundError extends NotFoundError {
  constructor() {
    super('ALERTS_NOT_FOUND', 'No such alert');
  }
}

/** An action's `alertId` that is not one of the seller's alerts of that shipment (another seller's included). */
export class ActionAlertNotFoundError extends AppError {
  constructor() {
    super('not_found', 'ALERTS_NOT_FOUND', 'No such alert on this shipment', [
      { field: 'alertId', message: 'is not an alert of this shipment' },
    ]);
  }
}

/** The shipment's status does not allow the action (nothing is recorded). */
export class ActionNotAllowedError extends BusinessRuleError {
  constructor(why: string) {
    super('SHIPMENTS_ACTION_NOT_ALLOWED', why, [{ field: 'action', message: why }]);
  }
}

/**
 * An address correction to another city or regency: the parcel was priced and booked for its own, so it is
 * redirected within it only (elsewhere is a return and a new shipment).
 */
export class AddressOutsideCityError extends BusinessRuleError {
  constructor(city: string) {
    super('SHIPMENTS_ADDRESS_OUTSIDE_CITY', `The parcel can be redirected within ${city} only`, [
      {
        field: 'address.city',
        message: `must be ${city}, the city the parcel was booked and priced for; to send it elsewhere, return it and ship again`,
      },
    ]);
  }
}

/** Another action of this shipment is being sent to the courier right now. */
export class ActionInProgressError extends ConflictError {
  constructor() {
    super(
      'SHIPMENTS_ACTION_IN_PROGRESS',
      'Another action on this shipment is being sent to the courier; try again when it is answered',
      [{ field: 'action', message: 'another action on this shipment is in progress' }],
    );
  }
}

/** The courier already has this very instruction for the shipment's booking (nothing is recorded). */
export class ActionAlreadyTakenError extends ConflictError {
  constructor(why: string) {
    super('SHIPMENTS_ACTION_ALREADY_TAKEN', why, [{ field: 'action', message: why }]);
  }
}

/** The courier refused the action (recorded as failed, with its words). */
export class ActionRefusedByCourierError extends BusinessRuleError {
  constructor(courierName: string, words: string, field: 'action' | 'address' = 'action') {
    super('SHIPMENTS_ACTION_REFUSED_BY_COURIER', `${courierName} refused the action: ${words}`, [
      { field, message: words },
    ]);
  }
}

/**
 * The courier took an address correction for a booking the shipment no longer has: it was re-booked with
 * another courier meanwhile, which carries the parcel to the old address (recorded as failed).
 */
export class ActionSupersededError extends ConflictError {
  constructor(why: string) {
    super('SHIPMENTS_ACTION_SUPERSEDED', why, [{ field: 'action', message: why }]);
  }
}
