import { COURIER_DECODERS } from 'src/couriers/adapters';
import { saysAuthRefused, saysNotFound, saysTryAgain } from 'src/couriers/answer-words';
import type { CourierCode } from 'src/couriers/courier-adapter';
import type { CourierAnswer } from 'src/couriers/courier-decoder';
import { CourierRejectedError, CourierUnavailableError } from 'src/couriers/courier.errors';

const answer = (body: unknown, status = 200): CourierAnswer => ({ status, body });
const track = (courier: CourierCode, a: CourierAnswer, awb = 'AWB123456789') =>
  COURIER_DECODERS[courier].tracking(a, [awb]);

/** The shapes each courier (or one of its hosts or versions) answers an unknown airway bill with. */
const NOT_FOUND: [CourierCode, string, CourierAnswer][] = [
  ['jne', 'vendor error body', answer({ error: 'Cnote No. Not Found.', status: false })],
  [
    'jne',
    'string false, another customer’s AWB',
    answer({ error: 'Sorry This is not your cnote.', status: 'false' }),
  ],
  ['jne', 'Indonesian message field', answer({ status: false, message: 'Data tidak ditemukan' })],
  ['jne', 'HTTP 404 with text', answer('Not Found', 404)],
  ['jne', 'no summary, empty history', answer({ cnote: null, detail: [], history: [] })],
  ['jne', 'empty summary, empty history', answer({ cnote: {}, history: [] })],
  ['jnt', 'error 404', answer({ error_id: '404', error_message: 'Invalid AWB number' })],
  ['jnt', 'error text only', answer({ error_message: 'Data not found' })],
  [
    'jnt',
    'Indonesian text under another id',
    answer({ error_id: 500, error_message: 'Nomor resi tidak ditemukan' }),
  ],
  ['jnt', 'camel-case error fields', answer({ errorId: '404', errorMessage: 'AWB not found' })],
  ['jnt', 'empty body', answer('{}')],
  ['sap', 'HTTP 404 envelope', answer({ status: 'fail', msg: 'Airwaybill tidak ditemukan' }, 404)],
  ['sap', 'failed envelope at 200', answer({ status: 'fail', msg: 'AWB not found' })],
  [
    'sap',
    'empty list with a not-found message',
    answer({ status: 'success', msg: 'Data tidak ditemukan', data: [] }),
  ],
  ['ninja', 'HTTP 404', answer({ error: { code: 'NOT_FOUND', message: 'Order not found' } }, 404)],
  ['ninja', 'bulk answer without it', answer({ data: [{ tracking_number: 'OTHER1', events: [] }] })],
  ['ninja', 'empty bulk answer', answer({ data: [] })],
  ['ninja', '400 saying not found', answer({ error: { message: 'Tracking number does not exist' } }, 400)],
  ['idexpress', 'refused envelope', answer({ code: 1, desc: 'waybillNo not found', data: null })],
  ['idexpress', 'success without data', answer({ code: 0, desc: 'success', data: [] })],
  ['idexpress', 'null data', answer({ code: 0, desc: null, data: null })],
  [
    'idexpress',
    'empty history with a not-found desc',
    answer({
      code: 0,
      desc: 'data tidak ditemukan',
      data: [{ basicInfo: { waybillNo: 'AWB123456789' }, history: [] }],
    }),
  ],
  ['idexpress', 'item without basic info', answer({ code: 0, data: [{ basicInfo: null, historys: [] }] })],
];

/** The shapes a refusal of our credentials or signature comes in: always `auth`, whatever the words. */
const AUTH: [CourierCode, string, CourierAnswer][] = [
  ['jne', 'vendor text', answer({ error: 'Username Or API KEY Not Found.', status: false })],
  ['jne', 'short English', answer({ status: 'false', error: 'invalid key' })],
  ['jne', 'Indonesian', answer({ status: false, message: 'username/api key salah' })],
  ['jne', 'HTTP 401', answer('Unauthorized', 401)],
  ['jnt', 'error 401', answer({ error_id: '401', error_message: 'Unauthorized' })],
  [
    'jnt',
    'signature words under another id',
    answer({ error_id: '500', error_message: 'signature tidak valid' }),
  ],
  ['jnt', 'HTTP 403', answer('Forbidden', 403)],
  ['sap', 'HTTP 401 envelope', answer({ status: 'fail', msg: 'Unauthorized' }, 401)],
  ['sap', 'key refused at 200', answer({ status: 'fail', msg: 'API Key tidak valid' })],
  ['sap', 'message field on another host', answer({ status: false, message: 'invalid api_key' }, 400)],
  ['ninja', 'HTTP 401', answer({ error: { title: 'Unauthorized', message: 'Token expired' } }, 401)],
  ['ninja', '400 about the token', answer({ error: { message: 'Invalid access token' } }, 400)],
  ['idexpress', 'sign error', answer({ code: 1001, desc: 'sign error', data: null })],
  ['idexpress', 'unknown app id', answer({ code: 'E002', desc: 'appId not exist', data: null })],
  ['idexpress', 'Indonesian, msg field', answer({ code: 9, msg: 'signature tidak valid', data: null })],
];

