import { randomUUID } from 'node:crypto';
import { Transactions } from 'src/database/transaction';
import { DeliveryOutcome, DeliveryStatsService } from 'src/scoring/delivery-stats.service';
import { DeliveryStatsCodCounts1795502900000 } from '../../../migrations/1795502900000-DeliveryStatsCodCounts';
import { createShipment, signupSeller } from '../../support/factories/sellers';
import { rerunMigration } from '../../support/migration-rerun';
import { startTestApp, TestApp } from '../../support/test-app';

const bandung = { city: 'Bandung', province: 'Jawa Barat' };
const surabaya = { city: 'Surabaya', province: 'Jawa Timur' };
const malang = { city: 'Malang', province: 'Jawa Timur' };
const promised = { min: 2, max: 3 };

describe('delivery statistics (recorded through the one entry point, read back as estimates)', () => {
  let t: TestApp;
  let stats: DeliveryStatsService;

  beforeAll(async () => {
    t = await startTestApp();
    stats = t.app.get(DeliveryStatsService);
  });
  afterAll(() => t.close());

  const outcome = (o: Partial<DeliveryOutcome>): DeliveryOutcome => ({
    shipmentId: randomUUID(),
    courier: 'jne',
    service: 'REG',
    origin: bandung,
    destination: surabaya,
    recipientPhone: `+62812${Math.floor(1e7 + Math.random() * 9e7)}`,
    cod: true,
    outcome: 'delivered',
    failedAttempts: 0,
    transitDays: 2,
    ...o,
  });
  /** Records many outcomes, twenty at a time. */
  async function record(list: DeliveryOutcome[]) {
    for (let i = 0; i < list.length; i += 20)
      await Promise.all(list.slice(i, i + 20).map((o) => stats.recordOutcome(o)));
  }
  const estimateFor = async (
    destination = surabaya,
    recipientPhone?: string,
    courier: 'jne' | 'sap' = 'jne',
    service = 'REG',
    cod = true,
  ) =>
    (
      await stats.estimates({ origin: bandung, destination, recipientPhone, cod }, [
        { courier, service, promised },
      ])
    )[0];

  it('starts from the prior and the promised SLA', async () => {
    const e = await estimateFor(surabaya, undefined, 'sap', 'UDRREG');
    expect(e.failureRate).toBeCloseTo(0.13, 10);
    expect(e.transitDays).toMatchObject({ source: 'promised', p50: 2.5, p90: 3 });
  });

  it('moves the lane’s success rate and transit percentiles as outcomes arrive, counting each shipment once', async () => {
    const before = await estimateFor();
    // 60 deliveries to Surabaya: 60 % in 2 days, 30 % in 3, 10 % in 5; then 20 returns.
    const delivered = [...Array(36).fill(2), ...Array(18).fill(3), ...Array(6).fill(5)].map((d: number) =>
      outcome({ transitDays: d }),
    );
    await record([
      ...delivered,
      ...Array.from({ length: 20 }, () =>
        outcome({ outcome: 'returned', failedAttempts: 2, transitDays: undefined }),
      ),
    ]);
    const after = await estimateFor();
    expect(after.observations.lane).toBe(80);
    expect(after.transitDays).toEqual({ p50: 2, p90: 3, source: 'lane' });
    expect(after.laneFailureRate).toBeGreaterThan(before.laneFailureRate);

    expect(await stats.recordOutcome(delivered[0])).toBe(false);
    expect((await estimateFor()).observations.lane).toBe(80);
  });

  it('keeps a lane with 3 outcomes near its province rate, and one with 1,000 near its own', async () => {
    // The province (Jawa Timur, via Surabaya above plus more) fails rarely; Malang's lanes differ.
    await record(
      Array.from({ length: 400 }, () =>
        outcome({ courier: 'sap', service: 'UDRREG', destination: surabaya, transitDays: 2 }),
      ),
    );
    await record(
      Array.from({ length: 3 }, () =>
        outcome({
          courier: 'sap',
          service: 'UDRREG',
          destination: malang,
          outcome: 'returned',
          transitDays: undefined,
        }),
      ),
    );
    // Compared at the same moment: a lane with no outcomes of its own (Kediri) shows the province rate.
    const province = await estimateFor(
      { city: 'Kediri', province: 'Jawa Timur' },
      undefined,
      'sap',
      'UDRREG',
    );
    const thin = await estimateFor(malang, undefined, 'sap', 'UDRREG');
    expect(thin.observations.lane).toBe(3);
    // 3 outcomes against the lane's 30 pseudo-outcomes: at most a tenth of the way from the province's rate.
    expect(Math.abs(thin.laneFailureRate - province.laneFailureRate)).toBeLessThan(0.1);

    const busy = { city: 'Sidoarjo', province: 'Jawa Timur' };
    await record(
      Array.from({ length: 1000 }, (_, i) =>
        outcome({
          courier: 'sap',
          service: 'UDRREG',
          destination: busy,
          ...(i % 2 ? { outcome: 'returned', transitDays: undefined } : {}),
        }),
      ),
    );
    const thick = await estimateFor(busy, undefined, 'sap', 'UDRREG');
    expect(thick.observations.lane).toBe(1000);
    expect(Math.abs(thick.laneFailureRate - 0.5)).toBeLessThan(0.02);
  }, 120_000);

  it('shifts the risk of a recipient with a history, and of that recipient only', async () => {
    const refuser = '+6281311112222';
    const lane = await estimateFor();
    await record(
      Array.from({ length: 3 }, () =>
        outcome({ recipientPhone: refuser, outcome: 'returned', failedAttempts: 1, transitDays: undefined }),
      ),
    );
    const risky = await estimateFor(surabaya, refuser);
    const stranger = await estimateFor(surabaya, '+6281399998888');
    expect(risky.failureRate).toBeGreaterThan(stranger.failureRate + 0.3);
    expect(stranger.failureRate).toBeCloseTo(stranger.laneFailureRate, 10);
    expect(Math.abs(stranger.laneFailureRate - lane.laneFailureRate)).toBeLessThan(0.05);
    const stored = await t.dataSource.query('SELECT phone_hash FROM recipient_stats');
    expect(JSON.stringify(stored)).not.toContain('81311112222');
  });

  it('reads a batch of recipients ahead in one go; a recipient first seen without a record gains one with an outcome', async () => {
    const known = '+6281322223333';
    const newcomer = '+6281344445555';
    await record([outcome({ recipientPhone: known, outcome: 'returned', transitDays: undefined })]);
    await stats.prefetchRecipients([known, newcomer, known]);
    expect(await stats.recipientRecord(known, true)).toEqual({ outcomes: 1, failures: 1 });
    expect(await stats.recipientRecord(newcomer, true)).toBeNull();
    // The absence was cached; recording an outcome here replaces it at once.
    await record([outcome({ recipientPhone: newcomer })]);
    expect(await stats.recipientRecord(newcomer, true)).toEqual({ outcomes: 1, failures: 0 });
  });

  it('learns COD parcels apart from prepaid ones: prepaid deliveries do not lift a lane’s COD chances, nor a refuser’s', async () => {
    const lane = { city: 'Kota Kediri', province: 'Jawa Timur', districtCode: '35.71.01' };
    const buyer = '+6281355556666';
    const ask = async (cod: boolean) =>
      (
        await stats.estimates({ origin: bandung, destination: lane, recipientPhone: buyer, cod }, [
          { courier: 'jne', service: 'YES', promised },
        ])
      )[0];
    // 40 prepaid parcels delivered in 2 days, 20 COD parcels refused (one of them this buyer's).
    await record([
      ...Array.from({ length: 40 }, () => outcome({ service: 'YES', destination: lane, cod: false })),
      ...Array.from({ length: 20 }, (_, i) =>
        outcome({
          service: 'YES',
          destination: lane,
          outcome: 'returned',
          failedAttempts: 1,
          transitDays: undefined,
          ...(i === 0 ? { recipientPhone: buyer } : {}),
        }),
      ),
      outcome({ service: 'YES', destination: lane, cod: false, recipientPhone: buyer }),
    ]);
    const cod = await ask(true);
    const prepaid = await ask(false);
    expect(cod.observations).toMatchObject({ lane: 20, recipient: 1 });
    expect(prepaid.observations).toMatchObject({ lane: 41, recipient: 1 });
    expect(cod.laneFailureRate).toBeGreaterThan(prepaid.laneFailureRate + 0.2);
    expect(await stats.recipientRecord(buyer, true)).toEqual({ outcomes: 1, failures: 1 });
    expect(await stats.recipientRecord(buyer, false)).toEqual({ outcomes: 1, failures: 0 });
    // A parcel travels alike however it is paid: both read the 41 prepaid deliveries' transit days.
    expect(cod.transitDays).toEqual(prepaid.transitDays);
    expect(cod.transitDays).toMatchObject({ p50: 2, source: 'lane' });

    // A prepaid delivery's first attempt taken back leaves the COD counts as they were.
    const [row] = await t.dataSource.query<{ first_attempt: number; cod_first_attempt: number }[]>(
      "SELECT first_attempt, cod_first_attempt FROM delivery_stats WHERE level = 'area' AND key = 'jne|R35.71'",
    );
    expect(row).toEqual({ first_attempt: 41, cod_first_attempt: 0 });
    const [prepaidId] = await t.dataSource.query<{ shipment_id: string }[]>(
      "SELECT shipment_id FROM delivery_outcomes WHERE NOT cod AND 'area:jne|R35.71' = ANY(stats_keys) LIMIT 1",
    );
    await t.app
      .get(Transactions)
      .run(() => stats.correctFailedAttempts([{ shipmentId: prepaidId.shipment_id, failedAttempts: 1 }]));
    const [corrected] = await t.dataSource.query<{ first_attempt: number; cod_first_attempt: number }[]>(
      "SELECT first_attempt, cod_first_attempt FROM delivery_stats WHERE level = 'area' AND key = 'jne|R35.71'",
    );
    expect(corrected).toEqual({ first_attempt: 40, cod_first_attempt: 0 });
  });

  it('learns a COD parcel delivered without its cash as a failure, and as a success again once its cash comes', async () => {
    const place = { city: 'Kota Blitar', province: 'Jawa Timur', districtCode: '35.72.01' };
    const on = (o: Partial<DeliveryOutcome>) =>
      outcome({ courier: 'jnt', service: 'EZ', destination: place, ...o });
    const buyer = '+6281377770000';
    const unpaid = on({ paid: false, recipientPhone: buyer });
    // A prepaid parcel has no cash to take: delivered is delivered.
    await record([unpaid, on({ paid: true }), on({ cod: false, paid: false })]);
    const row = async () =>
      (
        await t.dataSource.query<
          { failures: number; first_attempt: number; cod_failures: number; cod_first_attempt: number }[]
        >(
          `SELECT failures, first_attempt, cod_failures, cod_first_attempt FROM delivery_stats
            WHERE level = 'area' AND key = 'jnt|R35.72'`,
        )
      )[0];
    expect(await row()).toEqual({ failures: 1, first_attempt: 2, cod_failures: 1, cod_first_attempt: 1 });
    // The buyer took the parcel: their record says delivered.
    expect(await stats.recipientRecord(buyer, true)).toEqual({ outcomes: 1, failures: 0 });
    const tx = t.app.get(Transactions);
    // Its cash came after all: a first-attempt delivery, paid.
    await tx.run(() => stats.correctPaid([unpaid.shipmentId], true));
    expect(await row()).toEqual({ failures: 0, first_attempt: 3, cod_failures: 0, cod_first_attempt: 2 });
    // Said again, nothing changes; found never collected (a credit reversed), a failure again.
    await tx.run(() => stats.correctPaid([unpaid.shipmentId], true));
    expect(await row()).toEqual({ failures: 0, first_attempt: 3, cod_failures: 0, cod_first_attempt: 2 });
    await tx.run(() => stats.correctPaid([unpaid.shipmentId], false));
    expect(await row()).toEqual({ failures: 1, first_attempt: 2, cod_failures: 1, cod_first_attempt: 1 });
    // A failed attempt reported late takes back no first attempt it never counted.
    await tx.run(() => stats.correctFailedAttempts([{ shipmentId: unpaid.shipmentId, failedAttempts: 1 }]));
    expect(await row()).toEqual({ failures: 1, first_attempt: 2, cod_failures: 1, cod_first_attempt: 1 });
  });

  it('records pickup reliability per courier', async () => {
    for (let i = 0; i < 40; i += 1) await stats.recordPickupOutcome('ninja', i % 4 === 0);
    const [e] = await stats.estimates({ origin: bandung, destination: surabaya, cod: true }, [
      { courier: 'ninja', service: 'STANDARD', promised },
    ]);
    expect(e.pickupFailureRate).toBeGreaterThan(0.1);
  });

  it('keys the lane by regency codes: an outcome to "Kota Bandung" is found by a quote typed "Bandung", to another of its districts', async () => {
    const lane = (e: { observations: { lane: number; province: number } }) => e.observations;
    await record([
      outcome({
        courier: 'idexpress',
        service: '00',
        origin: { city: 'Kota Surabaya', province: 'Jawa Timur', districtCode: '35.78.04' },
        destination: { city: 'Kota Bandung', province: 'Jawa Barat', districtCode: '32.73.19' },
      }),
    ]);
    const ask = async (destination: { city: string; province: string; districtCode?: string | null }) =>
      (
        await stats.estimates(
          // The origin typed differently too, in another district of Kota Surabaya.
          {
            origin: { city: 'Surabaya', province: 'Jawa Timur', districtCode: '35.78.01' },
            destination,
            cod: true,
          },
          [{ courier: 'idexpress', service: '00', promised }],
        )
      )[0];
    // Sumur Bandung (32.73.19) and Astana Anyar (32.73.10) are both in Kota Bandung (32.73): the same lane.
    expect(
      lane(await ask({ city: 'Bandung', province: 'Jawa Barat', districtCode: '32.73.10' })),
    ).toMatchObject({
      lane: 1,
      province: 1,
    });
    // Kabupaten Bandung (32.04) is another regency of the same province: its own lane, the same province.
    expect(
      lane(await ask({ city: 'Bandung', province: 'Jawa Barat', districtCode: '32.04.05' })),
    ).toMatchObject({
      lane: 0,
      province: 1,
    });
    // A place without a district code (typed before the directory) keys by names, as before: no match here.
    expect(
      lane(await ask({ city: 'Kota Bandung', province: 'Jawa Barat', districtCode: null })),
    ).toMatchObject({
      lane: 0,
      province: 1,
    });
  });
  it('takes a first-attempt delivery back from the rows it was counted in when a failed attempt before it comes later', async () => {
    const place = { city: 'Kota Cirebon', province: 'Jawa Barat', districtCode: '32.74.01' };
    const first = outcome({ courier: 'ninja', service: 'Standard', destination: place });
    const returned = outcome({
      courier: 'ninja',
      service: 'Standard',
      destination: place,
      outcome: 'returned',
    });
    await record([first, returned, outcome({ courier: 'ninja', service: 'Standard', destination: place })]);
    const recorded = async (id: string) =>
      (
        await t.dataSource.query<{ failed_attempts: number; stats_keys: string[] }[]>(
          'SELECT failed_attempts, stats_keys FROM delivery_outcomes WHERE shipment_id = $1',
          [id],
        )
      )[0];
    const keys = (await recorded(first.shipmentId)).stats_keys;
    expect(keys.map((k) => k.split(':')[0])).toEqual(['lane', 'area', 'province', 'national']);
    const rows = () =>
      t.dataSource.query<{ id: string; outcomes: number; failures: number; first_attempt: number }[]>(
        `SELECT level || ':' || key AS id, outcomes, failures, first_attempt FROM delivery_stats
         WHERE level || ':' || key = ANY($1::text[]) ORDER BY 1`,
        [keys],
      );
    const before = await rows();
    // Only this test ships with Ninja here: two deliveries at the first attempt and a return, in every row.
    expect(before.map((r) => [r.outcomes, r.failures, r.first_attempt])).toEqual(Array(4).fill([3, 1, 2]));
    const correct = (list: { shipmentId: string; failedAttempts: number }[]) =>
      t.app.get(Transactions).run(() => stats.correctFailedAttempts(list));

    await correct([
      { shipmentId: first.shipmentId, failedAttempts: 1 },
      // Not a first attempt to take back: its record changes, no count does.
      { shipmentId: returned.shipmentId, failedAttempts: 3 },
      // Never recorded: nothing.
      { shipmentId: randomUUID(), failedAttempts: 1 },
    ]);
    expect((await recorded(first.shipmentId)).failed_attempts).toBe(1);
    expect((await recorded(returned.shipmentId)).failed_attempts).toBe(3);
    const after = await rows();
    expect(after).toEqual(before.map((r) => ({ ...r, first_attempt: r.first_attempt - 1 })));
    // Raised again (a second late failure): the count stays taken back once; the record follows.
    await correct([{ shipmentId: first.shipmentId, failedAttempts: 2 }]);
    expect((await recorded(first.shipmentId)).failed_attempts).toBe(2);
    expect(await rows()).toEqual(after);
    // A lower count than recorded changes nothing.
    await correct([{ shipmentId: first.shipmentId, failedAttempts: 1 }]);
    expect((await recorded(first.shipmentId)).failed_attempts).toBe(2);
  });

  it('never makes a statistics row nor takes a count below zero when it takes a first attempt back', async () => {
    const place = { city: 'Kota Tegal', province: 'Jawa Tengah', districtCode: '33.76.01' };
    const lanePlace = { city: 'Kota Pekalongan', province: 'Jawa Tengah', districtCode: '33.75.01' };
    const [o, p] = [
      outcome({ courier: 'idexpress', service: 'STD', destination: place }),
      outcome({ courier: 'idexpress', service: 'STD', destination: lanePlace }),
    ];
    await record([o, p]);
    const keysOf = async (id: string) =>
      (
        await t.dataSource.query<{ stats_keys: string[] }[]>(
          'SELECT stats_keys FROM delivery_outcomes WHERE shipment_id = $1',
          [id],
        )
      )[0].stats_keys;
    const [lane, area] = await keysOf(o.shipmentId);
    const [otherLane] = await keysOf(p.shipmentId);
    // Rows gone (a reset) and a count already at zero (counted before it was kept).
    await t.dataSource.query("DELETE FROM delivery_stats WHERE level || ':' || key = ANY($1::text[])", [
      [lane, otherLane],
    ]);
    await t.dataSource.query("UPDATE delivery_stats SET first_attempt = 0 WHERE level || ':' || key = $1", [
      area,
    ]);
    // One transaction takes both first attempts back, and learns a new return on the second lane.
    const returned = outcome({
      courier: 'idexpress',
      service: 'STD',
      destination: lanePlace,
      outcome: 'returned',
    });
    await t.app.get(Transactions).run(async () => {
      await stats.correctFailedAttempts([
        { shipmentId: o.shipmentId, failedAttempts: 1 },
        { shipmentId: p.shipmentId, failedAttempts: 1 },
      ]);
      await stats.recordOutcome(returned);
    });
    const rows = await t.dataSource.query<{ id: string; outcomes: number; first_attempt: number }[]>(
      `SELECT level || ':' || key AS id, outcomes, first_attempt FROM delivery_stats
       WHERE level || ':' || key = ANY($1::text[]) ORDER BY 1`,
      [[lane, area, otherLane]],
    );
    expect(rows).toEqual([
      { id: area, outcomes: 1, first_attempt: 0 },
      // Made again by the new return (its count kept), with no first attempt to take back.
      { id: otherLane, outcomes: 1, first_attempt: 0 },
    ]);
  });

  // Last in this app: it runs the migration down and up over everything recorded above.
  it('the migration keeps COD apart in what was learned before it: prepaid shipments’ outcomes out, unknown ones in', async () => {
    const http = t.http();
    const seller = await signupSeller(http);
    const prepaidShipment = await createShipment(http, seller, { codAmount: 0 });
    const codShipment = await createShipment(http, seller, { codAmount: 120_000 });
    const place = { city: 'Kota Madiun', province: 'Jawa Timur', districtCode: '35.77.01' };
    const on = (o: Partial<DeliveryOutcome>) =>
      outcome({ courier: 'sap', service: 'UDRREG', destination: place, ...o });
    // Recorded as the code did before the migration knew COD (its flags are thrown away by `down`).
    await record([
      on({ shipmentId: prepaidShipment.id, cod: false }),
      on({ shipmentId: codShipment.id, outcome: 'returned', transitDays: undefined }),
      // No shipment to tell: taken as COD.
      on({}),
    ]);
    const buyer = outcome({}).recipientPhone;
    await record([outcome({ recipientPhone: buyer, cod: false })]);
    await rerunMigration(t.dataSource, new DeliveryStatsCodCounts1795502900000());

    const flags = await t.dataSource.query<{ shipment_id: string; cod: boolean | null }[]>(
      "SELECT shipment_id, cod FROM delivery_outcomes WHERE 'area:sap|R35.77' = ANY(stats_keys)",
    );
    const flag = new Map(flags.map((f) => [f.shipment_id, f.cod]));
    expect(flags).toHaveLength(3);
    expect(flag.get(prepaidShipment.id)).toBe(false);
    expect(flag.get(codShipment.id)).toBe(true);
    // Counted as COD, and said so.
    expect(flags.filter((f) => f.cod === true)).toHaveLength(2);
    const [row] = await t.dataSource.query(
      `SELECT outcomes, failures, first_attempt, cod_outcomes, cod_failures, cod_first_attempt
         FROM delivery_stats WHERE level = 'area' AND key = 'sap|R35.77'`,
    );
    expect(row).toEqual({
      outcomes: 3,
      failures: 1,
      first_attempt: 2,
      cod_outcomes: 2,
      cod_failures: 1,
      cod_first_attempt: 1,
    });
    // Recipients are known by a salted hash only: their records so far are taken as COD.
    expect(await stats.recipientRecord(buyer, true)).toEqual({ outcomes: 1, failures: 0 });
  });
});

