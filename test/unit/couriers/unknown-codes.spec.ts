import { Registry } from 'prom-client';
import {
  MAX_UNMAPPED_LABELS,
  registerUnmappedCodeMetric,
  reportUnknownCode,
  unknownLine,
} from 'src/couriers/unknown-codes';
import { nestLogs } from '../../support/nest-logs';

const METRIC = 'kirim_courier_unmapped_codes_total';

async function counts(registry: Registry): Promise<Map<string, number>> {
  const metric = registry.getSingleMetric(METRIC);
  const { values } = await metric!.get();
  return new Map(values.map((v) => [`${v.labels.courier}/${v.labels.code}`, v.value]));
}

describe('reportUnknownCode', () => {
  it('warns once per courier and code, naming both', () => {
    reportUnknownCode('jne', 'NEW1');
    reportUnknownCode('jne', 'NEW1');
    reportUnknownCode('sap', 'NEW1');
    expect(nestLogs.warnings('CourierStatus')).toEqual([
      {
        level: 'warn',
        context: 'CourierStatus',
        message: { courier: 'jne', code: 'NEW1' },
        params: ['unknown courier status code: kept raw, classified by its words', 'CourierStatus'],
      },
      expect.objectContaining({ message: { courier: 'sap', code: 'NEW1' } }),
    ]);
  });

  it('counts every sighting in kirim_courier_unmapped_codes_total{courier,code}, in each registry it joins', async () => {
    const a = new Registry();
    const b = new Registry();
    registerUnmappedCodeMetric(a);
    registerUnmappedCodeMetric(a); // twice is harmless
    registerUnmappedCodeMetric(b);
    const before = (await counts(a)).get('jnt/777') ?? 0;
    reportUnknownCode('jnt', '777');
    reportUnknownCode('jnt', '777');
    expect((await counts(a)).get('jnt/777')).toBe(before + 2);
    expect((await counts(b)).get('jnt/777')).toBe(before + 2);
    expect(await a.metrics()).toContain(`${METRIC}{courier="jnt",code="777"}`);
  });

  it('keeps label cardinality bounded: long codes are cut, and past the budget new codes count as "other"', async () => {
    const registry = new Registry();
    registerUnmappedCodeMetric(registry);
    reportUnknownCode('sap', `A VERY LONG CHECKPOINT ${'X'.repeat(200)}`);
    const long = [...(await counts(registry)).keys()].find((k) => k.startsWith('sap/A VERY LONG'));
    expect(long!.length).toBeLessThanOrEqual('sap/'.length + 64);
    for (let i = 0; i < MAX_UNMAPPED_LABELS + 20; i += 1) reportUnknownCode('ninja', `phrase ${i}`);
    const all = await counts(registry);
    expect(all.size).toBeLessThanOrEqual(MAX_UNMAPPED_LABELS + 1);
    expect(all.get('ninja/other')).toBeGreaterThanOrEqual(20);
    // A code already labelled keeps its own label after the budget is spent.
    reportUnknownCode('jne', 'NEW1');
    expect((await counts(registry)).has('jne/NEW1')).toBe(true);
  });

  it('logs each label once: past the budget new codes are not each logged (nor each remembered), and a long code is cut', () => {
    reportUnknownCode('idexpress', `LONG ${'Y'.repeat(100_000)}`);
    for (let i = 0; i < MAX_UNMAPPED_LABELS + 50; i += 1) reportUnknownCode('idexpress', `operation ${i}`);
    const logged = nestLogs.warnings('CourierStatus').map((w) => (w.message as { code: string }).code);
    expect(logged.length).toBeLessThanOrEqual(MAX_UNMAPPED_LABELS + 1);
    expect(Math.max(...logged.map((c) => c.length))).toBeLessThanOrEqual(64);
  });
});

describe('unknownLine', () => {
  it('flags and reads a line whose code no table knows, and only reads one that carries no code', () => {
    expect(unknownLine('jnt', '205', 'Paket telah diterima')).toEqual({
      meaning: expect.objectContaining({ status: 'delivered' }),
      unmapped: true,
    });
    expect(unknownLine('jne', '  ', 'PICKUP FAILED')).toEqual({
      meaning: expect.objectContaining({ status: 'exception', reason: 'pickup_failed' }),
    });
    expect(unknownLine('sap', 'NEW', 'nothing to read').meaning).toBeNull();
  });
});
