import supertest from 'supertest';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { createOperator } from '../support/factories/operators';
import { createAddress, signupSeller, TestSeller } from '../support/factories/sellers';
import { bookPinned } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';
import { formatWib, parseWib } from 'src/common/wib';

/**
 * A courier code nobody has seen never stops a parcel: the event is kept raw (read by its words when they
 * say something), counted per courier and code, and listed for operators.
 */
describe('unmapped courier codes', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let admin: { auth: { authorization: string } };

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
    admin = await createOperator(t, http, 'admin');
  });
  afterAll(() => t.close());

  it('keeps the parcel moving, counts the code per courier and lists it for operators only', async () => {
    const origin = (await createAddress(http, seller)).id;
    const [{ id, awb }] = await bookPinned(t, http, seller, origin, [{ code: 'jne', service: 'REG' }]);
    t.clock.advance(3600_000);
    await http.post(`/sandbox/parcels/${awb}/advance`).set(seller.auth).send({ to: 'picked_up' }).expect(200);
    const push = (await t.app.get(CourierSandboxes).get('jne')!.webhookFor(awb))!;
    const body = JSON.parse(push.body) as {
      history: { date: string; status_code: string; status_desc: string }[];
    };
    // Two lines JNE's tables do not know: one whose words say where the parcel is, one whose words say nothing.
    // A minute apart, and after the last: JNE's times are read to the minute.
    const last = parseWib(body.history[body.history.length - 1].date)!.getTime();
    const later = (minutes: number) => formatWib(new Date(last + minutes * 60_000));
    body.history.push(
      { date: later(1), status_code: 'ZX7', status_desc: 'PAKET DALAM PERJALANAN KE KOTA TUJUAN' },
      { date: later(2), status_code: 'QQ1', status_desc: 'LAIN-LAIN' },
    );
    for (let i = 0; i < 2; i += 1)
      await http.post('/v1/webhooks/couriers/jne').set(push.headers).send(JSON.stringify(body)).expect(200);
    // The route's own applier may hold the events' claim when the job runs: the job then finds nothing
    // and the applier commits a moment later. Wait (boundedly) for whichever applies them.
    let s = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    for (let round = 0; round < 50 && s.status !== 'in_transit'; round += 1) {
      await http.post('/sandbox/jobs/tracking-inbox/run').set(admin.auth).send({}).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      s = (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;
    }
    // Read by its words: the parcel moves on.
    expect(s.status).toBe('in_transit');
    const unknown = s.events.filter((e: { rawCode: string }) => ['ZX7', 'QQ1'].includes(e.rawCode));
    expect(unknown.map((e: { rawCode: string; description: string }) => [e.rawCode, e.description])).toEqual([
      ['ZX7', 'PAKET DALAM PERJALANAN KE KOTA TUJUAN'],
      ['QQ1', 'LAIN-LAIN'],
    ]);

    const listed = (await http.get('/v1/ops/unmapped-codes').set(admin.auth).expect(200)).body.items;
    expect(listed.filter((c: { courier: string }) => c.courier === 'jne')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          courier: 'jne',
          rawCode: 'ZX7',
          count: 1,
          example: 'PAKET DALAM PERJALANAN KE KOTA TUJUAN',
        }),
        expect.objectContaining({ courier: 'jne', rawCode: 'QQ1', count: 1, example: 'LAIN-LAIN' }),
      ]),
    );
    await http.get('/v1/ops/unmapped-codes').set(seller.auth).expect(403);
    const metrics = (await http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/kirim_courier_unmapped_codes_total\{courier="jne",code="ZX7"\} [1-9]/);
  });
});
