import supertest from 'supertest';
import { endPinned } from '../support/factories/money';
import { moveEnd } from '../support/factories/invoices';
import { createOperator } from '../support/factories/operators';
import { PINNED } from '../support/factories/tracked';
import { createAddress, signupSeller } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

type Auth = { auth: { authorization: string } };

/**
 * A run as of a past moment (finance's `asOf`, the dashboard's "Per tanggal") issues the periods over by
 * then. The close grace waits for outcomes still committing at the period's end; it is counted from the
 * service's clock, not from `asOf`: long after a period ended, "as of its end" finds it over.
 */
describe('invoicing as of a past moment: the periods over by then, the grace counted from now', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let finance: Auth;
  let admin: Auth;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    finance = await createOperator(t, http, 'finance');
    admin = await createOperator(t, http, 'admin');
  });
  afterAll(() => t.close());

  const invoicesOf = async (auth: Auth['auth']) =>
    (await http.get('/v1/invoices').set(auth).expect(200)).body.items as { periodStartDate: string }[];
  const moveClockTo = async (at: string) => {
    const now = (await http.post('/sandbox/clock').set(admin.auth).send({ advanceHours: 0 }).expect(200)).body
      .now as string;
    const hours = (Date.parse(at) - Date.parse(now)) / 3600_000;
    await http.post('/sandbox/clock').set(admin.auth).send({ advanceHours: hours }).expect(200);
  };

  it('issues the period that ended at 00:00 WIB on 21 Dec when asked on 23 Dec as of "2026-12-21"', async () => {
    const seller = await signupSeller(http, 'Toko Akhir Periode');
    const origin = (await createAddress(http, seller)).id;
    const [ended] = await endPinned(t, http, seller, origin, [PINNED.find((p) => p.code === 'jne')!]);
    // Delivered and recorded on the period's last day, 20 Dec 2026 (the period of 7–20 Dec).
    await moveEnd(t, [ended.id], new Date('2026-12-20T15:00:00+07:00'));
    await moveClockTo('2026-12-23T10:00:00+07:00');

    // As of the period's end (a date alone is 00:00 Jakarta that day): it is over by then, and its grace
    // has long passed.
    const run = await http
      .post('/v1/finance/invoicing/run')
      .set(finance.auth)
      .send({ asOf: '2026-12-21' })
      .expect(200);
    expect(run.body).toMatchObject({ asOf: '2026-12-20T17:00:00.000Z', periods: 1, issued: 1 });
    expect((await invoicesOf(seller.auth)).map((i) => i.periodStartDate)).toEqual(['2026-12-07']);
  });

  it('still waits out the grace right after a period ends', async () => {
    const seller = await signupSeller(http, 'Toko Baru Tutup');
    const origin = (await createAddress(http, seller)).id;
    const [ended] = await endPinned(t, http, seller, origin, [PINNED.find((p) => p.code === 'sap')!]);
    await moveEnd(t, [ended.id], new Date('2027-01-03T23:59:00+07:00'));
    // The period of 21 Dec – 3 Jan ended at 00:00 on 4 Jan; 10 minutes later it is not invoiced yet, whatever
    // the asOf.
    await moveClockTo('2027-01-04T00:10:00+07:00');
    for (const asOf of [undefined, '2027-01-04', '2027-01-04T00:10:00']) {
      await http
        .post('/v1/finance/invoicing/run')
        .set(finance.auth)
        .send(asOf ? { asOf } : {})
        .expect(200);
      expect(await invoicesOf(seller.auth)).toEqual([]);
    }
    await moveClockTo('2027-01-04T00:15:00+07:00');
    const run = await http
      .post('/v1/finance/invoicing/run')
      .set(finance.auth)
      .send({ asOf: '2027-01-04' })
      .expect(200);
    expect(run.body).toMatchObject({ issued: 1 });
    expect((await invoicesOf(seller.auth)).map((i) => i.periodStartDate)).toEqual(['2026-12-21']);
  });
});
