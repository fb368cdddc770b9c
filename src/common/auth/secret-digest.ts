import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * A configured secret (an operator or scraper token) kept as its SHA-256: an offered value is compared by
 * its own digest, equal lengths in constant time, so neither the secret nor its length leaks by timing.
 */
export class SecretDigest {
  private readonly digest: Buffer;

  constructor(secret: string) {
    this.digest = sha256(secret);
  }

  matches(offered: string): boolean {
    return timingSafeEqual(sha256(offered), this.digest);
  }
}
