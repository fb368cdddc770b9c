import type { ServiceQuote } from 'src/couriers/courier-adapter';

/** What is cached of a courier's rate: not the COD fee, which depends on each shipment's COD amount. */
export type CachedRate = Omit<ServiceQuote, 'codFee'>;

/**
 * Courier rates by route and weight band, per instance, for `ttlMs` (times from the service clock).
 * Rates change rarely and a stale one only moves a ranking; the booking uses the courier's live price.
 */
export class RateCache {
  private readonly entries = new Map<string, { rates: CachedRate[]; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The rates and when they expire, unless absent or expired. */
  get(key: string, now: number): { rates: CachedRate[]; expiresAt: number } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, rates: CachedRate[], now: number): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string); // oldest first
    this.entries.set(key, { rates, expiresAt: now + this.ttlMs });
  }
}