describe('an unknown airway bill is found: false, never a throw', () => {
  it.each(NOT_FOUND)('%s: %s', (courier, _shape, a) => {
    const results = track(courier, a);
    expect(results).toEqual([{ awb: 'AWB123456789', found: false }]);
  });

  it('reads a J&T history under a success id whatever text rides along', () => {
    const history = [{ status_code: 100, status: 'Paket telah diterima', date_time: '2026-12-01 10:00:00' }];
    for (const extra of [
      { message: 'success' },
      { msg: 'OK' },
      { error_id: '0', error_message: '' },
      { error_id: 200 },
    ]) {
      const [result] = track('jnt', answer({ awb: 'AWB123456789', history, ...extra }));
      expect({ extra, found: result.found, events: result.found ? result.events.length : 0 }).toEqual({
        extra,
        found: true,
        events: 1,
      });
    }
    // With nothing scanned yet, the airway bill answered back is the parcel's (not "not found").
    expect(track('jnt', answer({ awb: 'AWB123456789', history: [], message: 'success' }))).toEqual([
      { awb: 'AWB123456789', found: true, events: [] },
    ]);
    for (const body of [{ error_id: '0' }, { error_id: 200, error_message: 'success' }])
      expect(track('jnt', answer(body))).toEqual([{ awb: 'AWB123456789', found: false }]);
    // An error id with a history is still the error (a busy courier's: tried again later).
    expect(() => track('jnt', answer({ error_id: '500', error_message: 'system busy', history }))).toThrow(
      CourierUnavailableError,
    );
    expect(() => track('jnt', answer({ error_id: '500', error_message: 'awb kosong', history }))).toThrow(
      CourierRejectedError,
    );
  });

  it('SAP: a failed envelope that does not say "not found" is an error, not an unknown parcel', () => {
    for (const [body, status, kind, reason] of [
      [{ status: 'fail', msg: 'Parameter awb_no salah' }, 422, CourierRejectedError, 'invalid_request'],
      // SAP failing for now: tried again later, as after a 5xx.
      [{ status: 'fail', msg: 'Internal error' }, 200, CourierUnavailableError, 'server_error'],
    ] as const) {
      let thrown: unknown;
      try {
        track('sap', answer(body, status));
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(kind);
      expect((thrown as CourierRejectedError).reason).toBe(reason);
    }
  });

  it('ID Express: an envelope whose code is no number is no success, and says nothing of the parcel', () => {
    for (const code of [null, '', ' ', false, []]) {
      let thrown: unknown;
      try {
        track('idexpress', answer({ code, desc: 'Request gagal diproses', data: null }));
      } catch (e) {
        thrown = e;
      }
      expect({ code, thrown }).toEqual({ code, thrown: expect.any(CourierRejectedError) });
    }
    for (const code of [0, '0', ' 0 '])
      expect(track('idexpress', answer({ code, desc: '', data: null }))).toEqual([
        { awb: 'AWB123456789', found: false },
      ]);
  });

  it('tells a known parcel with nothing scanned yet from an unknown one', () => {
    expect(track('sap', answer({ status: 'success', msg: 'Tidak ada status', data: [] }))).toEqual([
      { awb: 'AWB123456789', found: true, events: [] },
    ]);
    expect(
      track(
        'idexpress',
        answer({ code: 0, desc: '', data: [{ basicInfo: { waybillNo: 'AWB123456789' }, history: [] }] }),
      ),
    ).toEqual([{ awb: 'AWB123456789', found: true, events: [] }]);
  });
});

describe('a refusal of the credentials is `auth`, whatever the courier’s words', () => {
  it.each(AUTH)('%s: %s', (courier, _shape, a) => {
    let thrown: unknown;
    try {
      track(courier, a);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CourierRejectedError);
    expect((thrown as CourierRejectedError).reason).toBe('auth');
  });

  it('does the same on tariff and create answers', () => {
    const tariff = (courier: CourierCode, a: CourierAnswer) => () =>
      COURIER_DECODERS[courier].tariff(a, {
        request: {
          origin: { district: '', city: '', province: 'Jawa Barat', postalCode: '' },
          destination: { district: '', city: '', province: 'Jawa Barat', postalCode: '' },
          parcel: { weightGrams: 1000 },
        },
        catalogue: [],
      });
    const create = (courier: CourierCode, a: CourierAnswer) => () => COURIER_DECODERS[courier].create(a, {});
    const authOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as CourierRejectedError).reason;
      }
      return 'no error';
    };
    expect(authOf(tariff('jnt', answer({ is_success: 'false', message: 'cusName tidak terdaftar' })))).toBe(
      'auth',
    );
    expect(authOf(tariff('jne', answer({ error: 'Username Or API KEY Not Found.', status: false })))).toBe(
      'auth',
    );
    expect(authOf(create('jnt', answer({ success: false, desc: 'sign error' })))).toBe('auth');
    expect(
      authOf(create('idexpress', answer({ code: 1, desc: 'Invalid appId or secret key', data: null }))),
    ).toBe('auth');
    expect(authOf(create('sap', answer({ status: 'fail', msg: 'api_key salah' }, 400)))).toBe('auth');
  });

  it('other refusals keep their own kind', () => {
    const kind = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as CourierRejectedError).reason;
      }
      return 'no error';
    };
    expect(
      kind(() => track('jnt', answer({ error_id: '400', error_message: 'awb tidak boleh kosong' }))),
    ).toBe('invalid_request');
    expect(
      kind(() =>
        COURIER_DECODERS.jnt.create(
          answer({ success: true, detail: [{ status: 'Error', reason: 'Kecamatan Penerima Error' }] }),
          {},
        ),
      ),
    ).toBe('bad_address');
    expect(
      kind(() => COURIER_DECODERS.sap.create(answer({ status: 'fail', msg: 'Data already exist' }, 400), {})),
    ).toBe('duplicate');
  });
});