/** On a stepped sandbox clock a moment reads the figures as it first read them: the simulation replays alike. */
describe('delivery statistics on a stepped sandbox clock', () => {
  let t: TestApp;
  let stats: DeliveryStatsService;

  beforeAll(async () => {
    t = await startTestApp({ SANDBOX_CLOCK: 'stepped' });
    stats = t.app.get(DeliveryStatsService);
  });
  afterAll(() => t.close());

  it('keeps what a moment read until the clock moves, however many outcomes and pickups are recorded meanwhile', async () => {
    const phone = '+6281377778888';
    const read = async () =>
      (
        await stats.estimates({ origin: bandung, destination: malang, recipientPhone: phone, cod: true }, [
          { courier: 'sap', service: 'UDRREG', promised },
        ])
      )[0];
    const before = await read();
    expect(before.observations.lane).toBe(0);
    for (let i = 0; i < 10; i += 1) {
      await stats.recordOutcome({
        shipmentId: randomUUID(),
        courier: 'sap',
        service: 'UDRREG',
        origin: bandung,
        destination: malang,
        recipientPhone: phone,
        cod: true,
        outcome: 'returned',
        failedAttempts: 2,
      });
      await stats.recordPickupOutcome('sap', true);
    }
    expect(await read()).toEqual(before);
    t.clock.advance(12 * 3600_000);
    const after = await read();
    expect(after.observations.lane).toBe(10);
    expect(after.failureRate).toBeGreaterThan(before.failureRate);
    expect(after.pickupFailureRate).toBeGreaterThan(before.pickupFailureRate);
  });
});
