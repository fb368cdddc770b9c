import { CourierHttp } from '../../courier-http';
import { rejected, statusFailure } from '../../http-failures';
import { payloadText } from '../../payload-text';
import type { JneAccount, JneForm } from './jne.mapper';
import { jneCredentials, jneHeaders } from './jne.signing';

/** A JNE answer: its body, or the text of its `{error, status: false}` shape. */
export type JneAnswer<T> = { ok: true; body: T } | { ok: false; error: string };

/** The message of JNE's error body, whose `status` is boolean false or the string "false" (jne.md §2.2). */
export function jneErrorOf(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as { error?: unknown; status?: unknown };
  if (b.error === undefined || !(b.status === false || b.status === 'false')) return null;
  return payloadText(b.error);
}

const AUTH_ERROR = /username or api ?key/i;

/**
 * HTTP to JNE: form-encoded POSTs with the credentials as fields. JNE answers most failures with
 * HTTP 200 and an error body; bad credentials become an auth rejection here, other errors go to the
 * adapter, which knows what each one means for its call.
 */
export class JneClient {
  private readonly http: CourierHttp;

  constructor(private readonly account: JneAccount) {
    this.http = new CourierHttp('jne', { baseURL: account.JNE_BASE_URL, headers: jneHeaders() });
  }

  async call<T>(path: string, fields: JneForm, signal?: AbortSignal): Promise<JneAnswer<T>> {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries({
      ...jneCredentials(this.account.JNE_USERNAME, this.account.JNE_API_KEY),
      ...fields,
    }))
      form.append(k, String(v));
    const res = await this.http.post<unknown>(path, form.toString(), { signal });
    const failure = statusFailure(
      'jne',
      res.status,
      res.headers['retry-after'] as string | undefined,
      res.data,
    );
    if (failure) throw failure;
    const error = jneErrorOf(res.data);
    if (error !== null && AUTH_ERROR.test(error)) throw rejected('jne', 'auth', String(res.status), error);
    if (res.status >= 400)
      throw rejected(
        'jne',
        'invalid_request',
        String(res.status),
        error ?? JSON.stringify(res.data ?? '').slice(0, 500),
      );
    if (!res.data || typeof res.data !== 'object')
      throw rejected('jne', 'invalid_request', String(res.status), 'JNE answered without a JSON body');
    return error !== null ? { ok: false, error } : { ok: true, body: res.data as T };
  }
}
