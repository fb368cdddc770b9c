import {
  BusinessRuleError,
  ConflictError,
  InvalidStateError,
  NotFoundError,
} from 'src/common/errors/app-error';

export class ShipmentNotFoundError extends NotFoundError {
  constructor() {
    super('SHIPMENTS_NOT_FOUND', 'No such shipment');
  }
}

export class ReferenceTakenError extends ConflictError {
  constructor() {
    super('SHIPMENTS_REFERENCE_TAKEN', 'A shipment with this reference already exists', [
      { field: 'reference', message: 'is already used by another shipment' },
    ]);
  }
}

/** No courier service (or not the pinned one) can carry the shipment; each courier's reasons are named. */
export class NoCourierCarriesError extends BusinessRuleError {
  constructor(message: string, details: { field: string; message: string }[]) {
    super('SHIPMENTS_NO_COURIER_CARRIES', message, details);
  }
}

export class CannotCancelError extends InvalidStateError {
  constructor(status: string, why?: string) {
    super(
      'SHIPMENTS_CANNOT_CANCEL',
      why ??
        (status === 'booking'
          ? 'The shipment is being booked with the courier now: cancel it again once it is booked (or its booking failed)'
          : `${/^[aeiou]/.test(status) ? 'An' : 'A'} ${status} shipment can no longer be cancelled`),
    );
  }
}

/** Another cancellation of this booked shipment (the seller's or the pickup watch's) is at the courier now. */
export class CancellationInProgressError extends ConflictError {
  constructor() {
    super('SHIPMENTS_CANCEL_IN_PROGRESS', 'A cancellation is already in progress for this shipment');
  }
}

export class PickupNotFoundError extends NotFoundError {
  constructor() {
    super('PICKUPS_NOT_FOUND', 'No such pickup');
  }
}

/** Some shipments of a pickup request are unknown or not ready; each is named. */
export class ShipmentsNotReadyError extends BusinessRuleError {
  constructor(details: { field: string; message: string }[]) {
    super('PICKUPS_SHIPMENTS_NOT_READY', 'Only your ready shipments can be booked', details);
  }
}

/** A pickup day in the past, or too far ahead for couriers to book. */
export class PickupDateNotAllowedError extends BusinessRuleError {
  constructor(message: string) {
    super('PICKUPS_DATE_NOT_ALLOWED', `pickupDate ${message}`, [{ field: 'pickupDate', message }]);
  }
}
