import { BusinessRuleError, InvalidStateError, NotFoundError } from 'src/common/errors/app-error';
import type { Rupiah } from 'src/common/money';
import type { WithdrawalStatus } from './withdrawal-status';

/** Unknown, or another seller's. */
export class WithdrawalNotFoundError extends NotFoundError {
  constructor() {
    super('WITHDRAWAL_NOT_FOUND', 'No such withdrawal');
  }
}

/** The amount is more than the seller may withdraw now (available less outstanding invoices). */
export class WithdrawalInsufficientFundsError extends BusinessRuleError {
  /** `withdrawable`: rupiah, when known (the ledger's own refusal does not say). */
  constructor(withdrawable?: Rupiah) {
    const limit = withdrawable === undefined ? '' : ` (${withdrawable} rupiah)`;
    super('WITHDRAWAL_INSUFFICIENT_FUNDS', `The amount is more than the withdrawable balance${limit}`, [
      { field: 'amount', message: `must be at most the withdrawable balance${limit}` },
    ]);
  }
}

/** Below the configured minimum (which is above the fee, so the bank always receives something). */
export class WithdrawalAmountTooSmallError extends BusinessRuleError {
  constructor(minAmount: Rupiah) {
    super('WITHDRAWAL_AMOUNT_TOO_SMALL', `The smallest withdrawal is Rp ${minAmount}`, [
      { field: 'amount', message: `must be at least ${minAmount} rupiah` },
    ]);
  }
}

/** The withdrawal's status does not allow this (approving a paid one, rejecting an approved one). */
export class WithdrawalInvalidTransitionError extends InvalidStateError {
  constructor(from: WithdrawalStatus, action: string) {
    super(
      'WITHDRAWAL_INVALID_TRANSITION',
      `${/^[aeiou]/.test(from) ? 'An' : 'A'} ${from} withdrawal cannot be ${action}`,
    );
  }
}

/** The seller removed the bank account the withdrawal was to go to: approved, its payout could only fail. */
export class WithdrawalBankAccountRemovedError extends BusinessRuleError {
  constructor() {
    super(
      'WITHDRAWAL_BANK_ACCOUNT_REMOVED',
      'The seller has removed the bank account of this withdrawal: reject it, and its amount is available to them again',
    );
  }
}
