import type { CourierReason, CourierStatus } from 'src/couriers/courier-adapter';
import { chargeableKg, parseSla, rowToEvent } from 'src/couriers/adapters/sap/sap.mapper';
import { SAP_POD_REASON, SAP_REFUSAL_REASON, SAP_STATUS } from 'src/couriers/adapters/sap/sap.status-table';
import { decodeAnswer, receivedAnswer } from 'src/couriers/courier-decode';
import { nestLogs } from '../../support/nest-logs';

const row = (rowstate_name: string, extra: Record<string, string> = {}) => ({
  awb_no: 'SAP0000000001',
  rowstate_name,
  create_date: '2026-11-02 10:15:00',
  ...extra,
});

type Expected = [
  rowstate: string,
  status: CourierStatus,
  reason: CourierReason | undefined,
  returnLeg: boolean,
];

/** sap.md §4 (status vocabulary), written out independently of the table. */
const CHECKPOINTS: Expected[] = [
  ['ENTRI (SEDANG DI PICKUP)', 'pickup_requested', undefined, false],
  // "pickup postponed … + risk": a pickup that did not happen yet.
  ['ENTRI (PENDING PICKUP)', 'pickup_requested', 'pickup_failed', false],
  ['ENTRI (SEDANG PICKUP ULANG)', 'pickup_requested', undefined, false],
  ['PICKED UP', 'picked_up', undefined, false],
  ['VOID_PICKUP', 'cancelled', undefined, false],
  ['VOID', 'cancelled', undefined, false],
  ['ENTRI VERIFIED', 'picked_up', undefined, false],
  ['MANIFEST OUTGOING', 'in_transit', undefined, false],
  ['OUTGOING SMU', 'in_transit', undefined, false],
  ['INCOMING', 'in_transit', undefined, false],
  ['DELIVERY', 'out_for_delivery', undefined, false],
  ['POD - DELIVERED', 'delivered', undefined, false],
  ['POD - UNDELIVERED', 'delivery_failed', 'attempt_failed', false],
  ['POD - ANTAR ULANG', 'delivery_failed', 'attempt_failed', false],
  ['OUTGOING RETURN', 'returning_to_sender', 'rts_initiated', true],
  ['INCOMING RETURN', 'returning_to_sender', undefined, true],
  ['DELIVERY RETURN', 'returning_to_sender', undefined, true],
  ['SHIPMENT RETURN TO CLIENT', 'returned', undefined, true],
];

/** POD status codes on `POD - UNDELIVERED` (sap.md §4, risk columns of README.md §5.2). */
const POD_CODES: [code: string, meaning: string, reason: CourierReason][] = [
  ['MR', 'misroute', 'misroute'],
  ['O1', 'moved', 'address_problem'],
  ['O2', 'name unknown', 'consignee_unreachable'],
  ['O3', 'address unknown', 'address_problem'],
  ['O4', 'address incomplete', 'address_problem'],
  ['O5', 'house empty (occupied)', 'consignee_absent'],
  ['O6', 'house empty (unoccupied)', 'consignee_absent'],
  ['O7', 'refused', 'consignee_refused'],
  ['O8', 'recipient resigned', 'consignee_unreachable'],
  ['N1', 'hard to meet', 'consignee_unreachable'],
];

/**
 * Refusal details with `O7` (sap.md §4): the COD-specific ones refine the refusal, those that are no buyer's
 * refusal (away, ill, an area COD does not serve, force majeure) say what they are, the rest stay "refused".
 */
