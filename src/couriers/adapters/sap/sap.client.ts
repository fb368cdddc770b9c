import { CourierHttp } from '../../courier-http';
import { readSapAnswer, SapAnswer } from './sap.decode';
import type { SapAccount } from './sap.mapper';
import { sapAuthHeaders } from './sap.signing';

/** HTTP to SAP: the `{status, msg, data}` envelope, with SAP's real HTTP codes turned into typed errors. */
export class SapClient {
  private readonly http: CourierHttp;

  constructor(account: SapAccount) {
    this.http = new CourierHttp('sap', {
      baseURL: account.SAP_BASE_URL,
      headers: sapAuthHeaders(account.SAP_API_KEY),
      proxy: account.COURIER_PROXY_URL,
    });
  }

  /** Answers the envelope for 200 and for 400/404/422 (business outcomes the adapter reads); throws otherwise. */
  async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<SapAnswer<T>> {
    const res = await this.http.request<unknown>({
      method,
      url: path,
      ...(method === 'GET' ? { params: body as object } : { data: body }),
      signal,
    });
    return readSapAnswer<T>(res.status, res.data);
  }
}
