/** The one source of "now" for all time-dependent code, so tests and the sandbox can move time. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
