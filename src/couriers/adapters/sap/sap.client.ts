import { CourierHttp } from '../../courier-http';
import { rejected, statusFailure } from '../../http-failures';
import type { SapAccount } from './sap.mapper';
import { sapAuthHeaders } from './sap.signing';

export interface SapEnvelope<T> {
  status: 'success' | 'fail';
  msg: string;
  data: T;
}

/** HTTP to SAP: the `{status, msg, data}` envelope, with SAP's real HTTP codes turned into typed errors. */
export class SapClient {
  private readonly http: CourierHttp;

  constructor(account: SapAccount) {
    this.http = new CourierHttp('sap', {
      baseURL: account.SAP_BASE_URL,
      headers: sapAuthHeaders(account.SAP_API_KEY),
    });
  }

  /** Answers the envelope for 200 and for 400/404/422 (business outcomes the adapter reads); throws otherwise. */
  async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<{ httpStatus: number; envelope: SapEnvelope<T> }> {
    const res = await this.http.request<SapEnvelope<T>>({
      method,
      url: path,
      ...(method === 'GET' ? { params: body } : { data: body }),
      signal,
    });
    const failure = statusFailure(
      'sap',
      res.status,
      res.headers['retry-after'] as string | undefined,
      res.data,
    );
    if (failure) throw failure;
    if (!res.data || typeof res.data !== 'object' || !('status' in res.data)) {
      throw rejected('sap', 'invalid_request', String(res.status), 'SAP answered without its envelope');
    }
    return { httpStatus: res.status, envelope: res.data };
  }
}
