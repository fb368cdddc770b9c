import { Logger } from '@nestjs/common';
import supertest from 'supertest';
import { LogCapture } from '../support/log-capture';
import { signupSeller, TestSeller, validAddress } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

// Its own file with one app: nestjs-pino keeps the first app's root logger for the whole file.
describe('logs never carry secrets or personal data', () => {
  const logs = new LogCapture();
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'trace' }, undefined, { logDestination: logs });
    http = t.http();
    seller = await signupSeller(http);
  });
  afterAll(() => t.close());

  const errorLines = () =>
    logs.lines().filter((l) => l.msg === 'request failed') as { err: Record<string, unknown> }[];

  it('logs a failed insert with its code and constraint but without the row’s values', async () => {
    // The database itself refuses these rows: its error carries the values (query parameters, `detail`).
    await t.dataSource.query(
      "ALTER TABLE bank_accounts ADD CONSTRAINT chk_test_refused_account CHECK (account_number <> '9876543210123')",
    );
    await t.dataSource.query(
      "ALTER TABLE pickup_addresses ADD CONSTRAINT chk_test_refused_phone CHECK (phone <> '+6281311223344')",
    );
    const bank = await http
      .post('/v1/bank-accounts')
      .set(seller.auth)
      .set('x-request-id', 'log-test-bank')
      .send({ bankCode: 'BCA', accountNumber: '9876543210123', accountName: 'Rahasia Wibowo' })
      .expect(500);
    expect(bank.body.code).toBe('INTERNAL');
    await http
      .post('/v1/addresses')
      .set(seller.auth)
      .send({
        ...validAddress('Gudang Rahasia'),
        contactName: 'Kartika Sulistyowati',
        phone: '0813-1122-3344',
      })
      .expect(500);

    const failures = errorLines();
    expect(failures.map((l) => [l.err.code, l.err.constraint, l.err.table])).toEqual([
      ['23514', 'chk_test_refused_account', 'bank_accounts'],
      ['23514', 'chk_test_refused_phone', 'pickup_addresses'],
    ]);
    expect(failures[0].err).toMatchObject({ type: 'QueryFailedError', message: expect.any(String) });
    expect(failures[0].err.stack).toEqual(expect.stringContaining('QueryFailedError'));
    expect(failures[0].err.parameters).toBeUndefined();
    expect(failures[0].err.detail).toBeUndefined();
    expect(failures[0].err.driverError).toBeUndefined();

    // Request lines too: a phone typed into a URL is cut out of the logged URL.
    await http.get('/v1/addresses?search=081311223344').set(seller.auth);
    const requestLine = logs
      .lines()
      .find(
        (l) => l.msg === 'request completed' && String((l.req as { url: string }).url).includes('search='),
      );
    expect((requestLine!.req as { url: string }).url).toBe('/v1/addresses?search=[phone]');

    const text = logs.text();
    for (const secret of [
      '081311223344',
      '9876543210123',
      'Rahasia Wibowo',
      '6281311223344',
      '0813-1122-3344',
      'Kartika',
      seller.token,
      seller.password,
    ]) {
      expect([secret, text.includes(secret)]).toEqual([secret, false]);
    }
  });

  it('redacts sensitive keys at any depth and phones, keys and tokens inside messages, in any module’s log', async () => {
    const key = (await http.post('/v1/api-keys').set(seller.auth).send({ name: 'log test' }).expect(201)).body
      .key as string;
    const job = new Logger('PickupService');
    job.error(
      {
        err: new Error(`courier refused recipient 0812 9988 7766 (sent with ${key})`),
        shipment: {
          recipient: { name: 'Budi', phone: '+6281299887766' },
          headers: { authorization: seller.auth.authorization },
        },
        bank: [{ accountNumber: '5556667778889' }],
      },
      `retrying for ${seller.token}`,
    );
    job.warn(`webhook test for +62 812-9988-7766 failed`);
    const text = logs.text();
    for (const secret of [
      key,
      seller.token,
      '5556667778889',
      '81299887766',
      '812-9988-7766',
      '0812 9988 7766',
    ])
      expect([secret, text.includes(secret)]).toEqual([secret, false]);
    const line = logs.lines().find((l) => l.context === 'PickupService' && l.level === 50) as {
      err: { message: string };
      shipment: { recipient: { name: string; phone: string }; headers: { authorization: string } };
      bank: { accountNumber: string }[];
      msg: string;
    };
    expect(line.err.message).toBe('courier refused recipient [phone] (sent with [api-key])');
    expect(line.shipment).toEqual({
      recipient: { name: 'Budi', phone: '[redacted]' },
      headers: { authorization: '[redacted]' },
    });
    expect(line.bank).toEqual([{ accountNumber: '[redacted]' }]);
    expect(line.msg).toBe('retrying for [jwt]');
  });
});
