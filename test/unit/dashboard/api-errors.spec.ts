import { ApiError, apiErrorFrom, networkError, outcomeUnknown } from 'src/dashboard/api/errors';
import { failureText } from 'src/dashboard/i18n/api-messages';
import { homeFor, navFor } from 'src/dashboard/nav';

describe('the dashboard reads the API’s error body', () => {
  it('keeps the code, message, request id and each field’s first message', () => {
    const error = apiErrorFrom(400, {
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: 'The request is invalid',
      details: [
        { field: 'email', message: 'email must be an email address' },
        { field: 'password', message: 'password must be longer than or equal to 10 characters' },
        { field: 'email', message: 'a second rule on email' },
        { nonsense: true },
      ],
      requestId: 'req-1',
    });
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code, error.message, error.requestId]).toEqual([
      400,
      'VALIDATION_FAILED',
      'The request is invalid',
      'req-1',
    ]);
    expect(error.details).toHaveLength(3);
    expect(error.fieldMessages()).toEqual({
      email: 'email must be an email address',
      password: 'password must be longer than or equal to 10 characters',
    });
  });

  it('turns an answer that is not the error body into a generic error keeping the status', () => {
    for (const body of [undefined, null, '<html>Bad gateway</html>', { message: 'no code' }, 42]) {
      const error = apiErrorFrom(502, body);
      expect([error.status, error.code, error.details]).toEqual([502, 'HTTP_502', []]);
    }
    const offline = networkError(new TypeError('Failed to fetch'));
    expect([offline.status, offline.code, offline.message]).toEqual([0, 'NETWORK_ERROR', 'Failed to fetch']);
  });
});

describe('what the dashboard says of a failed request', () => {
  const internal = apiErrorFrom(500, {
    statusCode: 500,
    code: 'INTERNAL',
    message: 'An unexpected error occurred',
    details: [],
  });
  const gateway = apiErrorFrom(502, '<html>Bad Gateway</html>');
  const refused = apiErrorFrom(422, { code: 'WITHDRAWAL_INSUFFICIENT_FUNDS', message: 'Insufficient funds' });

  it('says a server’s or a gateway’s failure in the reader’s words, not the log’s English or a status', () => {
    for (const language of ['id', 'en'] as const) {
      expect(failureText(language, internal)).toEqual({ key: 'error.server' });
      expect(failureText(language, gateway)).toEqual({ key: 'error.server' });
      expect(failureText(language, networkError(new Error('Failed to fetch')))).toEqual({
        key: 'error.network',
      });
      expect(failureText(language, new TypeError('x'))).toEqual({ key: 'error.unexpected' });
    }
    expect(failureText('id', refused)).toEqual({ text: expect.stringMatching(/saldo/i) });
    expect(failureText('en', refused)).toEqual({ text: 'Insufficient funds' });
    // A 503 the API names (the database is down) keeps its own words.
    const named = apiErrorFrom(503, { code: 'SERVICE_UNAVAILABLE', message: 'Service unavailable' });
    expect(failureText('en', named)).toEqual({ text: 'Service unavailable' });
  });

  it('keeps a form’s Idempotency-Key while what it asked may have been done unheard', () => {
    expect(outcomeUnknown(networkError(new Error('reset')))).toBe(true);
    expect(outcomeUnknown(internal)).toBe(true);
    expect(outcomeUnknown(gateway)).toBe(true);
    expect(
      outcomeUnknown(apiErrorFrom(409, { code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS', message: 'in progress' })),
    ).toBe(true);
    expect(outcomeUnknown(refused)).toBe(false);
    expect(outcomeUnknown(apiErrorFrom(409, { code: 'IDEMPOTENCY_KEY_REUSED', message: 'reused' }))).toBe(
      false,
    );
    expect(outcomeUnknown(new Error('not the API'))).toBe(false);
  });
});

describe('the dashboard’s navigation follows the role', () => {
  const paths = (role: string) => navFor(role).flatMap((s) => s.items.map((i) => i.path));

  it('shows sellers their shop and finance staff the finance pages', () => {
    expect(paths('seller_owner')).toEqual([
      '/',
      '/kirim',
      '/pengiriman',
      '/peringatan',
      '/saldo',
      '/pengaturan',
    ]);
    expect(paths('seller_staff')).toEqual(paths('seller_owner'));
    expect(paths('finance')).toEqual([
      '/keuangan/tagihan',
      '/keuangan/penarikan',
      '/keuangan/remitansi',
      '/keuangan/neraca',
    ]);
    expect(paths('admin')).toEqual(paths('finance'));
    expect(paths('stranger')).toEqual([]);
  });

  it('lands each role on a page it may see', () => {
    for (const role of ['seller_owner', 'seller_staff', 'finance', 'admin'])
      expect(paths(role)).toContain(homeFor(role));
  });
});
