import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { AppConfig } from 'config';

/** argon2id password hashing (OWASP parameters: 19 MiB memory, 2 passes, 1 lane by default). */
@Injectable()
export class PasswordHasher {
  constructor(private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: this.config.auth.passwordHashMemoryKib,
      timeCost: 2,
      parallelism: 1,
    });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
