import type { Rupiah } from 'src/common/money';
import { UnavailableError } from 'src/common/errors/app-error';

/** What Kirim asks a disbursement provider to pay. */
export interface PayoutRequest {
  /** Ours, unique per payout (the withdrawal id): the provider accepts a key once, so a retry never pays twice. */
  idempotencyKey: string;
  /** What the bank account receives, rupiah. */
  amount: Rupiah;
  /** The bank's code as the provider names it (BCA, MANDIRI, BNI, …). */
  bankCode: string;
  /** The full account number (digits): sent to the provider only, never stored beside the withdrawal. */
  accountNumber: string;
  accountName: string;
  description: string;
}

/** The provider's view of one payout. `failureCode` is the provider's own (e.g. REJECTED_BY_BANK). */
export interface PayoutResult {
  providerId: string;
  status: 'pending' | 'completed' | 'failed';
  failureCode?: string;
}

/**
 * The provider could not be heard: a timeout, a connection error or its server error. The payout may or
 * may not exist there, so it is never taken as failed: the caller asks `find(idempotencyKey)` before
 * sending again.
 */
export class PayoutProviderUnavailableError extends UnavailableError {
  constructor(why: string) {
    super('WITHDRAWAL_PROVIDER_UNAVAILABLE', `The disbursement provider did not answer: ${why}`);
  }
}

/**
 * The one boundary to a bank-disbursement provider (shaped on Xendit Disbursements: an idempotency key per
 * payout, an asynchronous status PENDING → COMPLETED | FAILED, lookups by our key and by the provider's
 * id). Amounts are integer rupiah. No method runs inside a database transaction: each is a network call.
 */
export abstract class PayoutAdapter {
  /**
   * Asks the provider to pay. Sending a key the provider already accepted answers that payout (never a
   * second one).
   * @throws PayoutProviderUnavailableError (WITHDRAWAL_PROVIDER_UNAVAILABLE) when the outcome is unknown
   */
  abstract send(request: PayoutRequest): Promise<PayoutResult>;

  /**
   * The payout the provider holds under our key, or null when it has none (it never accepted one).
   * @throws PayoutProviderUnavailableError (WITHDRAWAL_PROVIDER_UNAVAILABLE) when the provider cannot say
   */
  abstract find(idempotencyKey: string): Promise<PayoutResult | null>;

  /**
   * The payout's current status by the provider's id (a completed payout may later turn failed: a bounce).
   * @throws PayoutProviderUnavailableError (WITHDRAWAL_PROVIDER_UNAVAILABLE) when the provider cannot say
   */
  abstract status(providerId: string): Promise<PayoutResult>;
}
