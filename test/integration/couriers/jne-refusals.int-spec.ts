import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildAdapter } from 'src/couriers/adapters';
import type { CourierAdapter } from 'src/couriers/courier-adapter';
import { CourierRejectedError, CourierUnavailableError } from 'src/couriers/courier.errors';
import type { CourierLocations } from 'src/couriers/locations';
import { defaults } from 'config/defaults';
import { ROUTE_CODES } from '../../support/location-codes';
import { order } from './fixtures';

/**
 * JNE's error body (`{status: false, reason|error}`) sent with a 4xx rather than JNE's usual 200, from a
 * stand-in JNE over real HTTP: the call still reads its words. A cancel refused at 400 "sudah dibatalkan"
 * was an invalid request, and the order it named was taken for one JNE had refused to cancel.
 */
describe('JNE: an error body at a 4xx is read like one at 200', () => {
  let server: Server;
  let answer: { status: number; body: unknown };
  let jne: CourierAdapter;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        'content-type': typeof answer.body === 'string' ? 'text/html' : 'application/json',
      });
      res.end(text);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    jne = buildAdapter('jne', {
      account: {
        JNE_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        JNE_USERNAME: 'user',
        JNE_API_KEY: 'key',
        JNE_CUSTOMER_NO: '80000000',
        JNE_COD_CUSTOMER_NO: '80000001',
        JNE_BRANCH: 'CGK000',
      },
      name: 'JNE',
      catalogue: [],
      webhookMaxAgeSeconds: defaults.couriers.webhookMaxAgeSeconds,
      locations: { route: () => Promise.resolve(ROUTE_CODES.jne) } as unknown as CourierLocations,
    });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const outcome = (work: Promise<unknown>) =>
    work.then(
      (value) => ({ value }),
      (e: unknown) => ({
        error:
          e instanceof CourierRejectedError || e instanceof CourierUnavailableError ? e.reason : String(e),
      }),
    );
  const booked = { courier: 'jne' as const, awb: 'CGK0000000001', reference: 'KRM-1', service: 'REG' };

  it.each([
    [400, 'Cnote sudah dibatalkan', { cancelled: false, reason: 'already_cancelled' }],
    [422, 'Cnote Already Picked Up', { cancelled: false, reason: 'already_picked_up' }],
    [400, 'Cnote No. Not Found.', { cancelled: false, reason: 'not_found' }],
    [200, 'Cnote sudah dibatalkan', { cancelled: false, reason: 'already_cancelled' }],
  ])('a cancel refused at %i with "%s" says why', async (status, reason, expected) => {
    answer = { status, body: { status: false, reason } };
    expect(await outcome(jne.cancel(booked))).toEqual({ value: { ...expected, rawMessage: reason } });
  });

  it('a booking refused at 400 naming a field is a bad address, and tracing an unknown AWB finds none', async () => {
    answer = { status: 400, body: { status: false, error: 'OLSHOP_RECEIVER_ADDR1 Max 30 Characters.' } };
    expect(await outcome(jne.createOrder(order('REG')))).toEqual({ error: 'bad_address' });
    answer = { status: 400, body: { error: 'Cnote No. Not Found.', status: false } };
    expect(await outcome(jne.track(['CGK0000000002']))).toEqual({
      value: [{ awb: 'CGK0000000002', found: false }],
    });
  });

  it('a 4xx without JNE’s error body is still an invalid request, and credentials refused are auth', async () => {
    answer = { status: 400, body: '<html><body>Bad Request</body></html>' };
    expect(await outcome(jne.cancel(booked))).toEqual({ error: 'invalid_request' });
    answer = { status: 400, body: { status: true, detail: [] } };
    expect(await outcome(jne.cancel(booked))).toEqual({ error: 'invalid_request' });
    answer = { status: 400, body: { error: 'Username Or API KEY Not Found.', status: false } };
    expect(await outcome(jne.cancel(booked))).toEqual({ error: 'auth' });
  });
});
