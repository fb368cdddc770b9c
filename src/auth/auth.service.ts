import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from 'config';
import { Principal } from 'src/common/auth/principal';
import { Clock } from 'src/common/clock';
import { TtlCache } from 'src/common/ttl-cache';
import { InvalidCredentialsError, InvalidTokenError, LoginRateLimitedError } from './auth.errors';
import { LoginThrottleRepository } from './login-throttle.repository';
import { PasswordHasher } from './password';
import { User } from './user.entity';
import { UsersService } from './users.service';

export interface AccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
}

interface TokenClaims {
  sub: string;
  /** Expiry, seconds since the epoch. */
  exp?: number;
}

@Injectable()
export class AuthService {
  /** Verified against when the email is unknown, so both answers take the same time. */
  private decoyHash?: Promise<string>;
  /** Tokens whose signature was checked (HMAC on every request was a tenth of a quote's cost); expiry is still checked each time. */
  private readonly verified = new TtlCache<string, TokenClaims>(60_000, 20_000);

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  issueToken(user: User): AccessToken {
    const expiresIn = this.config.auth.jwtTtlSeconds;
    const accessToken = this.jwt.sign({ sub: user.id } satisfies TokenClaims, { expiresIn });
    return { accessToken, tokenType: 'Bearer', expiresIn };
  }

  /**
   * Logs in by email and password. Attempts are limited per client IP, and failures per email, in
   * fixed windows shared by all instances.
   * @throws LoginRateLimitedError AUTH_RATE_LIMITED (with retry-after seconds)
   * @throws InvalidCredentialsError AUTH_INVALID_CREDENTIALS
   */
  async login(email: string, password: string, clientIp: string): Promise<AccessToken> {
    const { perEmail, perIp, windowSeconds } = this.config.auth.loginRateLimit;
    const now = this.clock.now().getTime();
    const windowMs = windowSeconds * 1000;
    const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
    const retryAfter = (windowStart.getTime() + windowMs - now) / 1000;
    const emailKey = `login:fail:${email.toLowerCase()}`;

    if ((await this.throttle.hit(`login:ip:${clientIp}`, windowStart)) > perIp)
      throw new LoginRateLimitedError(retryAfter);
    if ((await this.throttle.hits(emailKey, windowStart)) >= perEmail)
      throw new LoginRateLimitedError(retryAfter);

    const user = await this.users.findActiveByEmail(email);
    const ok = user
      ? await this.hasher.verify(user.passwordHash, password)
      : await this.hasher
          .verify(await (this.decoyHash ??= this.hasher.hash('decoy-password')), password)
          .then(() => false);
    if (!user || !ok) {
      await this.throttle.hit(emailKey, windowStart);
      throw new InvalidCredentialsError();
    }
    return this.issueToken(user);
  }

  /**
   * Resolves a bearer token to the current state of its user (role changes and disabling apply at once).
   * Tokens must carry an expiry (`exp`).
   * @throws InvalidTokenError AUTH_INVALID_TOKEN
   */
  async authenticateToken(token: string): Promise<Principal> {
    let claims = this.verified.get(token);
    if (!claims || claims.exp === undefined || claims.exp * 1000 <= Date.now()) {
      try {
        claims = await this.jwt.verifyAsync<TokenClaims>(token);
      } catch {
        throw new InvalidTokenError();
      }
      // A token without an expiry would never end: refused even when its signature is good.
      if (typeof claims.exp !== 'number') throw new InvalidTokenError();
      this.verified.set(token, claims);
    }
    const user = typeof claims.sub === 'string' ? await this.users.findActiveById(claims.sub) : null;
    if (!user) throw new InvalidTokenError();
    return { kind: 'user', userId: user.id, role: user.role, sellerId: user.sellerId };
  }

  /** Drops login counters of windows that ended more than a day ago. */
  pruneLoginCounters(): Promise<void> {
    return this.throttle.deleteBefore(new Date(this.clock.now().getTime() - 24 * 3600_000));
  }
}
