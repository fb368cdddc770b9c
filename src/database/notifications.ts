import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { Transactions } from './transaction';

/** What a module hears on a channel it subscribed to. */
export interface NotificationSubscriber {
  /** A notification sent on the channel (by any instance, this one included) by a transaction that committed. */
  notified(payload: string): void;
  /**
   * Notifications may have been missed: the listening connection dropped, or it (re)started listening and
   * what was sent before is not replayed. Whatever was kept on the strength of notifications is to be dropped.
   */
  missed(): void;
}

/** First retry after a dropped listening connection; doubled per failed attempt up to RECONNECT_MAX_MS. */
const RECONNECT_FIRST_MS = 200;
const RECONNECT_MAX_MS = 10_000;
/** A channel is written into LISTEN as an identifier: only plain lower-case names are taken. */
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The wait before reconnect attempt `failures + 1`: exponential, with jitter so instances spread out. */
export function reconnectDelayMs(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** Math.min(failures, 16));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * PostgreSQL LISTEN/NOTIFY between the instances sharing one database: a change committed on one instance
 * is heard at once by all, e.g. to drop what their caches hold of it. One dedicated connection per instance
 * listens (outside the pool: a pooled connection is shared, and LISTEN belongs to a session). It is opened by
 * `start()` (the HTTP service does; a CLI command never needs it) and reopened with backoff when it drops;
 * `listening` says whether notifications are being heard right now.
 */
export class DatabaseNotifications {
  private readonly logger = new Logger('DatabaseNotifications');
  private readonly subscribers = new Map<string, NotificationSubscriber[]>();
  /** The connection listening, or being opened to listen. */
  private current?: Client;
  private heard = false;
  private started = false;
  private closed = false;
  private failures = 0;
  private retry?: NodeJS.Timeout;
  private liveness?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly tx: Transactions,
    private readonly connectTimeoutMs: number,
    /** How often the listening connection is checked alive (DATABASE_LISTENER_CHECK_MS). */
    private readonly checkEveryMs = 30_000,
  ) {}

  /** Whether this instance is listening now: when false, notifications sent meanwhile are not heard. */
  get listening(): boolean {
    return this.heard;
  }

  /** The server process of the listening connection (for operators and tests), or null. */
  get backendPid(): number | null {
    return this.heard ? ((this.current as unknown as { processID: number | null }).processID ?? null) : null;
  }

  /** Hears `channel` from now on (subscribe before `start()`: channels are listened to when it connects). */
  subscribe(channel: string, subscriber: NotificationSubscriber): void {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`);
    if (this.started) throw new Error(`subscribe to ${channel} before the listener starts`);
    this.subscribers.set(channel, [...(this.subscribers.get(channel) ?? []), subscriber]);
  }

  /**
   * Sends `payload` on `channel` to every instance. Must run inside the caller's transaction (Transactions):
   * PostgreSQL delivers it only when that transaction commits, and never if it rolls back. The payload is
   * seen by anything connected to the database and may be logged: ids only, never a secret.
   */
  async notify(channel: string, payload: string): Promise<void> {
    if (!this.tx.open) throw new Error(`notify ${channel} outside a transaction`);
    await this.tx.manager.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  /**
   * Opens the listening connection. Resolves once listening, or after a first attempt that failed (it is
   * then retried in the background with backoff: the service starts, its subscribers trusting nothing).
   */
  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    await this.connect();
  }

  /** Stops listening for good (graceful shutdown): no reconnect after this. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    clearInterval(this.liveness);
    const client = this.current;
    this.current = undefined;
    this.heard = false;
    if (client) await client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.url,
      application_name: 'kirim-listener',
      connectionTimeoutMillis: this.connectTimeoutMs,
      // A connection that died silently (a host gone, a firewall's idle cut) is found by TCP keep-alive.
      keepAlive: true,
    });
    this.current = client;
    client.on('notification', (n) => {
      if (client === this.current) this.deliver(n.channel, n.payload ?? '');
    });
    client.on('error', (err) => this.dropped(client, err));
    client.on('end', () => this.dropped(client));
    try {
      await client.connect();
      for (const channel of this.subscribers.keys()) await client.query(`LISTEN "${channel}"`);
    } catch (err) {
      this.dropped(client, err);
      return;
    }
    if (client !== this.current) return; // closed, or dropped while it was listening to its channels
    // Whatever was sent while nobody listened here is not replayed: what was kept before now is dropped.
    this.missed();
    this.heard = true;
    if (this.failures)
      this.logger.log(
        `listening again to ${[...this.subscribers.keys()].join(', ')} after ${this.failures} attempt(s)`,
      );
    else this.logger.log(`listening to ${[...this.subscribers.keys()].join(', ')}`);
    this.failures = 0;
    this.watch(client);
  }

  /**
   * Asks the listening connection `SELECT 1` every `checkEveryMs`: one that died without a reset (a network
   * partition, a firewall's idle cut) is otherwise believed listening until TCP keep-alive gives up, hours
   * later, while the caches trust it. Unanswered in time, it is dropped (and reopened) like one that ended.
   */
  private watch(client: Client): void {
    clearInterval(this.liveness);
    const timeoutMs = Math.min(this.checkEveryMs, this.connectTimeoutMs);
    let checking = false;
    this.liveness = setInterval(() => {
      if (client !== this.current) return clearInterval(this.liveness);
      if (checking) return; // a check still waiting is timed out by its own timer
      checking = true;
      let timer: NodeJS.Timeout | undefined;
      void Promise.race([
        client.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer to the liveness check in ${timeoutMs} ms`)),
            timeoutMs,
          );
          timer.unref();
        }),
      ])
        .catch((err) => this.dropped(client, err))
        .finally(() => {
          clearTimeout(timer);
          checking = false;
        });
    }, this.checkEveryMs);
    this.liveness.unref();
  }

  /** The listening connection failed or ended: subscribers trust nothing until it listens again. */
  private dropped(client: Client, err?: unknown): void {
    if (client !== this.current) return;
    this.current = undefined;
    clearInterval(this.liveness);
    const wasListening = this.heard;
    this.heard = false;
    this.missed();
    client.end().catch(() => undefined);
    if (this.closed) return;
    const delay = reconnectDelayMs(this.failures);
    this.failures += 1;
    // The error's message and code only: it never carries a payload, but a connection string could.
    const reason =
      err instanceof Error ? `${(err as { code?: string }).code ?? ''} ${err.message}`.trim() : 'ended';
    this.logger.warn(
      `${wasListening ? 'listening connection lost' : 'could not listen'} (${reason}); caches bypassed, retrying in ${delay} ms`,
    );
    this.retry = setTimeout(() => void this.connect(), delay);
    this.retry.unref();
  }

  private missed(): void {
    for (const subscriber of [...this.subscribers.values()].flat()) subscriber.missed();
  }

  private deliver(channel: string, payload: string): void {
    for (const subscriber of this.subscribers.get(channel) ?? []) {
      try {
        subscriber.notified(payload);
      } catch (err) {
        // One subscriber's bug must not stop the others hearing it; the payload holds ids only.
        this.logger.error({ err, channel }, 'a notification subscriber failed');
      }
    }
  }
}
