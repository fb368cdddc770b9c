import { ApiError, apiErrorFrom, networkError } from 'src/dashboard/api/errors';
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
