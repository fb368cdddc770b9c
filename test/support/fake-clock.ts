import { Clock } from 'src/common/clock';

/** A clock that moves only when told to. */
export class FakeClock extends Clock {
  constructor(private current = new Date('2026-11-02T01:00:00.000Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date): void {
    this.current = new Date(at);
  }

  advance(ms: number): Date {
    this.current = new Date(this.current.getTime() + ms);
    return this.now();
  }
}
