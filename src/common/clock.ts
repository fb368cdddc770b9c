/** The one source of "now" for all time-dependent code, so tests and the sandbox can move time. */
export abstract class Clock {
  abstract now(): Date;
}

/** Real time. Also injected by itself where sandbox time must not count (rate-limit windows). */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * The service clock in sandbox mode, so "no scan for 48 hours" can be shown without waiting: real time plus
 * an offset that only moves forward, or (stepped) a fixed instant plus the offset, standing still between
 * moves so that a simulation replays alike. Whoever moves it keeps it where every instance sees it.
 */
export class MovableClock extends Clock {
  private offsetMs = 0;
  /** A stepped clock's instant the offset counts from; null: the clock runs with real time. */
  private steppedFromMs: number | null = null;

  now(): Date {
    return new Date((this.steppedFromMs ?? Date.now()) + this.offsetMs);
  }

  get offset(): number {
    return this.offsetMs;
  }

  setOffset(ms: number, steppedFromMs: number | null = this.steppedFromMs): void {
    this.offsetMs = ms;
    this.steppedFromMs = steppedFromMs;
  }
}
