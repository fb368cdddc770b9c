import supertest from 'supertest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { AppConfig } from 'config';
import { AreasService } from 'src/areas/areas.service';
import { CourierLocationsRepository } from 'src/couriers/courier-locations.repository';
import { COURIERS_NEEDING_CODES, CourierLocations, LocationRow } from 'src/couriers/locations';
import { Transactions } from 'src/database/transaction';
import { PickupService } from 'src/shipments/pickup.service';
import { createAddress, signupSeller, TestSeller, validShipment } from '../support/factories/sellers';
import { killAll, runBuilt } from '../support/process';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-db';

interface Option {
  courier: CourierCode;
  service: string;
  rank: number | null;
  eligible: boolean;
  ineligibleReason?: string;
}

const MENTENG = '31.71.06'; // the recipient of validShipment
const jakarta = { district: 'Menteng', city: 'Jakarta Pusat', province: 'DKI Jakarta', postalCode: '10340' };

/** A courier's whole mapping as the database holds it. */
async function mapping(t: TestApp, courier: CourierCode): Promise<LocationRow[]> {
  const rows = await t.dataSource.query<Record<string, string | null>[]>(
    `SELECT district_code, code, label, city_code, city_label, province_label
       FROM courier_location_codes WHERE courier = $1 ORDER BY district_code`,
    [courier],
  );
  return rows.map((r) => ({
    districtCode: r.district_code!,
    code: r.code!,
    label: r.label,
    cityCode: r.city_code,
    cityLabel: r.city_label,
    provinceLabel: r.province_label,
  }));
}

describe('a courier without a location code for the destination (area_not_mapped)', () => {
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

  const quote = async () =>
    (
      await http
        .post('/v1/quotes')
        .set(seller.auth)
        .send({
          originAddressId: origin,
          destination: jakarta,
          parcel: { weightGrams: 1200 },
          codAmount: 150_000,
        })
        .expect(200)
    ).body.options as Option[];

  it('makes only that courier’s services ineligible, and shipments go to another courier', async () => {
    // The courier Kirim would choose among those that need codes: the one whose mapping loses Menteng.
    const before = await quote();
    expect(before.filter((o) => o.ineligibleReason === 'area_not_mapped')).toEqual([]);
    const ranked = before.filter((o) => o.eligible).sort((a, b) => a.rank! - b.rank!);
    const gone = ranked.find((o) => COURIERS_NEEDING_CODES.has(o.courier))!.courier;
    const full = await mapping(t, gone);
    expect(full.some((r) => r.districtCode === MENTENG)).toBe(true);
    const counts = await t.app.get(CourierLocations).load(
      gone,
      full.filter((r) => r.districtCode !== MENTENG),
      'sandbox',
    );
    expect(counts).toEqual({
      inserted: 0,
      updated: 0,
      removed: 1,
      unchanged: full.length - 1,
      replaced: null,
    });

    const after = await quote();
    const own = after.filter((o) => o.courier === gone);
    expect(own.length).toBeGreaterThan(0);
    const wasEligible = (o: Option) =>
      before.some((b) => b.service === o.service && b.courier === o.courier && b.eligible);
    expect(own.filter(wasEligible).length).toBeGreaterThan(0);
    // Each service that could carry the parcel now says why not; one that could not keeps its own reason.
    for (const o of own)
      expect(o).toMatchObject({
        eligible: false,
        rank: null,
        ...(wasEligible(o) ? { ineligibleReason: 'area_not_mapped' } : {}),
      });
    const others = after.filter((o) => o.courier !== gone);
    expect(others.filter((o) => o.ineligibleReason === 'area_not_mapped')).toEqual([]);
    // Everything else is as it was: the same services eligible.
    const eligibleKeys = (options: Option[]) =>
      options
        .filter((o) => o.eligible && o.courier !== gone)
        .map((o) => `${o.courier}:${o.service}`)
        .sort();
    expect(eligibleKeys(after)).toEqual(eligibleKeys(before));

    // Pinned to that courier: refused, naming `courier` and the reason.
    const pinned = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({ ...validShipment(origin), courier: { code: gone, service: own.find(wasEligible)!.service } })
      .expect(422);
    expect(pinned.body.code).toBe('SHIPMENTS_NO_COURIER_CARRIES');
    expect(pinned.body.details).toEqual([
      { field: 'courier', message: expect.stringContaining('area_not_mapped') },
    ]);

    // Not pinned: created, and booked with another courier.
    const created = await http.post('/v1/shipments').set(seller.auth).send(validShipment(origin)).expect(201);
    await http
      .post('/v1/pickups')
      .set(seller.auth)
      .send({ shipmentIds: [created.body.id] })
      .expect(202);
    while ((await t.app.get(PickupService).processDue(50)) > 0);
    const booked = (await http.get(`/v1/shipments/${created.body.id}`).set(seller.auth).expect(200)).body;
    expect(booked.status).toBe('booked');
    expect(booked.courier.code).not.toBe(gone);
    expect(booked.decision.candidates).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ courier: gone, ineligibleReason: 'area_not_mapped' }),
      ]),
    );

    // The district mapped again: the courier is back.
    await t.app.get(CourierLocations).load(gone, full, 'sandbox');
    expect((await quote()).filter((o) => o.ineligibleReason === 'area_not_mapped')).toEqual([]);
  });
});

