import fc from 'fast-check';
import { createHash } from 'node:crypto';
import {
  historyToEvent,
  JntHistory,
  JntTracking,
  meaningOf,
  orderItem,
  plainText,
  tariffContent,
  trackingToEvents,
  weightKg,
} from 'src/couriers/adapters/jnt/jnt.mapper';
import { jntBasicAuth, jntDataSign, verifyJntSign } from 'src/couriers/adapters/jnt/jnt.signing';
import { JNT_MOVEMENT_RULES, JNT_STATUS } from 'src/couriers/adapters/jnt/jnt.status-table';
import { COURIER_STATUSES, CreateOrderRequest } from 'src/couriers/courier-adapter';
import { nestLogs } from '../../support/nest-logs';
import { ROUTE_CODES } from '../../support/location-codes';

const AWB = 'JO0000000042';
const at = '2025-03-04 10:15:00';
const entry = (status_code: number | string, status = '', note = ''): JntHistory => ({
  date_time: at,
  city_name: 'BANDUNG',
  status,
  status_code,
  note,
});
const event = (code: number | string, status = '', note = '', ctx = {}) =>
  historyToEvent(AWB, entry(code, status, note), ctx);

describe('J&T status table', () => {
  it.each([
    [101, 'created'],
    [150, 'exception'],
    [151, 'exception'],
    [152, 'delivery_failed'],
    [200, 'delivered'],
    [401, 'returning_to_sender'],
    [402, 'returned'],
    [162, 'cancelled'],
    [163, 'cancelled'],
  ])('code %s → %s', (code, status) => {
    expect(event(code, 'any').status).toBe(status);
  });

  it('reads 101 as a pickup request when the order was booked with servicetype 1', () => {
    expect(event(101, 'Manifes', '', { pickup: true }).status).toBe('pickup_requested');
    expect(event(101, 'Manifes', '', { pickup: false }).status).toBe('created');
    const [manifest] = trackingToEvents({
      awb: AWB,
      detail: { services_type: '1' },
      history: [entry(101, 'Manifes')],
    });
    expect(manifest.status).toBe('pickup_requested');
    const [dropOff] = trackingToEvents({
      awb: AWB,
      detail: { services_type: '6' },
      history: [entry(101, 'Manifes')],
    });
    expect(dropOff.status).toBe('created');
  });

  it('gives the held and pickup-failed exceptions their reasons', () => {
    expect(event(150, 'Paket bermasalah')).toMatchObject({ status: 'exception', reason: 'held_at_hub' });
    expect(event(151, 'Pickup gagal')).toMatchObject({ status: 'exception', reason: 'pickup_failed' });
  });

  it('covers every code of the table with a test above', () => {
    expect(Object.keys(JNT_STATUS).sort()).toEqual([
      '100',
      '101',
      '150',
      '151',
      '152',
      '162',
      '163',
      '200',
      '401',
      '402',
    ]);
  });

  it('marks the return leg on 401 and 402, and on 100 movements after a 401', () => {
    expect(event(401).isReturnLeg).toBe(true);
    expect(event(402).isReturnLeg).toBe(true);
    expect(event(200).isReturnLeg).toBe(false);
    const events = trackingToEvents({
      awb: AWB,
      history: [
        entry(100, 'Paket telah sampai di [JAKARTA]'),
        entry(401, 'Paket akan dikembalikan'),
        entry(100, 'Paket telah sampai di [BANDUNG]'),
        entry(402, 'Paket telah dikembalikan'),
      ],
    });
    expect(events.map((e) => [e.status, e.isReturnLeg])).toEqual([
      ['in_transit', false],
      ['returning_to_sender', true],
      ['returning_to_sender', true],
      ['returned', true],
    ]);
  });

  it('reads a 200 on the way back, or saying the sender took it, as the parcel returned (no COD taken)', () => {
    const back = trackingToEvents({
      awb: AWB,
      detail: { detail_cost: { cod: 4_500 } },
      history: [
        entry(401, 'Paket akan dikembalikan'),
        entry(100, 'Paket telah sampai di [BANDUNG]'),
        entry(200, 'Paket telah diterima'),
      ],
    });
    expect(back.at(-1)).toMatchObject({ status: 'returned', isReturnLeg: true });
    expect(back.at(-1)!.codCollected).toBeUndefined();
    expect(event(200, 'Paket telah diterima oleh pengirim')).toMatchObject({
      status: 'returned',
      isReturnLeg: true,
    });
    expect(event(200, 'Paket telah diterima')).toMatchObject({ status: 'delivered', isReturnLeg: false });
    // A return told only by a 100's words ("diretur"), with no 401: the lines after it are the way back too.
    const told = trackingToEvents({
      awb: AWB,
      detail: { detail_cost: { cod: 4_500 } },
      history: [
        entry(100, 'Paket diretur ke pengirim'),
        entry(100, 'Paket telah sampai di [BANDUNG]'),
        entry(200, 'Paket telah diterima'),
      ],
    });
    expect(told.map((e) => [e.status, e.isReturnLeg])).toEqual([
      ['returning_to_sender', true],
      ['returning_to_sender', true],
      ['returned', true],
    ]);
    expect(told.at(-1)!.codCollected).toBeUndefined();
  });

  it('flags an unknown code and keeps it raw, with no status when its words say nothing', () => {
    const e = event(999, 'Sesuatu yang baru', 'catatan');
    expect(e).toMatchObject({ awb: AWB, status: null, rawCode: '999', isReturnLeg: false, unmapped: true });
    expect(event(203, 'Paket telah diterima oleh yang bersangkutan')).toMatchObject({
      status: 'delivered',
      unmapped: true,
    });
    expect(e.rawText).toContain('Sesuatu yang baru');
    expect(e.reason).toBeUndefined();
    expect(nestLogs.warnings('CourierStatus').map((w) => w.message)).toContainEqual({
      courier: 'jnt',
      code: '999',
    });
    expect(meaningOf('', '')).toBeNull();
  });

  it('reads the time as WIB and keeps the city', () => {
    const e = event(100, 'Paket telah sampai di [BANDUNG]');
    expect(e.occurredAt.toISOString()).toBe('2025-03-04T03:15:00.000Z');
    expect(e.location).toBe('BANDUNG');
    expect(e.rawCode).toBe('100');
  });

  it('accepts status_code as a string', () => {
    expect(event('200', 'Paket telah diterima').status).toBe('delivered');
  });
});

