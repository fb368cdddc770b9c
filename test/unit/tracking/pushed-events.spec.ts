import type { TrackingEvent } from 'src/couriers/courier-adapter';
import { MAX_PUSH_EVENTS, storablePolled, unfitPush } from 'src/tracking/pushed-events';

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

describe('what a poll brought, as it can be stored', () => {
  it('cuts an overlong note or place and keeps the event', () => {
    const { kept, dropped } = storablePolled([
      event({ rawText: 'y'.repeat(5000), location: 'L'.repeat(900) }),
    ]);
    expect(dropped).toEqual([]);
    expect([kept[0].rawText.length, kept[0].location?.length]).toEqual([2000, 500]);
  });

  it('leaves out, naming why, an event whose AWB, code or time cannot be stored; keeps the rest', () => {
    const { kept, dropped } = storablePolled([
      event(),
      event({ rawCode: 'x'.repeat(9000) }),
      event({ occurredAt: new Date(-8e15) }),
      event({ awb: 'A'.repeat(70) }),
      event({ rawCode: 7 }),
    ]);
    expect(kept).toEqual([event()]);
    expect(dropped).toEqual([
      { awb: 'JNE0001', field: 'rawCode', message: 'is longer than 200 characters' },
      { awb: 'JNE0001', field: 'occurredAt', message: 'is before 2000' },
      { awb: 'A'.repeat(64), field: 'awb', message: 'is longer than 64 characters' },
      { awb: 'JNE0001', field: 'rawCode', message: 'is not text' },
    ]);
  });
});