/**
 * A courier busy or failing for now, in its own error shape at HTTP 200 (README §2.8: only Ninja answers a
 * rate limit with a 429): unavailable, tried again later, as after a 5xx. These were permanent refusals, so
 * a booking failed for good and a parcel's poll counted as refused (J&T's text without an id: not found).
 */
const TRY_AGAIN: [CourierCode, string, CourierAnswer, 'rate_limited' | 'server_error'][] = [
  [
    'jne',
    'busy, in English',
    answer({ error: 'System busy, please try again later', status: false }),
    'server_error',
  ],
  [
    'jne',
    'busy, in Indonesian',
    answer({ status: 'false', message: 'Server sedang sibuk, coba lagi' }),
    'server_error',
  ],
  [
    'jnt',
    'rate limit with an id',
    answer({ error_id: '429', error_message: 'Too many requests' }),
    'rate_limited',
  ],
  [
    'jnt',
    'error text without an id',
    answer({ error_message: 'System error, please try again' }),
    'server_error',
  ],
  ['sap', 'failed envelope at 200', answer({ status: 'fail', msg: 'Internal Server Error' }), 'server_error'],
  [
    'sap',
    'failed envelope at 422',
    answer({ status: 'fail', msg: 'Request limit exceeded' }, 422),
    'rate_limited',
  ],
  [
    'idexpress',
    'non-zero code',
    answer({ code: 500, desc: 'Service temporarily unavailable', data: null }),
    'server_error',
  ],
  [
    'idexpress',
    'rate limit',
    answer({ code: -1, desc: 'Terlalu banyak permintaan', data: null }),
    'rate_limited',
  ],
];

