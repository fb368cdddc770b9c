import fc from 'fast-check';
import { IdExpressAdapter } from 'src/couriers/adapters/idexpress/idexpress.adapter';
import {
  IdExpressHistory,
  lineToEvent,
  trackingToEvents,
} from 'src/couriers/adapters/idexpress/idexpress.mapper';
import { idexpressSign, signedForm } from 'src/couriers/adapters/idexpress/idexpress.signing';
import {
  IDEXPRESS_PROBLEM_REASON,
  IDEXPRESS_STATUS,
} from 'src/couriers/adapters/idexpress/idexpress.status-table';
import { COURIER_STATUSES, CourierReason, CourierStatus } from 'src/couriers/courier-adapter';
import { CourierWebhookMalformedError, CourierWebhookRejectedError } from 'src/couriers/courier.errors';
import { nestLogs } from '../../support/nest-logs';
import { NO_LOCATIONS } from '../../support/location-codes';

const AWB = 'IDE000000000042';
const T0 = Date.UTC(2026, 0, 5, 2, 0, 0);

/** An operation type, or one with its problem code (and problem text). */
type Line = string | [string, string] | [string, string, string];

/** A waybill's history from operation types (with optional problem codes), one minute apart. */
/** `codAmount` null: ID Express did not report it. */
function history(lines: Line[], codAmount: number | string | null = 150_000) {
  const historys: IdExpressHistory[] = lines.map((l, i) => {
    const [operationType, problemCode, description = ''] = Array.isArray(l) ? l : [l, ''];
    return {
      waybillNo: AWB,
      operationType,
      operationTime: T0 + i * 60_000,
      currentBranch: 'BANDUNG',
      problemCode,
      description,
    };
  });
  return trackingToEvents({
    basicInfo: { waybillNo: AWB },
    historys,
    itemInfo: codAmount === null ? {} : { codAmount: String(codAmount) },
  });
}
const last = (lines: Line[], codAmount?: number | string | null) => history(lines, codAmount).at(-1)!;

