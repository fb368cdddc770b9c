import { CourierHttp } from '../../courier-http';
import { IdExpressEnvelope, readIdExpressAnswer } from './idexpress.decode';
import type { IdExpressAccount } from './idexpress.mapper';
import { signedForm } from './idexpress.signing';

export { succeeded, type IdExpressEnvelope } from './idexpress.decode';

/**
 * HTTP to ID Express's open API: form fields `appId`, `sign`, `data` (a JSON string, or the bare waybill
 * list for tracking), the `{code, desc, data}` envelope with HTTP 200 even on errors.
 */
export class IdExpressClient {
  private readonly http: CourierHttp;

  constructor(private readonly account: IdExpressAccount) {
    this.http = new CourierHttp('idexpress', {
      baseURL: account.IDEXPRESS_BASE_URL,
      proxy: account.COURIER_PROXY_URL,
    });
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
    const res = await this.http.request<unknown>({
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
    return readIdExpressAnswer<T>(res.status, res.data);
  }
}
