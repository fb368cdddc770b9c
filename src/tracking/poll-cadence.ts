import type { ShipmentStatus } from 'src/shipments/shipment-status';

export interface PollCadence {
  /** Minutes between polls per status (often out for delivery or after a failed attempt, rarely in long-haul transit). */
  everyMinutes: Partial<Record<ShipmentStatus, number>>;
  /** Used for a status without its own figure. */
  defaultMinutes: number;
  /** ± this fraction of the interval, so shipments booked together do not stay in lockstep. */
  jitter: number;
}

/**
 * When a shipment in `status` is next asked about, `random` ∈ [0, 1) choosing the jitter. Never before
 * `now` plus a minute.
 */
export function nextPollAt(status: ShipmentStatus, now: Date, cadence: PollCadence, random: number): Date {
  const minutes = cadence.everyMinutes[status] ?? cadence.defaultMinutes;
  const spread = 1 + cadence.jitter * (2 * random - 1);
  return new Date(now.getTime() + Math.max(1, minutes * spread) * 60_000);
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
