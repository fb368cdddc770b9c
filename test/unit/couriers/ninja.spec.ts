import fc from 'fast-check';
import { NinjaAdapter } from 'src/couriers/adapters/ninja/ninja.adapter';
import {
  failureReasonOf,
  NinjaEvent,
  parseNinjaTime,
  requestedTrackingNumber,
  toTrackingEvent,
} from 'src/couriers/adapters/ninja/ninja.mapper';
import { ninjaSignature, verifyNinjaSignature } from 'src/couriers/adapters/ninja/ninja.signing';
import {
  NINJA_V1_STATUS,
  NINJA_V2_EVENT,
  NINJA_V2_STATUS_GROUP,
} from 'src/couriers/adapters/ninja/ninja.status-table';
import type { CourierReason, CourierStatus } from 'src/couriers/courier-adapter';
import { CourierWebhookMalformedError, CourierWebhookRejectedError } from 'src/couriers/courier.errors';
import { nestLogs } from '../../support/nest-logs';
import { NO_LOCATIONS } from '../../support/location-codes';

type Expected = [raw: string, status: CourierStatus | null, reason?: CourierReason, returnLeg?: boolean];

/** ninja.md §4.2, written out independently of the table. */
const V2: Expected[] = [
  ['Pending Pickup', 'pickup_requested'],
  ['Driver dispatched for Pickup', 'pickup_requested'],
  ['Pickup Exception, Pending Reschedule', 'exception', 'pickup_failed'],
  ['Pickup Exception, Reattempt Scheduled', 'exception', 'pickup_failed'],
  ['Pickup Exception, Max Attempts Reached', 'exception', 'pickup_failed'],
  ['Pickup Exception, Pending Retrieval from PUDO', 'exception', 'pickup_failed'],
  ['Picked Up, In Transit to Origin Hub', 'picked_up'],
  ['Arrived at Origin Hub', 'in_transit'],
  ['Arrived at Transit Hub', 'in_transit'],
  ['Arrived at Destination Hub', 'in_transit'],
  ['In Transit to Next Sorting Hub', 'in_transit'],
  ['On Vehicle for Delivery', 'out_for_delivery'],
  ['At PUDO, Pending Customer Collection', 'out_for_delivery'],
  ['Delivered, Received by Customer', 'delivered'],
  ['Delivered, Left at Doorstep', 'delivered'],
  ['Delivered, Collected by Customer', 'delivered'],
  ['Delivery Exception, Pending Reschedule', 'delivery_failed', 'attempt_failed'],
  ['Delivery Exception, Reattempt Scheduled', 'delivery_failed', 'attempt_failed'],
  ['Delivery Exception, Parcel Overstayed at PUDO', 'delivery_failed', 'attempt_failed'],
  ['Delivery Exception, Max Attempts Reached', 'delivery_failed', 'max_attempts'],
  ['Delivery Exception, Return to Sender Initiated', 'returning_to_sender', 'rts_initiated', true],
  ['Delivery Exception, Parcel Lost', 'exception', 'lost'],
  ['Delivery Exception, Parcel Damaged', 'exception', 'damaged'],
  ['Return to Shipper Exception, Parcel triggered for Shipper Collection', 'exception', undefined, true],
  ['Return to Shipper Exception, Parcel collected by Shipper', 'returned', undefined, true],
  ['Return to Shipper Exception, Parcel Scrapped', 'exception', 'lost', true],
  ['Return to Shipper Exception, Max Attempts Reached', 'exception', 'max_attempts', true],
  ['Returned to Sender', 'returned', undefined, true],
  ['Cancelled', 'cancelled'],
  ['Parcel Measurements Update', null, 'weight_changed'],
];

