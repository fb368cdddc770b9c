import type { CourierReason, CourierStatus } from '../../courier-adapter';

/** Every SAP checkpoint (`rowstate_name`, trimmed) and what it means (sap.md §4). null = no status change. */
export const SAP_STATUS: Record<
  string,
  { status: CourierStatus | null; reason?: CourierReason; returnLeg?: boolean }
> = {
  'ENTRI (SEDANG DI PICKUP)': { status: 'pickup_requested' },
  'ENTRI (PENDING PICKUP)': { status: 'pickup_requested', reason: 'pickup_failed' },
  'ENTRI (SEDANG PICKUP ULANG)': { status: 'pickup_requested' },
  'PICKED UP': { status: 'picked_up' },
  'ENTRI VERIFIED': { status: 'picked_up' },
  VOID_PICKUP: { status: 'cancelled' },
  VOID: { status: 'cancelled' },
  'MANIFEST OUTGOING': { status: 'in_transit' },
  'OUTGOING SMU': { status: 'in_transit' },
  INCOMING: { status: 'in_transit' },
  DELIVERY: { status: 'out_for_delivery' },
  'POD - DELIVERED': { status: 'delivered' },
  'POD - UNDELIVERED': { status: 'delivery_failed', reason: 'attempt_failed' },
  'POD - ANTAR ULANG': { status: 'delivery_failed', reason: 'attempt_failed' },
  'OUTGOING RETURN': { status: 'returning_to_sender', reason: 'rts_initiated', returnLeg: true },
  'INCOMING RETURN': { status: 'returning_to_sender', returnLeg: true },
  'DELIVERY RETURN': { status: 'returning_to_sender', returnLeg: true },
  'SHIPMENT RETURN TO CLIENT': { status: 'returned', returnLeg: true },
};

/** POD status codes on `POD - *` rows; refusals are refined by `pod_reason_detail_code`. */
export const SAP_POD_REASON: Record<string, CourierReason> = {
  MR: 'misroute',
  O1: 'address_problem',
  O2: 'consignee_unreachable',
  O3: 'address_problem',
  O4: 'address_problem',
  O5: 'consignee_absent',
  O6: 'consignee_absent',
  O7: 'consignee_refused',
  O8: 'consignee_unreachable',
  N1: 'consignee_unreachable',
};

/**
 * Refusal details that say more than `O7`'s "refused" (sap.md §4). Some are no buyer's refusal at all (away,
 * ill, an area COD does not serve, force majeure): read as refusals they raised a recipient's refusal risk.
 */
export const SAP_REFUSAL_REASON: Record<string, CourierReason> = {
  RJ002: 'consignee_refused_no_money',
  RJ003: 'consignee_refused_did_not_order',
  RJ004: 'consignee_absent',
  RJ008: 'consignee_refused_did_not_order',
  RJ010: 'address_problem',
  RJ011: 'consignee_unreachable',
  RJ012: 'consignee_refused_did_not_order',
  RJ013: 'attempt_failed',
};
