import type { CourierReason, CourierStatus } from '../../courier-adapter';

export interface IdExpressStatusRule {
  status: CourierStatus;
  reason?: CourierReason;
  /** The line belongs to the return leg whatever came before it. */
  returnLeg?: boolean;
  /** A movement scan: on the return leg it means the parcel is travelling back (returning_to_sender). */
  movement?: boolean;
  /** `Loading scan`: picked_up when nothing physical happened yet, in_transit once the parcel is in custody. */
  afterPickup?: CourierStatus;
  /** `Problem On Shipment scan`: an exception (held) before any `Delivery Scan`, a failed attempt after one. */
  afterDeliveryScan?: CourierStatus;
}

/**
 * Every ID Express `operationType` and what it means (idexpress.md §4, and the recorded answers in
 * samples/idexpress-tracking-*.json). ID Express spells them in any case ("Delivery scan", "pick up
 * scan"): they are looked up case-insensitively with spaces collapsed. Lines marked assumed are the
 * simulator's choices where ID Express publishes nothing: confirm them against its sandbox.
 */
export const IDEXPRESS_STATUS: Record<string, IdExpressStatusRule> = {
  // Assumed: the first line after a create with `serviceType: "00"`.
  'Pickup Request': { status: 'pickup_requested' },
  'Pickup Failure': { status: 'exception', reason: 'pickup_failed' },
  'Pick up scan': { status: 'picked_up' },
  'Dropped Off at Store': { status: 'picked_up' },
  'Loading scan': { status: 'picked_up', afterPickup: 'in_transit', movement: true },
  'Sending scan': { status: 'in_transit', movement: true },
  'Arrival scan': { status: 'in_transit', movement: true },
  'Unloading scan': { status: 'in_transit', movement: true },
  // Bagging at a hub, seen around every loading and unloading in a recorded answer (idexpress-tracking-1).
  'Packing scan': { status: 'in_transit', movement: true },
  'Unpacking scan': { status: 'in_transit', movement: true },
  'Delivery Scan': { status: 'out_for_delivery', movement: true },
  'Problem On Shipment scan': {
    status: 'exception',
    reason: 'held_at_hub',
    afterDeliveryScan: 'delivery_failed',
  },
  'POD scan': { status: 'delivered' },
  'POD Entry': { status: 'delivered' },
  'Create Return Bill': { status: 'returning_to_sender', reason: 'rts_initiated', returnLeg: true },
  'Confirm Return Bill': { status: 'returning_to_sender', returnLeg: true },
  'Return POD Scan': { status: 'returned', returnLeg: true },
  // Assumed: how a successful cancel API call shows in the history (the retail API's `voidFlag`, idexpress.md §3.7).
  'Cancel Order': { status: 'cancelled' },
};

/**
 * `problemCode` on `Problem On Shipment scan` lines. The list is not public (idexpress.md §4). `102` is
 * real: a recorded answer marks both failed attempts with it and gives the cause in the text
 * ("Pelanggan tidak di tempat"), so it is a failed attempt whose reason comes from the words. `01`–`11`
 * are the sandbox's assumed codes. A text that names a cause outranks any code (problemReason).
 */
export const IDEXPRESS_PROBLEM_REASON: Record<string, CourierReason> = {
  '102': 'attempt_failed',
  '01': 'address_problem',
  '02': 'consignee_absent',
  '03': 'consignee_unreachable',
  '04': 'consignee_refused',
  '05': 'consignee_refused_no_money',
  '06': 'consignee_refused_did_not_order',
  '07': 'held_at_hub',
  '08': 'misroute',
  '09': 'damaged',
  '10': 'lost',
  '11': 'attempt_failed',
};

/** Problem codes that mark a failed delivery attempt whatever scan came before (real data: `102`). */
export const IDEXPRESS_ATTEMPT_CODES: ReadonlySet<string> = new Set(['102']);

/** Reasons that describe a delivery attempt at the consignee (a problem after `Delivery Scan` with one is a failed attempt). */
export const ATTEMPT_REASONS: ReadonlySet<CourierReason> = new Set<CourierReason>([
  'attempt_failed',
  'address_problem',
  'consignee_absent',
  'consignee_unreachable',
  'consignee_refused',
  'consignee_refused_no_money',
  'consignee_refused_did_not_order',
  'max_attempts',
]);
