import { defaults } from 'config/defaults';
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