describe('J&T code 100 text rules', () => {
  it.each([
    ['received or picked up', 'Paket telah diterima oleh [Drop Point BANDUNG]', 'picked_up'],
    ['received or picked up', 'Paket telah di pickup oleh kurir', 'picked_up'],
    ['received or picked up', 'Paket telah dijemput oleh kurir [BANDUNG]', 'picked_up'],
    ['sent toward a hub', 'Paket akan dikirimkan ke [Gateway JAKARTA]', 'in_transit'],
    ['arrived at a hub', 'Paket telah sampai di [JAKARTA]', 'in_transit'],
    ['transit', 'Paket di gudang transit [SEMARANG]', 'in_transit'],
    ['out for delivery', 'Paket akan dikirim ke alamat penerima [JAKARTA]', 'out_for_delivery'],
    ['with a delivery courier', 'Paket dibawa kurir untuk diantar', 'out_for_delivery'],
    // README §3.2 names J&T's English wording of the last mile too: it was read as a hub movement.
    ['with a delivery courier', 'With delivery courier [JAKARTA]', 'out_for_delivery'],
    ['with a delivery courier', 'Parcel is with the delivery courier', 'out_for_delivery'],
    ['return leg', 'Paket retur telah sampai di [BANDUNG]', 'returning_to_sender'],
    // Was a hub movement: the return rule looked for "retur" only at the start of a word.
    ['return leg', 'Paket diretur ke pengirim [BANDUNG]', 'returning_to_sender'],
    ['return leg', 'Paket dalam proses pengembalian [BANDUNG]', 'returning_to_sender'],
    ['no rule', 'Paket sedang diproses', 'in_transit'],
  ])('%s: %j → %s', (_rule, text, status) => {
    expect(event(100, text).status).toBe(status);
  });

  it('has a case above for every rule', () => {
    expect(JNT_MOVEMENT_RULES.map((r) => r.name)).toEqual([
      'return leg',
      'out for delivery',
      'with a delivery courier',
      'sent toward a hub',
      'arrived at a hub',
      'received or picked up',
      'transit',
    ]);
  });

  it('reads the text in the note as well as in the status', () => {
    expect(event(100, 'Update', 'Paket akan dikirim ke alamat penerima').status).toBe('out_for_delivery');
  });

  it('always gives a movement status for any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const status = event(100, text).status;
        return (
          status !== null &&
          ['picked_up', 'in_transit', 'out_for_delivery', 'returning_to_sender'].includes(status)
        );
      }),
    );
  });
});

