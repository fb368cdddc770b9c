import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Principal } from 'src/common/auth/principal';
import { Clock } from 'src/common/clock';
import { Page, PageQueryDto, paginate } from 'src/common/pagination';
import { TtlCache } from 'src/common/ttl-cache';
import { Transactions } from 'src/database/transaction';
import { holdActiveActor } from './active-actor';
import { ApiKey } from './api-key.entity';
import { ApiKeyNotFoundError } from './auth.errors';
import { AuthRevocations } from './auth-revocations';
import { User } from './user.entity';

const KEY_PREFIX = 'kirim_';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Who created the key: an owner reviewing the integrations knows whose they are (also once removed). */
  createdBy: { userId: string; email: string | null };
}

function apiKeyView(k: ApiKey, creatorEmail: string | null): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    createdBy: { userId: k.createdByUserId, email: creatorEmail },
  };
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

@Injectable()
export class ApiKeysService {
  /**
   * Keys by hash: an integration sends its key on every request. Kept briefly (see defaults.caches), and
   * dropped on every instance as soon as the key is revoked (AuthRevocations).
   */
  private readonly byHash: TtlCache<string, ApiKey | null>;

  constructor(
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly revocations: AuthRevocations,
    private readonly config: AppConfig,
  ) {
    this.byHash = new TtlCache(config.business.caches.apiKeys * 1000);
    revocations.listen({
      revoked: (r) => {
        if ('apiKey' in r) this.byHash.deleteWhere((k) => k?.id === r.apiKey);
      },
      missed: () => this.byHash.clear(),
    });
  }

  /** Creates a key for the seller; the only time the full key is returned. */
  async create(
    sellerId: string,
    creator: Principal,
    name: string | undefined,
  ): Promise<ApiKeyView & { key: string }> {
    const userId = creator.userId;
    // 32 random bytes: a SHA-256 of it is as safe to store as a slow hash, and cheap on every request.
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const apiKey: ApiKey = {
      id: randomUUID(),
      sellerId,
      createdByUserId: userId,
      name: name ?? 'API key',
      prefix: key.slice(0, KEY_PREFIX.length + 8),
      keyHash: hashKey(key),
      lastUsedAt: null,
      revokedAt: null,
      createdAt: this.clock.now(),
    };
    const email = await this.tx.run(async () => {
      // The creator still there, held until the key is in: a removal running alongside either waits and
      // then revokes this key with the others, or went first and this key is refused (401).
      const { email } = await holdActiveActor(this.tx.manager, sellerId, creator);
      await this.tx.manager.insert(ApiKey, apiKey);
      return email;
    });
    return { ...apiKeyView(apiKey, email), key };
  }

  async list(sellerId: string, query: PageQueryDto): Promise<Page<ApiKeyView>> {
    const qb = this.tx.manager.createQueryBuilder(ApiKey, 'k').where('k.sellerId = :sellerId', { sellerId });
    const page = await paginate(qb, 'k', query, (k) => k);
    const emails = await this.creatorEmails(sellerId, [...new Set(page.items.map((k) => k.createdByUserId))]);
    return {
      ...page,
      items: page.items.map((k) => apiKeyView(k, emails.get(k.createdByUserId) ?? null)),
    };
  }

  /** The emails of the seller's users among `userIds`, in one query (removed users keep theirs). */
  private async creatorEmails(sellerId: string, userIds: string[]): Promise<Map<string, string>> {
    if (!userIds.length) return new Map();
    const users = await this.tx.manager
      .createQueryBuilder(User, 'u')
      .select(['u.id', 'u.email'])
      .where('u.id IN (:...userIds) AND u.sellerId = :sellerId', { userIds, sellerId })
      .getMany();
    return new Map(users.map((u) => [u.id, u.email]));
  }

  /**
   * Revokes a key at once; `revokedBy` must still be an active user of the seller, their session open.
   * @throws ApiKeyNotFoundError AUTH_API_KEY_NOT_FOUND (also for another seller's key or one already revoked)
   * @throws InvalidTokenError AUTH_INVALID_TOKEN (`revokedBy` was removed, or their session ended)
   */
  async revoke(
    sellerId: string,
    revokedBy: Pick<Principal, 'userId' | 'session' | 'sessionGeneration'>,
    id: string,
  ): Promise<void> {
    await this.tx.run(async (m) => {
      await holdActiveActor(m, sellerId, revokedBy);
      const result = await m
        .createQueryBuilder()
        .update(ApiKey)
        .set({ revokedAt: this.clock.now() })
        .where('id = :id AND seller_id = :sellerId AND revoked_at IS NULL', { id, sellerId })
        .execute();
      if (!result.affected) throw new ApiKeyNotFoundError();
      await this.revocations.announce({ apiKey: id });
    });
    this.byHash.deleteWhere((k) => k?.id === id);
  }

  /**
   * Revokes every key `userId` created: a user who is removed keeps no access through the integrations
   * they set up, on every instance at once (joins the caller's transaction).
   */
  async revokeCreatedBy(sellerId: string, userId: string): Promise<void> {
    const revoked = await this.tx.run(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(ApiKey)
        .set({ revokedAt: this.clock.now() })
        .where('created_by_user_id = :userId AND seller_id = :sellerId AND revoked_at IS NULL', {
          userId,
          sellerId,
        })
        .returning(['id'])
        .execute();
      const ids = (result.raw as { id: string }[]).map((k) => k.id);
      for (const apiKey of ids) await this.revocations.announce({ apiKey });
      return new Set(ids);
    });
    this.byHash.deleteWhere((k) => k !== null && revoked.has(k.id));
  }

  /** The name and prefix of the key a request came with (any seller's: the caller holds it), or null if gone. */
  async find(id: string): Promise<Pick<ApiKeyView, 'name' | 'prefix'> | null> {
    const found = await this.tx.manager.findOne(ApiKey, { where: { id }, select: ['name', 'prefix'] });
    return found ? { name: found.name, prefix: found.prefix } : null;
  }

  /** Resolves a presented key to its seller, or null. Integrations act with seller_staff rights. */
  async authenticate(key: string): Promise<Principal | null> {
    if (!key.startsWith(KEY_PREFIX)) return null;
    const keyHash = hashKey(key);
    // A key whose creator was removed is no key, revoked or not: removing a user revokes their keys, but not
    // the keys of a user removed before it did, or removed other than through the API.
    const found = await this.revocations.cached(this.byHash, keyHash, () =>
      this.tx.manager
        .createQueryBuilder(ApiKey, 'k')
        .innerJoin(User, 'u', 'u.id = k.createdByUserId AND u.disabledAt IS NULL')
        .where('k.keyHash = :keyHash', { keyHash })
        .getOne(),
    );
    if (!found || found.revokedAt) return null;
    const now = this.clock.now();
    const interval = this.config.business.apiKeys.lastUsedWriteIntervalSeconds * 1000;
    if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > interval) {
      await this.tx.manager.update(ApiKey, { id: found.id }, { lastUsedAt: now });
      found.lastUsedAt = now;
    }
    return {
      kind: 'api_key',
      userId: found.createdByUserId,
      apiKeyId: found.id,
      role: 'seller_staff',
      sellerId: found.sellerId,
    };
  }
}