/** ninja.md §4.1. */
const V1: Expected[] = [
  ['Staging', 'created'],
  ['Pending Pickup', 'pickup_requested'],
  ['Van En-route to Pickup', 'pickup_requested'],
  ['Pickup Fail', 'exception', 'pickup_failed'],
  ['Successful Pickup', 'picked_up'],
  ['En-route to Sorting Hub', 'in_transit'],
  ['Arrived at Sorting Hub', 'in_transit'],
  ['Arrived at Origin Hub', 'in_transit'],
  ['Transferred to 3PL', 'in_transit'],
  ['Cross Border Transit', 'in_transit'],
  ['Customs Cleared', 'in_transit'],
  ['Customs Held', 'exception', 'held_at_hub'],
  ['On Vehicle for Delivery', 'out_for_delivery'],
  ['Arrived at Distribution Point', 'out_for_delivery'],
  ['Pending Pickup at Distribution Point', 'picked_up'],
  ['First Attempt Delivery Fail', 'delivery_failed', 'attempt_failed'],
  ['Pending Reschedule', 'delivery_failed', 'attempt_failed'],
  ['Successful Delivery', 'delivered'],
  ['Completed', 'delivered'],
  ['Return to Sender Triggered', 'returning_to_sender', 'rts_initiated', true],
  ['On Vehicle for Delivery (RTS)', 'returning_to_sender', undefined, true],
  ['Returned to Sender', 'returned', undefined, true],
  ['Cancelled', 'cancelled'],
  ['Parcel Size', null, 'weight_changed'],
  ['Parcel Weight', null, 'weight_changed'],
  ['Parcel Measurements Update', null, 'weight_changed'],
];

/** Every row padded to four cells: jest reads a callback longer than its row as asking for `done`. */
const rows = (list: Expected[]) =>
  list.map(
    ([raw, status, reason, returnLeg]): [
      string,
      CourierStatus | null,
      CourierReason | undefined,
      boolean | undefined,
    ] => [raw, status, reason, returnLeg],
  );

const AT = '2025-03-10T14:05:00+07:00';
const v2 = (event: string, extra: Partial<NinjaEvent> = {}): NinjaEvent => ({
  shipper_id: 70412,
  tracking_id: 'NVIDKRM12345670042',
  shipper_order_ref_no: 'KRM1234567',
  timestamp: AT,
  event,
  status: 'Some Group',
  is_parcel_on_rts_leg: false,
  ...extra,
});
const v1 = (status: string, extra: Partial<NinjaEvent> = {}): NinjaEvent => ({
  tracking_id: 'NVIDKRM12345670042',
  shipper_order_ref_no: 'KRM1234567',
  timestamp: '2025-03-10T07:05:00+0000',
  status,
  ...extra,
});

describe('ninja status table', () => {
  it('lists exactly the v2 phrases and v1 words of ninja.md', () => {
    expect(Object.keys(NINJA_V2_EVENT).sort()).toEqual(V2.map(([raw]) => raw).sort());
    expect(Object.keys(NINJA_V1_STATUS).sort()).toEqual(V1.map(([raw]) => raw).sort());
  });

  it.each(rows(V2))('v2 event %j → %s', (raw, status, reason, returnLeg) => {
    const e = toTrackingEvent(v2(raw, { is_parcel_on_rts_leg: returnLeg === true }));
    expect(e).toMatchObject({
      awb: 'NVIDKRM12345670042',
      status,
      rawCode: raw,
      isReturnLeg: returnLeg === true,
    });
    expect(e.reason).toBe(reason);
    expect(e.occurredAt.toISOString()).toBe('2025-03-10T07:05:00.000Z');
  });

  it.each(rows(V1))('v1 status %j → %s', (raw, status, reason, returnLeg) => {
    const e = toTrackingEvent(v1(raw));
    expect(e).toMatchObject({
      awb: 'NVIDKRM12345670042',
      status,
      rawCode: raw,
      isReturnLeg: returnLeg === true,
    });
    expect(e.reason).toBe(reason);
    expect(e.occurredAt.toISOString()).toBe('2025-03-10T07:05:00.000Z');
  });

  it('reads words whatever their case and spacing', () => {
    expect(toTrackingEvent(v1('SUCCESSFUL_DELIVERY')).status).toBe('delivered');
    expect(toTrackingEvent(v2('delivered,  received by customer')).status).toBe('delivered');
  });

  /**
   * v2 `status` groups (ninja.md §4.2: "status (coarser group)"; the group names are the leading words of
   * the event phrases). A new phrase under a known group means what the group's phrases mean.
   */
  const GROUPS: Expected[] = [
    ['Pickup Exception', 'exception', 'pickup_failed'],
    ['Picked Up', 'picked_up'],
    ['In Transit', 'in_transit'],
    ['International Transit', 'in_transit'],
    ['At PUDO', 'out_for_delivery'],
    ['Delivered', 'delivered'],
    ['Delivery Exception', 'delivery_failed', 'attempt_failed'],
    ['Return to Shipper Exception', 'exception', undefined, true],
  ];

  it('knows exactly these v2 groups', () => {
    expect(Object.keys(NINJA_V2_STATUS_GROUP).sort()).toEqual(GROUPS.map(([group]) => group).sort());
  });

  it.each(rows(GROUPS))(
    'falls back to the v2 group %j when the phrase is new → %s',
    (group, status, reason, returnLeg) => {
      const e = toTrackingEvent(v2('Some Phrase Ninja Added Later', { status: group }));
      expect(e).toMatchObject({
        status,
        rawCode: 'Some Phrase Ninja Added Later',
        isReturnLeg: returnLeg === true,
      });
      expect(e.reason).toBe(reason);
    },
  );

  it.each([
    [v2('Teleported to Mars', { status: 'Space' })],
    [v1('Parcel Eaten by Dog')],
    [{ tracking_id: 'NVIDX' }],
    [{}],
  ])('keeps an unknown word raw with no status, without throwing (%#)', (raw) => {
    const e = toTrackingEvent(raw);
    expect(e.status).toBeNull();
    expect(e.reason).toBeUndefined();
    expect(e.rawCode).toBe(String(raw.event ?? raw.status ?? ''));
  });

  it('reports an unknown word to the operators’ log', () => {
    toTrackingEvent(v2('Sorted by Octopus', { status: 'Sea' }));
    expect(nestLogs.warnings('CourierStatus').map((w) => w.message)).toEqual([
      { courier: 'ninja', code: 'Sorted by Octopus' },
    ]);
  });
});

