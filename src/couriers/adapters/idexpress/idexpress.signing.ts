import { createHash } from 'node:crypto';
import { sameSecret } from '../../signatures';

/** ID Express request signature: lowercase hex md5 of the exact `data` string, then the app id, then the secret (idexpress.md §2). */
export function idexpressSign(data: string, appId: string, secretKey: string): string {
  return createHash('md5').update(`${data}${appId}${secretKey}`, 'utf8').digest('hex');
}

/** The three form fields every open-API call carries. */
export function signedForm(
  data: string,
  appId: string,
  secretKey: string,
): { appId: string; sign: string; data: string } {
  return { appId, sign: idexpressSign(data, appId, secretKey), data };
}

/** The push signs nothing publicly known; we agree a shared token header with ID Express (idexpress.md §3.6, assumed). */
export const IDEXPRESS_TOKEN_HEADER = 'x-idexpress-token';

/** Constant-time comparison of the pushed token with ours. */
export function verifyIdExpressToken(given: string | string[] | undefined, expected: string): boolean {
  return typeof given === 'string' && sameSecret(given, expected);
}
