import type { ShipmentStatus } from 'src/shipments/shipment-status';

export interface PollCadence {
  /** Minutes between polls per status (often out for delivery or after a failed attempt, rarely in long-haul transit). */
  everyMinutes: Partial<Record<ShipmentStatus, number>>;
  /** Used for a status without its own figure. */
  defaultMinutes: number;
  /** ± this fraction of the interval, so shipments booked together do not stay in lockstep. */
  jitter: number;
  /**
   * Minutes between polls of a parcel on its way from a day before it is expected to arrive: its first
   * delivery attempt is then seen the same day, while the seller can still reach the buyer before the
   * courier's next one (at the in-transit pace it can be seen after that).
   */
  arrivingMinutes: number;
}

const ON_ITS_WAY: ReadonlySet<ShipmentStatus> = new Set(['picked_up', 'in_transit']);

/**
 * When a shipment in `status` is next asked about, `random` ∈ [0, 1) choosing the jitter. Never before
 * `now` plus a minute. A parcel on its way is asked about at the arriving pace from a day before
 * `expectedArrival` (when known) on.
 */
export function nextPollAt(
  status: ShipmentStatus,
  now: Date,
  cadence: PollCadence,
  random: number,
  expectedArrival: Date | null = null,
): Date {
  const minutes = cadence.everyMinutes[status] ?? cadence.defaultMinutes;
  const spread = 1 + cadence.jitter * (2 * random - 1);
  const after = (m: number) => now.getTime() + Math.max(1, m * spread) * 60_000;
  let at = after(minutes);
  if (expectedArrival && ON_ITS_WAY.has(status)) {
    const arrivingFrom = expectedArrival.getTime() - 24 * 3600_000;
    if (at > arrivingFrom)
      at = Math.max(after(Math.min(minutes, cadence.arrivingMinutes)), Math.min(at, arrivingFrom));
  }
  return new Date(at);
}

/**
 * When a courier that failed `failures` times in a row is tried again: doubling from `baseSeconds`,
 * capped, with jitter in the upper half so a recovering courier is not hit by every shipment at once.
 */
export function courierBackoffAt(
  failures: number,
  now: Date,
  backoff: { baseSeconds: number; maxSeconds: number },
  random: number,
): Date {
  const full = Math.min(backoff.maxSeconds, backoff.baseSeconds * 2 ** Math.max(0, failures - 1));
  return new Date(now.getTime() + (full / 2 + (full / 2) * random) * 1000);
}

/**
 * Shipments one claim takes for a courier: two rounds of its concurrent requests (so the senders never
 * wait on the next claim), at most `claimBatch`.
 */
export function claimSize(claimBatch: number, batchSize: number, concurrency: number): number {
  return Math.max(1, Math.min(claimBatch, Math.max(1, batchSize) * concurrency * 2));
}
