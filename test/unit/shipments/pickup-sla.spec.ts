import fc from 'fast-check';
import type { TrackingEvent } from 'src/couriers/courier-adapter';
import { nextPickupCheck, pickupDeadline, pickupState } from 'src/shipments/pickup-sla';

const at = (iso: string) => new Date(iso);
const event = (
  status: TrackingEvent['status'],
  occurredAt: string,
  extra: Partial<TrackingEvent> = {},
): TrackingEvent => ({
  awb: 'AWB1',
  status,
  rawCode: String(status),
  rawText: String(status),
  occurredAt: at(occurredAt),
  isReturnLeg: false,
  ...extra,
});

describe('pickup deadline', () => {
  it('runs from booking, or from the start of a later requested day in Jakarta', () => {
    expect(pickupDeadline(at('2026-11-02T03:00:00Z'), null, 24)).toEqual(at('2026-11-03T03:00:00Z'));
    // Booked on 2 Nov for 5 Nov: the courier has all of 5 Nov (WIB) = until 5 Nov 17:00 UTC.
    expect(pickupDeadline(at('2026-11-02T03:00:00Z'), '2026-11-05', 24)).toEqual(at('2026-11-05T17:00:00Z'));
    // A requested day already under way counts from booking.
    expect(pickupDeadline(at('2026-11-02T03:00:00Z'), '2026-11-02', 24)).toEqual(at('2026-11-03T03:00:00Z'));
  });

  it('checks again every interval and at the deadline itself, never in the past', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.integer({ min: -(10 ** 8), max: 10 ** 9 }),
        fc.integer({ min: 60_000, max: 10 ** 8 }),
        (now, toDeadline, every) => {
          const next = nextPickupCheck(new Date(now), new Date(now + toDeadline), every).getTime();
          return next > now && next <= now + every && (toDeadline <= 1000 || next <= now + toDeadline);
        },
      ),
    );
  });
});

describe('what a courier history says about the pickup', () => {
  it('a handover scan means picked up, whatever came after', () => {
    expect(
      pickupState([
        event('pickup_requested', '2026-11-02T03:00:00Z'),
        event('picked_up', '2026-11-02T08:00:00Z'),
      ]).state,
    ).toBe('picked_up');
    expect(pickupState([event('in_transit', '2026-11-02T08:00:00Z')]).state).toBe('picked_up');
    expect(pickupState([event('exception', '2026-11-02T08:00:00Z', { reason: 'held_at_hub' })]).state).toBe(
      'picked_up',
    );
  });

  it('a pickup-failure scan is not a handover, as an exception or as a pending pickup', () => {
    const failed = pickupState([
      event('pickup_requested', '2026-11-02T03:00:00Z'),
      event('exception', '2026-11-02T09:00:00Z', { reason: 'pickup_failed', rawCode: '151' }),
    ]);
    expect(failed).toMatchObject({ state: 'waiting', event: { rawCode: '151' } });
    expect(
      pickupState([event('pickup_requested', '2026-11-02T09:00:00Z', { reason: 'pickup_failed' })]).state,
    ).toBe('waiting');
  });

  it('a cancel before any handover is the courier’s; no events at all is waiting', () => {
    expect(
      pickupState([
        event('pickup_requested', '2026-11-02T03:00:00Z'),
        event('cancelled', '2026-11-03T09:00:00Z', { rawCode: '163' }),
      ]),
    ).toMatchObject({
      state: 'cancelled_by_courier',
      event: { rawCode: '163' },
    });
    expect(pickupState([])).toEqual({ state: 'waiting' });
  });
});
