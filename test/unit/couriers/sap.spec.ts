import { chargeableKg, parseSla, rowToEvent } from 'src/couriers/adapters/sap/sap.mapper';
import { SAP_POD_REASON, SAP_REFUSAL_REASON, SAP_STATUS } from 'src/couriers/adapters/sap/sap.status-table';
import { nestLogs } from '../../support/nest-logs';

const row = (rowstate_name: string, extra: Record<string, string> = {}) => ({
  awb_no: 'SAP0000000001',
  rowstate_name,
  create_date: '2026-11-02 10:15:00',
  ...extra,
});

describe('SAP mapping', () => {
  it.each(Object.entries(SAP_STATUS))('%s → its normalized status', (name, expected) => {
    const event = rowToEvent(row(name));
    expect(event.status).toBe(expected.status);
    expect(event.rawCode).toBe(name);
    expect(event.isReturnLeg).toBe(expected.returnLeg ?? false);
    expect(event.occurredAt.toISOString()).toBe('2026-11-02T03:15:00.000Z');
  });

  it('reads the trailing-space variant of a checkpoint', () => {
    expect(rowToEvent(row('DELIVERY ')).status).toBe('out_for_delivery');
  });

  it.each(Object.entries(SAP_POD_REASON))('POD code %s → reason %s', (code, reason) => {
    expect(rowToEvent(row('POD - UNDELIVERED', { pod_status_code: code })).reason).toBe(reason);
  });

  it.each(Object.entries(SAP_REFUSAL_REASON))('refusal detail %s → reason %s', (code, reason) => {
    expect(
      rowToEvent(row('POD - UNDELIVERED', { pod_status_code: 'O7', pod_reason_detail_code: code })).reason,
    ).toBe(reason);
  });

  it('marks COD collected on delivery only when the parcel carried COD', () => {
    expect(rowToEvent(row('POD - DELIVERED', { cod_value: '150000' })).codCollected).toBe(true);
    expect(rowToEvent(row('POD - DELIVERED', { cod_value: '0' })).codCollected).toBe(false);
  });

  it('keeps an unknown checkpoint raw without a status, and does not throw', () => {
    const event = rowToEvent(row('SOMETHING NEW'));
    expect(event).toMatchObject({ status: null, rawCode: 'SOMETHING NEW' });
    expect(nestLogs.warnings('CourierStatus').map((w) => w.message)).toContainEqual({
      courier: 'sap',
      code: 'SOMETHING NEW',
    });
  });

  it('rounds chargeable weight the SAP way: .3 and more up, less down, at least 1 kg, volumetric /6000', () => {
    expect(chargeableKg({ weightGrams: 1290 })).toBe(1);
    expect(chargeableKg({ weightGrams: 1300 })).toBe(2);
    expect(chargeableKg({ weightGrams: 200 })).toBe(1);
    expect(chargeableKg({ weightGrams: 1000, lengthCm: 40, widthCm: 30, heightCm: 20 })).toBe(4);
  });

  it('reads SLA ranges, falling back to the catalogue', () => {
    expect(parseSla('1 - 3 Hari', { min: 9, max: 9 })).toEqual({ min: 1, max: 3 });
    expect(parseSla('2 Hari', { min: 9, max: 9 })).toEqual({ min: 2, max: 2 });
    expect(parseSla('-', { min: 1, max: 2 })).toEqual({ min: 1, max: 2 });
  });
});
