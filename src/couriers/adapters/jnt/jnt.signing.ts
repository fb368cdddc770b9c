import { createHash } from 'node:crypto';
import { sameSecret } from '../../signatures';

/**
 * Signs the exact JSON string sent in a form field. Pluggable because J&T's newer Open Platform (other
 * countries) signs differently (base64 of the raw md5 bytes, in headers); an account moved there
 * needs another signer, not another adapter (jnt.md, introduction).
 */
export type JntSigner = (json: string, key: string) => string;

/** Legacy e-commerce API: `base64( md5hex( json + key ) )`, base64 of the 32 hex characters (jnt.md §2). */
export const jntDataSign: JntSigner = (json, key) =>
  Buffer.from(
    createHash('md5')
      .update(json + key, 'utf8')
      .digest('hex'),
    'utf8',
  ).toString('base64');

/** Whether `given` is the signature of `json` under `key`, compared in constant time. */
export function verifyJntSign(
  json: string,
  key: string,
  given: string | undefined,
  sign: JntSigner = jntDataSign,
): boolean {
  return typeof given === 'string' && !!given && sameSecret(given, sign(json, key));
}

/** Tracking authenticates with HTTP Basic `eccompanyid:password` (jnt.md §3.4). */
export function jntBasicAuth(eccompanyId: string, password: string): string {
  return `Basic ${Buffer.from(`${eccompanyId}:${password}`, 'utf8').toString('base64')}`;
}