describe('ninja return leg (is_parcel_on_rts_leg)', () => {
  it.each([
    'Arrived at Origin Hub',
    'Arrived at Transit Hub',
    'Arrived at Destination Hub',
    'In Transit to Next Sorting Hub',
    'On Vehicle for Delivery',
    'Picked Up, In Transit to Origin Hub',
    'Delivery Exception, Pending Reschedule',
  ])('%j on the RTS leg is returning_to_sender, not forward progress', (event) => {
    expect(toTrackingEvent(v2(event, { is_parcel_on_rts_leg: true }))).toMatchObject({
      status: 'returning_to_sender',
      isReturnLeg: true,
    });
    expect(toTrackingEvent(v2(event)).isReturnLeg).toBe(false);
  });

  it('a v1 word flagged on the RTS leg is on the return leg too', () => {
    expect(toTrackingEvent(v1('On Vehicle for Delivery', { is_parcel_on_rts_leg: true }))).toMatchObject({
      status: 'returning_to_sender',
      isReturnLeg: true,
    });
  });

  it('a delivery on the RTS leg is the return reaching the shipper', () => {
    expect(
      toTrackingEvent(v2('Delivered, Received by Customer', { is_parcel_on_rts_leg: true })),
    ).toMatchObject({ status: 'returned', isReturnLeg: true });
  });

  it.each<[unknown, boolean]>([
    ['true', true],
    ['TRUE', true],
    [1, true],
    ['1', true],
    ['false', false],
    [0, false],
    ['0', false],
    [null, false],
  ])('reads the RTS flag sent as %j as %s, as a boolean would be', (flag, back) => {
    const delivered = toTrackingEvent(
      v2('Delivered, Received by Customer', { is_parcel_on_rts_leg: flag as boolean }),
    );
    expect(delivered).toMatchObject({ status: back ? 'returned' : 'delivered', isReturnLeg: back });
    expect(
      toTrackingEvent(v2('On Vehicle for Delivery', { is_parcel_on_rts_leg: flag as boolean })),
    ).toMatchObject({ status: back ? 'returning_to_sender' : 'out_for_delivery', isReturnLeg: back });
  });

  it('terminal and exception words keep their meaning on the RTS leg', () => {
    expect(toTrackingEvent(v2('Cancelled', { is_parcel_on_rts_leg: true }))).toMatchObject({
      status: 'cancelled',
      isReturnLeg: true,
    });
    expect(
      toTrackingEvent(v2('Delivery Exception, Parcel Lost', { is_parcel_on_rts_leg: true })),
    ).toMatchObject({ status: 'exception', reason: 'lost', isReturnLeg: true });
    expect(toTrackingEvent(v2('Returned to Sender', { is_parcel_on_rts_leg: true }))).toMatchObject({
      status: 'returned',
      isReturnLeg: true,
    });
  });
});

