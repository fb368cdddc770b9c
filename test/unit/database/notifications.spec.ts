import fc from 'fast-check';
import { reconnectDelayMs } from 'src/database/notifications';

describe('reconnectDelayMs', () => {
  it('doubles per failed attempt from 200 ms, jittered down to half, never over 10 s', () => {
    expect([0, 1, 2, 3].map((n) => reconnectDelayMs(n, () => 1))).toEqual([200, 400, 800, 1600]);
    expect(reconnectDelayMs(0, () => 0)).toBe(100);
    expect(reconnectDelayMs(100, () => 1)).toBe(10_000);
    fc.assert(
      fc.property(fc.nat(1000), fc.double({ min: 0, max: 1, noNaN: true }), (failures, r) => {
        const delay = reconnectDelayMs(failures, () => r);
        return delay >= 100 && delay <= 10_000 && delay >= reconnectDelayMs(failures, () => 0);
      }),
    );
  });
});
