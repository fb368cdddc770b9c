import { sameSecret } from '../../signatures';

/** JNE's vendor page asks every caller for a non-empty User-Agent (jne.md §2). */
export const JNE_USER_AGENT = 'Kirim/0.1 (courier-integration)';

/** The push header carrying the shared token (assumed, jne.md §3.7: JNE documents no push auth). */
export const JNE_TOKEN_HEADER = 'x-jne-token';

/** JNE signs nothing: the credentials are ordinary form fields in every body (jne.md §2). */
export function jneCredentials(username: string, apiKey: string): { username: string; api_key: string } {
  return { username, api_key: apiKey };
}

export function jneHeaders(): Record<string, string> {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'user-agent': JNE_USER_AGENT,
  };
}

/** Constant-time check of the shared push token. */
export function verifyJneToken(given: string | string[] | undefined, expected: string): boolean {
  return typeof given === 'string' && !!expected && sameSecret(given, expected);
}
