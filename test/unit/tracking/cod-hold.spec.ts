import fc from 'fast-check';
import { codHoldReleaseAt } from 'src/tracking/cod-credit-posting';

const DAY = 86_400_000;
const now = new Date('2026-11-10T05:00:00Z');

describe('codHoldReleaseAt', () => {
  it('ends the hold its days after the delivery', () => {
    expect(codHoldReleaseAt(new Date('2026-11-09T03:00:00Z'), now, 2 * DAY)).toEqual(
      new Date('2026-11-11T03:00:00Z'),
    );
  });

  it('releases at once a delivery reported after its hold would have ended', () => {
    expect(codHoldReleaseAt(new Date('2026-11-01T03:00:00Z'), now, 2 * DAY)).toEqual(now);
  });

  it("counts from now a delivery dated ahead of Kirim's clock (a WIT time read as WIB: two hours ahead)", () => {
    expect(codHoldReleaseAt(new Date('2026-11-10T07:00:00Z'), now, 2 * DAY)).toEqual(
      new Date('2026-11-12T05:00:00Z'),
    );
    // A wrong year does not keep the cash for a year.
    expect(codHoldReleaseAt(new Date('2027-11-10T05:00:00Z'), now, 2 * DAY)).toEqual(
      new Date('2026-11-12T05:00:00Z'),
    );
  });

  it('never releases before now, nor later than the hold from now', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -400 * DAY, max: 400 * DAY }),
        fc.integer({ min: 0, max: 30 }),
        (off, days) => {
          const released = codHoldReleaseAt(new Date(now.getTime() + off), now, days * DAY).getTime();
          expect(released).toBeGreaterThanOrEqual(now.getTime());
          expect(released).toBeLessThanOrEqual(now.getTime() + days * DAY);
        },
      ),
    );
  });
});
