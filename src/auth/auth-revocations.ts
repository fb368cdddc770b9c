import { Injectable, Logger } from '@nestjs/common';
import { isUuid } from 'src/common/id-param';
import { TtlCache } from 'src/common/ttl-cache';
import { DatabaseNotifications } from 'src/database/notifications';

/**
 * What stopped being valid, by id (never a token or key: the payload is visible to anything connected to
 * the database): a user removed or whose sessions ended (new generation, new password), one session logged
 * out, an API key revoked.
 */
export type Revocation = { user: string } | { session: string } | { apiKey: string };

/** The channel every instance hears revocations on. */
const CHANNEL = 'kirim_auth_revoked';

export interface RevocationListener {
  /** Drop what the cache holds of it. */
  revoked(revocation: Revocation): void;
  /** Revocations may have been missed (the listener dropped or restarted): drop everything. */
  missed(): void;
}

/** A payload as `announce` writes it, or null (anything else on the channel is not ours to act on). */
export function parseRevocation(payload: string): Revocation | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Object.keys(parsed).length !== 1) return null;
  const [[kind, id]] = Object.entries(parsed);
  if (!['user', 'session', 'apiKey'].includes(kind) || typeof id !== 'string' || !isUuid(id)) return null;
  return { [kind]: id } as Revocation;
}

/**
 * Makes a revocation immediate on every instance sharing the database. The auth caches (users, ended
 * sessions, API keys by hash) keep entries for seconds; each revocation is announced through PostgreSQL
 * NOTIFY in the transaction that makes it, and every instance drops the matching entries as it hears it.
 * While an instance is not listening (its listening connection dropped, or not started), its caches are
 * bypassed, and emptied when it listens again: revocations announced meanwhile were not heard.
 */
@Injectable()
export class AuthRevocations {
  private readonly logger = new Logger(AuthRevocations.name);
  private readonly listeners: RevocationListener[] = [];

  constructor(private readonly notifications: DatabaseNotifications) {
    notifications.subscribe(CHANNEL, {
      notified: (payload) => this.heard(payload),
      missed: () => this.listeners.forEach((l) => l.missed()),
    });
  }

  /** `listener` hears every revocation announced from now on, by any instance (this one included). */
  listen(listener: RevocationListener): void {
    this.listeners.push(listener);
  }

  /** Announces `revocation` to every instance; must run inside the transaction that makes it (sent on commit). */
  announce(revocation: Revocation): Promise<void> {
    return this.notifications.notify(CHANNEL, JSON.stringify(revocation));
  }

  /**
   * `cache`'s value for `key`, or `load()`'s: the cache is used only while revocations are heard here, so a
   * revocation made on another instance is never served from it.
   */
  cached<K, V>(cache: TtlCache<K, V>, key: K, load: () => Promise<V>): Promise<V> {
    return this.notifications.listening ? cache.getOr(key, load) : load();
  }

  private heard(payload: string): void {
    const revocation = parseRevocation(payload);
    if (!revocation) {
      this.logger.warn(`ignored a notification on ${CHANNEL} that is no revocation`);
      return;
    }
    for (const listener of this.listeners) listener.revoked(revocation);
  }
}
