/**
 * A courier's request budget: at most `concurrency` calls at once and `perMinute` calls a minute
 * (a token bucket holding a second's worth). Real time, never the sandbox
 * clock: a courier's rate limit counts real requests.
 */
export class RequestBudget {
  private inFlight = 0;
  private tokens: number;
  private refilledAt: number;
  private readonly capacity: number;
  private readonly waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly concurrency: number,
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.capacity = Math.max(1, perMinute / 60);
    this.tokens = this.capacity;
    this.refilledAt = now();
  }

  /** Waits for a slot and a token; call the returned function when the request is done. */
  async acquire(): Promise<() => void> {
    while (!this.take()) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.releaser();
  }

  /** A slot and a token if both are free now, else null (nothing waits). */
  tryAcquire(): (() => void) | null {
    if (!this.take()) return null;
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.wake();
    };
  }

  private take(): boolean {
    this.refill();
    if (this.inFlight >= this.concurrency) return false;
    if (this.tokens < 1) {
      this.wakeWhenRefilled();
      return false;
    }
    this.tokens -= 1;
    this.inFlight += 1;
    return true;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.refilledAt) * this.perMinute) / 60_000);
    this.refilledAt = t;
  }

  private wakeWhenRefilled(): void {
    if (this.timer) return;
    const ms = Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, ms);
    this.timer.unref();
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
