import { defaults } from 'config/defaults';
import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { CourierLocations } from 'src/couriers/locations';
import { CASES, order, place } from './fixtures';
import { SandboxWorld } from 'src/couriers/sandbox/sandbox-world.service';
import { planJourney } from 'src/couriers/sandbox/world';
import { deliveryChance, recipientTruth } from 'src/couriers/sandbox/world-model';
import { LogCapture } from '../../support/log-capture';
import { startTestApp, TestApp } from '../../support/test-app';

/** The sandbox world places parcels in the directory's real regencies, and its recipients behave by phone. */
describe('the sandbox world with the area directory', () => {
  const logs = new LogCapture();
  let t: TestApp;
  let world: SandboxWorld;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'warn' }, undefined, { logDestination: logs });
    world = t.app.get(SandboxWorld);
  });
  afterAll(() => t.close());

  const route = {
    originCity: 'Kota Bandung',
    originProvince: 'Jawa Barat',
    destinationCity: 'Kota Surabaya',
    destinationProvince: 'Jawa Timur',
  };

  it('finds regencies by canonical names, and falls back to the province for a place it cannot name, logged once', async () => {
    expect(await world.regenciesOf(route)).toEqual({ origin: '32.73', destination: '35.78' });
    const vague = { ...route, destinationCity: 'Bandung', destinationProvince: 'Jawa Barat' };
    expect(await world.regenciesOf(vague)).toEqual({ origin: '32.73', destination: undefined });
    await world.regenciesOf(vague);
    const warned = logs.lines().filter((l) => String(l.msg).includes('"Bandung, Jawa Barat"'));
    expect(warned).toHaveLength(1);
  });

  it("reads a place's regency from each courier's own location codes, and keeps it with the parcel", async () => {
    const locations = t.app.get(CourierLocations);
    for (const courier of COURIER_CODES) {
      const row = (await locations.codeFor(courier, '35.78.01'))!;
      expect(await world.regencyOfCode(courier, row.code)).toBe('35.78');
      if (row.cityCode) expect(await world.regencyOfCode(courier, row.cityCode, 'cityCode')).toBe('35.78');
    }
    expect(await world.regencyOfCode('sap', 'NOT-A-CODE')).toBeUndefined();
    const parcel = await world.create({
      courier: 'sap',
      awb: 'WORLD-CODES-1',
      reference: 'WORLD-CODES-1',
      service: 'UDRREG',
      // SAP's request carries codes: its places are the provinces, the regencies come from the codes.
      originCity: 'Jawa Barat',
      originProvince: 'Jawa Barat',
      destinationCity: 'Jawa Timur',
      destinationProvince: 'Jawa Timur',
      originRegency: '32.73',
      destinationRegency: '35.78',
      weightGrams: 1000,
      codAmount: 0,
      pickup: false,
      request: {},
    });
    expect(await world.find('sap', parcel.awb)).toMatchObject({
      originRegency: '32.73',
      destinationRegency: '35.78',
    });
    expect(logs.lines().filter((l) => String(l.msg).includes('"Jawa Timur, Jawa Timur"'))).toHaveLength(0);
  });

  it.each(COURIER_CODES)(
    'keeps the regencies and the recipient phone of an order booked through the %s adapter',
    async (code) => {
      const surabaya = place('Jawa Timur', 'Kota Surabaya', 'Genteng', '35.78.05');
      const req = order(CASES[code].service, { recipient: surabaya });
      const created = await t.app.get(CourierRegistry).get(code).createOrder(req);
      const parcel = (await world.find(code, created.awb))!;
      expect(
        await world.regenciesOf(parcel).then((names) => ({
          origin: parcel.originRegency ?? names.origin,
          destination: parcel.destinationRegency ?? names.destination,
        })),
      ).toEqual({ origin: '32.73', destination: '35.78' });
      expect(parcel.recipientPhone?.replace(/\D/g, '').slice(-10)).toBe(surabaya.phone.slice(-10));
    },
  );

  it("plans a created parcel's journey on its regencies' lane and for its recipient", async () => {
    const seed = t.app.get(SandboxWorld).seed;
    const phones = Array.from({ length: 500 }, (_, i) => `+62857${String(i).padStart(7, '0')}`);
    const truthOf = (phone: string) => recipientTruth(world.settings.world, seed, phone);
    const refuser = phones.find((p) => truthOf(p).refusesCod > 0)!;
    const ordinary = phones.find((p) => truthOf(p).refusesCod === 0 && !truthOf(p).hardToReach)!;
    const made = async (phone: string, n: number) => {
      let delivered = 0;
      for (let i = 0; i < n; i += 1) {
        const awb = `WORLD-${phone}-${i}`;
        const parcel = await world.create({
          courier: 'jne',
          awb,
          reference: awb,
          service: 'REG',
          ...route,
          recipientPhone: phone,
          weightGrams: 1000,
          codAmount: 150_000,
          pickup: false,
          request: {},
        });
        // What the world model plans for the same lane and phone, directly.
        expect(parcel.plan).toEqual(
          planJourney(world.settings, {
            seed,
            courier: 'jne',
            awb,
            service: defaults.couriers.catalogue.jne.services[0],
            ...route,
            originRegency: '32.73',
            destinationRegency: '35.78',
            recipientPhone: phone,
            codAmount: 150_000,
            pickup: false,
            createdAt: parcel.createdAt,
          }),
        );
        expect((await world.find('jne', awb))?.recipientPhone).toBe(phone);
        delivered += Number(parcel.plan[parcel.plan.length - 1].status === 'delivered');
      }
      return delivered / n;
    };
    const truth = deliveryChance(world.settings.world, seed, 'jne', 'REG', '32.73', '35.78', refuser).plain;
    expect(truth).toBeLessThan(0.6);
    expect(
      deliveryChance(world.settings.world, seed, 'jne', 'REG', '32.73', '35.78', ordinary).plain,
    ).toBeGreaterThan(truth + 0.3);
    expect(await made(ordinary, 60)).toBeGreaterThan((await made(refuser, 60)) + 0.3);
  });
});

