import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { randomBytes, randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { ApiKeysService } from 'src/auth/api-keys.service';
import { AuthService } from 'src/auth/auth.service';
import { UsersService, userView } from 'src/auth/users.service';
import { Principal, Role } from 'src/common/auth/principal';
import { Clock, SystemClock } from 'src/common/clock';
import { TtlCache } from 'src/common/ttl-cache';
import { Transactions } from 'src/database/transaction';
import { Seller } from './seller.entity';
import { SellerSettings } from './seller-settings.entity';
import { MeDto, SettingsDto, SignupDto, SignupResultDto, UpdateSettingsDto } from './sellers.dto';
import { WebhookTargetPolicy } from './webhook-target-policy';
import { WebhookUrlChecksRateLimitedError } from './sellers.errors';
import { OneAtATimeLimit } from 'src/common/one-at-a-time-limit';

function settingsView(s: SellerSettings): SettingsDto {
  return {
    scoringPreset: s.scoringPreset,
    webhookUrl: s.webhookUrl,
    webhookSecret: s.webhookSecret,
    webhookSecretSet: s.webhookSecret !== null,
    lostMarginPerFailure: s.lostMarginPerFailure,
    updatedAt: s.updatedAt.toISOString(),
  };
}

const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** Webhook URLs a seller may have checked per window (ten in ten minutes: a person trying a few URLs). */
const WEBHOOK_URL_CHECKS = 10;
const WEBHOOK_URL_CHECK_WINDOW_SECONDS = 600;

@Injectable()
export class SellersService {
  /** Webhook URL checks: one at a time per seller, WEBHOOK_URL_CHECKS per window (vetWebhookUrl). */
  private readonly webhookUrlChecks = new OneAtATimeLimit(
    WEBHOOK_URL_CHECKS,
    WEBHOOK_URL_CHECK_WINDOW_SECONDS * 1000,
    5,
  );
  /** Quotes read the preset and lost margin on every call: kept briefly, dropped here on change. */
  private readonly settingsCache: TtlCache<string, SettingsDto>;

  constructor(
    private readonly tx: Transactions,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly webhookTargets: WebhookTargetPolicy,
    /** Real time, for the webhook URL checks' window (sandbox time must not count). */
    private readonly realTime: SystemClock,
  ) {
    this.settingsCache = new TtlCache(config.business.caches.settings * 1000);
  }

  /**
   * Creates a seller, its default settings and its owner in one transaction, and logs the owner in.
   * Limited per client address.
   * @throws SignupRateLimitedError AUTH_SIGNUP_RATE_LIMITED (nothing is written)
   * @throws EmailTakenError AUTH_EMAIL_TAKEN (nothing is written)
   */
  async signup(input: SignupDto, clientIp: string): Promise<SignupResultDto> {
    await this.auth.admitSignup(clientIp);
    const now = this.clock.now();
    const { seller, user } = await this.tx.run(async (m) => {
      const seller: Seller = { id: randomUUID(), name: input.sellerName, createdAt: now };
      await m.insert(Seller, seller);
      const defaults = this.config.business.sellerSettings;
      await m.insert(SellerSettings, {
        sellerId: seller.id,
        scoringPreset: defaults.scoringPreset,
        webhookUrl: null,
        webhookSecret: null,
        lostMarginPerFailure: defaults.lostMarginPerFailure,
        updatedAt: now,
      });
      const user = await this.users.create({
        email: input.email,
        password: input.password,
        role: 'seller_owner',
        sellerId: seller.id,
      });
      return { seller, user };
    });
    const token = this.auth.issueToken(user);
    return {
      seller: { id: seller.id, name: seller.name },
      user: userView(user),
      accessToken: token.accessToken,
      expiresIn: token.expiresIn,
    };
  }

  /** Who is calling: the user and their seller, or for an API key the key and its seller (no user). */
  async me(principal: Principal): Promise<MeDto> {
    const seller = principal.sellerId
      ? await this.tx.manager.findOneBy(Seller, { id: principal.sellerId })
      : null;
    const sellerView = seller ? { id: seller.id, name: seller.name } : null;
    if (principal.apiKeyId) {
      const key = await this.apiKeys.find(principal.apiKeyId);
      return {
        user: null,
        seller: sellerView,
        apiKey: {
          id: principal.apiKeyId,
          name: key?.name ?? '',
          prefix: key?.prefix ?? '',
          role: 'seller_staff',
        },
      };
    }
    const user = await this.users.findActiveById(principal.userId);
    return {
      user: { id: principal.userId, email: user?.email ?? '', role: principal.role },
      seller: sellerView,
    };
  }

  /**
   * Checks that the seller's user acting is still active and holds them so until the caller's transaction
   * ends (UsersService.holdActive), for modules that may not reach users themselves.
   * @throws InvalidTokenError AUTH_INVALID_TOKEN
   */
  holdActiveUser(sellerId: string, actor: Principal): Promise<void> {
    return this.users.holdActive(sellerId, actor);
  }

  /** The names of the sellers among `ids` (documents such as invoices name their seller). */
  async names(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const sellers = await this.tx.manager.find(Seller, { where: { id: In([...new Set(ids)]) } });
    return new Map(sellers.map((s) => [s.id, s.name]));
  }

  /** The seller's settings; other modules read the scoring preset and webhook target here. */
  async settings(sellerId: string): Promise<SettingsDto> {
    return this.settingsCache.getOr(sellerId, async () =>
      settingsView(await this.tx.manager.findOneByOrFail(SellerSettings, { sellerId })),
    );
  }

  /** The settings as `role` may see them: the webhook secret's value only for the owner. */
  async settingsFor(sellerId: string, role: Role): Promise<SettingsDto> {
    const { webhookSecret, ...rest } = await this.settings(sellerId);
    return role === 'seller_owner' ? { ...rest, webhookSecret } : rest;
  }

  /**
   * Checks a webhook URL a seller is setting, one at a time per seller and WEBHOOK_URL_CHECKS per window (on
   * this instance, whose resolver it uses): each costs a DNS lookup on the resolver every delivery shares,
   * and an owner saving URLs of names that never answer, request after request, held its lookups for all.
   * @throws WebhookUrlChecksRateLimitedError SELLERS_WEBHOOK_URL_RATE_LIMITED (429, with Retry-After)
   */
  private async vetWebhookUrl(sellerId: string, url: string): Promise<void> {
    const turn = await this.webhookUrlChecks.run(sellerId, this.realTime.now().getTime(), () =>
      this.webhookTargets.vet(url),
    );
    if ('refused' in turn)
      throw new WebhookUrlChecksRateLimitedError(turn.refused.retryAfterSeconds, turn.refused.running);
  }

  /**
   * Applies a partial change; setting a webhook URL the first time (or rotating) generates its secret.
   * A webhook URL must pass WebhookTargetPolicy (checked before anything is written). `changedBy` must
   * still be an active user of the seller (UsersService.holdActive).
   * @throws InvalidTokenError AUTH_INVALID_TOKEN (`changedBy` was removed)
   * @throws WebhookUrlInvalidError, WebhookTargetForbiddenError, WebhookHostUnresolvableError, WebhookDnsUnavailableError,
   *   WebhookUrlChecksRateLimitedError
   */
  async updateSettings(
    sellerId: string,
    changedBy: Principal,
    patch: UpdateSettingsDto,
  ): Promise<SettingsDto> {
    // Resolved outside the transaction: no row lock is held while DNS answers.
    if (typeof patch.webhookUrl === 'string') await this.vetWebhookUrl(sellerId, patch.webhookUrl);
    const view = await this.tx.run(async (m) => {
      // A removed owner must not point the seller's events at their own receiver, or take its secret.
      await this.users.holdActive(sellerId, changedBy);
      const s = await m.findOneOrFail(SellerSettings, {
        where: { sellerId },
        lock: { mode: 'pessimistic_write' },
      });
      if (patch.scoringPreset !== undefined) s.scoringPreset = patch.scoringPreset;
      if (patch.lostMarginPerFailure !== undefined) s.lostMarginPerFailure = patch.lostMarginPerFailure;
      if (patch.webhookUrl !== undefined) s.webhookUrl = patch.webhookUrl;
      if (patch.rotateWebhookSecret || (s.webhookUrl && !s.webhookSecret))
        s.webhookSecret = newWebhookSecret();
      s.updatedAt = this.clock.now();
      await m.save(SellerSettings, s);
      return settingsView(s);
    });
    // After the commit, so a concurrent read cannot cache the old settings again.
    this.settingsCache.delete(sellerId);
    return view;
  }
}
