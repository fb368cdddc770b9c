import type { CourierAdapter } from 'src/couriers/courier-adapter';
import { order } from './fixtures';
import { outcome, StandInAnswer, standInCourier } from './stand-in-courier';

/**
 * JNE's error body (`{status: false, reason|error}`) sent with a 4xx rather than JNE's usual 200, from a
 * stand-in JNE over real HTTP: the call still reads its words. A cancel refused at 400 "sudah dibatalkan"
 * was an invalid request, and the order it named was taken for one JNE had refused to cancel.
 */
describe('JNE: an error body at a 4xx is read like one at 200', () => {
  let stand: Awaited<ReturnType<typeof standInCourier>>;
  let jne: CourierAdapter;
  const answer = (a: StandInAnswer) => Object.assign(stand.answer, a);

  beforeAll(async () => {
    stand = await standInCourier(
      'jne',
      'JNE_BASE_URL',
      {
        JNE_USERNAME: 'user',
        JNE_API_KEY: 'key',
        JNE_CUSTOMER_NO: '80000000',
        JNE_COD_CUSTOMER_NO: '80000001',
        JNE_BRANCH: 'CGK000',
      },
      'JNE',
    );
    jne = stand.adapter;
  });
  afterAll(() => stand.close());

  const booked = { courier: 'jne' as const, awb: 'CGK0000000001', reference: 'KRM-1', service: 'REG' };

  it.each([
    [400, 'Cnote sudah dibatalkan', { cancelled: false, reason: 'already_cancelled' }],
    [422, 'Cnote Already Picked Up', { cancelled: false, reason: 'already_picked_up' }],
    [400, 'Cnote No. Not Found.', { cancelled: false, reason: 'not_found' }],
    [200, 'Cnote sudah dibatalkan', { cancelled: false, reason: 'already_cancelled' }],
  ])('a cancel refused at %i with "%s" says why', async (status, reason, expected) => {
    answer({ status, body: { status: false, reason } });
    expect(await outcome(jne.cancel(booked))).toEqual({ value: { ...expected, rawMessage: reason } });
  });

  it('a booking refused at 400 naming a field is a bad address, and tracing an unknown AWB finds none', async () => {
    answer({ status: 400, body: { status: false, error: 'OLSHOP_RECEIVER_ADDR1 Max 30 Characters.' } });
    expect(await outcome(jne.createOrder(order('REG')))).toEqual({ error: 'bad_address' });
    answer({ status: 400, body: { error: 'Cnote No. Not Found.', status: false } });
    expect(await outcome(jne.track(['CGK0000000002']))).toEqual({
      value: [{ awb: 'CGK0000000002', found: false }],
    });
  });

  it('a 4xx without JNE’s error body is still an invalid request, and credentials refused are auth', async () => {
    answer({ status: 400, body: '<html><body>Bad Request</body></html>' });
    expect(await outcome(jne.cancel(booked))).toEqual({ error: 'invalid_request' });
    answer({ status: 400, body: { status: true, detail: [] } });
    expect(await outcome(jne.cancel(booked))).toEqual({ error: 'invalid_request' });
    answer({ status: 400, body: { error: 'Username Or API KEY Not Found.', status: false } });
    expect(await outcome(jne.cancel(booked))).toEqual({ error: 'auth' });
  });
});
