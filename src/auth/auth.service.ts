import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from 'config';
import { Principal } from 'src/common/auth/principal';
import { SystemClock } from 'src/common/clock';
import { isUuid } from 'src/common/id-param';
import { clientNetwork } from 'src/common/ip-address';
import { TtlCache } from 'src/common/ttl-cache';
import {
  InvalidCredentialsError,
  InvalidTokenError,
  LoginRateLimitedError,
  SignupRateLimitedError,
  UserCreateRateLimitedError,
  PasswordUnchangedError,
  WrongPasswordError,
} from './auth.errors';
import { randomUUID } from 'node:crypto';
import { Transactions } from 'src/database/transaction';
import { AuthRevocations } from './auth-revocations';
import { EndedSessionsRepository } from './ended-sessions.repository';
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
  /** The user's session generation when issued (absent in tokens from before generations: 0). */
  gen?: number;
  /** The session this token is (one login, or one password change): logging out ends it alone. */
  sid?: string;
  /** Expiry, seconds since the epoch. */
  exp?: number;
}

/** The counter of an account's failed logins from anywhere (LOGIN_RATE_LIMIT_PER_ACCOUNT). */
const accountFailuresKey = (email: string) => `login:account:${email.toLowerCase()}`;

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Verified against when the email is unknown, so both answers take the same time. */
  private decoyHash?: Promise<string>;
  /** Tokens whose signature was checked (HMAC on every request was a tenth of a quote's cost); expiry is still checked each time. */
  private readonly verified = new TtlCache<string, TokenClaims>(60_000, 20_000);
  /**
   * Whether a session was logged out, kept as briefly as users are (defaults.caches), and dropped on every
   * instance as soon as the session is logged out (AuthRevocations).
   */
  private readonly ended: TtlCache<string, boolean>;

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottleRepository,
    private readonly endedSessions: EndedSessionsRepository,
    /** Rate-limit windows count real time: moving the sandbox clock must not open them. */
    private readonly realTime: SystemClock,
    private readonly config: AppConfig,
    private readonly tx: Transactions,
    private readonly revocations: AuthRevocations,
  ) {
    this.ended = new TtlCache(config.business.caches.users * 1000, 20_000);
    revocations.listen({
      revoked: (r) => {
        if ('session' in r) this.ended.delete(r.session);
      },
      missed: () => this.ended.clear(),
    });
  }

  /** The fixed window of `seconds` that now falls in, and the seconds until it ends. */
  private window(seconds: number): { start: Date; retryAfter: number } {
    const now = this.realTime.now().getTime();
    const ms = seconds * 1000;
    const start = Math.floor(now / ms) * ms;
    return { start: new Date(start), retryAfter: (start + ms - now) / 1000 };
  }

  issueToken(user: User): AccessToken {
    const expiresIn = this.config.auth.jwtTtlSeconds;
    const accessToken = this.jwt.sign(
      { sub: user.id, gen: user.sessionGeneration, sid: randomUUID() } satisfies TokenClaims,
      { expiresIn },
    );
    return { accessToken, tokenType: 'Bearer', expiresIn };
  }

  /**
   * Logs in by email and password. Every attempt counts against the client address, an IPv6 one by its /64
   * (LOGIN_RATE_LIMIT_PER_IP); failures count per email and client address (LOGIN_RATE_LIMIT), so failures
   * from one client never lock the owner out from another, and per email from anywhere
   * (LOGIN_RATE_LIMIT_PER_ACCOUNT, higher), so guesses from many addresses end too. Fixed windows in real
   * time, shared by all instances.
   * @throws LoginRateLimitedError AUTH_RATE_LIMITED (with retry-after seconds)
   * @throws InvalidCredentialsError AUTH_INVALID_CREDENTIALS
   */
  async login(email: string, password: string, clientIp: string): Promise<AccessToken> {
    const { perEmail, perIp, perAccount, windowSeconds } = this.config.auth.loginRateLimit;
    const { start, retryAfter } = this.window(windowSeconds);
    const client = clientNetwork(clientIp);
    const failuresKey = `login:fail:${email.toLowerCase()}|${client}`;
    const accountKey = accountFailuresKey(email);

    if ((await this.throttle.hit(`login:ip:${client}`, start)) > perIp)
      throw new LoginRateLimitedError(retryAfter);
    // Guesses spread over many addresses are stopped too, though they then hold the owner out until the
    // window ends: a higher bar than one address's, so one client alone never can.
    const guesses = [failuresKey, accountKey];
    await this.countGuess(guesses, [perEmail, perAccount], start, retryAfter);

    const user = await this.users.findActiveByEmail(email);
    const matched = user
      ? await this.hasher.match(user.passwordHash, password)
      : await this.hasher
          .verify(await (this.decoyHash ??= this.hasher.hash('decoy-password')), password)
          .then(() => null);
    if (!user || !matched) throw new InvalidCredentialsError();
    await this.uncountGuess(guesses, start);
    // A hash of the password as typed before passwords were composed: from now on, the composed form's.
    // Best effort: the password is right, and a failure here only leaves the old hash (still matching).
    if (matched === 'as-typed')
      await this.hasher
        .hash(password)
        .then((hash) => this.users.rehashPassword(user.id, user.passwordHash, hash))
        .catch((err: unknown) => this.logger.warn({ err, user: user.id }, 'password rehash failed'));
    return this.issueToken(user);
  }

  /**
   * Logs out: this session's token stops working, or with `everywhere` every token issued to the user so
   * far. A token from before session ids names no session of its own, so it can only end them all.
   */
  async logout(principal: Principal, everywhere: boolean): Promise<void> {
    const session = principal.session;
    if (everywhere || !session) {
      await this.users.nextSession(principal.userId);
      return;
    }
    await this.tx.run(async () => {
      await this.endedSessions.end(session.id, principal.userId, this.realTime.now(), session.expiresAt);
      await this.revocations.announce({ session: session.id });
    });
    this.ended.set(session.id, true);
  }

  /**
   * Changes the user's password after checking the current one, and ends every other session: the answer
   * is a fresh token, the only one that works from now. Wrong current passwords count against the account's
   * login failures (LOGIN_RATE_LIMIT_PER_ACCOUNT), so a stolen token cannot be used to guess it.
   * @throws LoginRateLimitedError AUTH_RATE_LIMITED
   * @throws WrongPasswordError AUTH_WRONG_PASSWORD (422 naming currentPassword)
   * @throws PasswordUnchangedError AUTH_PASSWORD_UNCHANGED (422 naming newPassword)
   */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<AccessToken> {
    const user = await this.users.findActiveById(userId);
    if (!user) throw new InvalidTokenError();
    const { perAccount, windowSeconds } = this.config.auth.loginRateLimit;
    const { start, retryAfter } = this.window(windowSeconds);
    const accountKey = accountFailuresKey(user.email);
    await this.countGuess([accountKey], [perAccount], start, retryAfter);
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) throw new WrongPasswordError();
    await this.uncountGuess([accountKey], start);
    // After the check: a wrong current password given twice is a wrong password, not an unchanged one.
    if (newPassword === currentPassword) throw new PasswordUnchangedError();
    // Only from the generation whose password was just checked: of two changes at once, the second finds
    // its session ended by the first (401), rather than both answering a token and only one working.
    const changed = await this.users.nextSession(
      userId,
      await this.hasher.hash(newPassword),
      user.sessionGeneration,
    );
    if (!changed) throw new InvalidTokenError();
    return this.issueToken(changed);
  }

  /**
   * Counts a password guess as a failure under each key before it is checked, so guesses sent at once each
   * see the others (counted after the slow hash check, 40 at once all passed a limit of 10). Over a key's
   * limit, the guess is taken back from the keys it was counted under, unchecked.
   * @throws LoginRateLimitedError AUTH_RATE_LIMITED
   */
  private async countGuess(keys: string[], limits: number[], start: Date, retryAfter: number): Promise<void> {
    // Key by key, stopping at the first over its limit: a client held at its own limit never touches the
    // account's, however many of its refused guesses are in flight.
    for (const [i, key] of keys.entries()) {
      if ((await this.throttle.hit(key, start)) <= limits[i]) continue;
      await this.uncountGuess(keys.slice(0, i + 1), start);
      throw new LoginRateLimitedError(retryAfter);
    }
  }

  /** Takes back a guess countGuess counted: it was right. */
  private async uncountGuess(keys: string[], start: Date): Promise<void> {
    for (const key of keys) await this.throttle.unhit(key, start);
  }

  /**
   * Counts one signup from the client address, an IPv6 one by its /64 (SIGNUP_RATE_LIMIT per
   * SIGNUP_RATE_WINDOW_SECONDS, real time). Call before creating anything; the attempt counts whether or
   * not the signup then succeeds.
   * @throws SignupRateLimitedError AUTH_SIGNUP_RATE_LIMITED (with retry-after seconds)
   */
  async admitSignup(clientIp: string): Promise<void> {
    const { perIp, windowSeconds } = this.config.auth.signupRateLimit;
    const { start, retryAfter } = this.window(windowSeconds);
    if ((await this.throttle.hit(`signup:ip:${clientNetwork(clientIp)}`, start)) > perIp)
      throw new SignupRateLimitedError(retryAfter);
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
    // A signed token is ours, but its subject is still read as data: a non-UUID would fail the query.
    const user = isUuid(claims.sub) ? await this.users.findActiveById(claims.sub) : null;
    if (!user || (claims.gen ?? 0) !== user.sessionGeneration) throw new InvalidTokenError();
    const sid = claims.sid;
    if (
      sid !== undefined &&
      (!isUuid(sid) ||
        (await this.revocations.cached(this.ended, sid, () => this.endedSessions.isEnded(sid))))
    )
      throw new InvalidTokenError();
    return {
      kind: 'user',
      userId: user.id,
      role: user.role,
      sellerId: user.sellerId,
      session: sid ? { id: sid, expiresAt: new Date(claims.exp * 1000) } : undefined,
      sessionGeneration: user.sessionGeneration,
    };
  }

  /**
   * Counts one attempt to add a user to the seller (USER_CREATE_RATE_LIMIT per window, real time), whatever
   * its answer: a taken email's 409 must not be a free oracle of registered addresses.
   * @throws UserCreateRateLimitedError USERS_RATE_LIMITED (with retry-after seconds)
   */
  async admitUserCreation(sellerId: string): Promise<void> {
    const { perSeller, windowSeconds } = this.config.auth.userCreateRateLimit;
    const { start, retryAfter } = this.window(windowSeconds);
    if ((await this.throttle.hit(`users:create:${sellerId}`, start)) > perSeller)
      throw new UserCreateRateLimitedError(retryAfter);
  }

  /** Drops rate-limit counters of windows that ended more than a day ago (real time). */
  async pruneLoginCounters(): Promise<void> {
    const cutoff = (windowSeconds: number) =>
      new Date(this.realTime.now().getTime() - windowSeconds * 1000 - 24 * 3600_000);
    await this.throttle.deleteBefore(cutoff(this.config.auth.loginRateLimit.windowSeconds), 'login:');
    await this.throttle.deleteBefore(cutoff(this.config.auth.signupRateLimit.windowSeconds), 'signup:');
    await this.throttle.deleteBefore(cutoff(this.config.auth.userCreateRateLimit.windowSeconds), 'users:');
    await this.endedSessions.deleteExpired(this.realTime.now());
  }
}
