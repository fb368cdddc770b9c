import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Kirim signs every seller webhook with. */
export const SIGNATURE_HEADER = 'X-Kirim-Signature';

const hmacHex = (secret: string, t: number, body: string | Buffer): string =>
  createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the seller's webhook secret (its
 * UTF-8 text, `whsec_…` included). `at` is when it is sent (real time), so each retry carries a fresh `t`.
 */
export function signatureHeader(secret: string, body: string | Buffer, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

export type SignatureCheck =
  | { valid: true; timestamp: number }
  | { valid: false; reason: 'malformed' | 'too_old' | 'too_new' | 'mismatch' };

/**
 * What a receiver does with X-Kirim-Signature: the body as received (raw bytes, before any JSON parsing),
 * the header, its own clock, and how far `t` may be from it (default 5 minutes; replays of older messages
 * are refused). Several `v1=` entries are accepted (any one matching suffices). Compared in constant time.
 */
export function verifySignature(
  secret: string,
  body: string | Buffer,
  header: string | undefined,
  now: Date,
  toleranceSeconds = 300,
): SignatureCheck {
  let t: number | undefined;
  const signatures: string[] = [];
  for (const part of (header ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (t === undefined || !signatures.length) return { valid: false, reason: 'malformed' };
  const age = Math.floor(now.getTime() / 1000) - t;
  if (age > toleranceSeconds) return { valid: false, reason: 'too_old' };
  if (age < -toleranceSeconds) return { valid: false, reason: 'too_new' };
  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  const match = signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
  return match ? { valid: true, timestamp: t } : { valid: false, reason: 'mismatch' };
}