const REFUSALS: [code: string, meaning: string, reason: CourierReason][] = [
  ['RJ001', 'already cancelled the order', 'consignee_refused'],
  ['RJ002', 'no funds', 'consignee_refused_no_money'],
  ['RJ003', 'says they did not order', 'consignee_refused_did_not_order'],
  ['RJ004', 'out of town', 'consignee_absent'],
  ['RJ006', 'price/goods mismatch', 'consignee_refused'],
  ['RJ007', 'wants to open the parcel first', 'consignee_refused'],
  ['RJ008', 'double order', 'consignee_refused_did_not_order'],
  ['RJ010', 'area not covered for COD/LBA', 'address_problem'],
  ['RJ011', 'ill or deceased', 'consignee_unreachable'],
  ['RJ012', 'suspects fraud', 'consignee_refused_did_not_order'],
  ['RJ013', 'force majeure', 'attempt_failed'],
  ['RJ020', 'refused by security', 'consignee_refused'],
];

describe('SAP mapping', () => {
  it('lists exactly the checkpoints of sap.md §4', () => {
    expect(Object.keys(SAP_STATUS).sort()).toEqual(CHECKPOINTS.map(([name]) => name).sort());
  });

  it.each(CHECKPOINTS)('%s → %s (%s)', (name, status, reason, returnLeg) => {
    const event = rowToEvent(row(name));
    expect(event).toMatchObject({ awb: 'SAP0000000001', status, rawCode: name, isReturnLeg: returnLeg });
    expect(event.reason).toBe(reason);
    expect(event.occurredAt.toISOString()).toBe('2026-11-02T03:15:00.000Z');
  });

  it('reads the trailing-space variant of a checkpoint', () => {
    expect(rowToEvent(row('DELIVERY ')).status).toBe('out_for_delivery');
  });

  it('maps exactly the POD codes of a failed attempt', () => {
    expect(Object.keys(SAP_POD_REASON).sort()).toEqual(POD_CODES.map(([code]) => code).sort());
  });

  it.each(POD_CODES)('POD code %s (%s) → %s', (code, _meaning, reason) => {
    expect(rowToEvent(row('POD - UNDELIVERED', { pod_status_code: code }))).toMatchObject({
      status: 'delivery_failed',
      reason,
    });
  });

  it('keeps a failed attempt with an unknown or no POD code as a plain failed attempt', () => {
    expect(rowToEvent(row('POD - UNDELIVERED', { pod_status_code: 'Z9' })).reason).toBe('attempt_failed');
    expect(rowToEvent(row('POD - UNDELIVERED')).reason).toBe('attempt_failed');
  });

  it('maps exactly the refusal details that say more than "refused"', () => {
    expect(Object.keys(SAP_REFUSAL_REASON).sort()).toEqual(
      REFUSALS.filter(([, , reason]) => reason !== 'consignee_refused')
        .map(([code]) => code)
        .sort(),
    );
  });

  it.each(REFUSALS)('refusal detail %s (%s) → %s', (code, _meaning, reason) => {
    const event = rowToEvent(
      row('POD - UNDELIVERED', { pod_status_code: 'O7', pod_reason_detail_code: code }),
    );
    expect([event.status, event.reason]).toEqual(['delivery_failed', reason]);
  });

  it('reads a recorded sandbox journey (sap-tracking-1.json, the checkpoint fields of each row)', () => {
    const events = [
      ['ENTRI (SEDANG DI PICKUP)', '2026-06-23 09:16:54', ''],
      ['PICKED UP', '2026-06-23 09:18:29', ''],
      ['ENTRI VERIFIED', '2026-06-23 09:18:45', ''],
      ['MANIFEST OUTGOING', '2026-06-23 09:19:25', ''],
      ['INCOMING', '2026-06-23 09:19:45', ''],
      ['DELIVERY ', '2026-06-23 09:20:04', ''],
      ['POD - DELIVERED', '2026-06-23 09:21:00', 'DL'],
    ].map(([name, at, pod]) =>
      rowToEvent({ ...row(name, pod ? { pod_status_code: pod } : {}), create_date: at }),
    );
    expect(events.map((e) => [e.status, e.reason, e.occurredAt.toISOString()])).toEqual([
      ['pickup_requested', undefined, '2026-06-23T02:16:54.000Z'],
      ['picked_up', undefined, '2026-06-23T02:18:29.000Z'],
      ['picked_up', undefined, '2026-06-23T02:18:45.000Z'],
      ['in_transit', undefined, '2026-06-23T02:19:25.000Z'],
      ['in_transit', undefined, '2026-06-23T02:19:45.000Z'],
      ['out_for_delivery', undefined, '2026-06-23T02:20:04.000Z'],
      ['delivered', undefined, '2026-06-23T02:21:00.000Z'],
    ]);
  });

  it('never reports COD cash: SAP tracking rows carry no COD field (sap-tracking-2.json, a COD parcel)', () => {
    expect(rowToEvent(row('POD - DELIVERED', { pod_status_code: 'DL' })).codCollected).toBeUndefined();
  });

  it('flags an unknown checkpoint and reads its words, without throwing', () => {
    const event = rowToEvent(row('SOMETHING NEW'));
    expect(event).toMatchObject({ status: null, rawCode: 'SOMETHING NEW', unmapped: true });
    expect(
      rowToEvent({ ...row('POD - RETURN DELIVERED'), rowstate_web: 'Paket retur diterima pengirim' }),
    ).toMatchObject({
      status: 'returned',
      isReturnLeg: true,
      unmapped: true,
    });
    expect(rowToEvent(row('delivery ')).status).toBe('out_for_delivery');
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

  it.each<[unknown, boolean]>([
    [true, true],
    ['true', true],
    ['TRUE', true],
    [1, true],
    ['1', true],
    [false, false],
    ['false', false],
    [0, false],
    ['0', false],
  ])('reads coverage_cod sent as %j as %s', (coverage, cod) => {
    const body = {
      status: 'success',
      msg: '',
      data: {
        coverage_cod: coverage,
        services: [
          {
            service_type_code: 'UDRREG',
            service_type_name: 'SATRIA REG',
            total_cost: 10500,
            sla: '2 - 4 Hari',
          },
        ],
      },
    };
    const decoded = decodeAnswer('sap', 'tariff', receivedAnswer(JSON.stringify(body)), {
      codAmount: 150000,
    });
    expect(
      'quotes' in decoded && decoded.quotes.map((q) => [q.service, q.codAvailable, q.codFee > 0]),
    ).toEqual([['UDRREG', cod, cod]]);
  });

  it('reads SLA ranges, falling back to the catalogue', () => {
    expect(parseSla('1 - 3 Hari', { min: 9, max: 9 })).toEqual({ min: 1, max: 3 });
    expect(parseSla('2 Hari', { min: 9, max: 9 })).toEqual({ min: 2, max: 2 });
    expect(parseSla('-', { min: 1, max: 2 })).toEqual({ min: 1, max: 2 });
  });

  it('reads an SLA written another way as the days it means, never a range that ends before it begins', () => {
    const fallback = { min: 9, max: 9 };
    expect(parseSla('2 - 3 HARI', fallback)).toEqual({ min: 2, max: 3 });
    expect(parseSla('1-2', fallback)).toEqual({ min: 1, max: 2 });
    expect(parseSla('2 \u2013 3 Hari', fallback)).toEqual({ min: 2, max: 3 }); // en dash
    expect(parseSla('1 s/d 3 hari', fallback)).toEqual({ min: 1, max: 3 });
    expect(parseSla('3 - 1 Hari', fallback)).toEqual({ min: 1, max: 3 });
    expect(parseSla('24 - 48 Jam', fallback)).toEqual({ min: 1, max: 2 });
    expect(parseSla('12 Jam', fallback)).toEqual({ min: 1, max: 1 });
    expect(parseSla('0 - 1 Hari', fallback)).toEqual({ min: 1, max: 1 });
    expect(parseSla('0 Hari', fallback)).toEqual(fallback);
    expect(parseSla(2, fallback)).toEqual({ min: 2, max: 2 });
  });
});