describe('ninja failed deliveries', () => {
  it.each<[string, CourierReason]>([
    ['Address incomplete/unable to locate', 'address_problem'],
    ['Customer refused - no cash', 'consignee_refused_no_money'],
    ['Customer refused - did not order', 'consignee_refused_did_not_order'],
    ['Customer refused to accept parcel', 'consignee_refused'],
    ['Nobody at location', 'consignee_absent'],
    ['Customer unreachable by phone', 'consignee_unreachable'],
    ['Parcel misrouted to wrong hub', 'misroute'],
    ['Alamat tidak ditemukan', 'address_problem'],
    ['Penerima menolak, tidak ada uang', 'consignee_refused_no_money'],
    ['Rumah kosong', 'consignee_absent'],
  ])('classifies %j as %s', (text, reason) => {
    expect(failureReasonOf(text)).toBe(reason);
    const e = toTrackingEvent(
      v2('Delivery Exception, Pending Reschedule', {
        delivery_exception: { state: 'Failed', failure_reason: text },
      }),
    );
    expect(e).toMatchObject({ status: 'delivery_failed', reason });
    expect(e.rawText).toContain(text);
  });

  it('an unclassified text stays a plain failed attempt', () => {
    expect(
      toTrackingEvent(
        v2('Delivery Exception, Pending Reschedule', { delivery_exception: { failure_reason: 'Weather' } }),
      ).reason,
    ).toBe('attempt_failed');
  });

  it('the last attempt keeps max_attempts whatever its text says', () => {
    expect(
      toTrackingEvent(
        v2('Delivery Exception, Max Attempts Reached', {
          delivery_exception: { failure_reason: 'Nobody at location' },
        }),
      ).reason,
    ).toBe('max_attempts');
  });
});

describe('ninja events with fields of another type', () => {
  // A poll's answer is read as sent: one event whose phrase or failure is a number, a list or an object threw,
  // and the courier's whole batch of parcels went unpolled.
  it('reads them as unknown codes, their texts kept where they are text, and never throws', () => {
    const odd = [
      { event: 5, status: { group: 'x' } },
      { event: ['Delivered'], status: 7 },
      { status: 'Delivery Exception', comments: { note: 1 }, failure_reason: 42 },
      {
        event: 'Delivery Exception, Pending Reschedule',
        delivery_exception: { failure_reason: ['Rumah kosong'] },
        pickup_exception: { failure_reason: 3 },
        rts_reason: {},
      },
    ] as unknown as NinjaEvent[];
    const read = odd.map((e) => toTrackingEvent({ timestamp: '2026-12-07T10:00:00+0700', ...e }, 'NV1'));
    expect(read.map((e) => [e.rawCode, e.status, e.unmapped ?? false])).toEqual([
      ['5', null, true],
      ['7', null, true],
      ['Delivery Exception', 'delivery_failed', false],
      ['Delivery Exception, Pending Reschedule', 'delivery_failed', false],
    ]);
    expect(read.map((e) => e.rawText)).toEqual([
      '5',
      '7',
      'Delivery Exception | 42',
      'Delivery Exception, Pending Reschedule | 3',
    ]);
  });
});

