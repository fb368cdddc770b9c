import supertest from 'supertest';
import { randomUUID } from 'node:crypto';
import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { SandboxControl } from 'src/couriers/sandbox/sandbox-control.service';
import { DeliveryStatsService } from 'src/scoring/delivery-stats.service';
import { createAddress, signupSeller, TestSeller, validShipment } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

interface Option {
  courier: string;
  service: string;
  price: number | null;
  codFee: number;
  cashback: number | null;
  expectedCost: number | null;
  score: number | null;
  rank: number | null;
  eligible: boolean;
  ineligibleReason?: string;
  successRate: number;
  breakdown: { price: number; codFee: number; cashback: number; failureCost: number; pickupCost: number };
}

const jakarta = { district: 'Menteng', city: 'Jakarta Pusat', province: 'DKI Jakarta', postalCode: '10340' };

describe('POST /v1/quotes', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let origin: string;

  beforeAll(async () => {
    t = await startTestApp({ QUOTE_DEADLINE_MS: '1500' });
    http = t.http();
    seller = await signupSeller(http);
    origin = (await createAddress(http, seller)).id;
  });
  afterAll(() => t.close());

  const quote = (body: object) =>
    http
      .post('/v1/quotes')
      .set(seller.auth)
      .send({
        originAddressId: origin,
        destination: jakarta,
        parcel: { weightGrams: 1200 },
        codAmount: 150_000,
        ...body,
      });
  const find = (options: Option[], courier: string, service: string) =>
    options.find((o) => o.courier === courier && o.service === service)!;

  it('lists every courier service with price, COD fee, success rate, expected cost, score and rank', async () => {
    const res = await quote({}).expect(200);
    const options = res.body.options as Option[];
    expect(new Set(options.map((o) => o.courier))).toEqual(new Set(COURIER_CODES));
    expect(options).toHaveLength(12);
    const eligible = options.filter((o) => o.eligible);
    expect(eligible.length).toBeGreaterThan(3);
    expect(eligible.map((o) => o.rank)).toEqual(eligible.map((_, i) => i + 1));
    expect(res.body.recommended).toEqual({ courier: eligible[0].courier, service: eligible[0].service });
    expect(res.body.preset).toBe('balanced');
    for (const o of eligible) {
      expect(Number.isSafeInteger(o.price) && o.price! > 0).toBe(true);
      expect(o.codFee).toBeGreaterThan(0);
      const b = o.breakdown;
      expect(b.price + b.codFee + b.cashback + b.failureCost + b.pickupCost).toBe(o.expectedCost);
      expect(o.successRate).toBeGreaterThan(0.5);
    }
    // Ineligible ones say why: JNE YES carries no COD; cargo services need heavier parcels.
    expect(find(options, 'jne', 'YES')).toMatchObject({
      eligible: false,
      rank: null,
      ineligibleReason: 'cod_not_supported',
    });
    expect(find(options, 'sap', 'DRGREG')).toMatchObject({ eligible: false, ineligibleReason: 'too_light' });
  });

  it('gives an option without a price no expected cost, score or breakdown (never one made from a price of 0)', async () => {
    const options = (await quote({}).expect(200)).body.options as Option[];
    const unpriced = options.filter((o) => o.price === null);
    // SAP's cargo service does not quote a 1.2 kg parcel: before, it showed an expected cost of a few
    // thousand rupiah, below every real option.
    expect(unpriced.map((o) => `${o.courier}:${o.service}`)).toContain('sap:DRGREG');
    for (const o of unpriced) {
      expect(o).toMatchObject({
        eligible: false,
        expectedCost: null,
        score: null,
        cashback: null,
        breakdown: null,
      });
    }
    for (const o of options.filter((x) => x.price !== null))
      expect(o.expectedCost).toEqual(expect.any(Number));
  });

  it('applies the same COD limit as shipments', async () => {
    const over = await quote({ codAmount: 50_000_001 }).expect(400);
    expect(over.body.details).toEqual([
      { field: 'codAmount', message: 'codAmount must not be greater than 50000000' },
    ]);
    const shipmentOver = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({ ...validShipment(origin), codAmount: 50_000_001 })
      .expect(400);
    expect(shipmentOver.body.details).toEqual(over.body.details);
    await quote({ codAmount: 50_000_000 }).expect(200);
  });

  it('honours a preset: cheapest picks the lowest net shipping price', async () => {
    const options = (await quote({ preset: 'cheapest' }).expect(200)).body.options as Option[];
    const eligible = options.filter((o) => o.eligible);
    const net = (o: Option) => o.price! + o.codFee - o.cashback!;
    expect(net(eligible[0])).toBe(Math.min(...eligible.map(net)));
  });

  it('explains COD over a courier’s limit and routes a courier does not serve', async () => {
    const big = (await quote({ codAmount: 4_000_000 }).expect(200)).body.options as Option[];
    expect(find(big, 'sap', 'UDRREG').ineligibleReason).toBe('cod_over_limit');
    expect(find(big, 'jne', 'REG').eligible).toBe(true);
    const papua = (
      await quote({
        destination: {
          district: 'Jayapura Utara',
          city: 'Kota Jayapura',
          province: 'Papua',
          postalCode: '99111',
        },
        codAmount: 0,
      }).expect(200)
    ).body.options as Option[];
    expect(find(papua, 'sap', 'UDRREG').ineligibleReason).toBe('route_not_served');
    expect(find(papua, 'jne', 'REG').eligible).toBe(true);
  });

  it('answers a warm quote without calling any courier', async () => {
    const body = {
      destination: { ...jakarta, district: 'Tebet', city: 'Jakarta Selatan' },
      parcel: { weightGrams: 2300 },
    };
    await quote(body).expect(200);
    const sandboxes = t.app.get(CourierSandboxes).all();
    const before = sandboxes.map((s) => s.requests);
    const again = await quote(body).expect(200);
    expect(sandboxes.map((s) => s.requests)).toEqual(before);
    expect(again.body.recommended).not.toBeNull();
  });

  it('lists a courier whose circuit opened as such though its rates are cached, and ranks the rest', async () => {
    const body = {
      destination: { ...jakarta, district: 'Kebayoran Baru', city: 'Jakarta Selatan' },
      parcel: { weightGrams: 1200 },
    };
    const warm = (await quote(body).expect(200)).body.options as Option[];
    expect(find(warm, 'jne', 'REG').eligible).toBe(true);
    const jne = t.app.get(CourierRegistry).get('jne');
    const open = jest.spyOn(jne, 'circuit', 'get').mockReturnValue('open');
    try {
      const options = (await quote(body).expect(200)).body.options as Option[];
      expect(find(options, 'jne', 'REG')).toMatchObject({
        eligible: false,
        ineligibleReason: 'circuit_open',
      });
      expect(options.filter((o) => o.courier === 'jne' && o.eligible)).toEqual([]);
      expect(options.filter((o) => o.eligible).length).toBeGreaterThan(2);
    } finally {
      open.mockRestore();
    }
    // Another courier's circuit open instead: a ranking made for JNE's is not the one answered.
    const jnt = t.app.get(CourierRegistry).get('jnt');
    const jntOpen = jest.spyOn(jnt, 'circuit', 'get').mockReturnValue('open');
    try {
      const options = (await quote(body).expect(200)).body.options as Option[];
      expect(find(options, 'jne', 'REG').eligible).toBe(true);
      expect(options.filter((o) => o.courier === 'jnt' && o.eligible)).toEqual([]);
    } finally {
      jntOpen.mockRestore();
    }
    expect(find((await quote(body).expect(200)).body.options as Option[], 'jne', 'REG').eligible).toBe(true);
  });

  it("prices each parcel by its courier's own rounding, never by another parcel's cached rate", async () => {
    const destination = { ...jakarta, district: 'Cilandak', city: 'Jakarta Selatan' };
    // Both weigh 3 kg rounded up; JNE and SAP charge 2.2 kg as 2 kg (a fraction up to 0.3 kg is free).
    const light = (await quote({ destination, parcel: { weightGrams: 2200 } }).expect(200)).body
      .options as Option[];
    const heavy = (await quote({ destination, parcel: { weightGrams: 2800 } }).expect(200)).body
      .options as Option[];
    for (const [courier, service] of [
      ['jne', 'REG'],
      ['sap', 'UDRREG'],
    ])
      expect(find(heavy, courier, service).price).toBeGreaterThan(find(light, courier, service).price!);
    expect(find(heavy, 'idexpress', '00').price).toBe(find(light, 'idexpress', '00').price);
    // Asked cold in the other order, the same prices.
    const other = { ...destination, district: 'Pesanggrahan' };
    const heavyFirst = (await quote({ destination: other, parcel: { weightGrams: 2800 } }).expect(200)).body
      .options as Option[];
    const lightAfter = (await quote({ destination: other, parcel: { weightGrams: 2200 } }).expect(200)).body
      .options as Option[];
    expect(find(lightAfter, 'jne', 'REG').price).toBe(find(light, 'jne', 'REG').price);
    expect(find(heavyFirst, 'sap', 'UDRREG').price).toBe(find(heavy, 'sap', 'UDRREG').price);
  });

  it('asks a courier again for a COD parcel after a prepaid one on the same lane: it answers each under its own account', async () => {
    const destination = { ...jakarta, district: 'Kebayoran Lama', city: 'Jakarta Selatan' };
    const sap = t.app.get(CourierRegistry).get('sap');
    const asked = jest.spyOn(sap, 'quote');
    try {
      await quote({ destination, codAmount: 0 }).expect(200);
      await quote({ destination, codAmount: 150_000 }).expect(200);
      // Asked again for the same payment, the rate is the one kept.
      await quote({ destination, codAmount: 90_000 }).expect(200);
      expect(asked.mock.calls.map(([request]) => (request.codAmount ?? 0) > 0)).toEqual([false, true]);
    } finally {
      asked.mockRestore();
    }
  });

  it('asks SAP again for goods it must insure: their value is asked with the rate, and may price insurance', async () => {
    const destination = { ...jakarta, district: 'Pesanggrahan', city: 'Jakarta Selatan' };
    const sap = t.app.get(CourierRegistry).get('sap');
    const asked = jest.spyOn(sap, 'quote');
    try {
      for (const itemValue of [100_000, 400_000, 500_000, 600_000, 600_000, 900_000])
        await quote({ destination, parcel: { weightGrams: 1200, itemValue } }).expect(200);
      // Up to the value SAP must insure above, one rate serves them all; above it, each value is asked once.
      expect(asked.mock.calls.map(([request]) => request.parcel.itemValue)).toEqual([
        100_000, 600_000, 900_000,
      ]);
    } finally {
      asked.mockRestore();
    }
  });

  it('lists a courier that did not answer in time as timed out, and ranks the rest', async () => {
    const control = t.app.get(SandboxControl);
    await control.setFaults('ninja', { latencyMs: 4000 });
    try {
      const res = await quote({
        destination: { ...jakarta, district: 'Bekasi Timur', city: 'Bekasi', province: 'Jawa Barat' },
      }).expect(200);
      const options = res.body.options as Option[];
      expect(find(options, 'ninja', 'STANDARD')).toMatchObject({
        eligible: false,
        ineligibleReason: 'courier_timeout',
      });
      expect(options.filter((o) => o.eligible).length).toBeGreaterThan(2);
    } finally {
      await control.setFaults('ninja', { latencyMs: 0 });
    }
  });

  it('learns: many failed deliveries on the recommended lane move the recommendation away under safest', async () => {
    const body = {
      preset: 'safest',
      destination: { ...jakarta, district: 'Beji', city: 'Depok', province: 'Jawa Barat' },
    };
    const first = (await quote(body).expect(200)).body.recommended as { courier: string; service: string };
    const stats = t.app.get(DeliveryStatsService);
    for (let i = 0; i < 300; i += 1) {
      await stats.recordOutcome({
        shipmentId: randomUUID(),
        courier: first.courier as never,
        service: first.service,
        // Lanes are kept under the directory's names, which quotes and shipments now answer.
        origin: { city: 'Kota Bandung', province: 'Jawa Barat' },
        destination: { city: 'Kota Depok', province: 'Jawa Barat' },
        recipientPhone: `+62812${String(10_000_000 + i)}`,
        cod: true,
        outcome: 'returned',
        failedAttempts: 2,
      });
    }
    const after = (await quote(body).expect(200)).body;
    expect(after.recommended).not.toEqual(first);
    expect(find(after.options, first.courier, first.service).successRate).toBeLessThan(0.6);
  });

  it('refuses another seller’s origin address with 404, and bad input with 400 naming the field', async () => {
    const other = await signupSeller(http);
    const theirs = (await createAddress(http, other)).id;
    const foreign = await quote({ originAddressId: theirs }).expect(404);
    expect(foreign.body.details).toEqual([
      { field: 'originAddressId', message: 'is not one of your pickup addresses' },
    ]);
    // So does a shipment made from it.
    const shipment = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({ ...validShipment(theirs), reference: 'FOREIGN-ORIGIN' })
      .expect(404);
    expect(shipment.body.details).toEqual(foreign.body.details);
    const bad = await quote({
      parcel: { weightGrams: 0 },
      destination: { ...jakarta, province: 'Narnia' },
      preset: 'random',
    }).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'destination.province',
      'parcel.weightGrams',
      'preset',
    ]);
  });
});
