import { createHmac } from 'node:crypto';
import { sameSecret } from '../../signatures';

/** The push signature header (ninja.md §4); Node hands headers over in lower case. */
export const NINJA_SIGNATURE_HEADER = 'x-ninjavan-hmac-sha256';

/** base64(HMAC-SHA256(raw body bytes, client secret)): how Ninja signs every push (ninja.md §4). */
export function ninjaSignature(rawBody: Buffer | string, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(rawBody).digest('base64');
}

/** Checks a push signature over the exact bytes received, in constant time. */
export function verifyNinjaSignature(rawBody: Buffer, given: string, clientSecret: string): boolean {
  return !!clientSecret && sameSecret(given.trim(), ninjaSignature(rawBody, clientSecret));
}