describe('a courier’s cached rates after a new mapping', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let origin: string;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
    origin = (await createAddress(http, seller)).id;
  });
  afterAll(() => t.close());

  const jnePrices = async (destination: object) =>
    (
      (
        await http
          .post('/v1/quotes')
          .set(seller.auth)
          .send({ originAddressId: origin, destination, parcel: { weightGrams: 1200 }, codAmount: 150_000 })
          .expect(200)
      ).body.options as (Option & { price: number | null })[]
    )
      .filter((o) => o.courier === 'jne')
      .map((o) => `${o.service}:${o.price}`);

  it('are asked again with the new code, not served as quoted for the old one', async () => {
    const full = await mapping(t, 'jne');
    // A district far from Jakarta, whose code (the first of its value in JNE's mapping) the sandbox reads back.
    const far = full[0];
    const area = (await t.app.get(AreasService).byCode(far.districtCode))!;
    expect(area.province.name).not.toBe('DKI Jakarta');
    const there = await jnePrices({
      district: area.name,
      city: area.regency.name,
      province: area.province.name,
      postalCode: '23111',
    });
    const before = await jnePrices(jakarta); // cached for the route and weight from here on
    expect(before).not.toEqual(there);
    expect(before.some((p) => !p.endsWith(':null'))).toBe(true);

    // Menteng's code becomes that district's: JNE now prices a parcel to Menteng as one to there.
    const moved = full.map((r) => (r.districtCode === MENTENG ? { ...r, code: far.code } : r));
    await t.app.get(CourierLocations).load('jne', moved, 'sandbox');
    try {
      expect(await jnePrices(jakarta)).toEqual(there);
    } finally {
      await t.app.get(CourierLocations).load('jne', full, 'sandbox');
    }
    expect(await jnePrices(jakarta)).toEqual(before);
  });
});

describe('a courier with real credentials', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('ignores the sandbox’s generated mapping and uses only what an operator loaded', async () => {
    const config = t.app.get(AppConfig);
    const real = Object.assign(Object.create(AppConfig.prototype) as AppConfig, config, {
      couriers: {
        ...config.couriers,
        credentials: { ...config.couriers.credentials, jne: { JNE_BASE_URL: 'https://jne.invalid' } },
      },
    });
    const locations = new CourierLocations(
      t.app.get(CourierLocationsRepository),
      t.app.get(Transactions),
      real,
      t.app.get(AreasService),
    );
    const menteng = {
      districtCode: MENTENG,
      district: 'Menteng',
      city: 'Jakarta Pusat',
      province: 'DKI Jakarta',
      postalCode: '10340',
    };
    expect(await locations.codeFor('jne', MENTENG)).toBeNull();
    expect(await locations.covers('jne', menteng)).toBe(false);
    expect(await locations.codeFor('sap', MENTENG)).not.toBeNull(); // still a sandbox courier
    await locations.load(
      'jne',
      [{ ...(await mapping(t, 'jne')).find((r) => r.districtCode === MENTENG)!, code: 'CGK10000' }],
      'operator',
    );
    expect(await locations.codeFor('jne', MENTENG)).toMatchObject({ code: 'CGK10000' });
    expect(await locations.covers('jne', menteng)).toBe(true);
    // Ninja takes names: it never needs a code, even for a place without a district.
    expect(await locations.covers('ninja', { ...menteng, districtCode: null })).toBe(true);
  });
});

