import { AppError, ConflictError, NotFoundError } from 'src/common/errors/app-error';

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
