import fc from 'fast-check';
import { QueryFailedError } from 'typeorm';
import { sanitizeForLog, scrubText, serializeError, urlForLog } from 'src/common/log-redaction';

describe('log redaction', () => {
  it('cuts phones in every spelling, bearer tokens, JWTs, API keys and webhook secrets out of text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';
    expect(
      scrubText(
        `call 081234567890, 0812-3456-7890, +62 812 3456 7890, 6281234567890; Bearer abc.def; ${jwt}; ` +
          'kirim_AbCdEfGh12345678 whsec_ZYXWVUTS98765',
      ),
    ).toBe('call [phone], [phone], [phone], [phone]; Bearer [redacted]; [jwt]; [api-key] [secret]');
  });

  it('leaves ids, AWBs, dates and amounts alone', () => {
    const text =
      'shipment 0b9a2c1e-0812-4567-8901-081234567890 awb JNE081234567890 at 2026-08-12T08:12:34Z for 150000';
    expect(scrubText(text)).toBe(text);
  });

  it('cuts credentials out of URLs (a proxy’s, a database’s) and leaves URLs without them alone', () => {
    expect(
      scrubText(
        'tunnel via http://kirim:s3cret-Pa55@proxy.internal:3128 failed; see https://api.jne.co.id/x?a=b@c',
      ),
    ).toBe('tunnel via http://[redacted]@proxy.internal:3128 failed; see https://api.jne.co.id/x?a=b@c');
    expect(sanitizeForLog({ courierProxyUrl: 'http://u:p@h:1', proxy_url: 'http://u:p@h:1' })).toEqual({
      courierProxyUrl: '[redacted]',
      proxy_url: '[redacted]',
    });
  });

  it('scrubs a JWT and a URL’s credentials as the patterns before did, in time proportional to the text', () => {
    // The patterns before: right, but tried again from every place of a run (`eyJ-eyJ-…`, `a+a+…`).
    const before = (text: string) =>
      text
        .replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[jwt]')
        .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1[redacted]@');
    const piece = fc.constantFrom('eyJ', 'a', 'Z', '9', '-', '+', '.', ':', '//', '@', ' ', '/', '_', '00');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }).map((p) => p.join('')),
        (text) => {
          // Neither pattern sees a phone here (no `8` after a 0), so scrubText is these two alone.
          expect(scrubText(`00 ${text}`)).toBe(before(`00 ${text}`));
        },
      ),
      { numRuns: 3000, seed: 20261207 },
    );
    // A megabyte of each run that took the square of its length before (about 10 and 20 minutes): the test's
    // time limit fails the patterns before.
    const runs = ['eyJ-'.repeat(250_000), `0${'+A'.repeat(500_000)}`];
    for (const run of runs) expect(scrubText(`00 ${run}`)).toBe(`00 ${run}`);
    // A run that ends as a JWT is one, whole (as before).
    expect(scrubText(`00 ${'eyJ-'.repeat(1000)}eyJa.b.c +a+a://u:p@h`)).toBe('00 [jwt] +a+a://[redacted]@h');
  });

  it('keeps a URL without a phone however it is encoded, and without a free-text search’s value', () => {
    for (const url of [
      '/v1/shipments?status=delivered&q=%2B6281298765432',
      '/v1/shipments?q=%2B62%20812%209876%205432&limit=5',
      '/v1/shipments?q=0812%2D9876%2D5432',
      '/v1/shipments?q=%2B62+812+9876+5432',
      '/v1/shipments?q=Budi%20Santoso',
      '/v1/shipments?reference=%2B6281298765432',
      '/v1/x/%2B6281298765432?a=1',
      '/v1/shipments?q=budi%40gmail.com',
      '/v1/shipments?phone=%2B62%20813%207654%203210%ZZ',
      '/v1/x/%2B6281298765432%E0',
      '/v1/shipments?Q=Budi',
      '/v1/shipments?q%5B%5D=Budi',
      '/v1/x?a=%E0%2B62%20812%203456%207890',
    ]) {
      const logged = urlForLog(url);
      expect({ url, logged }).toEqual({ url, logged: expect.not.stringMatching(/6281|0812|812|Budi|gmail/) });
    }
    expect(urlForLog('/v1/shipments?status=delivered&q=x&limit=50')).toBe(
      '/v1/shipments?status=delivered&q=[redacted]&limit=50',
    );
    expect(urlForLog('/v1/shipments/abc?cursor=eyJ4%22&bad=%E0%A4%A')).toBe(
      '/v1/shipments/abc?cursor=eyJ4%22&bad=%E0%A4%A',
    );
    expect(urlForLog('/health')).toBe('/health');
  });

  it('redacts sensitive keys at any depth, without touching the original, and survives cycles', () => {
    const value: Record<string, unknown> = {
      a: { b: { c: [{ password: 'p', 'X-Api-Key': 'k', recipient_phone: '0812', webhookSecret: 's' }] } },
      headers: { Authorization: 'Bearer x', cookie: 'c' },
      count: 3,
    };
    value.self = value;
    expect(sanitizeForLog(value)).toEqual({
      a: {
        b: {
          c: [
            {
              password: '[redacted]',
              'X-Api-Key': '[redacted]',
              recipient_phone: '[redacted]',
              webhookSecret: '[redacted]',
            },
          ],
        },
      },
      headers: { Authorization: '[redacted]', cookie: '[redacted]' },
      count: 3,
      self: '[…]',
    });
    expect((value.headers as { Authorization: string }).Authorization).toBe('Bearer x');
  });

  it('keeps an error’s code, constraint, table, message and stack, never its parameters or detail, down its causes', () => {
    const driverError = Object.assign(new Error('new row violates check constraint "chk_x"'), {
      code: '23514',
      constraint: 'chk_x',
      table: 'bank_accounts',
      detail: 'Failing row contains (1234567890123, Rahasia).',
    });
    const failed = new QueryFailedError(
      'INSERT INTO bank_accounts VALUES ($1, $2)',
      ['1234567890123', 'Rahasia'],
      driverError,
    );
    const wrapped = new Error('booking failed', { cause: failed });
    const logged = serializeError(wrapped) as { cause: Record<string, unknown> };
    expect(logged.cause).toMatchObject({
      type: 'QueryFailedError',
      code: '23514',
      constraint: 'chk_x',
      table: 'bank_accounts',
      message: 'new row violates check constraint "chk_x"',
    });
    expect(JSON.stringify(logged)).not.toMatch(/1234567890123|Rahasia|Failing row|INSERT INTO/);
  });
});
