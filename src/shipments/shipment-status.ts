/**
 * A shipment's status and the moves it may make (API.md): forward only, so a late or repeated courier
 * event never moves a shipment back. Three deliberate exceptions: a failed attempt may be followed by
 * another delivery run, a booked shipment may go back to booking when the courier cancels or misses
 * the pickup (re-booking with the next-best courier; one pinned to that courier's service fails its
 * booking instead, for the seller to book again), and a parcel the courier reported lost may still
 * end delivered or returned when the courier finds it (a "missing" scan is often not the last word, and
 * a delivery it reports after it collected the buyer's cash, which must reach the seller). A return
 * may likewise end in a delivery to the buyer (the courier's forward-leg delivery after the return
 * began: the return was called off, the buyer paid), where the courier's lines say their leg: the cash must
 * reach the seller.
 */
export const SHIPMENT_STATUSES = [
  'ready',
  'booking',
  'booked',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivery_failed',
  'delivered',
  'returning',
  'returned',
  'cancelled',
  'booking_failed',
  'lost',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const TERMINAL: ReadonlySet<ShipmentStatus> = new Set(['delivered', 'returned', 'cancelled', 'lost']);

/**
 * Statuses at which whether the parcel is delivered and paid is known: delivered, or not (a returning parcel
 * mostly goes on to returned or lost; one its courier delivers after all stays learned as a return, as a
 * lost one found stays lost). Scoring learns the outcome on reaching one.
 */
export const OUTCOME_SETTLED: ReadonlySet<ShipmentStatus> = new Set([
  'delivered',
  'returning',
  'returned',
  'lost',
]);

const TRANSITIONS: Record<ShipmentStatus, ShipmentStatus[]> = {
  ready: ['booking', 'cancelled'],
  booking: ['booked', 'booking_failed', 'cancelled'],
  booking_failed: ['booking', 'cancelled'],
  booked: [
    'booking',
    'booking_failed',
    'picked_up',
    'in_transit',
    'out_for_delivery',
    'delivery_failed',
    'delivered',
    'returning',
    'cancelled',
    'lost',
  ],
  picked_up: [
    'in_transit',
    'out_for_delivery',
    'delivery_failed',
    'delivered',
    'returning',
    'returned',
    'lost',
  ],
  in_transit: ['out_for_delivery', 'delivery_failed', 'delivered', 'returning', 'returned', 'lost'],
  out_for_delivery: ['delivery_failed', 'delivered', 'returning', 'returned', 'lost'],
  delivery_failed: ['out_for_delivery', 'delivered', 'returning', 'returned', 'lost'],
  // A delivery after the return began (forward leg: the courier's own words, not its return's end) ends it
  // delivered: ignored, the shipment stayed returning for good and the buyer's cash never reached the seller.
  // The tracker takes such a line only from couriers whose every line says its leg (RETURN_LEG_IN_EVERY_LINE).
  returning: ['delivered', 'returned', 'lost'],
  delivered: [],
  returned: [],
  cancelled: [],
  lost: ['delivered', 'returning', 'returned'],
};

export function canTransition(from: ShipmentStatus, to: ShipmentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Statuses the seller may cancel from without the courier (nothing booked yet). */
export const CANCELLABLE_BEFORE_BOOKING: ReadonlySet<ShipmentStatus> = new Set(['ready', 'booking_failed']);

/** Statuses in which the courier holds (or held) the parcel: its pickup time is known from then on. */
export const HANDED_OVER: ReadonlySet<ShipmentStatus> = new Set([
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivery_failed',
  'delivered',
  'returning',
  'returned',
  'lost',
]);

/** Statuses a courier is asked about on a schedule (booked: whether the pickup happened). */
export const TRACKED: ReadonlySet<ShipmentStatus> = new Set([
  'booked',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivery_failed',
  'returning',
]);

/**
 * Statuses a courier's events may still move a shipment from: those it is asked about, and `lost`
 * (no longer asked about, but a push that the parcel was found and delivered or returned is applied).
 */
export const MOVED_BY_COURIER: ReadonlySet<ShipmentStatus> = new Set([...TRACKED, 'lost']);
