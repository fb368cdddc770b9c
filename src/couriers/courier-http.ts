import { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { brotliDecompressSync, constants, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { CourierCode } from './courier-adapter';
import { transportFailure } from './http-failures';

export type CourierMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CourierRequest {
  method?: CourierMethod;
  /** Relative to the base URL, or absolute. */
  url: string;
  /**
   * Query parameters appended to the URL: strings, numbers, booleans, or arrays of them (the key repeated);
   * undefined and null are left out; anything else is refused.
   */
  params?: object;
  /** A string is sent as it is (a form unless a content type says otherwise); anything else as JSON. */
  data?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface CourierResponse<T> {
  status: number;
  /** The body parsed as JSON when it is JSON (and the client was not made for text), else the text. */
  data: T;
  /** Lower-case names, as Node gives them. */
  headers: IncomingMessage['headers'];
}

export interface CourierHttpDefaults {
  baseURL?: string;
  headers?: Record<string, string>;
  /** 'text': bodies are never parsed (J&T signs and decodes its own). */
  responseType?: 'json' | 'text';
  /**
   * An HTTP proxy every call goes through (`http://user:pass@host:port`; CONNECT for https targets), for
   * couriers that only answer allow-listed addresses. Unset: straight to the courier.
   */
  proxy?: string;
}

/** What every courier account may carry besides its own settings: how to reach the courier. */
export interface CourierEgress {
  /** COURIER_PROXY_URL, set on real couriers' accounts only (a sandbox is in-process, reached directly). */
  COURIER_PROXY_URL?: string;
}

/** A courier's answer larger than this is not an answer: the call fails as a network error. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Couriers are called over plain Node HTTP(S): one client per courier, with its base URL and headers, on
 * keep-alive connections. Every status comes back as a response (couriers put business errors in bodies,
 * and redirects are not followed: courier APIs answer where they are asked); only transport failures
 * throw, already typed. Lean on purpose: tracking polls and quotes are most of Kirim's outbound traffic.
 */
export class CourierHttp {
  private readonly base?: string;
  private readonly headers: Record<string, string>;
  private readonly text: boolean;
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpAgent;

  constructor(
    private readonly courier: CourierCode,
    defaults: CourierHttpDefaults = {},
  ) {
    this.base = defaults.baseURL;
    this.headers = lowerCase(defaults.headers ?? {});
    this.text = defaults.responseType === 'text';
    // As Node's global agent (what axios used): idle sockets dropped after 5 s, before the courier's own
    // keep-alive timeout can close one under a request; the most recently used socket first.
    const keep = { keepAlive: true, timeout: 5000, scheduling: 'lifo' } as const;
    this.httpAgent = defaults.proxy ? new HttpProxyAgent(defaults.proxy, keep) : new HttpAgent(keep);
    this.httpsAgent = defaults.proxy ? new HttpsProxyAgent(defaults.proxy, keep) : new HttpsAgent(keep);
  }

  async request<T>(config: CourierRequest): Promise<CourierResponse<T>> {
    try {
      return await this.send<T>(config);
    } catch (e) {
      throw transportFailure(this.courier, e) ?? e;
    }
  }

  post<T>(url: string, data: unknown, config: Omit<CourierRequest, 'url' | 'data'> = {}) {
    return this.request<T>({ ...config, method: 'POST', url, data });
  }

  private target(config: CourierRequest): URL {
    // As axios joined them: the base URL, one slash, the relative URL (its own query string kept).
    const url = /^https?:\/\//i.test(config.url)
      ? new URL(config.url)
      : this.base
        ? new URL(`${this.base.replace(/(?<!\/)\/+$/, '')}/${config.url.replace(/^\/+/, '')}`)
        : null;
    if (!url) throw new Error(`${this.courier}: no base URL for "${config.url}"`);
    for (const [k, v] of Object.entries(config.params ?? {}) as [string, unknown][])
      for (const item of Array.isArray(v) ? (v as unknown[]) : [v]) {
        if (item === undefined || item === null) continue;
        if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean')
          // A programming error, said at once: a silently dropped parameter would be a wrong call to the courier.
          throw new TypeError(`${this.courier}: query parameter "${k}" must be flat, not ${typeof item}`);
        url.searchParams.append(k, String(item));
      }
    return url;
  }

  private send<T>(config: CourierRequest): Promise<CourierResponse<T>> {
    const url = this.target(config);
    const headers: Record<string, string> = {
      accept: 'application/json, text/plain, */*',
      'user-agent': 'Kirim',
      'accept-encoding': 'gzip, deflate, br',
      ...this.headers,
      ...lowerCase(config.headers ?? {}),
    };
    let body: string | undefined;
    if (config.data !== undefined) {
      if (typeof config.data === 'string') {
        body = config.data;
        headers['content-type'] ??= 'application/x-www-form-urlencoded';
      } else {
        body = JSON.stringify(config.data);
        headers['content-type'] ??= 'application/json';
      }
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const https = url.protocol === 'https:';
    const method = config.method ?? 'GET';
    return new Promise<CourierResponse<T>>((resolve, reject) => {
      const signal = config.signal;
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      let settled = false;
      // Every way out goes through here once: the abort listener is removed and the exchange torn down.
      const settle = (outcome: { value: CourierResponse<T> } | { error: Error }) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if ('value' in outcome) resolve(outcome.value);
        else {
          req.destroy();
          reject(outcome.error);
        }
      };
      const fail = (error: Error) => settle({ error });
      const onAbort = () => fail(abortError());
      const req = (https ? httpsRequest : httpRequest)(
        url,
        { method, headers, agent: https ? this.httpsAgent : this.httpAgent },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) fail(tooLarge());
            else chunks.push(chunk);
          });
          res.on('error', fail);
          // A body cut short (the server closed mid-answer) ends in 'close' without 'end'.
          res.on('close', () => {
            if (!res.complete) fail(networkError('ECONNRESET', 'the answer was cut short'));
          });
          res.on('end', () => {
            if (settled) return;
            let raw: Buffer;
            try {
              raw = decoded(Buffer.concat(chunks), res.headers['content-encoding'], method, res.statusCode);
            } catch (e) {
              fail(e as Error);
              return;
            }
            const text = raw.toString('utf8').replace(/^\uFEFF/, '');
            settle({
              value: {
                status: res.statusCode ?? 0,
                data: (this.text ? text : parsed(text)) as T,
                headers: res.headers,
              },
            });
          });
        },
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', fail);
      // A proxy that refuses the tunnel answers in the courier's place: that is no answer from the courier.
      req.on('proxyConnect', (c: { statusCode: number }) => {
        if (c.statusCode !== 200)
          fail(networkError('PROXY_REFUSED', `the proxy refused the tunnel (${c.statusCode})`));
      });
      req.end(body);
    });
  }
}

