/**
 * A small per-instance cache for data that changes rarely and is read on hot paths (a quote reads the
 * caller, the origin address, the settings and the statistics). Entries live `ttlMs` of real time, or of
 * whatever clock `now` reads (milliseconds; monotonic by default; courier rates follow the service clock,
 * a test drives its own); writers in this instance delete what they change, other instances see it
 * within the TTL.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  /** Counts deletions: a load that saw one while it ran may have read what was just changed. */
  private deletions = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(key: K): V | undefined {
    return this.entry(key)?.value;
  }

  /** The live value with when it expires (on the cache's clock), for callers whose own results expire with it. */
  entry(key: K): { value: V; expiresAt: number } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: K, value: V): V {
    const now = this.now();
    // Re-set keys move to the end, so with one TTL for all the map stays in expiry order: expired entries
    // are dropped from the front as new ones come, and a cache of keys never asked twice (a ranking per
    // order) holds only what is live rather than maxEntries dead values for the collector to walk.
    this.entries.delete(key);
    for (const [k, e] of this.entries) {
      if (e.expiresAt > now && this.entries.size < this.maxEntries) break;
      this.entries.delete(k);
    }
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    return value;
  }

  /** The keys of the live entries. */
  keys(): K[] {
    const now = this.now();
    return [...this.entries].filter(([, e]) => e.expiresAt > now).map(([k]) => k);
  }

  /** Entries held, expired ones not yet dropped included. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached value, or `load()`'s — cached unless it is undefined or null, or something was deleted
   * while it loaded: a read that began before a writer committed may return the old value, and caching
   * it after the writer's delete would serve that old value for a whole TTL.
   */
  async getOr(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const deletionsBefore = this.deletions;
    const value = await load();
    if (value !== undefined && value !== null && this.deletions === deletionsBefore) this.set(key, value);
    return value;
  }

  delete(key: K): void {
    this.deletions += 1;
    this.entries.delete(key);
  }

  /** Drops every entry whose value `matches` (a cache keyed by one thing, dropped by another it holds). */
  deleteWhere(matches: (value: V) => boolean): void {
    this.deletions += 1;
    for (const [key, e] of this.entries) if (matches(e.value)) this.entries.delete(key);
  }

  clear(): void {
    this.deletions += 1;
    this.entries.clear();
  }
}
