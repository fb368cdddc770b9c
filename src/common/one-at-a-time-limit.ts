/** Why a turn was refused: how long to wait, and whether the caller's last turn is still running. */
export interface TurnRefused {
  retryAfterSeconds: number;
  running: boolean;
}

/**
 * One turn at a time per caller and at most `perWindow` turns per `windowMs` (real time, this instance): for
 * work a caller starts that holds something shared while it runs (a receiver's answer, a DNS lookup).
 * `run` gives the turn back when the work settles, whatever its end.
 */
export class OneAtATimeLimit {
  /** When each caller's recent turns began (epoch ms). */
  private readonly recent = new Map<string, number[]>();
  private readonly running = new Set<string>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
    /** What a caller whose last turn still runs is told to wait. */
    private readonly busyRetryAfterSeconds: number,
  ) {}

  /** Runs `work` as `caller`'s turn taken at `now`, or answers why it may not run now (nothing run). */
  async run<T>(
    caller: string,
    now: number,
    work: () => Promise<T>,
  ): Promise<{ done: T } | { refused: TurnRefused }> {
    const recent = (this.recent.get(caller) ?? []).filter((at) => at > now - this.windowMs);
    if (this.running.has(caller))
      return { refused: { retryAfterSeconds: this.busyRetryAfterSeconds, running: true } };
    if (recent.length >= this.perWindow) {
      this.recent.set(caller, recent);
      const retryAfterSeconds = Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000));
      return { refused: { retryAfterSeconds, running: false } };
    }
    this.recent.set(caller, [...recent, now]);
    this.running.add(caller);
    try {
      return { done: await work() };
    } finally {
      this.running.delete(caller);
    }
  }
}