describe('a courier busy or failing for now is unavailable (retried), not a refusal', () => {
  const failure = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    return 'no error';
  };
  it.each(TRY_AGAIN)('tracking, %s: %s', (courier, _shape, a, reason) => {
    const thrown = failure(() => track(courier, a));
    expect(thrown).toBeInstanceOf(CourierUnavailableError);
    expect((thrown as CourierUnavailableError).reason).toBe(reason);
  });

  it('does the same on tariff and create answers', () => {
    const request = {
      origin: { district: '', city: '', province: 'Jawa Barat', postalCode: '' },
      destination: { district: '', city: '', province: 'Jawa Barat', postalCode: '' },
      parcel: { weightGrams: 1000 },
    };
    const tariff = (courier: CourierCode, a: CourierAnswer) => () =>
      COURIER_DECODERS[courier].tariff(a, { request, catalogue: [] });
    const create = (courier: CourierCode, a: CourierAnswer) => () => COURIER_DECODERS[courier].create(a, {});
    const busy = 'System sedang sibuk, silakan coba lagi';
    for (const fn of [
      tariff('jnt', answer({ is_success: 'false', message: busy })),
      tariff('jne', answer({ error: busy, status: false })),
      create('jnt', answer({ success: false, desc: busy })),
      create('jnt', answer({ success: true, detail: [{ status: 'Error', reason: busy }] })),
      create('jne', answer({ error: busy, status: 'false' })),
      create('sap', answer({ status: 'fail', msg: busy })),
      create('idexpress', answer({ code: 1, desc: busy, data: null })),
    ])
      expect(failure(fn)).toBeInstanceOf(CourierUnavailableError);
  });

  it('a not-found or a refusal of the credentials keeps its meaning, whatever else it says', () => {
    expect(track('jne', answer({ error: 'Cnote No. Not Found. Please try again', status: false }))).toEqual([
      { awb: 'AWB123456789', found: false },
    ]);
    const thrown = failure(() =>
      track('sap', answer({ status: 'fail', msg: 'Invalid api_key, please try again' })),
    );
    expect(thrown).toBeInstanceOf(CourierRejectedError);
    expect((thrown as CourierRejectedError).reason).toBe('auth');
  });
});

