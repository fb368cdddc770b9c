import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { TtlCache } from 'src/common/ttl-cache';
import { randomUUID } from 'node:crypto';
import { Principal, Role } from 'src/common/auth/principal';
import { Clock } from 'src/common/clock';
import { Page, PageQueryDto, paginate } from 'src/common/pagination';
import { Transactions } from 'src/database/transaction';
import { CannotDisableSelfError, EmailTakenError, UserNotFoundError } from './auth.errors';
import { holdActiveActor } from './active-actor';
import { ApiKeysService } from './api-keys.service';
import { AuthRevocations } from './auth-revocations';
import { PasswordHasher } from './password';
import { User } from './user.entity';

const UNIQUE_VIOLATION = '23505';

export interface UserView {
  id: string;
  email: string;
  role: Role;
  sellerId: string | null;
  createdAt: string;
}

export function userView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    sellerId: user.sellerId,
    createdAt: user.createdAt.toISOString(),
  };
}

@Injectable()
export class UsersService {
  /**
   * Every authenticated request reads its user: kept briefly (see defaults.caches), dropped on every
   * instance as soon as the user is removed or their sessions end (AuthRevocations).
   */
  private readonly active: TtlCache<string, User | null>;

  constructor(
    private readonly tx: Transactions,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly apiKeys: ApiKeysService,
    private readonly revocations: AuthRevocations,
    config: AppConfig,
  ) {
    this.active = new TtlCache(config.business.caches.users * 1000);
    revocations.listen({
      revoked: (r) => {
        if ('user' in r) this.active.delete(r.user);
      },
      missed: () => this.active.clear(),
    });
  }

  /**
   * Creates a user (joins the caller's transaction, e.g. signup's). With `addedBy`, the seller's user adding
   * them must still be active, their session open (holdActive).
   * @throws EmailTakenError AUTH_EMAIL_TAKEN
   * @throws InvalidTokenError AUTH_INVALID_TOKEN (`addedBy` removed or their session ended meanwhile)
   */
  async create(input: {
    email: string;
    password: string;
    role: Role;
    sellerId: string | null;
    addedBy?: Principal;
  }): Promise<User> {
    const passwordHash = await this.hasher.hash(input.password);
    return this.tx.run(async (m) => {
      // A removed owner must not leave behind a login whose password they know.
      if (input.addedBy !== undefined && input.sellerId !== null)
        await this.holdActive(input.sellerId, input.addedBy);
      const user = m.create(User, {
        id: randomUUID(),
        email: input.email.toLowerCase(),
        passwordHash,
        role: input.role,
        sellerId: input.sellerId,
        disabledAt: null,
        sessionGeneration: 0,
        createdAt: this.clock.now(),
      });
      try {
        await m.insert(User, user);
      } catch (e) {
        if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw new EmailTakenError();
        throw e;
      }
      return user;
    });
  }

  /** See holdActiveActor: the acting user still active and their session open, held until the caller's transaction ends. */
  async holdActive(
    sellerId: string,
    actor: Pick<Principal, 'userId' | 'session' | 'sessionGeneration'>,
  ): Promise<void> {
    await holdActiveActor(this.tx.manager, sellerId, actor);
  }

  /** The user if active; cached briefly (a user disabled on any instance is dropped from it at once). */
  findActiveById(id: string): Promise<User | null> {
    return this.revocations.cached(this.active, id, () =>
      this.tx.manager
        .createQueryBuilder(User, 'u')
        .where('u.id = :id AND u.disabledAt IS NULL', { id })
        .getOne(),
    );
  }

  /**
   * Ends every session of the user: their tokens so far stop working at once, on every instance. With `passwordHash`, the password changes in the same statement; with
   * `fromGeneration`, only if the user is still in that generation (a password checked against it).
   * Answers the user as now stored, or null if not active (or no longer in `fromGeneration`).
   */
  async nextSession(userId: string, passwordHash?: string, fromGeneration?: number): Promise<User | null> {
    const affected = await this.tx.run(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(User)
        .set({
          sessionGeneration: () => 'session_generation + 1',
          ...(passwordHash ? { passwordHash } : {}),
        })
        .where('id = :userId AND disabled_at IS NULL', { userId })
        .andWhere(fromGeneration === undefined ? 'TRUE' : 'session_generation = :fromGeneration', {
          fromGeneration,
        })
        .execute();
      if (result.affected) await this.revocations.announce({ user: userId });
      return result.affected;
    });
    this.active.delete(userId);
    return affected ? this.findActiveById(userId) : null;
  }

  /**
   * Replaces the user's password hash with another of the same password (a newer form), only if it is still
   * `previous`: sessions go on, and a password changed meanwhile is left as changed.
   */
  async rehashPassword(userId: string, previous: string, passwordHash: string): Promise<void> {
    await this.tx.run(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(User)
        .set({ passwordHash })
        .where('id = :userId AND password_hash = :previous AND disabled_at IS NULL', { userId, previous })
        .execute();
      // Other instances would still match the old hash (same password), but keep no stale copy of it.
      if (result.affected) await this.revocations.announce({ user: userId });
    });
    this.active.delete(userId);
  }

  findActiveByEmail(email: string): Promise<User | null> {
    return this.tx.manager
      .createQueryBuilder(User, 'u')
      .where('u.email = :email AND u.disabledAt IS NULL', { email: email.toLowerCase() })
      .getOne();
  }

  listForSeller(sellerId: string, query: PageQueryDto): Promise<Page<UserView>> {
    const qb = this.tx.manager
      .createQueryBuilder(User, 'u')
      .where('u.sellerId = :sellerId AND u.disabledAt IS NULL', { sellerId });
    return paginate(qb, 'u', query, userView);
  }

  /**
   * Disables a user of the seller; their tokens and the API keys they created stop working at once, on
   * every instance.
   * @throws UserNotFoundError AUTH_USER_NOT_FOUND (also for another seller's user)
   * @throws CannotDisableSelfError AUTH_CANNOT_DISABLE_SELF
   */
  async disable(
    sellerId: string,
    userId: string,
    actor: Pick<Principal, 'userId' | 'session' | 'sessionGeneration'>,
  ): Promise<void> {
    if (userId === actor.userId) throw new CannotDisableSelfError();
    await this.tx.run(async () => {
      // The one removing and the one removed, locked in one order: two owners removing each other at
      // once are taken one after the other, and the second finds itself removed (401) instead of leaving
      // the seller with nobody who can sign in.
      await this.tx.manager.query(
        'SELECT 1 FROM users WHERE seller_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE',
        [sellerId, [userId, actor.userId]],
      );
      // The remover still active, their session open (not ended by a password change or a log-out the
      // caches have yet to hear of).
      await holdActiveActor(this.tx.manager, sellerId, actor);
      const result = await this.tx.manager
        .createQueryBuilder()
        .update(User)
        .set({ disabledAt: this.clock.now() })
        .where('id = :userId AND seller_id = :sellerId AND disabled_at IS NULL', { userId, sellerId })
        .execute();
      if (!result.affected) throw new UserNotFoundError();
      await this.apiKeys.revokeCreatedBy(sellerId, userId);
      await this.revocations.announce({ user: userId });
    });
    this.active.delete(userId);
  }
}
