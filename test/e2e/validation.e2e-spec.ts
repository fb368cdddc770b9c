import supertest from 'supertest';
import {
  createAddress,
  createShipment,
  signupSeller,
  TestSeller,
  validAddress,
  validBankAccount,
  validShipment,
} from '../support/factories/sellers';
import { createOperator } from '../support/factories/operators';
import { snapshotTables } from '../support/db-snapshot';
import { startTestApp, TestApp } from '../support/test-app';

interface BadCase {
  name: string;
  method: 'post' | 'patch' | 'get';
  path: string;
  body?: unknown;
  raw?: string;
  field: string;
  public?: boolean;
  /** Sent by an admin (operator routes). */
  admin?: boolean;
}

const longText = (n: number) => 'x'.repeat(n);
const without = <T extends object>(o: T, key: keyof T) => {
  const copy = { ...o };
  delete copy[key];
  return copy;
};

const CASES = (addressId: string, shipmentId: string): BadCase[] => [
  {
    name: 'address: missing label',
    method: 'post',
    path: '/v1/addresses',
    body: without(validAddress(), 'label'),
    field: 'label',
  },
  {
    name: 'address: label of wrong type',
    method: 'post',
    path: '/v1/addresses',
    body: { ...validAddress(), label: 42 },
    field: 'label',
  },
  {
    name: 'address: label too long',
    method: 'post',
    path: '/v1/addresses',
    body: { ...validAddress(), label: longText(61) },
    field: 'label',
  },
  {
    name: 'address: label with a text-direction override',
    method: 'post',
    path: '/v1/addresses',
    body: { ...validAddress(), label: '\u202eGudang' },
    field: 'label',
  },
  {
    name: 'shipment: recipient name with terminal escapes',
    method: 'post',
    path: '/v1/shipments',
    body: {
      ...validShipment(addressId, 'CTRL-1'),
      recipient: { ...validShipment(addressId).recipient, name: 'Budi\u001b[31m\u0007' },
    },
    field: 'recipient.name',
  },
  ...['          ', 'aaaaaaaaaaaa', 'abab abab abab'].map((password): BadCase => ({
    name: `signup: password ${JSON.stringify(password)} of too few different characters`,
    method: 'post',
    path: '/v1/auth/signup',
    body: { sellerName: 'Toko Sandi', email: 'weak-password@example.com', password },
    field: 'password',
    public: true,
  })),
  {
    name: 'signup: seller name with a control character',
    method: 'post',
    path: '/v1/auth/signup',
    body: {
      sellerName: 'Toko\u0008 Sekar',
      email: 'ctrl-signup@example.com',
      password: 'correct horse battery',
    },
    field: 'sellerName',
    public: true,
  },
  {
    name: 'bank account: holder name with an isolate',
    method: 'post',
    path: '/v1/bank-accounts',
    body: { ...validBankAccount(), accountName: 'SEKAR \u2067AYU' },
    field: 'accountName',
  },
  // A line break or tab where one line is printed (a label, a courier's order): before, kept as sent.
  ...(
    [
      ['name', 'Budi\r\nSantoso'],
      ['district', 'Gubeng\t'.repeat(2).trim()],
      ['city', 'Sura\u2028baya'],
    ] as const
  ).map(([field, value]): BadCase => ({
    name: `shipment: recipient ${field} of two lines`,
    method: 'post',
    path: '/v1/shipments',
    body: {
      ...validShipment(addressId, 'LINE-1'),
      recipient: { ...validShipment(addressId).recipient, [field]: value },
    },
    field: `recipient.${field}`,
  })),
  {
    name: 'shipment: parcel description of two lines',
    method: 'post',
    path: '/v1/shipments',
    body: {
      ...validShipment(addressId, 'LINE-2'),
      parcel: { weightGrams: 1000, description: 'Kain\nbatik' },
    },
    field: 'parcel.description',
  },
  // (The street address's lines are joined instead: shipments.e2e, addresses.e2e.)
  ...(['label', 'contactName', 'district', 'city'] as const).map((field): BadCase => ({
    name: `address: ${field} of two lines`,
    method: 'post',
    path: '/v1/addresses',
    body: { ...validAddress(), [field]: 'Sekar\r\nAyu' },
    field,
  })),
  {
    name: 'address: a city changed to two lines',
    method: 'patch',
    path: `/v1/addresses/${addressId}`,
    body: { city: 'Bandung\nBarat' },
    field: 'city',
  },
  {
    name: 'quote: a destination city of two lines',
    method: 'post',
    path: '/v1/quotes',
    body: {
      originAddressId: addressId,
      destination: {
        city: 'Bandung\r\n',
        province: 'Jawa Barat',
        postalCode: '40111',
        district: 'Sumur\nBandung',
      },
      parcel: { weightGrams: 1000 },
    },
    field: 'destination.district',
  },
  {
    name: 'address: blank contact name',
    method: 'post',
    path: '/v1/addresses',
    body: { ...validAddress(), contactName: '   ' },
    field: 'contactName',
  },
  {
    name: 'address: unknown field',
    method: 'post',
    path: '/v1/addresses',
    body: { ...validAddress(), color: 'red' },
    field: 'color',
  },
  {
    name: 'address: bad phone',
    method: 'post',
    path: '/v1/addresses',
    body: { ...validAddress(), phone: '12345' },
    field: 'phone',
  },
  {
    name: 'address: foreign phone',
    method: 'post',
    path: '/v1/addresses',
    body: { ...validAddress(), phone: '+6591234567' },
    field: 'phone',
  },
  {
    name: 'address: phone with letters',
    method: 'post',
    path: '/v1/addresses',
    body: { ...validAddress(), phone: '0812-ABCD-7890' },
    field: 'phone',
  },
  {
    name: 'address: 4-digit postal code',
    method: 'post',
    path: '/v1/addresses',
    body: { ...validAddress(), postalCode: '4011' },
    field: 'postalCode',
  },
  {
    name: 'address: unknown province',
    method: 'post',
    path: '/v1/addresses',
    body: { ...validAddress(), province: 'Atlantis' },
    field: 'province',
  },
  {
    name: 'address: address too long',
    method: 'post',
    path: '/v1/addresses',
    body: { ...validAddress(), address: longText(301) },
    field: 'address',
  },
  {
    name: 'address: body is an array',
    method: 'post',
    path: '/v1/addresses',
    body: [validAddress()],
    field: 'body',
  },
  {
    name: 'address: malformed JSON',
    method: 'post',
    path: '/v1/addresses',
    raw: '{"label": ',
    field: 'body',
  },
  {
    name: 'address patch: null label',
    method: 'patch',
    path: `/v1/addresses/${addressId}`,
    body: { label: null },
    field: 'label',
  },
  {
    name: 'address patch: bad phone',
    method: 'patch',
    path: `/v1/addresses/${addressId}`,
    body: { phone: '0000' },
    field: 'phone',
  },
  {
    name: 'address patch: unknown field',
    method: 'patch',
    path: `/v1/addresses/${addressId}`,
    body: { sellerId: 'x' },
    field: 'sellerId',
  },
  {
    name: 'bank: unknown bank',
    method: 'post',
    path: '/v1/bank-accounts',
    body: { ...validBankAccount(), bankCode: 'NOPE' },
    field: 'bankCode',
  },
  {
    name: 'bank: number with letters',
    method: 'post',
    path: '/v1/bank-accounts',
    body: { ...validBankAccount(), accountNumber: '12AB56' },
    field: 'accountNumber',
  },
  {
    name: 'bank: number too long',
    method: 'post',
    path: '/v1/bank-accounts',
    body: validBankAccount('1'.repeat(21)),
    field: 'accountNumber',
  },
  {
    name: 'bank: missing name',
    method: 'post',
    path: '/v1/bank-accounts',
    body: without(validBankAccount(), 'accountName'),
    field: 'accountName',
  },
  {
    name: 'settings: negative lost margin',
    method: 'patch',
    path: '/v1/settings',
    body: { lostMarginPerFailure: -1 },
    field: 'lostMarginPerFailure',
  },
  {
    name: 'settings: fractional lost margin',
    method: 'patch',
    path: '/v1/settings',
    body: { lostMarginPerFailure: 10.5 },
    field: 'lostMarginPerFailure',
  },
  {
    name: 'settings: unknown preset',
    method: 'patch',
    path: '/v1/settings',
    body: { scoringPreset: 'random' },
    field: 'scoringPreset',
  },
  {
    name: 'settings: null preset',
    method: 'patch',
    path: '/v1/settings',
    body: { scoringPreset: null },
    field: 'scoringPreset',
  },
  {
    name: 'settings: webhook not a URL',
    method: 'patch',
    path: '/v1/settings',
    body: { webhookUrl: 'ftp://x' },
    field: 'webhookUrl',
  },
  {
    name: 'settings: webhook too long',
    method: 'patch',
    path: '/v1/settings',
    body: { webhookUrl: `https://x.id/${longText(2100)}` },
    field: 'webhookUrl',
  },
  {
    name: 'users: bad email',
    method: 'post',
    path: '/v1/users',
    body: { email: 'not-an-email', password: 'long enough pw', role: 'seller_staff' },
    field: 'email',
  },
  {
    name: 'users: finance role',
    method: 'post',
    path: '/v1/users',
    body: { email: 'f@example.id', password: 'long enough pw', role: 'finance' },
    field: 'role',
  },
  {
    name: 'users: short password',
    method: 'post',
    path: '/v1/users',
    body: { email: 's@example.id', password: 'short', role: 'seller_staff' },
    field: 'password',
  },
  {
    name: 'api key: name too long',
    method: 'post',
    path: '/v1/api-keys',
    body: { name: longText(101) },
    field: 'name',
  },
  { name: 'list: limit 0', method: 'get', path: '/v1/addresses?limit=0', field: 'limit' },
  { name: 'list: limit above 500', method: 'get', path: '/v1/addresses?limit=501', field: 'limit' },
  { name: 'list: limit not a number', method: 'get', path: '/v1/addresses?limit=ten', field: 'limit' },
  { name: 'list: bad cursor', method: 'get', path: '/v1/addresses?cursor=garbage', field: 'cursor' },
  // A window that ends before it starts is refused, as monitoring refuses it, not answered empty.
  ...['/v1/ledger/entries', '/v1/shipments', '/v1/monitoring'].map((path): BadCase => ({
    name: `window: from after to on ${path}`,
    method: 'get',
    path: `${path}?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z`,
    field: 'from',
  })),
  // Well-formed cursors with an id that is not a UUID, or a time PostgreSQL cannot read, on every list
  // paged by creation time: each was a 500 from the query it was put in.
  ...[
    'withdrawals',
    'shipments',
    'addresses',
    'bank-accounts',
    'api-keys',
    'users',
    'webhook-deliveries',
  ].flatMap((list): BadCase[] =>
    [
      ['2026-12-07T22:12:12.832Z', 'zzz'],
      ['-200000-01-01T00:00:00.000Z', '4d4da120-1097-493e-95d6-fa789223bdd2'],
    ].map((position, i) => ({
      name: `list: tampered cursor ${i + 1} on /v1/${list}`,
      method: 'get',
      path: `/v1/${list}?cursor=${Buffer.from(JSON.stringify(position)).toString('base64url')}`,
      field: 'cursor',
    })),
  ),
  {
    name: 'list: tampered cursor on /v1/finance/withdrawals',
    method: 'get',
    path: `/v1/finance/withdrawals?cursor=${Buffer.from('["2026-12-07T22:12:12.832Z","zzz"]').toString('base64url')}`,
    field: 'cursor',
    admin: true,
  },
  { name: 'list: unknown query parameter', method: 'get', path: '/v1/addresses?sort=asc', field: 'sort' },
  // Week and ordinal dates pass an ISO 8601 check but no JavaScript Date reads them: each was a 500.
  ...(
    [
      ['/v1/shipments?from=2026-W01', 'from'],
      ['/v1/shipments?from=2026-365T10:00:00Z', 'from'],
      ['/v1/monitoring?from=2026-W01', 'from'],
      ['/v1/ledger/entries?to=2026-W52-7', 'to'],
    ] as const
  ).map(([path, field]): BadCase => ({
    name: `list: week or ordinal date ${path}`,
    method: 'get',
    path,
    field,
  })),
  {
    name: 'finance: invoicing run as of a week date',
    method: 'post',
    path: '/v1/finance/invoicing/run',
    body: { asOf: '2026-W01-1' },
    field: 'asOf',
    admin: true,
  },
  {
    name: 'quote: missing destination',
    method: 'post',
    path: '/v1/quotes',
    body: { originAddressId: addressId, parcel: { weightGrams: 1000 } },
    field: 'destination',
  },
  {
    name: 'quote: zero weight',
    method: 'post',
    path: '/v1/quotes',
    body: {
      originAddressId: addressId,
      destination: { city: 'Bandung', province: 'Jawa Barat', postalCode: '40111' },
      parcel: { weightGrams: 0 },
    },
    field: 'parcel.weightGrams',
  },
  {
    name: 'quote: unknown preset',
    method: 'post',
    path: '/v1/quotes',
    body: {
      originAddressId: addressId,
      destination: { city: 'Bandung', province: 'Jawa Barat', postalCode: '40111' },
      parcel: { weightGrams: 1000 },
      preset: 'luckiest',
    },
    field: 'preset',
  },
  {
    name: 'quote: negative COD',
    method: 'post',
    path: '/v1/quotes',
    body: {
      originAddressId: addressId,
      destination: { city: 'Bandung', province: 'Jawa Barat', postalCode: '40111' },
      parcel: { weightGrams: 1000 },
      codAmount: -5,
    },
    field: 'codAmount',
  },
  {
    name: 'shipment: bad recipient phone',
    method: 'post',
    path: '/v1/shipments',
    body: {
      ...validShipment(addressId),
      recipient: { ...validShipment(addressId).recipient, phone: '0000' },
    },
    field: 'recipient.phone',
  },
  {
    name: 'shipment: reference too long',
    method: 'post',
    path: '/v1/shipments',
    body: validShipment(addressId, 'R'.repeat(41)),
    field: 'reference',
  },
  {
    name: 'shipment: unknown courier',
    method: 'post',
    path: '/v1/shipments',
    body: { ...validShipment(addressId), courier: { code: 'pos', service: 'KILAT' } },
    field: 'courier.code',
  },
  {
    name: 'shipment: fractional weight',
    method: 'post',
    path: '/v1/shipments',
    body: { ...validShipment(addressId), parcel: { weightGrams: 1.5 } },
    field: 'parcel.weightGrams',
  },
  {
    name: 'bulk: not an array',
    method: 'post',
    path: '/v1/shipments/bulk',
    body: { rows: [] },
    field: 'body',
  },
  {
    name: 'pickup: no shipments',
    method: 'post',
    path: '/v1/pickups',
    body: { shipmentIds: [] },
    field: 'shipmentIds',
  },
  {
    name: 'pickup: not a uuid',
    method: 'post',
    path: '/v1/pickups',
    body: { shipmentIds: ['abc'] },
    field: 'shipmentIds',
  },
  {
    name: 'pickup: repeated shipment',
    method: 'post',
    path: '/v1/pickups',
    body: { shipmentIds: [shipmentId, shipmentId] },
    field: 'shipmentIds',
  },
  {
    name: 'pickup: bad date',
    method: 'post',
    path: '/v1/pickups',
    body: { shipmentIds: [shipmentId], pickupDate: 'tomorrow' },
    field: 'pickupDate',
  },
  {
    name: 'pickup: impossible date',
    method: 'post',
    path: '/v1/pickups',
    body: { shipmentIds: [shipmentId], pickupDate: '2026-02-30' },
    field: 'pickupDate',
  },
  // Days and times the calendar does not have, in every date a client sends: JavaScript's Date read hour 24
  // as the next day's 00:00 and 29 February 2026 as 1 March, and each was answered for the wrong moment.
  ...['/v1/shipments', '/v1/ledger/entries', '/v1/monitoring'].flatMap((path) =>
    ['from', 'to'].flatMap((field) =>
      ['2026-01-01T24:00', '2026-02-30', '9999-12-31T23:00:00-05:00', '2026-01-01T00:00:00Z junk'].map(
        (value): BadCase => ({
          name: `window: ${field}=${value} on ${path}`,
          method: 'get',
          path: `${path}?${field}=${encodeURIComponent(value)}`,
          field,
        }),
      ),
    ),
  ),
  ...['/v1/finance/invoices', '/v1/finance/invoices/export'].map((path): BadCase => ({
    name: `finance: a period start on 29 February 2026 (no such day) on ${path}`,
    method: 'get',
    path: `${path}?periodStart=2026-02-29T17:00:00Z`,
    field: 'periodStart',
    admin: true,
  })),
  {
    name: 'finance: invoicing run as of hour 24',
    method: 'post',
    path: '/v1/finance/invoicing/run',
    body: { asOf: '2026-01-01T24:00' },
    field: 'asOf',
    admin: true,
  },
  {
    name: 'sandbox job: asOf at hour 24',
    method: 'post',
    path: '/sandbox/jobs/invoicing/run',
    body: { asOf: '2026-01-01T24:00' },
    field: 'asOf',
    admin: true,
  },
  {
    name: 'pickup: a date in year 0',
    method: 'post',
    path: '/v1/pickups',
    body: { shipmentIds: [shipmentId], pickupDate: '0000-01-01' },
    field: 'pickupDate',
  },
  {
    name: 'sandbox job: asOf not a date',
    method: 'post',
    path: '/sandbox/jobs/tracking-poll/run',
    body: { asOf: 'yesterday' },
    field: 'asOf',
    admin: true,
  },
  {
    name: 'sandbox job: asOf after the clock (an invoice would close a period parcels can still end in)',
    method: 'post',
    path: '/sandbox/jobs/invoicing/run',
    body: { asOf: '2999-01-01T00:00:00Z' },
    field: 'asOf',
    admin: true,
  },
  {
    name: 'shipments list: unknown status',
    method: 'get',
    path: '/v1/shipments?status=teleported',
    field: 'status',
  },
  {
    name: 'signup: missing seller name',
    method: 'post',
    path: '/v1/auth/signup',
    body: { email: 'n@example.id', password: 'long enough pw' },
    field: 'sellerName',
    public: true,
  },
  {
    name: 'signup: seller name too long',
    method: 'post',
    path: '/v1/auth/signup',
    body: { sellerName: longText(121), email: 'n@example.id', password: 'long enough pw' },
    field: 'sellerName',
    public: true,
  },
  // A name or a search on one line, as the recipient's fields are: before, a line break or tab was kept as
  // sent (a shop name on two lines of every invoice and finance list) or searched for.
  {
    name: 'signup: seller name of two lines',
    method: 'post',
    path: '/v1/auth/signup',
    body: { sellerName: 'Toko\r\nSekar', email: 'two-lines@example.com', password: 'correct horse battery' },
    field: 'sellerName',
    public: true,
  },
  {
    name: 'bank account: holder name with a tab',
    method: 'post',
    path: '/v1/bank-accounts',
    body: { ...validBankAccount(), accountName: 'SEKAR\tAYU' },
    field: 'accountName',
  },
  {
    name: 'api key: name of two lines',
    method: 'post',
    path: '/v1/api-keys',
    body: { name: 'Shopify\nintegration' },
    field: 'name',
  },
  {
    name: 'shipments list: a search of two lines',
    method: 'get',
    path: '/v1/shipments?q=Budi%0ASantoso',
    field: 'q',
  },
  {
    name: 'areas: a search with a tab',
    method: 'get',
    path: '/v1/areas?q=tebet%09jaksel',
    field: 'q',
  },
  {
    name: 'login: password of wrong type',
    method: 'post',
    path: '/v1/auth/login',
    body: { email: 'n@example.id', password: 12345678901 },
    field: 'password',
    public: true,
  },
];

