import { CourierHttp } from '../../courier-http';
import { readJntAnswer } from './jnt.decode';
import { JNT_PATHS, JntAccount } from './jnt.mapper';
import { jntBasicAuth, jntDataSign, JntSigner } from './jnt.signing';
import { JNT_INSTRUCTION_PATH } from './jnt.actions';

const PATHS = { ...JNT_PATHS, instruction: JNT_INSTRUCTION_PATH };
type Api = keyof typeof PATHS;

/** Per-API URLs where an account's hosts differ (the instruction call sits on the order host). */
const OVERRIDE: Partial<Record<Api, keyof JntAccount>> = {
  tariff: 'JNT_TARIFF_URL',
  create: 'JNT_ORDER_URL',
  cancel: 'JNT_CANCEL_URL',
  tracking: 'JNT_TRACKING_URL',
};

/**
 * HTTP to J&T Indonesia's legacy e-commerce API: form posts carrying a signed JSON string, and the
 * Basic-auth JSON tracking call. J&T answers business errors with HTTP 200, so only transport
 * failures, 429, 5xx and 401/403 throw here (readJntAnswer); the adapter reads the bodies.
 */
export class JntClient {
  private readonly http: CourierHttp;

  constructor(
    private readonly account: JntAccount,
    private readonly sign: JntSigner = jntDataSign,
  ) {
    this.http = new CourierHttp('jnt', { responseType: 'text', proxy: account.COURIER_PROXY_URL });
  }

  private url(api: Api): string {
    const override = OVERRIDE[api];
    return (
      (override && this.account[override]) ||
      `${this.account.JNT_BASE_URL.replace(/(?<!\/)\/+$/, '')}${PATHS[api]}`
    );
  }

  /** Posts `payload` as compact JSON in `jsonField`, signed with `key` in `signField` (jnt.md §2). */
  async form<T>(
    api: Api,
    jsonField: string,
    signField: string,
    payload: unknown,
    key: string,
    signal?: AbortSignal,
  ): Promise<T> {
    const json = JSON.stringify(payload);
    const body = new URLSearchParams({ [jsonField]: json, [signField]: this.sign(json, key) }).toString();
    return this.send<T>(api, body, { 'content-type': 'application/x-www-form-urlencoded' }, signal);
  }

  /** The tracking call: JSON body, HTTP Basic `eccompanyid:password` (jnt.md §3.4). */
  async tracking<T>(body: Record<string, string>, signal?: AbortSignal): Promise<T> {
    return this.send<T>(
      'tracking',
      JSON.stringify({ ...body, eccompanyid: this.account.JNT_ECCOMPANY_ID }),
      {
        'content-type': 'application/json',
        authorization: jntBasicAuth(this.account.JNT_ECCOMPANY_ID, this.account.JNT_TRACKING_PASSWORD),
      },
      signal,
    );
  }

  private async send<T>(
    api: Api,
    data: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<T> {
    const res = await this.http.post<string>(this.url(api), data, { headers, signal });
    return readJntAnswer<T>(res.status, res.data);
  }
}