/**
 * With SANDBOX_DRAWS=per_order (the simulator's setting), one order fares alike whichever AWB, courier or Kirim
 * books it: policies compared on the same orders differ only by their choices.
 */
describe('the sandbox world drawing per order', () => {
  let perOrder: TestApp;
  let perParcel: TestApp;
  const route = {
    originCity: 'Kota Bandung',
    originProvince: 'Jawa Barat',
    destinationCity: 'Kota Surabaya',
    destinationProvince: 'Jawa Timur',
  };
  const book = (app: TestApp, awb: string, order: { phone?: string; codAmount?: number } = {}) =>
    app.app.get(SandboxWorld).create({
      courier: 'jne',
      awb,
      reference: awb,
      service: 'REG',
      ...route,
      ...(order.phone === '' ? {} : { recipientPhone: order.phone ?? '+6285700001111' }),
      weightGrams: 1000,
      codAmount: order.codAmount ?? 150_000,
      pickup: true,
      request: {},
    });

  beforeAll(async () => {
    perOrder = await startTestApp({ LOG_LEVEL: 'warn', SANDBOX_DRAWS: 'per_order' });
    perParcel = await startTestApp({ LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await perOrder.close();
    await perParcel.close();
  });

  it('gives one order the same journey under every AWB; another order, or the same booked a day later, its own', async () => {
    const first = await book(perOrder, 'ORDER-A-1');
    expect((await book(perOrder, 'ORDER-A-2')).plan).toEqual(first.plan);
    // Another buyer, another amount: other draws (the journeys' times are continuous draws).
    expect((await book(perOrder, 'ORDER-B-1', { phone: '+6285700002222' })).plan).not.toEqual(first.plan);
    expect((await book(perOrder, 'ORDER-C-1', { codAmount: 150_001 })).plan).not.toEqual(first.plan);
    // Without a phone there is no order to name: each parcel its own.
    const bare = await book(perOrder, 'ORDER-D-1', { phone: '' });
    expect((await book(perOrder, 'ORDER-D-2', { phone: '' })).plan).not.toEqual(bare.plan);
    // Shipped again the next day (a missed pickup): drawn afresh, not doomed to the same fate.
    perOrder.clock.advance(24 * 3600_000);
    const again = await book(perOrder, 'ORDER-A-3');
    const shifted = first.plan.map((s) => ({
      ...s,
      at: new Date(Date.parse(s.at) + 24 * 3600_000).toISOString(),
    }));
    expect(again.plan).not.toEqual(shifted);
  });

  it('by default, each parcel draws its own: the same order under two AWBs fares differently', async () => {
    const a = await book(perParcel, 'PARCEL-A-1');
    expect((await book(perParcel, 'PARCEL-A-2')).plan).not.toEqual(a.plan);
  });
});
