/**
 * The reasons a shipment's `reason` holds that are Kirim's own, besides a courier's normalized ones
 * (CourierReason): why its booking failed, why it was booked again, that the seller cancelled it. A
 * shipment pinned to one courier service is not booked again when that courier misses or cancels the
 * pickup (no other courier may carry it): its booking fails with a `pinned_courier_*` reason instead.
 */
export const SHIPMENT_OWN_REASONS = [
  'all_couriers_failed',
  'no_eligible_courier',
  'pickup_missed',
  'courier_cancelled',
  'pinned_courier_missed_pickup',
  'pinned_courier_cancelled',
  'cancelled_by_seller',
] as const;
export type ShipmentOwnReason = (typeof SHIPMENT_OWN_REASONS)[number];

/** A shipment the seller cancelled (its own route, or the courier's cancellation of a lost-answer request). */
export const CANCELLED_BY_SELLER: ShipmentOwnReason = 'cancelled_by_seller';
