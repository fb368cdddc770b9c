import { AppError, BusinessRuleError, ConflictError } from 'src/common/errors/app-error';

/** A posting would take an account that may not go negative below zero. */
export class LedgerInsufficientFundsError extends BusinessRuleError {
  constructor(readonly account: string) {
    super('LEDGER_INSUFFICIENT_FUNDS', `The balance of ${account.split(':').pop()} is not enough`);
  }
}

/** The same idempotency key was posted before with different entries (a bug in the caller). */
export class LedgerKeyConflictError extends ConflictError {
  constructor(readonly key: string) {
    super('LEDGER_KEY_CONFLICT', `Ledger key ${key} was already posted with different entries`);
  }
}

/** A malformed posting or a posting outside a transaction: a programming error, never a client's. */
export class LedgerMisuseError extends AppError {
  constructor(message: string) {
    super('invalid_state', 'LEDGER_MISUSE', message);
  }
}