describe('a refusal that ends "try again" stays a refusal', () => {
  const outcome = (fn: () => unknown) => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof CourierRejectedError) return { rejected: e.reason };
      if (e instanceof CourierUnavailableError) return { unavailable: e.reason };
      throw e;
    }
  };
  const create = (courier: CourierCode, a: CourierAnswer) => () => COURIER_DECODERS[courier].create(a, {});
  const request = {
    origin: { district: '', city: '', province: 'Jawa Barat', postalCode: '' },
    destination: { district: '', city: '', province: 'Jawa Barat', postalCode: '' },
    parcel: { weightGrams: 1000 },
  };
  const tariff = (courier: CourierCode, a: CourierAnswer) => () =>
    COURIER_DECODERS[courier].tariff(a, { request, catalogue: [] });

  it.each<[string, () => unknown, unknown]>([
    [
      'J&T order item, bad address',
      create(
        'jnt',
        answer({
          success: true,
          detail: [{ status: 'Error', reason: 'Alamat tidak valid, silakan coba lagi' }],
        }),
      ),
      { rejected: 'bad_address' },
    ],
    [
      'J&T order item, repeated order id',
      create(
        'jnt',
        answer({
          success: true,
          detail: [{ status: 'Error', reason: 'Orderid tidak boleh sama, silakan coba lagi' }],
        }),
      ),
      { rejected: 'duplicate' },
    ],
    [
      'J&T tariff, unknown district',
      tariff(
        'jnt',
        answer({ is_success: 'false', message: 'Kecamatan tujuan tidak valid, silakan coba lagi' }),
      ),
      [],
    ],
    [
      'JNE generatecnote, field refused',
      create('jne', answer({ error: 'OLSHOP_RECEIVER_ZIP tidak valid, silakan coba lagi', status: 'false' })),
      { rejected: 'bad_address' },
    ],
    [
      'SAP create, too heavy',
      create(
        'sap',
        answer({ status: 'fail', msg: 'Berat melebihi batas maksimum layanan, silakan coba lagi' }, 422),
      ),
      { rejected: 'too_heavy' },
    ],
    [
      'SAP create, route not served',
      create('sap', answer({ status: 'fail', msg: 'Rute tidak dilayani, silakan coba kembali' }, 422)),
      { rejected: 'unserviceable_route' },
    ],
    [
      'ID Express create, missing field',
      create(
        'idexpress',
        answer({ code: 1, desc: 'recipientCellphone is required, please try again', data: null }),
      ),
      { rejected: 'invalid_request' },
    ],
  ])('%s', (_shape, fn, expected) => {
    expect(outcome(fn)).toEqual(expected);
  });

  it.each<[string, () => unknown, unknown]>([
    [
      'J&T order, system busy',
      create('jnt', answer({ success: false, desc: 'System busy, try again' })),
      { unavailable: 'server_error' },
    ],
    [
      'J&T order item, too many requests',
      create(
        'jnt',
        answer({
          success: true,
          detail: [{ status: 'Error', reason: 'Too many requests, silakan coba lagi' }],
        }),
      ),
      { unavailable: 'rate_limited' },
    ],
    [
      'JNE, server busy',
      create('jne', answer({ error: 'Server sibuk, coba lagi nanti', status: false })),
      { unavailable: 'server_error' },
    ],
    [
      'SAP, an error with no refusal in it',
      create('sap', answer({ status: 'fail', msg: 'Terjadi kesalahan, silakan coba beberapa saat lagi' })),
      { unavailable: 'server_error' },
    ],
    [
      'ID Express, a rate limit that names a limit',
      create(
        'idexpress',
        answer({ code: -1, desc: 'Request limit exceeded, please try again later', data: null }),
      ),
      { unavailable: 'rate_limited' },
    ],
  ])('%s is still unavailable', (_shape, fn, expected) => {
    expect(outcome(fn)).toEqual(expected);
  });

  it('a pickup time "out of range" is refused, not retried as a courier timing out', () => {
    for (const text of ['pickup time out of range', 'Waktu pickup di luar jangkauan (time out of range)']) {
      const result = outcome(create('sap', answer({ status: 'fail', msg: text }, 422)));
      expect([text, result]).toEqual([text, { rejected: expect.any(String) }]);
    }
  });

  it('reads the words alone the same way', () => {
    for (const busy of [
      'System busy, try again',
      'Too many requests',
      'Server sibuk, coba lagi nanti',
      'Sistem sedang gangguan, silakan coba kembali',
      'Please try again later',
      'Gagal memproses permintaan, silakan coba lagi',
    ])
      expect([busy, saysTryAgain(busy)]).toEqual([busy, true]);
    for (const refusal of [
      'Alamat tidak valid, silakan coba lagi',
      'Nomor telepon penerima salah, silakan coba lagi',
      'Kode pos wajib diisi, coba lagi',
      'Nama penerima tidak boleh kosong, silakan coba kembali',
      'receiver_phone is required, please try again',
      'Invalid postcode, please try again',
      'Tujuan di luar jangkauan, silakan coba lagi',
      'Berat melebihi batas maksimum, coba lagi',
      'Order already exists, please try again',
    ])
      expect([refusal, saysTryAgain(refusal)]).toEqual([refusal, false]);
  });

  it('a timeout is busy; a pickup time "out of range" is not', () => {
    for (const busy of [
      'Timeout',
      'Request timeout',
      'Read time-out',
      '504 Gateway Time-out',
      'Connection timed out',
      'Upstream time out, try later',
      'timeout of 30000ms exceeded',
    ])
      expect([busy, saysTryAgain(busy)]).toEqual([busy, true]);
    for (const refusal of [
      'pickup time out of range',
      'Waktu pickup di luar jangkauan (time out of range)',
      'Pickup time out of hours',
      'Requested pickup time-out of window',
    ])
      expect([refusal, saysTryAgain(refusal)]).toEqual([refusal, false]);
  });
});

describe('answer words', () => {
  it.each([
    'Cnote No. Not Found.',
    'Airwaybill tidak ditemukan',
    'Invalid AWB number',
    'data tidak ditemukan',
    'AWB not found',
    'cnote not found',
    'Nomor resi tidak terdaftar',
    'Waybill does not exist',
  ])('%j says not found', (text) => {
    expect(saysNotFound(text)).toBe(true);
    expect(saysAuthRefused(text)).toBe(false);
  });

  it.each([
    'Username Or API KEY Not Found.',
    'invalid key',
    'Unauthorized',
    'username/api key salah',
    'signature tidak valid',
    'sign error',
    'appId not exist',
    'Token expired',
    'Access denied',
  ])('%j is a credentials refusal', (text) => {
    expect(saysAuthRefused(text)).toBe(true);
  });

  it.each([
    'Tidak ada status',
    'Kecamatan Penerima Error',
    'Orderid tidak boleh sama',
    'Invalid area code',
    'weight tidak valid',
  ])('%j is neither', (text) => {
    expect(saysNotFound(text)).toBe(false);
    expect(saysAuthRefused(text)).toBe(false);
  });
});
