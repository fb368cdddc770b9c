/** When a failed seller webhook is tried again (config/defaults.ts `sellerWebhooks`), in milliseconds. */
export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /** Retries stop this long after the window's first attempt. */
  windowMs: number;
}

/** The most a retry may wait after the n-th failed attempt of a window (n ≥ 1): base × 2^(n−1), at most cap. */
export function retryCeilingMs(failedAttempts: number, policy: RetryPolicy): number {
  const doublings = Math.min(Math.max(failedAttempts - 1, 0), 52); // 2^52 already exceeds any cap
  return Math.min(policy.capMs, policy.baseMs * 2 ** doublings);
}

/**
 * "Full jitter": uniformly up to the ceiling, so receivers that failed together are not retried together;
 * at least 1 ms, so a retry always comes after the failure. `random` returns a number in [0, 1)
 * (Math.random in service; fixed in tests).
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: () => number): number {
  return Math.max(1, Math.ceil(random() * retryCeilingMs(failedAttempts, policy)));
}

/**
 * When to try a delivery again after its n-th failed attempt of the window that started at `windowStart`,
 * or null when the window is over (the delivery is then `failed`). A retry never waits past the window's
 * end: the last one is made at the end itself.
 */
export function nextAttemptAt(
  windowStart: Date,
  failedAt: Date,
  failedAttempts: number,
  policy: RetryPolicy,
  random: () => number,
): Date | null {
  const end = windowStart.getTime() + policy.windowMs;
  if (failedAt.getTime() >= end) return null;
  return new Date(Math.min(failedAt.getTime() + retryDelayMs(failedAttempts, policy, random), end));
}
