import { CourierHttp } from '../../courier-http';
import type { JneAccount, JneForm } from './jne.mapper';
import { JneAnswer, readJneAnswer } from './jne.decode';
import { jneCredentials, jneHeaders } from './jne.signing';

export { jneErrorOf, type JneAnswer } from './jne.decode';

/**
 * HTTP to JNE: form-encoded POSTs with the credentials as fields. JNE answers most failures with
 * HTTP 200 and an error body; what each answer means is read by readJneAnswer (jne.decode.ts), so an
 * answer decoded from a file reads the same.
 */
export class JneClient {
  private readonly http: CourierHttp;

  constructor(private readonly account: JneAccount) {
    this.http = new CourierHttp('jne', {
      baseURL: account.JNE_BASE_URL,
      headers: jneHeaders(),
      proxy: account.COURIER_PROXY_URL,
    });
  }

  async call<T>(path: string, fields: JneForm, signal?: AbortSignal): Promise<JneAnswer<T>> {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries({
      ...jneCredentials(this.account.JNE_USERNAME, this.account.JNE_API_KEY),
      ...fields,
    }))
      form.append(k, String(v));
    const res = await this.http.post<unknown>(path, form.toString(), { signal });
    return readJneAnswer<T>(res.status, res.data);
  }
}
