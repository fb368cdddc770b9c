import type { TrackingEvent } from 'src/couriers/courier-adapter';
import { MAX_PUSH_EVENTS, unfitPush } from 'src/tracking/pushed-events';

const event = (over: Partial<Record<keyof TrackingEvent, unknown>> = {}): TrackingEvent =>
  ({
    awb: 'JNE0001',
    status: 'picked_up',
    rawCode: 'PU',
    rawText: 'Picked up',
    occurredAt: new Date('2026-12-01T03:00:00Z'),
    isReturnLeg: false,
    ...over,
  }) as TrackingEvent;

describe('what a verified push may hold to be stored', () => {
  it('takes events as couriers send them, with or without a location', () => {
    expect(unfitPush([event(), event({ location: 'Jakarta' }), event({ location: null })])).toBeNull();
    expect(unfitPush(Array.from({ length: MAX_PUSH_EVENTS }, () => event()))).toBeNull();
  });

  it.each([
    ['an AWB longer than any courier’s', { awb: 'A'.repeat(65) }, 'awb', 'is longer than 64 characters'],
    ['an empty AWB', { awb: '  ' }, 'awb', 'is empty'],
    [
      'a code of thousands of characters',
      { rawCode: 'x'.repeat(9000) },
      'rawCode',
      'is longer than 200 characters',
    ],
    [
      'a text of a hundred thousand',
      { rawText: 'y'.repeat(100_000) },
      'rawText',
      'is longer than 2000 characters',
    ],
    ['a number for a code', { rawCode: 123 }, 'rawCode', 'is not text'],
    ['a list for an AWB', { awb: ['x'] }, 'awb', 'is not text'],
    ['a location that is not text', { location: { city: 'x' } }, 'location', 'is not text'],
    ['no time', { occurredAt: new Date('nonsense') }, 'occurredAt', 'is not a time'],
    ['an epoch zero', { occurredAt: new Date(0) }, 'occurredAt', 'is before 2000'],
    [
      'a time before PostgreSQL’s first (4713 BC)',
      { occurredAt: new Date(-8e15) },
      'occurredAt',
      'is before 2000',
    ],
  ])('refuses %s, naming the field of the event', (_, over, field, message) => {
    expect(unfitPush([event(), event(over)])).toEqual({ field: `events[1].${field}`, message });
  });

  it('refuses more events than any courier pushes at once', () => {
    expect(unfitPush(Array.from({ length: MAX_PUSH_EVENTS + 1 }, () => event()))).toEqual({
      field: 'events',
      message: `holds more than ${MAX_PUSH_EVENTS} events`,
    });
  });
});