describe('npm run cli -- couriers:locations, as a process', () => {
  let db: TestDatabase;
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp({}, db);
    dir = mkdtempSync(join(tmpdir(), 'kirim-locations-'));
  });
  afterAll(async () => {
    killAll();
    rmSync(dir, { recursive: true, force: true });
    await t.close();
    await db.drop();
  });

  const env = () => ({ NODE_ENV: 'test', DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET });
  const file = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const load = async (...args: string[]) => {
    const run = runBuilt('cli', env(), ['couriers:locations', ...args]);
    return { code: await run.exited, stdout: run.stdout(), stderr: run.stderr() };
  };
  const source = async (courier: string) =>
    (
      await t.dataSource.query<{ source: string; version: number }[]>(
        'SELECT source, version FROM courier_location_sets WHERE courier = $1',
        [courier],
      )
    )[0];

  it('says so when a file with the sandbox’s own codes puts them in use as the operator’s', async () => {
    const rows = await mapping(t, 'sap');
    const csv = (v: string | null) => (v === null ? '' : /[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const same = file('sap-same.csv', [
      'district_code,code,label,city_code,city_label,province_label',
      ...rows.map((r) =>
        [r.districtCode, r.code, r.label, r.cityCode, r.cityLabel, r.provinceLabel].map(csv).join(','),
      ),
    ]);
    const before = await source('sap');
    expect(before.source).toBe('sandbox');
    const loaded = await load('sap', same);
    expect(loaded).toMatchObject({ code: 0, stderr: '' });
    expect(loaded.stdout.split('\n')[0]).toBe(
      `sap: ${rows.length} districts, the same codes as the sandbox mapping they replace (0 inserted, 0 updated, 0 removed, ${rows.length} unchanged)`,
    );
    expect(await source('sap')).toEqual({ source: 'operator', version: before.version + 1 });
  });

  it('replaces a courier’s mapping with a good file, says nothing changed the second time, and refuses a bad file whole', async () => {
    const generated = (await mapping(t, 'jne')).length;
    expect(generated).toBeGreaterThan(7000); // the sandbox's complete mapping, from the migration
    const good = file('jne.csv', [
      'district_code,code',
      '32.73.19,BDO10000',
      '31.71.06,CGK10000',
      '35.78.04,SUB10000',
    ]);
    // Three districts for the seven thousand mapped now: refused, as the wrong file, unless --shrink says so.
    const shrinking = await load('jne', good);
    expect(shrinking).toMatchObject({ code: 1, stdout: '' });
    expect(shrinking.stderr).toContain(
      `it maps 3 districts; the sandbox mapping in use maps ${generated}, and jne would stop carrying to the others (area_not_mapped). If that is meant, run it again with --shrink`,
    );
    expect(await mapping(t, 'jne')).toHaveLength(generated);
    const first = await load('jne', good, '--shrink');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout.split('\n')[0]).toBe(
      `jne: loaded 3 districts (0 inserted, 3 updated, ${generated - 3} removed, 0 unchanged), replacing the sandbox mapping`,
    );
    // It says which database it wrote to (never its user or password).
    const target = new URL(db.url);
    expect(first.stdout.split('\n')[1]).toBe(
      `  in PostgreSQL at ${target.hostname}:${target.port}${target.pathname}`,
    );
    expect(first.stdout).not.toContain(`${target.username}:`);
    expect((await mapping(t, 'jne')).map((r) => [r.districtCode, r.code])).toEqual([
      ['31.71.06', 'CGK10000'],
      ['32.73.19', 'BDO10000'],
      ['35.78.04', 'SUB10000'],
    ]);
    const loaded = await source('jne');
    expect(loaded.source).toBe('operator');

    const again = await load('jne', good);
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n')[0]).toBe(
      'jne: 3 districts, nothing changed (0 inserted, 0 updated, 0 removed, 3 unchanged)',
    );
    expect(await source('jne')).toEqual(loaded); // not even the version moved

    // Row 2 would change Sumur Bandung's code and row 4 add one; row 3 names no district: nothing is written.
    const bad = file('jne-bad.csv', [
      'district_code,code',
      '32.73.19,BDO10099',
      '99.99.99,XXX10000',
      '51.71.01,DPS10000',
      '31.71.06,CGK10000,extra',
    ]);
    const refused = await load('jne', bad);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`refused ${bad}: nothing was changed`);
    expect(refused.stderr).toContain('row 3: district_code "99.99.99" is not a district');
    expect(refused.stderr).toContain('row 5: 3 columns, the header has 2');
    expect((await mapping(t, 'jne')).map((r) => [r.districtCode, r.code])).toEqual([
      ['31.71.06', 'CGK10000'],
      ['32.73.19', 'BDO10000'],
      ['35.78.04', 'SUB10000'],
    ]);
    expect(await source('jne')).toEqual(loaded);

    // How each row is judged (cells spanning lines, a file separated by semicolons, …) is readLocationFile's,
    // the same function (location-file.spec); here, that the command refuses by it and writes nothing.

    // A byte that is not UTF-8 is refused, not stored as a replacement character.
    const latin = join(dir, 'jne-latin1.csv');
    writeFileSync(latin, Buffer.from('district_code,code,label\n32.73.19,BDO10000,BANDUNG \xff\n', 'latin1'));
    const notText = await load('jne', latin);
    expect(notText.code).toBe(1);
    expect(notText.stderr).toContain(`refused ${latin}: nothing was changed\n  the file is not UTF-8 text`);
    expect(await source('jne')).toEqual(loaded);
    // Five command runs, most loading or checking 7,000 districts: near a minute on a busy machine.
  }, 180_000);

  it('takes a courier with real credentials its first file without --shrink: the sandbox mapping it ignores is no mapping in use', async () => {
    const withSap = {
      SAP_BASE_URL: 'https://sap.invalid',
      SAP_API_KEY: 'key',
      SAP_CUSTOMER_CODE: 'CUST',
      SAP_COD_CUSTOMER_CODE: 'CODCUST',
    };
    const real = async (...args: string[]) => {
      const run = runBuilt('cli', { ...env(), ...withSap }, ['couriers:locations', ...args]);
      return { code: await run.exited, stdout: run.stdout(), stderr: run.stderr() };
    };
    // SAP's complete generated mapping, as a sandbox's (the service, without SAP's credentials, uses it).
    await t.app.get(CourierLocations).load('sap', await mapping(t, 'sap'), 'sandbox');
    expect((await source('sap')).source).toBe('sandbox');
    expect((await mapping(t, 'sap')).length).toBeGreaterThan(7000);
    const first = file('sap-real.csv', [
      'district_code,code,city_code',
      '31.71.06,JK1007,JK10',
      '32.73.19,BD1001,BD10',
      '35.78.04,SB1004,SB10',
    ]);
    const loaded = await real('sap', first);
    expect(loaded).toMatchObject({ code: 0, stderr: '' });
    expect((await mapping(t, 'sap')).map((r) => r.code)).toEqual(['JK1007', 'BD1001', 'SB1004']);
    // The operator's mapping is in use: a file mapping fewer than half of it is refused as before.
    const shrinking = await real('sap', file('sap-one.csv', ['district_code,code', '31.71.06,JK1007']));
    expect(shrinking.code).toBe(1);
    expect(shrinking.stderr).toContain('the operator mapping in use maps 3');
  }, 60_000);

  it('two loads of one courier at once decide one after the other: the second is checked against what the first loaded', async () => {
    const rows = (await mapping(t, 'idexpress')).slice(0, 5);
    const csv = (name: string, some: LocationRow[]) =>
      file(name, [
        'district_code,code,city_code',
        ...some.map((r) => [r.districtCode, r.code, r.cityCode].join(',')),
      ]);
    // An operator mapping of three districts in use: five pass the shrink check, and so do two (not under half).
    await t.app
      .get(Transactions)
      .run(() => t.app.get(CourierLocationsRepository).replace('idexpress', rows.slice(0, 3), 'operator'));
    const waiting = async () =>
      (
        await t.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      )[0].n;
    const until = async (n: number) => {
      while ((await waiting()) < n) await new Promise((r) => setTimeout(r, 50));
    };
    // The mapping's row held, so each load waits where it would write; the five first, then the two.
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT 1 FROM courier_location_sets WHERE courier = 'idexpress' FOR UPDATE`);
      const five = load('idexpress', csv('idexpress-five.csv', rows));
      await until(1);
      const two = load('idexpress', csv('idexpress-two.csv', rows.slice(0, 2)));
      await until(2);
      await holder.rollbackTransaction();
      const [a, b] = await Promise.all([five, two]);
      expect(a).toMatchObject({ code: 0, stderr: '' });
      // Two for the five the first load left: the wrong file, as it would be one after the other.
      expect(b).toMatchObject({ code: 1, stdout: '' });
      expect(b.stderr).toContain(
        'it maps 2 districts; the operator mapping in use maps 5, and idexpress would stop carrying to the others',
      );
      expect((await mapping(t, 'idexpress')).map((r) => r.districtCode)).toEqual(
        rows.map((r) => r.districtCode).sort(),
      );
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  }, 120_000);

  it('exits 2 for an unknown courier or an unreadable file, naming it', async () => {
    const unknown = await load('pos', file('pos.csv', ['district_code,code', '32.73.19,X']));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error: unknown courier "pos"');
    const missing = await load('sap', join(dir, 'nowhere.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'nowhere.csv')}`);
  }, 30_000);

  it('refuses a file larger than any mapping, and a device that never ends, before reading it whole', async () => {
    // 9 MB of rows: read whole, 54 MB took 16 s and 2.3 GB to be refused; /dev/zero ran out of memory.
    const big = file('big.csv', ['district_code,code', ...Array(500_000).fill('32.73.19,BDO10000')]);
    const before = await source('idexpress');
    for (const path of [big, '/dev/zero']) {
      const refused = await load('idexpress', path);
      expect(refused).toMatchObject({ code: 1, stdout: '' });
      expect(refused.stderr).toBe(
        `refused ${path}: nothing was changed\n  the file is larger than 8 MB: a mapping has one row per district\n`,
      );
    }
    expect(await source('idexpress')).toEqual(before);
  }, 60_000);

  it('gives a sandbox courier without a mapping its complete one at start-up, and leaves an operator’s alone', async () => {
    await t.dataSource.query(`DELETE FROM courier_location_sets WHERE courier = 'sap'`);
    expect(await mapping(t, 'sap')).toEqual([]);
    const restarted = await startTestApp({}, db);
    try {
      expect((await mapping(t, 'sap')).length).toBeGreaterThan(7000);
      expect(await source('sap')).toMatchObject({ source: 'sandbox' });
      // The operator's JNE file of the first test is kept as it was.
      expect((await mapping(t, 'jne')).map((r) => r.code)).toEqual(['CGK10000', 'BDO10000', 'SUB10000']);
      expect(await source('jne')).toMatchObject({ source: 'operator' });
    } finally {
      await restarted.close();
    }
  }, 60_000);

  it('never puts the sandbox mapping made at start-up over one an operator loaded after the look for none', async () => {
    const locations = t.app.get(CourierLocations);
    const full = await mapping(t, 'sap');
    await t.dataSource.query(`DELETE FROM courier_location_sets WHERE courier = 'sap'`);
    const operators = full.slice(0, 3);
    // The operator's load comes while the sandbox's rows are being made: after the look, before the load.
    await locations.ensureSandboxMappings(['sap'], async () => {
      await locations.load('sap', operators, 'operator');
      return full;
    });
    expect(await source('sap')).toMatchObject({ source: 'operator' });
    expect(await mapping(t, 'sap')).toEqual(operators);
    await locations.load('sap', full, 'sandbox');
  });
});
