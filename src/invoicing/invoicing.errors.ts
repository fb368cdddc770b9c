import { NotFoundError, ValidationFailedError } from 'src/common/errors/app-error';

/** No such invoice (also another seller's). */
export class InvoiceNotFoundError extends NotFoundError {
  constructor() {
    super('INVOICING_NOT_FOUND', 'No such invoice');
  }
}

/** `periodStart` is not the first day of an invoicing period. */
export class NotAPeriodStartError extends ValidationFailedError {
  constructor(message: string) {
    super([{ field: 'periodStart', message }], 'periodStart is not the start of an invoicing period');
  }
}
