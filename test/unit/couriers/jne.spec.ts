import fc from 'fast-check';
import type { CourierReason, CourierStatus, CreateOrderRequest, Place } from 'src/couriers/courier-adapter';
import { jneTrackResult } from 'src/couriers/adapters/jne/jne.decode';
import { CourierRejectedError } from 'src/couriers/courier.errors';
import { jneErrorOf } from 'src/couriers/adapters/jne/jne.client';
import {
  addressLines,
  chargeableKg,
  createBody,
  historyToEvent,
  JneAccount,
  JneContext,
  localPhone,
  locationOf,
  parseEtd,
  parseJneDate,
  reasonOf,
  refusalCause,
  splitAddress,
  trackingToEvents,
  webhookToEvents,
} from 'src/couriers/adapters/jne/jne.mapper';
import { verifyJneToken } from 'src/couriers/adapters/jne/jne.signing';
import { JNE_STATUS } from 'src/couriers/adapters/jne/jne.status-table';
import { nestLogs } from '../../support/nest-logs';
import { ROUTE_CODES } from '../../support/location-codes';

const AWB = '8800000000000042';
const at = (code: string, desc = `SOME TEXT [BANDUNG]`, ctx: JneContext = {}) =>
  historyToEvent(AWB, { code, desc, date: '05-03-2025 14:30' }, ctx);