describe('ninja deliveries and measurements', () => {
  it('reports COD collected from the delivery information', () => {
    expect(
      toTrackingEvent(
        v2('Delivered, Received by Customer', {
          delivery_information: { cod_collected: true, cod_amount: 150_000 },
        }),
      ).codCollected,
    ).toBe(true);
    expect(
      toTrackingEvent(v2('Delivered, Left at Doorstep', { delivery_information: { cod_amount: 150_000 } }))
        .codCollected,
    ).toBe(true);
    expect(
      toTrackingEvent(
        v2('Delivered, Received by Customer', {
          delivery_information: { cod_collected: false, cod_amount: 0 },
        }),
      ).codCollected,
    ).toBe(false);
    // Without a COD field the delivery says nothing about cash: the tracker decides from the parcel.
    expect(toTrackingEvent(v1('Successful Delivery')).codCollected).toBeUndefined();
    expect(toTrackingEvent(v1('Successful Delivery', { cash_on_delivery: 0 })).codCollected).toBe(false);
    // A blank or unreadable amount says nothing either (read as 0 it said the cash was not taken: no credit).
    for (const unreadable of [' ', 'n/a'])
      expect(
        toTrackingEvent(
          v2('Delivered, Received by Customer', { delivery_information: { cod_amount: unreadable } }),
        ).codCollected,
      ).toBeUndefined();
    expect(toTrackingEvent(v2('On Vehicle for Delivery')).codCollected).toBeUndefined();
  });

  it('a re-weigh changes no status and carries the new weight in grams', () => {
    const e = toTrackingEvent(
      v2('Parcel Measurements Update', { parcel_measurements_information: { new_weight: 2.35 } }),
    );
    expect(e).toMatchObject({ status: null, reason: 'weight_changed', weightGrams: 2350 });
  });

  it('names the hub of hub events', () => {
    const e = toTrackingEvent(
      v2('Arrived at Destination Hub', {
        arrived_at_destination_hub_information: {
          country: 'Indonesia',
          city: 'Jakarta Pusat',
          hub: 'JAKARTA PUSAT HUB',
        },
      }),
    );
    expect(e.location).toBe('JAKARTA PUSAT HUB, Jakarta Pusat');
  });
});

describe('ninja timestamps', () => {
  it.each([
    ['2025-03-10T14:05:00+07:00', '2025-03-10T07:05:00.000Z'],
    ['2025-03-10T07:05:00+0000', '2025-03-10T07:05:00.000Z'],
    ['2025-03-10T07:05:00Z', '2025-03-10T07:05:00.000Z'],
    ['2025-03-10 14:05:00', '2025-03-10T07:05:00.000Z'],
    [1741590300, '2025-03-10T07:05:00.000Z'],
    ['1741590300', '2025-03-10T07:05:00.000Z'],
    ['1741590300000', '2025-03-10T07:05:00.000Z'],
    // With an offset but a space before the time, or an offset of hours only: was Invalid Date, so the
    // signed push was refused as malformed.
    ['2025-03-10 15:05:00+0800', '2025-03-10T07:05:00.000Z'],
    ['2025-03-10 14:05:00 +07:00', '2025-03-10T07:05:00.000Z'],
    ['2025-03-10T15:05:00+08', '2025-03-10T07:05:00.000Z'],
    ['2025-03-10 07:05:00Z', '2025-03-10T07:05:00.000Z'],
  ])('%j → %s', (raw, iso) => expect(parseNinjaTime(raw).toISOString()).toBe(iso));

  it('an unreadable time is Invalid Date, not a throw', () => {
    expect(Number.isNaN(parseNinjaTime('yesterday-ish').getTime())).toBe(true);
  });

  it('a time the calendar does not have is Invalid Date, not the next month', () => {
    for (const raw of ['2026-02-30T10:00:00+07:00', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00+0700'])
      expect({ raw, valid: !Number.isNaN(parseNinjaTime(raw).getTime()) }).toEqual({ raw, valid: false });
  });
});

describe('ninja requested tracking number', () => {
  const SHAPE = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;

  it('is the upper-cased reference with check digits when it fits', () => {
    const n = requestedTrackingNumber('krm-m5x8q1a0');
    expect(n).toMatch(/^KRM-M5X8Q1A0\d{4}$/);
  });

  it('is 9–16 letters, digits and single dashes, the same every time, for any reference', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (reference) => {
        const n = requestedTrackingNumber(reference);
        return SHAPE.test(n) && n.length >= 9 && n.length <= 16 && n === requestedTrackingNumber(reference);
      }),
    );
  });

  it('keeps references apart that cleaning would merge', () => {
    expect(requestedTrackingNumber('abc_1')).not.toBe(requestedTrackingNumber('ABC-1'));
    expect(requestedTrackingNumber('KRM-ORDER-2025-000000001')).not.toBe(
      requestedTrackingNumber('KRM-ORDER-2025-000000002'),
    );
  });
});

