import {
  AppError,
  BusinessRuleError,
  ConflictError,
  InvalidStateError,
  NotFoundError,
} from 'src/common/errors/app-error';

export class AlertNotFoundError extends NotFoundError {
  constructor() {
    super('ALERTS_NOT_FOUND', 'No such alert');
  }
}

/** An acknowledgement of an alert whose problem ended before the seller saw it: there is nothing to mark seen. */
export class AlertAlreadyResolvedError extends InvalidStateError {
  constructor(resolvedAt: Date) {
    super(
      'ALERTS_ALREADY_RESOLVED',
      `This alert was resolved at ${resolvedAt.toISOString()}: there is nothing left to acknowledge`,
    );
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

/**
 * A corrected address the shipment's courier cannot be sent: it takes the new address as its location code
 * for the district (J&T, SAP, ID Express), and none was given or its mapping has none (area_not_mapped).
 */
export class AddressNotMappedError extends BusinessRuleError {
  constructor(courierName: string, districtGiven: boolean) {
    const message = districtGiven
      ? `${courierName} has no location code for this district (area_not_mapped): it cannot be sent this address`
      : `is required: ${courierName} takes a corrected address by its location code for the district`;
    super('SHIPMENTS_ADDRESS_NOT_MAPPED', `The corrected address cannot be sent to ${courierName}`, [
      { field: 'address.district', message },
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

/**
 * A settlement naming an alert that is no longer the shipment's open `delivery_contradicted` one: the parcel
 * was delivered again, or taken back again, since the decision was made.
 */
export class CodSettlementAlertChangedError extends ConflictError {
  constructor() {
    super(
      'COD_SETTLEMENT_ALERT_CHANGED',
      'The delivery taken back has changed since this decision: its alert is no longer the open one',
      [{ field: 'alertId', message: 'is no longer the open delivery_contradicted alert of the shipment' }],
    );
  }
}

/** A settlement of a delivery its courier did not take back: it has no open `delivery_contradicted` alert. */
export class CodSettlementNotTakenBackError extends ConflictError {
  constructor() {
    super(
      'COD_SETTLEMENT_NOT_TAKEN_BACK',
      'The shipment’s delivery is not taken back: it has no open delivery_contradicted alert to settle',
      [
        {
          field: 'id',
          message: 'names no delivery its courier took back (no open delivery_contradicted alert)',
        },
      ],
    );
  }
}

/** A delivery taken back whose delivery credited no COD cash: there is no money to settle. */
export class CodSettlementNoCreditError extends ConflictError {
  constructor() {
    super(
      'COD_SETTLEMENT_NO_CREDIT',
      'The shipment’s delivery credited no COD cash to the seller: there is nothing to settle',
      [{ field: 'id', message: 'names a shipment whose delivery credited no COD cash' }],
    );
  }
}

/** A reversal of a COD credit whose cash the courier has remitted: the cash was collected after all. */
export class CodSettlementAlreadyRemittedError extends ConflictError {
  constructor() {
    super(
      'COD_SETTLEMENT_ALREADY_REMITTED',
      'The courier has remitted this parcel’s COD cash: it was collected, so its credit is released, not reversed',
      [{ field: 'decision', message: 'cannot be reverse: the courier has remitted the cash' }],
    );
  }
}

/** The delivery taken back was settled already, with another decision. */
export class CodSettlementAlreadySettledError extends ConflictError {
  constructor(decision: string) {
    super('COD_SETTLEMENT_ALREADY_SETTLED', `The delivery taken back was settled already: ${decision}`, [
      { field: 'decision', message: `was settled already as ${decision}` },
    ]);
  }
}

/**
 * Reversing the COD credit would take the seller's `available` below zero: the seller has withdrawn (or is
 * withdrawing) the cash. Nothing is posted: Kirim keeps no debt of a seller outside its invoices.
 */
export class CodReversalUncoveredError extends BusinessRuleError {
  constructor(needed: number, available: number) {
    const why =
      `the reversal needs ${needed} rupiah of the seller’s available balance, which holds ${available}: ` +
      'the seller has withdrawn (or is withdrawing) the cash; settle it with the seller, or reverse once its balance covers it';
    super('COD_SETTLEMENT_REVERSAL_UNCOVERED', `The COD credit cannot be reversed: ${why}`, [
      { field: 'decision', message: why },
    ]);
  }
}