describe('validation: bad input gets 400 naming the field, and writes nothing', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let admin: { auth: { authorization: string } };
  let addressId: string;
  let shipmentId: string;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
    admin = await createOperator(t, http, 'admin');
    addressId = (await createAddress(http, seller)).id;
    shipmentId = (await createShipment(http, seller)).id;
  });
  afterAll(() => t.close());

  it('answers every bad body in the table with 400 VALIDATION_FAILED naming the field', async () => {
    const before = await snapshotTables(t.dataSource);
    const results: string[] = [];
    const expected: string[] = [];
    for (const [i, c] of CASES(addressId, shipmentId).entries()) {
      let req = http[c.method](c.path)
        .set(c.public ? {} : c.admin ? admin.auth : seller.auth)
        .set('idempotency-key', `bad-${i}`);
      if (c.raw !== undefined) req = req.set('content-type', 'application/json').send(c.raw);
      else if (c.body !== undefined) req = req.send(c.body as object);
      const res = await req;
      const fields = (res.body.details ?? []).map((d: { field: string }) => d.field);
      results.push(
        `${c.name}: ${res.status} ${res.body.code} ${fields.includes(c.field) ? `names ${c.field}` : `names ${fields.join(',')}`}`,
      );
      expected.push(`${c.name}: 400 VALIDATION_FAILED names ${c.field}`);
      if (res.status === 400) {
        expect(res.body).toMatchObject({
          statusCode: 400,
          error: 'Bad Request',
          message: expect.any(String),
          requestId: expect.any(String),
        });
        for (const d of res.body.details) expect(d.message).toEqual(expect.any(String));
      }
    }
    expect(results).toEqual(expected);
    expect(await snapshotTables(t.dataSource)).toEqual(before);
  });

  it('says a missing field is required, once per field', async () => {
    const res = await http.post('/v1/addresses').set(seller.auth).send({}).expect(400);
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields.sort()).toEqual(Object.keys(validAddress()).sort());
    expect(res.body.details).toContainEqual({ field: 'label', message: 'label is required' });
  });

  it('accepts the Indonesian phone spellings and answers E.164; province spellings answer the canonical name', async () => {
    for (const phone of ['081234567890', '6281234567890', '+62 812-3456-7890', '(0812) 3456 7890']) {
      const res = await http
        .post('/v1/addresses')
        .set(seller.auth)
        .send({ ...validAddress(), phone, province: 'jabar' })
        .expect(201);
      expect([phone, res.body.phone, res.body.province]).toEqual([phone, '+6281234567890', 'Jawa Barat']);
    }
    const landline = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .send({ ...validAddress(), phone: '(022) 4231234' })
      .expect(201);
    expect(landline.body.phone).toBe('+62224231234');
  });
});
