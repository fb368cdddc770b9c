import { Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';

const logger = new Logger('Every');

/**
 * Runs the decorated method every `ms` on the scheduler, one run at a time on this instance: a tick that
 * finds the last scheduled run still going is skipped. @nestjs/schedule's Interval alone starts a run each
 * tick whatever the last one is doing: the pickup job (every second, each run booking for up to 5 seconds,
 * 8 at a time) had five runs and forty bookings in flight, filling its best courier's bulkhead and failing
 * shipments over to worse couriers on Kirim's own load. A run asked for on demand (`RunnableJob`) calls the
 * method itself and is not held back. The tick is the method `<name>OnSchedule`, added beside it.
 *
 * A run still going after `stuckAfterMs` (default twice the interval, at least a minute) is taken for hung
 * (a query on a connection cut mid-way waits for the operating system's keep-alive, hours): the next tick
 * starts a run beside it and says so, or the job would stop on this instance without a word.
 */
export function Every(ms: number, options: { stuckAfterMs?: number } = {}): MethodDecorator {
  const stuckAfterMs = options.stuckAfterMs ?? Math.max(60_000, 2 * ms);
  return (target, key) => {
    /** When each instance's current scheduled run began (performance.now(): real time, not the service's clock). */
    const running = new WeakMap<object, number>();
    const tickKey = `${String(key)}OnSchedule`;
    async function tick(this: Record<PropertyKey, () => Promise<unknown>>): Promise<void> {
      const now = performance.now();
      const since = running.get(this);
      if (since !== undefined) {
        if (now - since < stuckAfterMs) return;
        logger.warn(
          { job: `${target.constructor.name}.${String(key)}`, runningForMs: Math.round(now - since) },
          'a scheduled run has gone on past its bound: another is started beside it',
        );
      }
      running.set(this, now);
      try {
        await this[key]();
      } finally {
        // A run started beside this hung one is the current one now: its mark stays.
        if (running.get(this) === now) running.delete(this);
      }
    }
    Object.defineProperty(target, tickKey, { value: tick, writable: true, configurable: true });
    Interval(ms)(target, tickKey, Object.getOwnPropertyDescriptor(target, tickKey)!);
  };
}
