import axios, { AxiosInstance, AxiosResponse } from 'axios';
import {
  PayoutAdapter,
  PayoutProviderUnavailableError,
  type PayoutRequest,
  type PayoutResult,
} from '../payout-adapter';

/** A disbursement as Xendit answers it (`POST /disbursements`, `GET /disbursements/:id`, `?external_id=`). */
export interface XenditDisbursement {
  id: string;
  external_id: string;
  amount: number;
  bank_code: string;
  account_holder_name: string;
  disbursement_description?: string;
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  failure_code?: string;
}

/** Xendit's error body: `{ error_code, message }`. */
interface XenditError {
  error_code?: string;
  message?: string;
}

/**
 * Create errors that refuse this payout for good (Xendit "Errors in creating the disbursement"). Others
 * (a bad key, forbidden, malformed JSON) are Kirim's configuration or bug: retried, never failed.
 */
const REFUSALS = new Set([
  'BANK_CODE_NOT_SUPPORTED_ERROR',
  'RECIPIENT_ACCOUNT_NUMBER_ERROR',
  'RECIPIENT_AMOUNT_ERROR',
  'MAXIMUM_TRANSFER_LIMIT_ERROR',
]);

/** Xendit's disbursement status → ours. Anything it may add later counts as still pending. */
export function resultOf(d: XenditDisbursement): PayoutResult {
  const status = d.status === 'COMPLETED' ? 'completed' : d.status === 'FAILED' ? 'failed' : 'pending';
  return {
    providerId: d.id,
    status,
    ...(status === 'failed' ? { failureCode: d.failure_code ?? 'TRANSFER_ERROR' } : {}),
  };
}

/**
 * Xendit Disbursements (https://docs.xendit.co/xendisburse): basic auth with the secret key as the user,
 * `X-IDEMPOTENCY-KEY` on create (Xendit answers a reused key with DUPLICATE_TRANSACTION_ERROR; we then read
 * the payout back by `external_id`, which is also our key). A timeout, a connection error or a 5xx
 * (Xendit's SERVER_ERROR) leaves the outcome unknown, never failed.
 */
export class XenditPayoutAdapter extends PayoutAdapter {
  private readonly http: AxiosInstance;

  constructor(baseUrl: string, secretKey: string, timeoutMs: number) {
    super();
    this.http = axios.create({
      baseURL: baseUrl,
      timeout: timeoutMs,
      auth: { username: secretKey, password: '' },
      headers: { 'content-type': 'application/json' },
      validateStatus: () => true,
    });
  }

  async send(r: PayoutRequest): Promise<PayoutResult> {
    const res = await this.call<XenditDisbursement & XenditError>(() =>
      this.http.post(
        '/disbursements',
        {
          external_id: r.idempotencyKey,
          bank_code: r.bankCode,
          account_holder_name: r.accountName,
          account_number: r.accountNumber,
          description: r.description,
          amount: r.amount,
        },
        { headers: { 'X-IDEMPOTENCY-KEY': r.idempotencyKey } },
      ),
    );
    if (res.status === 200 || res.status === 201) return resultOf(res.data);
    if (res.data?.error_code === 'DUPLICATE_TRANSACTION_ERROR') {
      const existing = await this.find(r.idempotencyKey);
      if (existing) return existing;
    }
    // A refusal of the payout itself (the destination or amount): none was made, and none ever will be.
    if (res.status === 400 && REFUSALS.has(res.data?.error_code ?? ''))
      return {
        providerId: `refused:${r.idempotencyKey}`,
        status: 'failed',
        failureCode: res.data.error_code,
      };
    throw new PayoutProviderUnavailableError(`create answered ${res.status}`);
  }

  async find(idempotencyKey: string): Promise<PayoutResult | null> {
    const res = await this.call<XenditDisbursement[]>(() =>
      this.http.get('/disbursements', { params: { external_id: idempotencyKey } }),
    );
    if (res.status === 404) return null;
    if (res.status !== 200 || !Array.isArray(res.data))
      throw new PayoutProviderUnavailableError(`lookup answered ${res.status}`);
    const found = res.data.find((d) => d.external_id === idempotencyKey);
    return found ? resultOf(found) : null;
  }

  async status(providerId: string): Promise<PayoutResult> {
    const res = await this.call<XenditDisbursement>(() =>
      this.http.get(`/disbursements/${encodeURIComponent(providerId)}`),
    );
    if (res.status !== 200) throw new PayoutProviderUnavailableError(`status answered ${res.status}`);
    return resultOf(res.data);
  }

  private async call<T>(request: () => Promise<AxiosResponse<T>>): Promise<AxiosResponse<T>> {
    let res: AxiosResponse<T>;
    try {
      res = await request();
    } catch (e) {
      throw new PayoutProviderUnavailableError((e as { code?: string }).code ?? 'no answer');
    }
    if (res.status >= 500) throw new PayoutProviderUnavailableError(`answered ${res.status}`);
    return res;
  }
}