describe('J&T failed delivery notes (152)', () => {
  it.each([
    ['ALAMAT TIDAK LENGKAP', 'address_problem'],
    ['ALAMAT TIDAK DITEMUKAN', 'address_problem'],
    ['PENERIMA MENOLAK, TIDAK ADA UANG', 'consignee_refused_no_money'],
    ['TIDAK ADA UANG', 'consignee_refused_no_money'],
    ['PENERIMA MENOLAK PAKET', 'consignee_refused'],
    ['PENERIMA TIDAK MERASA PESAN', 'consignee_refused_did_not_order'],
    ['RUMAH KOSONG', 'consignee_absent'],
    ['PENERIMA TIDAK DI TEMPAT', 'consignee_absent'],
    ['PENERIMA TIDAK DAPAT DIHUBUNGI', 'consignee_unreachable'],
    ['CUACA BURUK', 'attempt_failed'],
  ])('%j → %s', (note, reason) => {
    expect(event(152, 'Paket gagal dikirim', note)).toMatchObject({ status: 'delivery_failed', reason });
  });

  it('reads the cause with the shared words classifier, whatever the case', () => {
    expect(event(152, 'Paket gagal dikirim', 'penerima menolak, tidak ada uang').reason).toBe(
      'consignee_refused_no_money',
    );
  });
});

describe('J&T delivered COD', () => {
  it('says COD was collected when detail_cost.cod is above zero', () => {
    const delivered = (cod: number | string | undefined) =>
      trackingToEvents({
        awb: AWB,
        detail: { detail_cost: { cod } },
        history: [entry(200, 'Paket telah diterima')],
      })[0];
    expect(delivered(150000).codCollected).toBe(true);
    expect(delivered('150000').codCollected).toBe(true);
    expect(delivered(0).codCollected).toBe(false);
    expect(delivered('0').codCollected).toBe(false);
  });

  it('says nothing about COD on other events, or when the answer does not give the amount', () => {
    expect(
      trackingToEvents({ awb: AWB, detail: { detail_cost: { cod: 1000 } }, history: [entry(100, 'x')] })[0]
        .codCollected,
    ).toBeUndefined();
    expect(event(200).codCollected).toBeUndefined();
    // Real answers come without `detail` (jnt-tracking-3.json): a delivery there is no word against the cash.
    const delivered = (t: Partial<JntTracking>) =>
      trackingToEvents({ awb: AWB, history: [entry(200, 'Paket telah diterima')], ...t })[0];
    expect(delivered({}).codCollected).toBeUndefined();
    expect(delivered({ detail: {} }).codCollected).toBeUndefined();
    expect(delivered({ detail: { detail_cost: {} } }).codCollected).toBeUndefined();
    for (const cod of [undefined, '', ' ', 'n/a'])
      expect(delivered({ detail: { detail_cost: { cod } } }).codCollected).toBeUndefined();
  });
});

describe('J&T signing', () => {
  const independent = (json: string, key: string) =>
    Buffer.from(
      createHash('md5')
        .update(json + key)
        .digest('hex'),
    ).toString('base64');

  it('matches a fixed vector: base64 of the md5 hex string', () => {
    const json = '{"detail":[{"orderid":"KRM1","cod":150000}]}';
    // md5hex = 412be9e5fa91e10ab8abe81d10b8b143, then base64 of those 32 ASCII characters.
    expect(jntDataSign(json, 's3cret')).toBe('NDEyYmU5ZTVmYTkxZTEwYWI4YWJlODFkMTBiOGIxNDM=');
    expect(Buffer.from(jntDataSign(json, 's3cret'), 'base64').toString('ascii')).toBe(
      createHash('md5').update(`${json}s3cret`).digest('hex'),
    );
  });

  it('equals an independently computed signature for any JSON and key', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, key) => {
        const json = JSON.stringify(value) ?? 'null';
        return (
          jntDataSign(json, key) === independent(json, key) &&
          verifyJntSign(json, key, independent(json, key))
        );
      }),
    );
  });

  it('rejects a missing or wrong signature', () => {
    expect(verifyJntSign('{}', 'k', undefined)).toBe(false);
    expect(verifyJntSign('{}', 'k', '')).toBe(false);
    expect(verifyJntSign('{}', 'k', independent('{}', 'other'))).toBe(false);
    expect(verifyJntSign('{ }', 'k', independent('{}', 'k'))).toBe(false);
  });

  it('builds Basic auth from eccompanyid and password', () => {
    expect(jntBasicAuth('KIRIM', 'pw')).toBe(`Basic ${Buffer.from('KIRIM:pw').toString('base64')}`);
  });
});

