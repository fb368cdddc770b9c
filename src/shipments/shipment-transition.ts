import type { ShipmentStatus } from './shipment-status';

/** What moved a shipment: recorded with every transition. */
export type TransitionCauseKind =
  | 'pickup_request'
  | 'booking'
  | 'booking_failed'
  | 'seller_cancel'
  | 'pickup_watch'
  | 'courier_event'
  | 'seller_action';

export interface TransitionRequest {
  to: ShipmentStatus;
  /** The statuses the shipment may be in for the move to happen (each must be allowed to reach `to`). */
  from: readonly ShipmentStatus[];
  cause: TransitionCauseKind;
  /** The courier event that caused it (tracking_events.id). */
  causeEventId?: string | null;
  /** The shipment's `reason` after the move (null clears it). */
  reason?: string | null;
  /** When it is recorded. */
  at: Date;
  /** When it happened at the courier (an event's time; default `at`): pickup and end times use it. */
  occurredAt?: Date;
  /** Further conditions the row must meet; otherwise nothing moves. */
  where?: TransitionGuard;
  /** Columns set with the move. */
  set?: TransitionChanges;
}

export interface TransitionGuard {
  sellerId?: string;
  awb?: string;
  /** The cancellation claim the mover holds (null: none, and nobody else's may be live at `now`). */
  cancelClaim?: { claim: Date | null; now: Date };
  /** Only a shipment whose seller asked to cancel it, the courier's answer lost (cancel_requested_at). */
  cancelRequested?: boolean;
}

export interface TransitionChanges {
  courier?: string | null;
  service?: string | null;
  awb?: string | null;
  courierReference?: string | null;
  decision?: Record<string, unknown> | null;
  /** The booked service's quoted transit days (the decision's figure for it), set with the decision. */
  quotedEtaMinDays?: number | null;
  quotedEtaMaxDays?: number | null;
  /** Rupiah, as quoted by the booked courier service. */
  shippingFee?: number | null;
  codFee?: number | null;
  cashback?: number | null;
  returnFee?: number | null;
  pickupDueAt?: Date | null;
  /** Follows the shipment from this move on: when its courier is first asked about it (shipment_polls). */
  nextPollAt?: Date;
  codCollected?: boolean;
  codCollectedEventId?: string | null;
}

/** What a booked courier service costs the seller, rupiah, as quoted at booking. */
export interface ShipmentCharges {
  shippingFee: number;
  codFee: number;
  cashback: number;
  returnFee: number;
}

/** The charges of a shipment no courier carries (any more). */
export const NO_CHARGES = { shippingFee: null, codFee: null, cashback: null, returnFee: null } as const;
