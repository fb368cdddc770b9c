import type { CourierReason, CourierStatus } from '../../courier-adapter';

/** What one Ninja status word or event phrase means. `status: null` = no status change (a re-weigh). */
export interface NinjaMeaning {
  status: CourierStatus | null;
  reason?: CourierReason;
  /** The word itself says the parcel is on its way back (it is also flagged by `is_parcel_on_rts_leg`). */
  returnLeg?: boolean;
}

/** v1 webhook `status` words (older accounts; ninja.md §4.1). */
export const NINJA_V1_STATUS: Record<string, NinjaMeaning> = {
  Staging: { status: 'created' },
  'Pending Pickup': { status: 'pickup_requested' },
  'Van En-route to Pickup': { status: 'pickup_requested' },
  'Pickup Fail': { status: 'exception', reason: 'pickup_failed' },
  'Successful Pickup': { status: 'picked_up' },
  'En-route to Sorting Hub': { status: 'in_transit' },
  'Arrived at Sorting Hub': { status: 'in_transit' },
  'Arrived at Origin Hub': { status: 'in_transit' },
  'Transferred to 3PL': { status: 'in_transit' },
  'Cross Border Transit': { status: 'in_transit' },
  'Customs Cleared': { status: 'in_transit' },
  'Customs Held': { status: 'exception', reason: 'held_at_hub' },
  'On Vehicle for Delivery': { status: 'out_for_delivery' },
  // Awaiting collection at a Ninja Point counts as the last mile (ninja.md §4.1).
  'Arrived at Distribution Point': { status: 'out_for_delivery' },
  // The seller's drop-off at a Ninja Point (a partner, "Mitra"), before Ninja's rider collects it: the first
  // mile, in Ninja's network. ninja.md §4.1 reads it as the last mile, but Ninja's own operator scenarios
  // show it before the parcel's first hub inbound, the order still "Pending", and Ninja's Indonesian guide
  // says "Paket berada di Mitra dan belum di pick up oleh Ninja Rider". Read as the last mile, a dropped-off
  // parcel jumped to out_for_delivery, and a day later was alerted as held with its COD cash.
  'Pending Pickup at Distribution Point': { status: 'picked_up' },
  'First Attempt Delivery Fail': { status: 'delivery_failed', reason: 'attempt_failed' },
  'Pending Reschedule': { status: 'delivery_failed', reason: 'attempt_failed' },
  'Successful Delivery': { status: 'delivered' },
  Completed: { status: 'delivered' },
  'Return to Sender Triggered': { status: 'returning_to_sender', reason: 'rts_initiated', returnLeg: true },
  'On Vehicle for Delivery (RTS)': { status: 'returning_to_sender', returnLeg: true },
  'Returned to Sender': { status: 'returned', returnLeg: true },
  Cancelled: { status: 'cancelled' },
  'Parcel Size': { status: null, reason: 'weight_changed' },
  'Parcel Weight': { status: null, reason: 'weight_changed' },
  'Parcel Measurements Update': { status: null, reason: 'weight_changed' },
};

/** v2 `event` phrases (current payload and tracking pull; ninja.md §4.2). */
export const NINJA_V2_EVENT: Record<string, NinjaMeaning> = {
  'Pending Pickup': { status: 'pickup_requested' },
  'Driver dispatched for Pickup': { status: 'pickup_requested' },
  'Pickup Exception, Pending Reschedule': { status: 'exception', reason: 'pickup_failed' },
  'Pickup Exception, Reattempt Scheduled': { status: 'exception', reason: 'pickup_failed' },
  'Pickup Exception, Max Attempts Reached': { status: 'exception', reason: 'pickup_failed' },
  'Pickup Exception, Pending Retrieval from PUDO': { status: 'exception', reason: 'pickup_failed' },
  'Picked Up, In Transit to Origin Hub': { status: 'picked_up' },
  'Arrived at Origin Hub': { status: 'in_transit' },
  'Arrived at Transit Hub': { status: 'in_transit' },
  'Arrived at Destination Hub': { status: 'in_transit' },
  'In Transit to Next Sorting Hub': { status: 'in_transit' },
  'On Vehicle for Delivery': { status: 'out_for_delivery' },
  'At PUDO, Pending Customer Collection': { status: 'out_for_delivery' },
  'Delivered, Received by Customer': { status: 'delivered' },
  'Delivered, Left at Doorstep': { status: 'delivered' },
  'Delivered, Collected by Customer': { status: 'delivered' },
  'Delivery Exception, Pending Reschedule': { status: 'delivery_failed', reason: 'attempt_failed' },
  'Delivery Exception, Reattempt Scheduled': { status: 'delivery_failed', reason: 'attempt_failed' },
  'Delivery Exception, Parcel Overstayed at PUDO': { status: 'delivery_failed', reason: 'attempt_failed' },
  // The last attempt failed; the return usually follows as its own event.
  'Delivery Exception, Max Attempts Reached': { status: 'delivery_failed', reason: 'max_attempts' },
  'Delivery Exception, Return to Sender Initiated': {
    status: 'returning_to_sender',
    reason: 'rts_initiated',
    returnLeg: true,
  },
  'Delivery Exception, Parcel Lost': { status: 'exception', reason: 'lost' },
  'Delivery Exception, Parcel Damaged': { status: 'exception', reason: 'damaged' },
  'Return to Shipper Exception, Parcel triggered for Shipper Collection': {
    status: 'exception',
    returnLeg: true,
  },
  // The shipper fetched the parcel from Ninja's hub: the return is over, as with "Returned to Sender"
  // (read as an exception, the shipment stayed returning for good).
  'Return to Shipper Exception, Parcel collected by Shipper': { status: 'returned', returnLeg: true },
  // A scrapped parcel is gone for good: closest normalized reason is "lost" (terminal).
  'Return to Shipper Exception, Parcel Scrapped': { status: 'exception', reason: 'lost', returnLeg: true },
  'Return to Shipper Exception, Max Attempts Reached': {
    status: 'exception',
    reason: 'max_attempts',
    returnLeg: true,
  },
  'Returned to Sender': { status: 'returned', returnLeg: true },
  Cancelled: { status: 'cancelled' },
  'Parcel Measurements Update': { status: null, reason: 'weight_changed' },
};

/**
 * v2 coarse `status` groups, read only when an event phrase is missing or unknown (observed in public
 * webhook handlers; a new phrase under a known group keeps its group's meaning).
 */
export const NINJA_V2_STATUS_GROUP: Record<string, NinjaMeaning> = {
  'Pickup Exception': { status: 'exception', reason: 'pickup_failed' },
  'Picked Up': { status: 'picked_up' },
  'In Transit': { status: 'in_transit' },
  'International Transit': { status: 'in_transit' },
  'At PUDO': { status: 'out_for_delivery' },
  Delivered: { status: 'delivered' },
  'Delivery Exception': { status: 'delivery_failed', reason: 'attempt_failed' },
  'Return to Shipper Exception': { status: 'exception', returnLeg: true },
};