describe('J&T requests and units', () => {
  const account = {
    JNT_BASE_URL: 'http://127.0.0.1',
    JNT_USERNAME: 'u',
    JNT_API_KEY: 'a',
    JNT_ORDER_KEY: 'o',
    JNT_TARIFF_KEY: 't',
    JNT_CUSTOMER_NAME: 'c',
    JNT_ECCOMPANY_ID: 'e',
    JNT_TRACKING_PASSWORD: 'p',
  };
  const place = {
    name: 'Toko Batik Sekar Jaya Abadi Sentosa Makmur',
    phone: '+6281234567890',
    address: 'Jl. Braga No. 12',
    district: 'Sumur Bandung',
    city: 'Bandung',
    province: 'Jawa Barat',
    postalCode: '40111',
  };
  const request: CreateOrderRequest = {
    reference: 'KRM123',
    service: 'EZ',
    sender: place,
    recipient: {
      ...place,
      province: 'DKI Jakarta',
      city: 'Jakarta Pusat',
      district: 'Menteng',
      postalCode: '10340',
    },
    parcel: {
      weightGrams: 1200,
      itemValue: 150_000,
      description: 'Kain batik (2 pcs) & selendang, 100% sutra!',
    },
    codAmount: 150_000,
    pickup: true,
  };

  it('sends kilograms, the larger of actual and volumetric weight', () => {
    expect(weightKg({ weightGrams: 1200 })).toBe(1.2);
    expect(weightKg({ weightGrams: 500, lengthCm: 30, widthCm: 30, heightCm: 20 })).toBe(3);
    expect(weightKg({ weightGrams: 1 })).toBe(0.01);
  });

  it('builds an order item within J&T’s strict limits', () => {
    const o = orderItem(request, account, new Date('2025-03-04T03:15:00Z'), ROUTE_CODES.jnt);
    expect(o.shipper_name.length).toBeLessThanOrEqual(30);
    expect(o.goodsdesc).toMatch(/^[A-Za-z0-9 ]{1,40}$/);
    expect(o.item_name).toMatch(/^[A-Za-z0-9 ]{1,50}$/);
    // The codes J&T gave at onboarding, as they are: city of each end, the destination's area.
    expect(o).toMatchObject({ origin_code: 'BDO', destination_code: 'JKT', receiver_area: 'JKT001' });
    expect(o).toMatchObject({
      orderid: 'KRM123',
      servicetype: 1,
      expresstype: '1',
      cod: 150000,
      goodsvalue: 150000,
      weight: 1.2,
      orderdate: '2025-03-04 10:15:00',
    });
    expect(
      orderItem({ ...request, codAmount: 0, pickup: false }, account, new Date(), ROUTE_CODES.jnt),
    ).not.toHaveProperty('cod');
    expect(orderItem({ ...request, pickup: false }, account, new Date(), ROUTE_CODES.jnt).servicetype).toBe(
      6,
    );
  });

  it('keeps only letters, digits and spaces in goods text', () => {
    expect(plainText('Kain batik (2 pcs) & selendang!', 40)).toBe('Kain batik 2 pcs selendang');
    expect(plainText('***', 40)).toBe('Paket');
    expect(plainText(undefined, 40)).toBe('Paket');
  });

  it('parses the tariff content as a list or as a JSON string of one', () => {
    const list = [{ name: 'EZ', cost: '10000', productType: 'EZ' }];
    expect(tariffContent(list)).toEqual(list);
    expect(tariffContent(JSON.stringify(list))).toEqual(list);
    expect(tariffContent('')).toEqual([]);
    expect(tariffContent(null)).toEqual([]);
    expect(tariffContent('not json')).toEqual([]);
  });

  it('maps into the normalized status set only', () => {
    for (const code of Object.keys(JNT_STATUS)) {
      const status = event(code, 'Paket').status;
      expect(COURIER_STATUSES).toContain(status);
    }
  });
});
