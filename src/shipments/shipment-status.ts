/**
 * A shipment's status and the moves it may make (API.md): forward only, so a late or repeated courier
 * event never moves a shipment back. Two deliberate exceptions: a failed attempt may be followed by
 * another delivery run, and a booked shipment may go back to booking when the courier cancels or misses
 * the pickup (re-booking with the next-best courier).
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

const TRANSITIONS: Record<ShipmentStatus, ShipmentStatus[]> = {
  ready: ['booking', 'cancelled'],
  booking: ['booked', 'booking_failed', 'cancelled'],
  booking_failed: ['booking', 'cancelled'],
  booked: [
    'booking',
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
  returning: ['returned', 'lost'],
  delivered: [],
  returned: [],
  cancelled: [],
  lost: [],
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
