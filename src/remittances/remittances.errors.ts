import { AppError, BusinessRuleError, ConflictError, NotFoundError } from 'src/common/errors/app-error';

export class RemittanceNotFoundError extends NotFoundError {
  constructor() {
    super('REMITTANCE_NOT_FOUND', 'No such remittance');
  }
}

/** The courier's very file (the same SHA-256) was taken before: its cash was counted then. */
export class RemittanceAlreadyUploadedError extends ConflictError {
  constructor(readonly remittanceId: string) {
    super('REMITTANCE_ALREADY_UPLOADED', `This report was uploaded before as remittance ${remittanceId}`, [
      { field: 'body', message: `is the same file as remittance ${remittanceId}` },
    ]);
  }
}

/** A report over `config.business.money.remittance.maxReportBytes` (413, as a body over the route's limit). */
export class RemittanceReportTooLargeError extends AppError {
  constructor(bytes: number, max: number) {
    super(
      'too_large',
      'REMITTANCE_REPORT_TOO_LARGE',
      `The report is ${bytes} bytes; at most ${max} are read`,
      [{ field: 'body', message: `is larger than ${max} bytes` }],
    );
  }
}

/** A report voided before: its cash was reversed then. */
export class RemittanceAlreadyVoidedError extends ConflictError {
  constructor(readonly remittanceId: string) {
    super('REMITTANCE_ALREADY_VOIDED', `Remittance ${remittanceId} was voided before`);
  }
}

export class RemittanceLineNotFoundError extends NotFoundError {
  constructor() {
    super('REMITTANCE_LINE_NOT_FOUND', 'No such line in this remittance');
  }
}

/** A line resolved before (by anyone): its cash left suspense then. */
export class RemittanceLineAlreadyResolvedError extends ConflictError {
  constructor(resolution: string) {
    super('REMITTANCE_LINE_ALREADY_RESOLVED', `This line was resolved before: ${resolution}`, [
      { field: 'resolution', message: `the line was resolved before (${resolution})` },
    ]);
  }
}

/** A matched line: its cash settled its parcel, so there is nothing in suspense to resolve. */
export class RemittanceLineNotInSuspenseError extends ConflictError {
  constructor() {
    super('REMITTANCE_LINE_NOT_IN_SUSPENSE', 'This line settled its parcel: none of its cash is in suspense');
  }
}

/** Finance moved some of the report's cash out of suspense: voiding would reverse cash no longer there. */
export class RemittanceHasResolvedLinesError extends ConflictError {
  constructor(count: number) {
    super(
      'REMITTANCE_HAS_RESOLVED_LINES',
      `${count} line(s) of this report were resolved: their cash left suspense, so the report cannot be voided`,
    );
  }
}

/** The shipment finance named is not the parcel the line's courier carried under the line's airway bill. */
export class RemittanceResolutionNotTheParcelError extends BusinessRuleError {
  constructor(why: string) {
    super('REMITTANCE_RESOLUTION_NOT_THE_PARCEL', `The line cannot be credited to this shipment: ${why}`, [
      { field: 'shipmentId', message: why },
    ]);
  }
}

/** The line's cash is not the parcel's COD amount: the seller is credited the COD amount, never another. */
export class RemittanceResolutionAmountDiffersError extends BusinessRuleError {
  constructor(lineAmount: number, codAmount: number) {
    super(
      'REMITTANCE_RESOLUTION_AMOUNT_DIFFERS',
      `The line remitted ${lineAmount} rupiah; the shipment's COD is ${codAmount}`,
      [{ field: 'shipmentId', message: `has a COD amount of ${codAmount}, not the line's ${lineAmount}` }],
    );
  }
}

/** The seller's COD credit for the parcel stands: crediting the line's cash would pay the seller twice. */
export class RemittanceResolutionAlreadyCreditedError extends ConflictError {
  constructor() {
    super(
      'REMITTANCE_RESOLUTION_ALREADY_CREDITED',
      "The seller was already credited this parcel's COD cash",
      [{ field: 'shipmentId', message: 'its seller was already credited its COD cash' }],
    );
  }
}

/**
 * Finance reversed the parcel's COD credit twice (its delivery, and its delivery again): a credit from
 * suspense would be a third, which Kirim does not post. The cash is refunded to the courier or written off.
 */
export class RemittanceResolutionReversedTwiceError extends ConflictError {
  constructor() {
    super(
      'REMITTANCE_RESOLUTION_REVERSED_TWICE',
      "Finance reversed this parcel's COD credit twice: its seller is credited no more; refund the courier or write it off",
      [{ field: 'shipmentId', message: 'its COD credit was reversed twice' }],
    );
  }
}

/** The shipment finance named to credit does not exist. */
export class RemittanceResolutionShipmentNotFoundError extends NotFoundError {
  constructor() {
    super('SHIPMENTS_NOT_FOUND', 'No such shipment', [{ field: 'shipmentId', message: 'names no shipment' }]);
  }
}