describe('ninja webhook signature', () => {
  const SECRET = 'ninja-client-key';
  // Computed outside this code: printf '%s' "$BODY" | openssl dgst -sha256 -hmac ninja-client-key -binary | base64
  const VECTORS: [string, string][] = [
    [
      '{"tracking_id":"NVIDKRM0000001234","event":"On Vehicle for Delivery"}',
      'DCsEyEYlJtg5kAeyVwU23oI/mjo7kFSAoKk05Oh32Bg=',
    ],
    [
      '{"comments":"Penerima tidak di tempat – rumah kosong"}',
      's/IoXgiOXU9Crm3nAcS2sQDUYu8r1AxwfXzyNXM+lCE=',
    ],
  ];

  it.each(VECTORS)('matches an independently computed HMAC for %s', (body, expected) => {
    expect(ninjaSignature(Buffer.from(body, 'utf8'), SECRET)).toBe(expected);
    expect(verifyNinjaSignature(Buffer.from(body, 'utf8'), expected, SECRET)).toBe(true);
  });

  it('refuses a signature over other bytes or with another key', () => {
    const [body, signature] = VECTORS[0];
    expect(verifyNinjaSignature(Buffer.from(`${body} `), signature, SECRET)).toBe(false);
    expect(verifyNinjaSignature(Buffer.from(body), ninjaSignature(body, 'another-key'), SECRET)).toBe(false);
    expect(verifyNinjaSignature(Buffer.from(body), 'short', SECRET)).toBe(false);
  });
});

describe('ninja parseWebhook', () => {
  const SECRET = 'ninja-client-key';
  const adapter = new NinjaAdapter(
    'Ninja Xpress',
    {
      NINJA_BASE_URL: 'http://127.0.0.1:9',
      NINJA_CLIENT_ID: 'kirim',
      NINJA_CLIENT_SECRET: SECRET,
      NINJA_TRACKING_PREFIX: 'none',
    },
    [],
    6 * 3600,
    NO_LOCATIONS,
  );
  const now = new Date('2025-03-10T08:00:00Z');
  const body = JSON.stringify(
    v2('Delivery Exception, Pending Reschedule', {
      delivery_exception: { failure_reason: 'Customer refused - no cash' },
    }),
  );
  const signed = (
    raw: string,
    headers: Record<string, string> = { 'x-ninjavan-hmac-sha256': ninjaSignature(raw, SECRET) },
  ) => ({ headers, rawBody: Buffer.from(raw) });
  const why = (fn: () => unknown) => {
    try {
      fn();
      return 'accepted';
    } catch (e) {
      if (e instanceof CourierWebhookMalformedError)
        return `malformed: ${e.details[0].field} ${e.details[0].message}`;
      return e instanceof CourierWebhookRejectedError ? e.why : String(e);
    }
  };

  it('accepts a signed v2 push and maps it', () => {
    expect(adapter.parseWebhook(signed(body), now)).toEqual([
      expect.objectContaining({
        awb: 'NVIDKRM12345670042',
        status: 'delivery_failed',
        reason: 'consignee_refused_no_money',
        isReturnLeg: false,
      }),
    ]);
  });

  it('reads the header whatever its case', () => {
    expect(
      adapter.parseWebhook(signed(body, { 'X-Ninjavan-Hmac-Sha256': ninjaSignature(body, SECRET) }), now),
    ).toHaveLength(1);
  });

  it('rejects unsigned, forged, malformed and stale pushes', () => {
    expect(why(() => adapter.parseWebhook(signed(body, {}), now))).toBe('unsigned');
    expect(
      why(() =>
        adapter.parseWebhook(signed(body, { 'x-ninjavan-hmac-sha256': ninjaSignature(body, 'wrong') }), now),
      ),
    ).toBe('forged');
    expect(why(() => adapter.parseWebhook(signed('{not json'), now))).toBe('malformed: body is not JSON');
    expect(why(() => adapter.parseWebhook(signed('{"hello":"world"}'), now))).toBe(
      'malformed: tracking_id is required (or tracking_number)',
    );
    expect(why(() => adapter.parseWebhook(signed('[]'), now))).toBe('malformed: body is an empty list');
    expect(why(() => adapter.parseWebhook(signed(`[${body}, {"tracking_id": "NV1"}]`), now))).toBe(
      'malformed: [1].event is required (or status)',
    );
    expect(why(() => adapter.parseWebhook(signed(body), new Date(now.getTime() + 7 * 3600_000)))).toBe(
      'stale',
    );
  });
});
