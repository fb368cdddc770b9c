import createClient, { type Middleware } from 'openapi-fetch';
import { apiErrorFrom, networkError } from './errors';
import type { components, paths } from './schema';

export { ApiError, type FieldProblem } from './errors';

/** The API's schemas by name, as generated from its OpenAPI document. */
export type Schemas = components['schemas'];

/** Where the session's bearer token is kept, so a reload keeps the seller logged in. */
export const TOKEN_STORAGE_KEY = 'kirim.token';

let onUnauthorized: () => void = () => undefined;
let onTokenMoved: () => void = () => undefined;

/** What to do when the API answers 401 to a request that carried this session's token (expired or revoked). */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/**
 * What to do when the stored token is no longer this session's: another tab of the browser logged out,
 * or in as someone else. Checked at every request, besides the `storage` event the session listens to.
 */
export function whenTokenMoved(handler: () => void): void {
  onTokenMoved = handler;
}

let sessionToken: string | null = localStorage.getItem(TOKEN_STORAGE_KEY);

/**
 * The session's bearer token. This tab's session keeps the token it started with and sends only that one,
 * so its pages never show another person's data under its own name; the stored copy (shared by the
 * browser's tabs, kept across a reload) is what another tab may have changed.
 */
export const tokenStore = {
  get: (): string | null => sessionToken,
  stored: (): string | null => localStorage.getItem(TOKEN_STORAGE_KEY),
  set: (token: string): void => {
    sessionToken = token;
    localStorage.setItem(TOKEN_STORAGE_KEY, token);
  },
  /** Forgets this session's token, and the stored one only while it is still this session's. */
  clear: (): void => {
    if (localStorage.getItem(TOKEN_STORAGE_KEY) === sessionToken) localStorage.removeItem(TOKEN_STORAGE_KEY);
    sessionToken = null;
  },
};

const bearer = (token: string) => `Bearer ${token}`;

const auth: Middleware = {
  onRequest({ request }) {
    const token = tokenStore.get();
    // A request may name its own token (the session checking whose a newly stored one is).
    if (token && !request.headers.has('authorization')) request.headers.set('authorization', bearer(token));
    if (tokenStore.stored() !== token) onTokenMoved();
    return request;
  },
  onResponse({ request, response }) {
    const token = tokenStore.get();
    if (response.status === 401 && token && request.headers.get('authorization') === bearer(token))
      onUnauthorized();
    return response;
  },
};

/**
 * The typed API: `api.GET('/v1/balance')`, `api.POST('/v1/auth/login', { body })` — paths, parameters,
 * bodies and answers are checked against the generated schema. Use `call()` to get the data or an ApiError.
 */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

type Answer<T> = Promise<{ data?: T; error?: unknown; response: Response }>;

/**
 * The data of a successful answer; throws ApiError with the API's code, message and field details
 * otherwise (status 0 and NETWORK_ERROR when no answer came).
 */
export async function call<T>(request: Answer<T>): Promise<T> {
  let result: Awaited<Answer<T>>;
  try {
    result = await request;
  } catch (e) {
    throw networkError(e);
  }
  if (!result.response.ok) throw apiErrorFrom(result.response.status, result.error);
  return result.data as T;
}
