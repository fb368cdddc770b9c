import { ConflictError, NotFoundError } from 'src/common/errors/app-error';

export class AddressNotFoundError extends NotFoundError {
  constructor() {
    super('SELLERS_ADDRESS_NOT_FOUND', 'No such pickup address');
  }
}

export class BankAccountNotFoundError extends NotFoundError {
  constructor() {
    super('SELLERS_BANK_ACCOUNT_NOT_FOUND', 'No such bank account');
  }
}

export class DuplicateBankAccountError extends ConflictError {
  constructor() {
    super('SELLERS_BANK_ACCOUNT_EXISTS', 'This bank account is already registered', [
      { field: 'accountNumber', message: 'is already registered for this bank' },
    ]);
  }
}