const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(2, '0')}`);

/**
 * Every code of a real source (jne.md §4 and samples/jne-statuscodes-1.json) and what it means: a
 * status, and the reason its code names (failed attempts whose code names none read it from `desc`).
 */
const EXPECTED: [CourierStatus, CourierReason | undefined, string[]][] = [
  ['picked_up', undefined, ['PU0', 'PU1', 'RC1']],
  ['in_transit', undefined, ['OP1', 'OP2', 'OP3', 'TP1', 'TP4', 'TP5', 'IP1', 'IP2', 'BI1']],
  ['out_for_delivery', undefined, ['IP3', 'DB1']],
  ['delivered', undefined, [...range('D', 1, 12), 'CR3', 'DB2']],
  ['delivered', 'damaged', ['D24', 'D25']],
  ['delivery_failed', 'address_problem', ['U01', 'U03']],
  ['delivery_failed', 'consignee_unreachable', ['U02', 'U04']],
  ['delivery_failed', 'consignee_absent', ['U05', 'U07', 'U09', 'U22', 'U23']],
  ['delivery_failed', 'consignee_refused', ['U06', 'U24']],
  ['delivery_failed', 'consignee_refused_no_money', ['U08', 'U25']],
  ['delivery_failed', 'consignee_refused_did_not_order', ['U21']],
  ['delivery_failed', 'max_attempts', ['UB2']],
  [
    'delivery_failed',
    'attempt_failed',
    ['U10', 'NT', 'DP5', 'CR6', 'PS2', 'UB1', 'PS1', 'PS4', 'KRK', 'KRP', 'KRT', 'FOM'],
  ],
  ['exception', 'damaged', ['U11']],
  ['exception', 'misroute', ['U12', 'U13', 'OC']],
  ['exception', 'lost', ['U14', 'CR4']],
  ['exception', 'late_vs_sla', ['OS']],
  ['exception', 'held_at_hub', ['CR5', 'X1', 'X10']],
  ['returning_to_sender', 'rts_initiated', ['CR1', 'D15', 'D16']],
  ['returning_to_sender', undefined, ['CR7']],
  ['returned', undefined, range('R', 1, 13)],
  ['cancelled', undefined, ['CR2']],
];

describe('JNE status table', () => {
  it('lists exactly the codes of the real sources (none invented)', () => {
    expect(Object.keys(JNE_STATUS).sort()).toEqual(EXPECTED.flatMap(([, , codes]) => codes).sort());
    for (const invented of ['PR1', 'RT1', 'RT2', 'RT3', 'CX1', 'EX1', 'PF1'])
      expect(JNE_STATUS[invented]).toBeUndefined();
  });

  it.each(
    EXPECTED.flatMap(([status, reason, codes]) => codes.map((code) => [code, status, reason] as const)),
  )('%s → %s (%s)', (code, status, reason) => {
    const e = at(code);
    expect(e).toMatchObject({
      awb: AWB,
      status,
      rawCode: code,
      rawText: 'SOME TEXT [BANDUNG]',
      location: 'BANDUNG',
    });
    expect(e.reason).toBe(reason);
    expect(e.unmapped).toBeUndefined();
    expect(e.occurredAt.toISOString()).toBe('2025-03-05T07:30:00.000Z');
    expect(e.isReturnLeg).toBe(status === 'returning_to_sender' || status === 'returned');
    expect(e.codCollected).toBeUndefined();
  });

  it('flags an unknown code, counts it, and reads its words (none here: no status)', () => {
    const e = at('ZZ9', 'SOMETHING NEW [JAKARTA]');
    expect(e).toMatchObject({
      status: null,
      rawCode: 'ZZ9',
      rawText: 'SOMETHING NEW [JAKARTA]',
      isReturnLeg: false,
      unmapped: true,
    });
    expect(e.reason).toBeUndefined();
    expect(nestLogs.warnings('CourierStatus').map((w) => w.message)).toContainEqual({
      courier: 'jne',
      code: 'ZZ9',
    });
    expect(
      historyToEvent(AWB, { code: undefined as never, desc: undefined as never, date: 'garbage' }).status,
    ).toBeNull();
  });

  it('reads an unknown code by its family (jne.md §4), else by its words', () => {
    expect(at('U17')).toMatchObject({ status: 'delivery_failed', reason: 'attempt_failed', unmapped: true });
    expect(at('U31', 'UNDELIVERED [PENERIMA TIDAK DI TEMPAT] [BOGOR]')).toMatchObject({
      status: 'delivery_failed',
      reason: 'consignee_absent',
    });
    expect(at('R14')).toMatchObject({ status: 'returned', isReturnLeg: true, unmapped: true });
    expect(at('ZR9', 'SHIPMENT RETURN TO ORIGIN [BANDUNG]')).toMatchObject({
      status: 'returning_to_sender',
      isReturnLeg: true,
      unmapped: true,
    });
    expect(at('XY1', 'PAKET TELAH DITERIMA OLEH YANG BERSANGKUTAN')).toMatchObject({
      status: 'delivered',
      unmapped: true,
    });
    expect(at('XY2', 'DITERIMA DI GUDANG JAKARTA').status).toBe('in_transit');
  });

  it('reads a code written with spaces or in lower case as the code it is, not as an unknown one', () => {
    expect(at('D 01', 'DELIVERED TO [SITI | 06-03-2025 13:00 | JAKARTA PUSAT]')).toEqual(
      at('D01', 'DELIVERED TO [SITI | 06-03-2025 13:00 | JAKARTA PUSAT]'),
    );
    for (const [spelled, code] of [
      ['OP 1', 'OP1'],
      [' op1 ', 'OP1'],
      ['I P 3', 'IP3'],
      ['u 05', 'U05'],
      ['P U1', 'PU1'],
    ]) {
      const e = at(spelled, 'SOME TEXT [BANDUNG]');
      expect(e).toMatchObject({ rawCode: code, status: JNE_STATUS[code].status });
      expect(e.unmapped).toBeUndefined();
    }
    expect(nestLogs.warnings('CourierStatus')).toEqual([]);
    // The summary's POD code too: "D 09" is D09's delivery, not the D01 put in for an unreadable one.
    const events = trackingToEvents(AWB, {
      cnote: {
        cnote_no: AWB,
        pod_status: 'DELIVERED',
        pod_code: 'D 09',
        cnote_pod_date: '2025-03-06T13:00:00+07:00',
      },
      history: [{ date: '05-03-2025 09:00', desc: 'PICKED UP BY COURIER [BANDUNG]', code: 'PU 1' }],
    });
    expect(events.map((e) => [e.rawCode, e.status, e.unmapped])).toEqual([
      ['PU1', 'picked_up', undefined],
      ['D09', 'delivered', undefined],
    ]);
  });

  it('reads a line without a code by its words, without flagging it', () => {
    const e = at('', 'PICKUP FAILED [BANDUNG]');
    expect(e).toMatchObject({ status: 'exception', reason: 'pickup_failed', rawCode: '' });
    expect(e.unmapped).toBeUndefined();
  });

  it('never reports COD cash: JNE tracking has no COD field', () => {
    const delivered = at('D01', 'DELIVERED TO [BUDI | 05-03-2025 14:30 | JAKARTA PUSAT]');
    expect(delivered).toMatchObject({ status: 'delivered', location: 'JAKARTA PUSAT' });
    expect(delivered.codCollected).toBeUndefined();
  });

  it('a shipper’s cancel voids the order before pickup and sends the parcel back after it', () => {
    expect(at('CR2', 'CANCEL BY SHIPPER')).toMatchObject({ status: 'cancelled', isReturnLeg: false });
    const events = trackingToEvents(AWB, {
      cnote: { cnote_no: AWB },
      history: [
        { date: '05-03-2025 09:00', desc: 'PICKED UP BY COURIER [BANDUNG]', code: 'PU1' },
        { date: '05-03-2025 12:00', desc: 'CANCEL BY SHIPPER [BANDUNG]', code: 'CR2' },
      ],
    });
    expect(events[1]).toMatchObject({
      status: 'returning_to_sender',
      reason: 'rts_initiated',
      isReturnLeg: true,
    });
  });

  it('reads a history of one scan sent as the scan itself, not as a list (as PHP serializes one)', () => {
    const result = jneTrackResult(AWB, {
      ok: true,
      body: {
        cnote: { cnote_no: AWB },
        history: { date: '05-03-2025 09:00', desc: 'PICKED UP BY COURIER [BANDUNG]', code: 'PU1' } as never,
      },
    });
    expect(result).toEqual({
      awb: AWB,
      found: true,
      events: [expect.objectContaining({ status: 'picked_up', rawCode: 'PU1' })],
    });
  });

  it('reads movement scans after a return starts as the way back, and a POD there as the return', () => {
    const events = trackingToEvents(AWB, {
      cnote: { cnote_no: AWB },
      history: [
        { date: '05-03-2025 09:00', desc: 'PICKED UP BY COURIER [BANDUNG]', code: 'PU1' },
        { date: '06-03-2025 10:00', desc: 'UNDELIVERED [PENERIMA MENOLAK] [JAKARTA]', code: 'U06' },
        { date: '07-03-2025 10:00', desc: 'SHIPMENT RETURN [JAKARTA]', code: 'CR1' },
        { date: '08-03-2025 10:00', desc: 'SHIPMENT FORWARDED TO ORIGIN [JAKARTA]', code: 'OP3' },
        {
          date: '09-03-2025 10:00',
          desc: 'RETURN DELIVERED TO [SHIPPER | 09-03-2025 10:00 | BANDUNG]',
          code: 'R01',
        },
      ],
    });
    expect(events.map((e) => [e.status, e.isReturnLeg])).toEqual([
      ['picked_up', false],
      ['delivery_failed', false],
      ['returning_to_sender', true],
      ['returning_to_sender', true],
      ['returned', true],
    ]);
  });
});

describe('JNE failure reasons from desc', () => {
  it.each<[string, CourierReason]>([
    ['UNDELIVERED [ALAMAT TIDAK LENGKAP] [JAKARTA PUSAT]', 'address_problem'],
    ['UNDELIVERED [PENERIMA MENOLAK, TIDAK ADA UANG] [JAKARTA PUSAT]', 'consignee_refused_no_money'],
    ['UNDELIVERED [TIDAK ADA DANA] [JAKARTA PUSAT]', 'consignee_refused_no_money'],
    ['UNDELIVERED [PENERIMA MENOLAK, TIDAK PESAN] [JAKARTA PUSAT]', 'consignee_refused_did_not_order'],
    ['UNDELIVERED [PENERIMA MENOLAK] [JAKARTA PUSAT]', 'consignee_refused'],
    ['UNDELIVERED [RUMAH KOSONG / TIDAK ADA ORANG] [JAKARTA PUSAT]', 'consignee_absent'],
    ['UNDELIVERED [PENERIMA TIDAK DAPAT DIHUBUNGI] [JAKARTA PUSAT]', 'consignee_unreachable'],
    ['undelivered [salah kirim / misroute] [jakarta pusat]', 'misroute'],
  ])('%s → %s on a code that names no cause', (desc, reason) => {
    expect(reasonOf(desc)).toBe(reason);
    for (const code of ['DP5', 'UB1', 'KRK'])
      expect(historyToEvent(AWB, { code, desc, date: '05-03-2025 14:30' })).toMatchObject({
        status: 'delivery_failed',
        reason,
      });
  });

  it('keeps the cause a code names, and reads reasons only on failed attempts', () => {
    expect(at('U08', 'UNDELIVERED [ALAMAT TIDAK LENGKAP]').reason).toBe('consignee_refused_no_money');
    expect(at('DP5', 'DELIVERY PROBLEM [JAKARTA]').reason).toBe('attempt_failed');
    expect(at('IP3', 'WITH DELIVERY COURIER, ALAMAT DIKONFIRMASI [JAKARTA]').reason).toBeUndefined();
    expect(at('CR1', 'SHIPMENT RETURN [JAKARTA]').reason).toBe('rts_initiated');
  });
});

describe('JNE dates and places', () => {
  it.each([
    ['05-03-2025 14:30', '2025-03-05T07:30:00.000Z'],
    // A push's seconds are dropped: the tracking history, which the same scan appears in, has none.
    ['2025-03-05 14:30:15', '2025-03-05T07:30:00.000Z'],
    ['2025-03-05T14:30:00+07:00', '2025-03-05T07:30:00.000Z'],
    ['04 SEP 2019  13:46', '2019-09-04T06:46:00.000Z'],
    ['14-MAR-2015 03:24', '2015-03-13T20:24:00.000Z'],
    ['18-mar-2015 09:55', '2015-03-18T02:55:00.000Z'],
  ])('%s', (text, iso) => {
    expect(parseJneDate(text)?.toISOString()).toBe(iso);
  });

  it('rejects what is not a date', () => {
    expect(parseJneDate('')).toBeNull();
    expect(parseJneDate('04 XYZ 2019 13:46')).toBeNull();
  });

  it('refuses a summary time the calendar does not have, rather than rolling it into the next month', () => {
    for (const text of ['2026-02-30T10:00:00+07:00', '2026-04-31T00:00:00Z', '2026-01-01T24:00:00+07:00'])
      expect({ text, at: parseJneDate(text) }).toEqual({ text, at: null });
  });

  it('takes the place from the last bracket', () => {
    expect(locationOf('UNDELIVERED [ALAMAT TIDAK LENGKAP] [SURABAYA]')).toBe('SURABAYA');
    expect(locationOf('DELIVERED TO [BUDI | 05-03-2025 14:30 | CITY ]')).toBe('CITY');
    expect(locationOf('NO PLACE')).toBeUndefined();
  });
});

describe('JNE tracking and push', () => {
  const history = [
    { date: '05-03-2025 09:00', desc: 'PICKED UP BY COURIER [BANDUNG]', code: 'PU1' },
    { date: '06-03-2025 10:00', desc: 'WITH DELIVERY COURIER [JAKARTA PUSAT]', code: 'IP3' },
  ];

  it('trusts pod_status DELIVERED when no history entry says so', () => {
    const events = trackingToEvents(AWB, {
      cnote: {
        cnote_no: AWB,
        pod_status: 'DELIVERED',
        pod_code: 'D09',
        cnote_pod_date: '2025-03-06T13:00:00+07:00',
        last_status: 'DELIVERED TO [SITI | 06-03-2025 13:00 | JAKARTA PUSAT ]',
      },
      history,
    });
    expect(events.map((e) => e.status)).toEqual(['picked_up', 'out_for_delivery', 'delivered']);
    expect(events[2]).toMatchObject({ rawCode: 'D09', location: 'JAKARTA PUSAT' });
    expect(events[2].codCollected).toBeUndefined();
    expect(events[2].occurredAt.toISOString()).toBe('2025-03-06T06:00:00.000Z');
  });

  it('makes no delivery of a DELIVERED summary whose POD code JNE’s table reads otherwise (a PopBox, back at origin)', () => {
    const popBox = { date: '06-03-2025 12:00', desc: 'PAKET SUDAH DI POP BOX', code: 'DB1' };
    // [POD code, its last status, history lines after the usual ones, delivered made of the summary]
    for (const [code, desc, lines, delivered] of [
      ['DB1', 'PAKET SUDAH DI POP BOX', [popBox], false],
      ['D15', 'CCC ORIGIN', [], false],
      ['D16', 'UNDEL ORIGIN', [], false],
      // An empty or unknown POD code is still the delivery the summary says (jne.md §4).
      ['', '', [], true],
      ['ZZ9', '', [], true],
    ] as const) {
      const events = trackingToEvents(AWB, {
        cnote: {
          cnote_no: AWB,
          pod_status: 'DELIVERED',
          pod_code: code,
          cnote_pod_date: '2025-03-06T13:00:00+07:00',
          last_status: desc,
        },
        history: [...history, ...lines],
      });
      expect({ code, delivered: events.some((e) => e.status === 'delivered') }).toEqual({ code, delivered });
    }
  });

  it('adds nothing when the history already has the delivery', () => {
    const delivered = {
      date: '06-03-2025 13:00',
      desc: 'DELIVERED TO [SITI | 06-03-2025 13:00 | JAKARTA PUSAT]',
      code: 'D01',
    };
    const events = trackingToEvents(AWB, {
      cnote: { cnote_no: AWB, pod_status: 'DELIVERED' },
      history: [...history, delivered],
    });
    expect(events.map((e) => e.status)).toEqual(['picked_up', 'out_for_delivery', 'delivered']);
  });

  it('maps a push history, with either spelling of its fields', () => {
    const events = webhookToEvents({
      awb: AWB,
      history: [
        { date: '2025-03-06 10:00:05', status_code: 'IP3', status_desc: 'WITH DELIVERY COURIER [JAKARTA]' },
        {
          date: '2025-03-06 13:00:00',
          code: 'D01',
          desc: 'DELIVERED TO [SITI | 06-03-2025 13:00 | JAKARTA]',
        },
      ],
    });
    expect(events).toEqual([
      expect.objectContaining({
        awb: AWB,
        status: 'out_for_delivery',
        rawCode: 'IP3',
        occurredAt: new Date('2025-03-06T03:00:00.000Z'),
      }),
      expect.objectContaining({ status: 'delivered', rawCode: 'D01' }),
    ]);
  });
});

describe('JNE request formatting', () => {
  const place: Place = {
    name: 'Toko Batik Sekar',
    phone: '+6281234567890',
    address: 'Jl. Braga No. 12',
    district: 'Sumur Bandung',
    city: 'Bandung',
    province: 'Jawa Barat',
    postalCode: '40111',
  };
  const account: JneAccount = {
    JNE_BASE_URL: 'http://jne.test',
    JNE_USERNAME: 'U',
    JNE_API_KEY: 'K',
    JNE_CUSTOMER_NO: '80000100',
    JNE_COD_CUSTOMER_NO: '80000101',
    JNE_BRANCH: 'CGK000',
  };

  it('wraps addresses into 30-character lines, or says it cannot', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z0-9.,]{1,40}$/), { minLength: 1, maxLength: 12 }),
        (words) => {
          const text = words.join(' ');
          const lines = splitAddress(text);
          if (lines === null) return text.length > 30;
          return (
            lines.length <= 3 &&
            lines.every((l) => l.length > 0 && l.length <= 30) &&
            lines.join('').replace(/ /g, '') === text.replace(/ /g, '')
          );
        },
      ),
    );
  });

  it('fills ADDR1–3 with ADDR2 never empty, and refuses an address too long for them', () => {
    expect(addressLines(place)).toEqual(['Jl. Braga No. 12', 'Sumur Bandung', '']);
    expect(addressLines({ ...place, district: '' })).toEqual(['Jl. Braga No. 12', 'Bandung', '']);
    const wrapped = addressLines({
      ...place,
      address: 'Jalan Kebon Sirih Raya Nomor 125 Blok C RT 01 RW 02',
    });
    expect(wrapped).toEqual(['Jalan Kebon Sirih Raya Nomor', '125 Blok C RT 01 RW 02', 'Sumur Bandung']);
    const long = {
      ...place,
      address:
        'Jalan Panjang Sekali Nomor Seratus Dua Puluh Tiga RT 001 RW 002 Kelurahan Yang Namanya Juga Panjang',
    };
    expect(() => addressLines(long)).toThrow(CourierRejectedError);
    try {
      addressLines(long);
    } catch (e) {
      expect((e as CourierRejectedError).reason).toBe('bad_address');
    }
  });

  it('writes a generatecnote body within JNE’s limits, with the COD customer for COD', () => {
    const order: CreateOrderRequest = {
      reference: 'KRM123',
      service: 'REG',
      sender: place,
      recipient: {
        ...place,
        name: 'A Recipient Name Much Longer Than Thirty Characters',
        province: 'Kepulauan Bangka Belitung',
      },
      parcel: { weightGrams: 1200 },
      codAmount: 150_000,
      pickup: true,
    };
    const body = createBody(order, account, ROUTE_CODES.jne);
    expect(body).toMatchObject({
      OLSHOP_CUST: '80000101',
      OLSHOP_COD_FLAG: 'YES',
      OLSHOP_COD_AMOUNT: 150_000,
      OLSHOP_WEIGHT: 1,
      OLSHOP_SERVICE: 'REG',
      OLSHOP_SHIPPER_PHONE: '081234567890',
    });
    expect(String(body.OLSHOP_RECEIVER_NAME).length).toBe(30);
    expect(String(body.OLSHOP_RECEIVER_REGION).length).toBeLessThanOrEqual(20);
    expect(body).toMatchObject({ OLSHOP_ORIG: 'BDO10000', OLSHOP_DEST: 'CGK10000' });
    const plain = createBody({ ...order, codAmount: 0 }, account, ROUTE_CODES.jne);
    expect(plain).toMatchObject({ OLSHOP_CUST: '80000100', OLSHOP_COD_FLAG: 'N', OLSHOP_COD_AMOUNT: 0 });
  });

  it.each([
    [1000, undefined, 1],
    [1300, undefined, 1],
    [1310, undefined, 2],
    [200, undefined, 1],
    [1000, [40, 30, 20], 4],
  ] as const)('%i g (dims %j) weighs %i kg', (grams, dims, kg) => {
    expect(
      chargeableKg({
        weightGrams: grams,
        ...(dims ? { lengthCm: dims[0], widthCm: dims[1], heightCm: dims[2] } : {}),
      }),
    ).toBe(kg);
  });

  it('writes local phone numbers', () => {
    expect(localPhone('+6281298765432')).toBe('081298765432');
    expect(localPhone('+62 812-9876-5432')).toBe('081298765432');
  });

  it('reads etd, falling back to the catalogue SLA', () => {
    expect(parseEtd('2', '3', { min: 1, max: 1 })).toEqual({ min: 2, max: 3 });
    expect(parseEtd('2', '', { min: 1, max: 1 })).toEqual({ min: 2, max: 2 });
    expect(parseEtd('', '', { min: 1, max: 2 })).toEqual({ min: 1, max: 2 });
  });
});

describe('JNE answers', () => {
  it('recognises the error body with a boolean or string false', () => {
    expect(jneErrorOf({ error: 'Price Not Found.', status: false })).toBe('Price Not Found.');
    expect(jneErrorOf({ error: 'Username Or API KEY Not Found.', status: 'false' })).toBe(
      'Username Or API KEY Not Found.',
    );
    expect(jneErrorOf({ price: [] })).toBeNull();
    expect(jneErrorOf({ status: true, reason: 'ok' })).toBeNull();
  });

  it.each([
    ['Route Not Available For Service YES.', 'unserviceable_route'],
    ['COD Not Available For Service YES To This Destination.', 'cod_not_allowed'],
    ['COD Amount Exceeds Limit.', 'cod_not_allowed'],
    ['Weight Exceeds Limit Of Service REG.', 'too_heavy'],
    ['OLSHOP_RECEIVER_ADDR1 Max 30 Characters.', 'bad_address'],
    ['OLSHOP_RECEIVER_ZIP Must Be Digits.', 'bad_address'],
    ['Destination Code Not Found.', 'bad_address'],
    ['OLSHOP_ORDERID Max 20 Characters.', 'invalid_request'],
    ['OLSHOP_CUST Is Not A COD Customer No.', 'invalid_request'],
    ['Service Code XYZ Not Found.', 'invalid_request'],
  ])('refusal “%s” → %s', (msg, cause) => {
    expect(refusalCause(msg)).toBe(cause);
  });

  it('checks the push token in constant time, refusing anything but the exact token', () => {
    expect(verifyJneToken('secret-token', 'secret-token')).toBe(true);
    expect(verifyJneToken('secret-tokeN', 'secret-token')).toBe(false);
    expect(verifyJneToken('secret', 'secret-token')).toBe(false);
    expect(verifyJneToken(['secret-token'], 'secret-token')).toBe(false);
    expect(verifyJneToken(undefined, 'secret-token')).toBe(false);
    expect(verifyJneToken('', '')).toBe(false);
  });
});
