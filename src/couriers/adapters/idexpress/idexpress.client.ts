import { CourierHttp } from '../../courier-http';
import { rejected, statusFailure } from '../../http-failures';
import { payloadText } from '../../payload-text';
import type { IdExpressAccount } from './idexpress.mapper';
import { signedForm } from './idexpress.signing';

export interface IdExpressEnvelope<T> {
  /** 0 = success; anything else rejects the whole request, `desc` says why (idexpress.md §2). */
  code: number | string;
  desc: string;
  total?: number;
  data: T;
}

/** The envelope answers for a wrong app id or signature (assumed texts: ID Express publishes no error catalogue). */
const AUTH_FAILURE = /\bsign\b|\bapp ?id\b/i;

export const succeeded = (envelope: IdExpressEnvelope<unknown>) => Number(envelope.code) === 0;

/**
 * HTTP to ID Express's open API: form fields `appId`, `sign`, `data` (a JSON string, or the bare waybill
 * list for tracking), the `{code, desc, data}` envelope with HTTP 200 even on errors.
 */
export class IdExpressClient {
  private readonly http: CourierHttp;

  constructor(private readonly account: IdExpressAccount) {
    this.http = new CourierHttp('idexpress', { baseURL: account.IDEXPRESS_BASE_URL });
  }

  /**
   * Answers the envelope, successful or not (the adapter reads business refusals); throws for transport
   * failures, HTTP errors, a missing envelope and authentication refusals.
   */
  async call<T>(
    method: 'GET' | 'POST',
    path: string,
    data: unknown,
    signal?: AbortSignal,
  ): Promise<IdExpressEnvelope<T>> {
    // The signature covers the exact string sent, so it is serialized once here.
    const payload = typeof data === 'string' ? data : JSON.stringify(data);
    const form = signedForm(payload, this.account.IDEXPRESS_APP_ID, this.account.IDEXPRESS_SECRET_KEY);
    const res = await this.http.request<IdExpressEnvelope<T>>({
      method,
      url: path,
      ...(method === 'GET'
        ? { params: form }
        : {
            data: new URLSearchParams(form).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
      signal,
    });
    const failure = statusFailure(
      'idexpress',
      res.status,
      res.headers['retry-after'] as string | undefined,
      res.data,
    );
    if (failure) throw failure;
    const envelope = res.data;
    if (!envelope || typeof envelope !== 'object' || !('code' in envelope)) {
      throw rejected(
        'idexpress',
        'invalid_request',
        String(res.status),
        'ID Express answered without its envelope',
      );
    }
    if (!succeeded(envelope) && AUTH_FAILURE.test(payloadText(envelope.desc))) {
      throw rejected('idexpress', 'auth', String(envelope.code), String(envelope.desc));
    }
    return envelope;
  }
}
