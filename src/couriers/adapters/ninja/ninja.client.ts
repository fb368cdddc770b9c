import { CourierHttp, type CourierResponse } from '../../courier-http';
import { rejected, statusFailure } from '../../http-failures';
import { ninjaErrorOf, NinjaReply, readNinjaAnswer } from './ninja.decode';
import { errorText, NINJA_COUNTRY, NinjaAccount } from './ninja.mapper';

interface TokenReply {
  access_token?: string;
  token_type?: string;
  /** Epoch seconds. */
  expires?: number;
  /** Seconds (43200 in Ninja's example). */
  expires_in?: number;
}

export type { NinjaReply } from './ninja.decode';

/** Refresh this long before the token's own expiry ("a few minutes", ninja.md §2). */
const REFRESH_MARGIN_MS = 5 * 60_000;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * HTTP to Ninja: an OAuth client-credentials token cached until shortly before it expires (one fetch
 * at a time, shared by concurrent calls) and fetched again once when a call answers 401. Transport
 * failures, 401/403, 429 and 5xx become typed errors; other answers go back to the adapter.
 */
export class NinjaClient {
  private readonly http: CourierHttp;
  private token?: { value: string; refreshAt: number };
  private fetching?: Promise<string>;

  constructor(
    private readonly account: NinjaAccount,
    private readonly now: () => number = Date.now,
  ) {
    // The country code is part of every path; tolerate a base URL that already ends with it.
    const baseURL = account.NINJA_BASE_URL.replace(/(?<!\/)\/+$/, '').replace(
      new RegExp(`/${NINJA_COUNTRY}$`, 'i'),
      '',
    );
    this.http = new CourierHttp('ninja', {
      baseURL,
      headers: { accept: 'application/json' },
      proxy: account.COURIER_PROXY_URL,
    });
  }

  /** `path` without the country code, e.g. `/4.1/orders`. */
  async call<T>(
    method: Method,
    path: string,
    options: { body?: unknown; query?: URLSearchParams } = {},
    signal?: AbortSignal,
  ): Promise<NinjaReply<T>> {
    let token = await this.accessToken(signal);
    let res = await this.send<T>(method, path, options, token, signal);
    if (res.status === 401) {
      // Expired or revoked before we expected: one fresh token, one more try.
      this.forget(token);
      token = await this.accessToken(signal);
      res = await this.send<T>(method, path, options, token, signal);
    }
    return {
      ...readNinjaAnswer<T>(res.status, res.data),
      requestId: res.headers['x-nv-request-id'] as string | undefined,
    };
  }

  private async send<T>(
    method: Method,
    path: string,
    options: { body?: unknown; query?: URLSearchParams },
    token: string,
    signal?: AbortSignal,
  ): Promise<CourierResponse<T>> {
    const query = options.query?.toString();
    return await this.http.request<T>({
      method,
      url: `/${NINJA_COUNTRY}${path}${query ? `?${query}` : ''}`,
      headers: {
        authorization: `Bearer ${token}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { data: options.body }),
      signal,
    });
  }

  private async accessToken(signal?: AbortSignal): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    this.fetching ??= this.fetchToken(signal).finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private forget(token: string): void {
    if (this.token?.value === token) this.token = undefined;
  }

  private async fetchToken(signal?: AbortSignal): Promise<string> {
    const res = await this.http.post<TokenReply>(
      `/${NINJA_COUNTRY}/2.0/oauth/access_token`,
      {
        client_id: this.account.NINJA_CLIENT_ID,
        client_secret: this.account.NINJA_CLIENT_SECRET,
        grant_type: 'client_credentials',
      },
      { headers: { 'content-type': 'application/json' }, signal },
    );
    const failure = statusFailure('ninja', res.status, res.headers['retry-after'], res.data);
    if (failure) throw failure;
    const value = res.data?.access_token;
    if (res.status >= 300 || !value) {
      // A 400 here is a malformed or unknown client: credentials, not the request we were making.
      throw rejected(
        'ninja',
        'auth',
        String(res.status),
        errorText(ninjaErrorOf(res.data), 'no access token in the reply'),
      );
    }
    const issuedAt = this.now();
    const lifetimeMs =
      Number(res.data.expires_in) > 0
        ? Number(res.data.expires_in) * 1000
        : Number(res.data.expires) > 0
          ? Number(res.data.expires) * 1000 - issuedAt
          : 0;
    // Without a stated lifetime the token is kept until a call answers 401.
    const refreshAt =
      lifetimeMs > 0
        ? issuedAt + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2)
        : Number.POSITIVE_INFINITY;
    this.token = { value, refreshAt };
    return value;
  }
}
