import { Clock } from 'src/common/clock';

/**
 * The service clock in sandbox mode: real time plus an offset that POST /sandbox/clock moves forward,
 * so "no scan for 48 hours" can be shown without waiting. The offset is kept in PostgreSQL and
 * refreshed, so every instance agrees.
 */
export class SandboxClock extends Clock {
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
