import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { AppConfig } from 'config';

/**
 * argon2id password hashing (OWASP parameters: 19 MiB memory, 2 passes, 1 lane by default). A password is
 * hashed in Unicode's composed form (NFC): "é" typed as one character on one keyboard and as "e" plus an
 * accent on another is the same password. A hash made before took the form its owner typed: that form
 * matches it (`as-typed`), and the caller hashes the password anew (rehash).
 */
@Injectable()
export class PasswordHasher {
  constructor(private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password.normalize('NFC'), {
      type: argon2.argon2id,
      memoryCost: this.config.auth.passwordHashMemoryKib,
      timeCost: 2,
      parallelism: 1,
    });
  }

  /** Whether `password` is the one hashed: in its composed form, or as typed when that differs. */
  async verify(hash: string, password: string): Promise<boolean> {
    return (await this.match(hash, password)) !== null;
  }

  /**
   * How `password` matches the hash: `composed` (as hash() makes them), `as-typed` (a hash made before
   * passwords were composed, of a form that is not; worth hashing anew), or null.
   */
  async match(hash: string, password: string): Promise<'composed' | 'as-typed' | null> {
    const composed = password.normalize('NFC');
    if (await this.matches(hash, composed)) return 'composed';
    return composed !== password && (await this.matches(hash, password)) ? 'as-typed' : null;
  }

  private async matches(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
