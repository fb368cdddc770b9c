import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { CourierWebhookRejectedError } from 'src/couriers/courier.errors';
import { assertFreshPush } from 'src/couriers/push-window';

const now = new Date('2026-11-30T05:00:00Z');
const at = (hoursFromNow: number) => ({ occurredAt: new Date(now.getTime() + hoursFromNow * 3600_000) });
const WINDOW = 6 * 3600;

describe('the replay window every courier push is held to', () => {
  it.each(COURIER_CODES)('%s: a push whose newest event is within the window passes', (courier) => {
    expect(() => assertFreshPush(courier, [at(-5.9)], now, WINDOW)).not.toThrow();
    expect(() => assertFreshPush(courier, [at(5.9)], now, WINDOW)).not.toThrow();
    // A whole history (JNE pushes one) passes by its fresh lines.
    expect(() => assertFreshPush(courier, [at(-200), at(-48), at(-1)], now, WINDOW)).not.toThrow();
    // A line a courier's clock stamped twelve hours ahead does not make its fresh neighbours stale.
    expect(() => assertFreshPush(courier, [at(-2), at(12), at(-1)], now, WINDOW)).not.toThrow();
  });

  it.each([
    ['older than the window', [at(-6.1)]],
    ['further ahead than clocks drift', [at(6.1)]],
    ['a history whose newest line is old', [at(-300), at(-7)]],
    ['old lines beside one stamped far ahead', [at(-30), at(12)]],
    ['a time that cannot be read', [{ occurredAt: new Date(Number.NaN) }]],
    ['no events', []],
  ])('refuses as stale: %s', (_what, events) => {
    for (const courier of COURIER_CODES) {
      let error: unknown;
      try {
        assertFreshPush(courier, events, now, WINDOW);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CourierWebhookRejectedError);
      expect((error as CourierWebhookRejectedError).why).toBe('stale');
    }
  });
});