describe('ID Express status table', () => {
  /** Each operationType in the course of a normal journey, after the lines in `before`. */
  const expected: Record<string, { before: string[]; status: CourierStatus; returnLeg?: boolean }> = {
    'Pickup Request': { before: [], status: 'pickup_requested' },
    'Pickup Failure': { before: ['Pickup Request'], status: 'exception' },
    'Pick up scan': { before: ['Pickup Request'], status: 'picked_up' },
    'Dropped Off at Store': { before: [], status: 'picked_up' },
    'Loading scan': { before: ['Pick up scan'], status: 'in_transit' },
    'Sending scan': { before: ['Pick up scan', 'Loading scan'], status: 'in_transit' },
    'Arrival scan': { before: ['Pick up scan', 'Sending scan'], status: 'in_transit' },
    'Unloading scan': { before: ['Pick up scan', 'Arrival scan'], status: 'in_transit' },
    'Packing scan': { before: ['Pick up scan', 'Arrival scan'], status: 'in_transit' },
    'Unpacking scan': { before: ['Pick up scan', 'Arrival scan'], status: 'in_transit' },
    'Delivery Scan': { before: ['Pick up scan', 'Unloading scan'], status: 'out_for_delivery' },
    'Problem On Shipment scan': { before: ['Pick up scan', 'Delivery Scan'], status: 'delivery_failed' },
    'POD scan': { before: ['Pick up scan', 'Delivery Scan'], status: 'delivered' },
    'POD Entry': { before: ['Pick up scan', 'Delivery Scan'], status: 'delivered' },
    'Create Return Bill': {
      before: ['Delivery Scan', 'Problem On Shipment scan'],
      status: 'returning_to_sender',
      returnLeg: true,
    },
    'Confirm Return Bill': { before: ['Create Return Bill'], status: 'returning_to_sender', returnLeg: true },
    'Return POD Scan': {
      before: ['Create Return Bill', 'Sending scan'],
      status: 'returned',
      returnLeg: true,
    },
    'Cancel Order': { before: ['Pickup Request'], status: 'cancelled' },
  };

  it('has an expectation for every operationType it knows, and nothing else', () => {
    expect(Object.keys(IDEXPRESS_STATUS).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s → %o', (operationType, { before, status, returnLeg }) => {
    const event = last([...before, operationType]);
    expect([event.rawCode, event.status, event.isReturnLeg]).toEqual([
      operationType,
      status,
      returnLeg ?? false,
    ]);
  });

  it('reads Loading scan as picked_up before any pickup scan, in_transit after', () => {
    expect(last(['Loading scan']).status).toBe('picked_up');
    expect(last(['Pick up scan', 'Loading scan']).status).toBe('in_transit');
    expect(last(['Dropped Off at Store', 'Loading scan']).status).toBe('in_transit');
  });

  it('reads Problem On Shipment scan as a held parcel before Delivery Scan and a failed attempt after', () => {
    const before = last(['Pick up scan', 'Arrival scan', ['Problem On Shipment scan', '01']]);
    expect([before.status, before.reason]).toEqual(['exception', 'address_problem']);
    const heldWithoutCode = last(['Pick up scan', 'Problem On Shipment scan']);
    expect([heldWithoutCode.status, heldWithoutCode.reason]).toEqual(['exception', 'held_at_hub']);
    const after = last(['Pick up scan', 'Delivery Scan', ['Problem On Shipment scan', '01']]);
    expect([after.status, after.reason]).toEqual(['delivery_failed', 'address_problem']);
    const afterWithoutCode = last(['Pick up scan', 'Delivery Scan', 'Problem On Shipment scan']);
    expect([afterWithoutCode.status, afterWithoutCode.reason]).toEqual(['delivery_failed', 'attempt_failed']);
    // A parcel lost after going out for delivery is not a failed attempt.
    const lost = last(['Pick up scan', 'Delivery Scan', ['Problem On Shipment scan', '10']]);
    expect([lost.status, lost.reason]).toEqual(['exception', 'lost']);
    // A re-attempt after a failure goes out for delivery again.
    expect(
      history(['Delivery Scan', ['Problem On Shipment scan', '02'], 'Delivery Scan', 'POD scan']).map(
        (e) => e.status,
      ),
    ).toEqual(['out_for_delivery', 'delivery_failed', 'out_for_delivery', 'delivered']);
  });

  /**
   * The problem codes ID Express uses are not public (idexpress.md §4); these are the assumed ones the
   * sandbox sends, with its texts. A problem about the consignee after a Delivery Scan is a failed
   * attempt; one about the parcel itself (held, misrouted, damaged, lost) is not.
   */
  const PROBLEMS: [code: string, text: string, reason: CourierReason, afterDeliveryScan: CourierStatus][] = [
    ['01', 'Incomplete or incorrect address', 'address_problem', 'delivery_failed'],
    ['02', 'Consignee not at home', 'consignee_absent', 'delivery_failed'],
    ['03', 'Consignee phone cannot be reached', 'consignee_unreachable', 'delivery_failed'],
    ['04', 'Consignee refused the parcel', 'consignee_refused', 'delivery_failed'],
    ['05', 'Consignee refused, no money to pay COD', 'consignee_refused_no_money', 'delivery_failed'],
    ['06', 'Consignee refused, did not order', 'consignee_refused_did_not_order', 'delivery_failed'],
    ['07', 'Parcel held at branch', 'held_at_hub', 'exception'],
    ['08', 'Parcel missorted to another branch', 'misroute', 'exception'],
    ['09', 'Parcel damaged', 'damaged', 'exception'],
    ['10', 'Parcel lost', 'lost', 'exception'],
    ['11', 'Delivery postponed', 'attempt_failed', 'delivery_failed'],
  ];

  it('knows exactly the assumed problem codes, and the real 102', () => {
    expect(Object.keys(IDEXPRESS_PROBLEM_REASON).sort()).toEqual(
      [...PROBLEMS.map(([code]) => code), '102'].sort(),
    );
  });

  it('takes the cause from the courier’s words before an assumed code: a "lost" 10 saying the buyer was out is a failed attempt', () => {
    const event = last([
      'Pick up scan',
      'Delivery Scan',
      ['Problem On Shipment scan', '10', 'Pelanggan tidak di tempat'],
    ]);
    expect([event.status, event.reason]).toEqual(['delivery_failed', 'consignee_absent']);
    // Words naming no cause leave it to the code.
    expect(
      last(['Pick up scan', 'Delivery Scan', ['Problem On Shipment scan', '10', 'Lihat catatan']]).reason,
    ).toBe('lost');
  });

  it('reads 102 as a failed attempt even without a Delivery Scan before it, its cause from the words', () => {
    const event = last(['Pick up scan', ['Problem On Shipment scan', '102', 'Penerima menolak paket']]);
    expect([event.status, event.reason]).toEqual(['delivery_failed', 'consignee_refused']);
    expect(last(['Pick up scan', 'Delivery Scan', ['Problem On Shipment scan', '102']]).reason).toBe(
      'attempt_failed',
    );
  });

  it('reads operationType in any case and spacing (idexpress-tracking-1: "Delivery scan", -3: "pick up scan")', () => {
    expect(last(['pick up scan'])).toMatchObject({ status: 'picked_up', rawCode: 'Pick up scan' });
    expect(last(['Pick up scan', 'DELIVERY  SCAN']).status).toBe('out_for_delivery');
    expect(last(['Pick up scan', 'Delivery scan', ['problem on shipment scan', '102']]).status).toBe(
      'delivery_failed',
    );
  });

  it('takes the history newest first or oldest first, never re-sorting lines with wrong clocks', () => {
    const lines = (times: number[], types: string[]) =>
      trackingToEvents({
        basicInfo: { waybillNo: AWB },
        history: types.map((operationType, i) => ({
          waybillNo: AWB,
          operationType,
          operationTime: times[i],
        })),
      }).map((e) => e.rawCode);
    // Newest first, as in the recorded answer, with a line whose clock is a year behind.
    expect(
      lines(
        [T0 + 3000, T0 + 2000, T0 - 365 * 86_400_000, T0],
        ['POD scan', 'Delivery Scan', 'Sending scan', 'Pick up scan'],
      ),
    ).toEqual(['Pick up scan', 'Sending scan', 'Delivery Scan', 'POD scan']);
    expect(lines([T0, T0 + 1000], ['Pick up scan', 'Sending scan'])).toEqual([
      'Pick up scan',
      'Sending scan',
    ]);
    // A wrong clock at either end does not turn the journey: most lines step forward, in either listing.
    const journey = ['Pick up scan', 'Sending scan', 'Arrival scan', 'Delivery Scan', 'POD scan'];
    const yearBack = T0 - 365 * 86_400_000;
    expect(lines([T0, T0 + 1000, T0 + 2000, T0 + 3000, yearBack], journey)).toEqual(journey);
    expect(lines([T0 + 365 * 86_400_000, T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000], journey)).toEqual(
      journey,
    );
    expect(lines([yearBack, T0 + 3000, T0 + 2000, T0 + 1000, T0], [...journey].reverse())).toEqual(journey);
    // Three lines with one wrong clock tie; the journey's ends decide (a pickup first, a POD last).
    const three = ['Pick up scan', 'Sending scan', 'POD scan'];
    expect(lines([T0, T0 + 1000, yearBack], three)).toEqual(three);
    expect(lines([T0 + 1000, T0, T0 + 365 * 86_400_000], [...three].reverse())).toEqual(three);
  });

  it.each(PROBLEMS)('problemCode %s (%s) → %s, %s after a Delivery Scan', (code, text, reason, status) => {
    const history: IdExpressHistory[] = ['Pick up scan', 'Delivery Scan', 'Problem On Shipment scan'].map(
      (operationType, i) => ({
        waybillNo: AWB,
        operationType,
        operationTime: T0 + i * 60_000,
        currentBranch: 'BANDUNG',
        problemCode: i === 2 ? code : '',
        description: i === 2 ? `Problem on shipment due to ${text}` : '',
      }),
    );
    const event = trackingToEvents({ basicInfo: { waybillNo: AWB }, historys: history }).at(-1)!;
    expect([event.status, event.reason]).toEqual([status, reason]);
  });

  it('reads a history of one line sent as the line itself, under either spelling of the list', () => {
    const line: IdExpressHistory = {
      waybillNo: AWB,
      operationType: 'Pick up scan',
      operationTime: T0,
      currentBranch: 'BANDUNG',
    };
    for (const field of ['historys', 'history'] as const)
      expect(
        trackingToEvents({ basicInfo: { waybillNo: AWB }, [field]: line as never }).map((e) => e.status),
      ).toEqual(['picked_up']);
  });

  it('reads a recorded failed attempt (idexpress-tracking-1.json: problemCode 102, reason in the text)', () => {
    const event = last([
      'Pick up scan',
      'Delivery Scan',
      [
        'Problem On Shipment scan',
        '102',
        'The shipment has been marked as 【Pickup Failure】, the problem reason is 【Pelanggan tidak di tempat】, and the operator is 【MASKED】',
      ],
    ]);
    expect([event.status, event.reason]).toEqual(['delivery_failed', 'consignee_absent']);
  });

  it.each([
    ['Gagal kirim karena alamat tidak lengkap', 'address_problem'],
    ['Problem on shipment due to consignee refused, no money to pay COD', 'consignee_refused_no_money'],
    ['Penerima menolak, merasa tidak pesan', 'consignee_refused_did_not_order'],
    ['Consignee refused the parcel', 'consignee_refused'],
    ['Penerima tidak di rumah', 'consignee_absent'],
    ['Nomor telepon penerima tidak aktif', 'consignee_unreachable'],
  ])('classifies an uncoded problem text: %s → %s', (description, reason) => {
    const ctx = { pickedUp: true, deliveryScan: true, returnLeg: false };
    const e = lineToEvent(
      { awb: AWB, operationType: 'Problem On Shipment scan', at: new Date(T0), description },
      ctx,
    );
    expect([e.status, e.reason]).toEqual(['delivery_failed', reason]);
  });

  it('marks the return leg and keeps travelling scans on it as returning_to_sender', () => {
    const events = history([
      'Pick up scan',
      'Delivery Scan',
      ['Problem On Shipment scan', '04'],
      'Create Return Bill',
      'Sending scan',
      'Delivery Scan',
      'Return POD Scan',
    ]);
    expect(events.slice(3).map((e) => [e.status, e.isReturnLeg])).toEqual([
      ['returning_to_sender', true],
      ['returning_to_sender', true],
      ['returning_to_sender', true],
      ['returned', true],
    ]);
    expect(events[3].reason).toBe('rts_initiated');
  });

  it('says the COD was collected on a POD only when the parcel is COD', () => {
    expect(last(['Delivery Scan', 'POD scan'], 150_000).codCollected).toBe(true);
    expect(last(['Delivery Scan', 'POD Entry'], 0).codCollected).toBe(false);
    expect(last(['Delivery Scan', 'POD scan'], null).codCollected).toBeUndefined();
    expect(last(['Delivery Scan'], 150_000).codCollected).toBeUndefined();
    // A blank or unreadable amount says nothing (read as 0 it said the cash was not taken: no credit).
    for (const unreadable of [' ', 'n/a', ''])
      expect(last(['Delivery Scan', 'POD scan'], unreadable).codCollected).toBeUndefined();
    expect(last(['Delivery Scan', 'POD scan'], '150000').codCollected).toBe(true);
  });

  it('flags an unknown operationType and keeps it raw, with no status when its words say nothing', () => {
    const e = last(['Pick up scan', 'Weighing scan']);
    expect(e).toMatchObject({ status: null, rawCode: 'Weighing scan', isReturnLeg: false, unmapped: true });
    expect(last(['Pick up scan', 'Transit scan'])).toMatchObject({ status: 'in_transit', unmapped: true });
    expect(nestLogs.warnings('CourierStatus').map((w) => w.message)).toContainEqual({
      courier: 'idexpress',
      code: 'Weighing scan',
    });
    expect(e.occurredAt.getTime()).toBe(T0 + 60_000);
  });

  it('never throws on any operation type, and answers a known status or null', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (operationType, problemCode) => {
        const e = lineToEvent({ awb: AWB, operationType, at: new Date(T0), problemCode }, {});
        return e.status === null || (COURIER_STATUSES as readonly string[]).includes(e.status);
      }),
    );
  });
});