/**
 * The body as sent before its content encoding (gzip, deflate with or without its zlib header, brotli),
 * leniently as axios did: a body cut short gives what it held. Never more than MAX_BODY_BYTES.
 */
function decoded(body: Buffer, encoding: string | undefined, method: string, status: number | undefined) {
  const kind = (encoding ?? '').trim().toLowerCase();
  if (!body.length || method === 'HEAD' || status === 204 || !kind || kind === 'identity') return body;
  const options = { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: MAX_BODY_BYTES };
  try {
    if (kind === 'gzip' || kind === 'x-gzip') return gunzipSync(body, options);
    // A zlib header's first byte has compression method 8 in its low four bits; raw deflate does not.
    if (kind === 'deflate')
      return (body[0] & 0x0f) === 0x08 ? inflateSync(body, options) : inflateRawSync(body, options);
    if (kind === 'br') return brotliDecompressSync(body, { maxOutputLength: MAX_BODY_BYTES });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw networkError('BAD_ENCODING', `the ${kind} answer could not be decoded: ${(e as Error).message}`);
  }
  return body; // an encoding we did not ask for: left as it came
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

/** JSON when it parses, else the text as it came (an HTML error page, an empty body). */
function parsed(text: string): unknown {
  if (!text) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function abortError(): Error {
  const e = new Error('the call was abandoned');
  e.name = 'AbortError';
  return e;
}

/** A failure of the exchange itself, typed as a network failure by `transportFailure` (it has a code). */
class NetworkError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const networkError = (code: string, message: string) => new NetworkError(code, message);
const tooLarge = () => networkError('TOO_LARGE', `answer larger than ${MAX_BODY_BYTES} bytes`);
