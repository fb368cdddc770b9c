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
 * Real time plus an offset that only moves forward: the service clock in sandbox mode, so "no scan for
 * 48 hours" can be shown without waiting. Whoever moves it keeps the offset where every instance sees it.
 */
export class MovableClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  get offset(): number {
    return this.offsetMs;
  }

  setOffset(ms: number): void {
    this.offsetMs = ms;
  }
}