describe('ID Express signing', () => {
  it('signs md5hex(data + appId + secretKey), matching an independently computed vector', () => {
    // Computed with `printf '%s' … | md5sum`.
    const data = '{"senderCityId":12000123,"recipientDistrictId":11045678,"weight":1.2,"expressType":"00"}';
    expect(idexpressSign(data, '100001', 's3cr3t-Key')).toBe('ad8b94e978e392e099084e8c20954643');
    expect(signedForm('IDE000000000001,IDE000000000002', '100001', 's3cr3t-Key')).toEqual({
      appId: '100001',
      sign: '389f08346a3c42968e5d74264663c1a3',
      data: 'IDE000000000001,IDE000000000002',
    });
  });

  it('gives 32 lowercase hex characters that change with the data', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const sa = idexpressSign(a, '100001', 'k');
        return /^[0-9a-f]{32}$/.test(sa) && (a === b || sa !== idexpressSign(b, '100001', 'k'));
      }),
    );
  });
});

describe('ID Express webhook', () => {
  const token = 'shared-token-value';
  const adapter = new IdExpressAdapter(
    'ID Express',
    {
      IDEXPRESS_BASE_URL: 'http://127.0.0.1:9',
      IDEXPRESS_APP_ID: '100001',
      IDEXPRESS_SECRET_KEY: 'k',
      WEBHOOK_TOKEN: token,
    },
    [],
    6 * 3600,
    NO_LOCATIONS,
  );
  const now = new Date(T0);
  const item = (operationType: string, at = T0, extra: Record<string, unknown> = {}) => ({
    waybillNo: AWB,
    orderNo: 'KRM1',
    operationType,
    lastOperationTime: Math.floor(at / 1000),
    currentBranch: 'JAKARTA',
    problemCode: '',
    problemDescription: '',
    ...extra,
  });
  const push = (body: unknown, headers: Record<string, string> = { 'x-idexpress-token': token }) => ({
    headers,
    rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const why = (f: () => unknown) => {
    try {
      f();
      return 'accepted';
    } catch (e) {
      if (e instanceof CourierWebhookMalformedError)
        return `malformed: ${e.details[0].field} ${e.details[0].message}`;
      return e instanceof CourierWebhookRejectedError ? e.why : String(e);
    }
  };

  it('returns an event for every item, reading seconds and the context within the push', () => {
    const events = adapter.parseWebhook(
      push([item('Delivery Scan', T0 - 60_000), item('Problem On Shipment scan', T0, { problemCode: '05' })]),
      now,
    );
    expect(events.map((e) => [e.status, e.reason, e.occurredAt.getTime()])).toEqual([
      ['out_for_delivery', undefined, T0 - 60_000],
      ['delivery_failed', 'consignee_refused_no_money', T0],
    ]);
    expect(adapter.parseWebhook(push([item('POD scan', T0, { codAmount: '150000' })]), now)[0]).toMatchObject(
      { status: 'delivered', codCollected: true },
    );
  });

  it('reads the lines of a push newest first in the order they happened, answering them as pushed', () => {
    const read = (items: unknown[]) =>
      adapter.parseWebhook(push(items), now).map((e) => [e.rawCode, e.status, e.isReturnLeg]);
    // A return bill, then the return's POD at the shipper: listed newest first as the tracking answer is.
    expect(
      read([
        item('POD scan', T0),
        item('Confirm Return Bill', T0 - 3600_000),
        item('Create Return Bill', T0 - 7200_000),
      ]),
    ).toEqual([
      ['POD scan', 'returned', true],
      ['Confirm Return Bill', 'returning_to_sender', true],
      ['Create Return Bill', 'returning_to_sender', true],
    ]);
    // A problem after the Delivery Scan is a failed attempt, whichever comes first in the push.
    expect(read([item('Problem On Shipment scan', T0), item('Delivery Scan', T0 - 60_000)])).toEqual([
      ['Problem On Shipment scan', 'delivery_failed', false],
      ['Delivery Scan', 'out_for_delivery', false],
    ]);
  });

  it('rejects unsigned, forged, malformed and stale pushes', () => {
    const body = [item('Delivery Scan')];
    expect(why(() => adapter.parseWebhook(push(body, {}), now))).toBe('unsigned');
    expect(why(() => adapter.parseWebhook(push(body, { 'x-idexpress-token': `${token}x` }), now))).toBe(
      'forged',
    );
    expect(why(() => adapter.parseWebhook(push('[{"waybillNo":'), now))).toBe('malformed: body is not JSON');
    expect(why(() => adapter.parseWebhook(push([{ operationType: 'Delivery Scan' }]), now))).toBe(
      'malformed: [0].waybillNo is required, as text',
    );
    expect(why(() => adapter.parseWebhook(push([...body, { ...body[0], operationType: 7 }]), now))).toBe(
      'malformed: [1].operationType is required, as text',
    );
    expect(why(() => adapter.parseWebhook(push(body), new Date(T0 + 7 * 3600_000)))).toBe('stale');
  });
});
