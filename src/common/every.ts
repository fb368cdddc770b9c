import { Interval } from '@nestjs/schedule';

/**
 * Runs the decorated method every `ms` on the scheduler, one run at a time on this instance: a tick that
 * finds the last scheduled run still going is skipped. @nestjs/schedule's Interval alone starts a run each
 * tick whatever the last one is doing: the pickup job (every second, each run booking for up to 5 seconds,
 * 8 at a time) had five runs and forty bookings in flight, filling its best courier's bulkhead and failing
 * shipments over to worse couriers on Kirim's own load. A run asked for on demand (`RunnableJob`) calls the
 * method itself and is not held back. The tick is the method `<name>OnSchedule`, added beside it.
 */
export function Every(ms: number): MethodDecorator {
  return (target, key) => {
    const running = new WeakSet<object>();
    const tickKey = `${String(key)}OnSchedule`;
    async function tick(this: Record<PropertyKey, () => Promise<unknown>>): Promise<void> {
      if (running.has(this)) return;
      running.add(this);
      try {
        await this[key]();
      } finally {
        running.delete(this);
      }
    }
    Object.defineProperty(target, tickKey, { value: tick, writable: true, configurable: true });
    Interval(ms)(target, tickKey, Object.getOwnPropertyDescriptor(target, tickKey)!);
  };
}
