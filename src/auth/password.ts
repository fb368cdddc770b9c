import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { AppConfig } from 'config';

/**
 * argon2id password hashing (OWASP parameters: 19 MiB memory, 2 passes, 1 lane by default). A password is
 * hashed in Unicode's composed form (NFC): "é" typed as one character on one keyboard and as "e" plus an
 * accent on another is the same password.
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

  /**
   * Whether `password` is the one hashed, in either form: composed, or as typed when that differs (a hash
   * made before passwords were composed holds the form its owner typed then).
   */
  async verify(hash: string, password: string): Promise<boolean> {
    const composed = password.normalize('NFC');
    return (
      (await this.matches(hash, composed)) || (composed !== password && (await this.matches(hash, password)))
    );
  }

  private async matches(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
