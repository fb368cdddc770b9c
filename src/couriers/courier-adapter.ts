import type { Rupiah } from 'src/common/money';

export const COURIER_CODES = ['jne', 'jnt', 'sap', 'ninja', 'idexpress'] as const;
export type CourierCode = (typeof COURIER_CODES)[number];

/** The normalized tracking status of couriers/README.md §3 (a shipment's status is derived from it). */
export const COURIER_STATUSES = [
  'created',
  'pickup_requested',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivery_failed',
  'delivered',
  'returning_to_sender',
  'returned',
  'cancelled',
  'exception',
] as const;
export type CourierStatus = (typeof COURIER_STATUSES)[number];

/** Normalized reasons (couriers/README.md §5.1). */
export const COURIER_REASONS = [
  'attempt_failed',
  'address_problem',
  'consignee_unreachable',
  'consignee_refused',
  'consignee_refused_did_not_order',
  'consignee_refused_no_money',
  'consignee_absent',
  'misroute',
  'held_at_hub',
  'pickup_failed',
  'rts_initiated',
  'max_attempts',
  'stale_no_scan',
  'late_vs_sla',
  'lost',
  'damaged',
  'weight_changed',
] as const;
export type CourierReason = (typeof COURIER_REASONS)[number];

/** Where a parcel starts or ends, as Kirim knows it (province in canonical form, phone in E.164). */
export interface Place {
  name: string;
  phone: string;
  address: string;
  district: string;
  city: string;
  province: string;
  postalCode: string;
  /**
   * The area directory's district (Kemendagri code): what each courier's location code is looked up by
   * (CourierLocations). Absent or null for places typed before the directory or without a district.
   */
  districtCode?: string | null;
}

export type Area = Pick<Place, 'district' | 'city' | 'province' | 'postalCode' | 'districtCode'>;

export interface Parcel {
  weightGrams: number;
  lengthCm?: number;
  widthCm?: number;
  heightCm?: number;
  /** Declared goods value, rupiah. */
  itemValue?: Rupiah;
  description?: string;
}

export interface QuoteRequest {
  origin: Area;
  destination: Area;
  parcel: Parcel;
  /** Rupiah to collect; 0 or absent for non-COD. */
  codAmount?: Rupiah;
}

/** One service's price for a route, in rupiah. */
export interface ServiceQuote {
  courier: CourierCode;
  service: string;
  serviceName: string;
  price: Rupiah;
  /** COD fee for the requested COD amount (0 when not COD). */
  codFee: Rupiah;
  etaDays: { min: number; max: number };
  /** The route supports COD for this service. */
  codAvailable: boolean;
}

/** A courier service as Kirim's catalogue describes it (config/defaults.ts). */
export interface CourierServiceInfo {
  code: string;
  name: string;
  cod: boolean;
  /** COD fee: percent of the COD amount (basis points), at least `minimum` rupiah. */
  codFee: { basisPoints: number; minimum: Rupiah };
  codMaxAmount: Rupiah;
  minWeightGrams: number;
  maxWeightGrams: number;
  /** Promised transit days (same province); farther zones add days. */
  slaDays: { min: number; max: number };
}

export interface CreateOrderRequest {
  /** Kirim's own reference, unique per courier: how an order is found again after a crash. */
  reference: string;
  service: string;
  sender: Place;
  recipient: Place;
  parcel: Parcel;
  codAmount: Rupiah;
  /** Pickup from the sender (true) or drop-off at a counter (false). */
  pickup: boolean;
  /** Requested pickup day (Asia/Jakarta), YYYY-MM-DD. */
  pickupDate?: string;
}

export interface CourierOrder {
  courier: CourierCode;
  awb: string;
  reference: string;
  service: string;
}

export interface PickupConfirmation {
  awb: string;
  /** Courier's pickup/booking number when it gives one. */
  pickupId?: string;
}

export type CancelOutcome =
  | { cancelled: true }
  | {
      cancelled: false;
      reason: 'already_picked_up' | 'already_cancelled' | 'not_found' | 'refused';
      rawMessage: string;
    };

/**
 * Who took the parcel, as the courier's proof of delivery says (couriers README §3): the name the receiver
 * gave, who they are to the recipient ("Siblings", "Resepsionis"), and links to its photos and signatures.
 * A receiver's phone, which some couriers send too, is not kept.
 */
export interface ProofOfDelivery {
  receiver?: string;
  relation?: string;
  photoUrls?: string[];
  signatureUrls?: string[];
}

/** One courier event in normalized form, with the courier's own code and words kept. */
export interface TrackingEvent {
  awb: string;
  /**
   * null when the raw code means "no status change" (e.g. a re-weigh), or when it is unknown and its words
   * say nothing either (status-words.ts reads the words of a line whose code no table knows).
   */
  status: CourierStatus | null;
  reason?: CourierReason;
  rawCode: string;
  rawText: string;
  occurredAt: Date;
  location?: string;
  isReturnLeg: boolean;
  /** True only when the courier reports the COD cash taken. */
  codCollected?: boolean;
  /** The COD cash the courier says it took (rupiah), where its delivery line carries an amount. */
  codAmount?: number;
  /** Courier-reported weight when it differs from the declared one. */
  weightGrams?: number;
  /** The courier's proof of delivery, on a delivery (or a return's receipt) whose line carries one. */
  pod?: ProofOfDelivery;
  /**
   * The courier's code is in none of our status tables (whatever its words then gave): the tracker counts
   * and lists these for operators. Absent for a known code, and for a line that carries no code at all.
   */
  unmapped?: true;
  /** The courier's own line for this event, as received (kept for audit). */
  raw?: unknown;
}

export type TrackResult =
  { awb: string; found: true; events: TrackingEvent[] } | { awb: string; found: false };

/**
 * What a seller may ask the courier to do with a parcel in the field (issue 9 §3): deliver it again, send
 * it back, deliver it to a corrected address, or keep it at the destination hub until told otherwise.
 */
export const PARCEL_ACTION_KINDS = ['reattempt', 'return', 'update_address', 'hold'] as const;
export type ParcelActionKind = (typeof PARCEL_ACTION_KINDS)[number];

export interface ParcelActionRequest {
  kind: ParcelActionKind;
  /** Free text for the courier's driver or hub (e.g. "buyer home after 17:00"). */
  note?: string;
  /** The corrected delivery address: required for `update_address`, ignored otherwise. */
  address?: Place;
  /** The seller reached the buyer and agreed the next delivery (it succeeds more often). */
  confirmedWithBuyer?: boolean;
}

/**
 * The courier's answer to an action. A refusal is a typed outcome, not an error: `not_allowed_now` when
 * the parcel's state does not allow it (delivered, already returning…), `not_found` for an AWB the
 * courier does not know, `refused` for anything else; `rawMessage` keeps the courier's own words.
 */
export type ParcelActionOutcome =
  | { accepted: true; courierReference?: string }
  | { accepted: false; reason: 'not_allowed_now' | 'not_found' | 'refused'; rawMessage: string };

export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes received (signatures are computed over them). */
  rawBody: Buffer;
}

/**
 * The one port through which Kirim talks to a courier. Implementations translate a courier's API
 * (auth, signing, field names, units, status vocabulary) and nothing else; resilience is applied
 * around them by the registry. Amounts are integer rupiah, weights grams, sizes centimetres.
 *
 * Every network method takes an AbortSignal (the resilience timeout aborts through it).
 *
 * Errors: CourierUnavailableError (retriable: timeout, 5xx, rate limited, open circuit) or
 * CourierRejectedError (permanent: bad address, unserviceable route, COD not allowed, auth, invalid).
 */
export interface CourierAdapter {
  readonly code: CourierCode;
  readonly name: string;
  /** Airway bills one tracking request may carry (1 where the courier has no batch endpoint). */
  readonly trackBatchSize: number;
  /** The services this courier offers, with COD rules and weight limits. */
  services(): CourierServiceInfo[];
  /**
   * What of the parcel this courier's rates depend on, as a cache key: its chargeable weight where Kirim
   * knows the courier's rounding, else the weight (and size) its rate request carries. Two parcels with the
   * same key on the same route are priced alike, so a rate asked for one may be shown for the other.
   */
  rateKey(parcel: Parcel): string;
  /** Prices for every service on the route; an empty list when nothing serves it. */
  quote(request: QuoteRequest, signal?: AbortSignal): Promise<ServiceQuote[]>;
  /** Creates the courier order and returns its airway bill. Never retried blindly: reconcile with findByReference. */
  createOrder(request: CreateOrderRequest, signal?: AbortSignal): Promise<CourierOrder>;
  /** Asks for the parcel to be picked up (a no-op confirmation where the create call already booked it). */
  requestPickup(
    order: CourierOrder,
    request: CreateOrderRequest,
    signal?: AbortSignal,
  ): Promise<PickupConfirmation>;
  /** Cancels before pickup; a refusal is a typed outcome, not an error. */
  cancel(order: CourierOrder, signal?: AbortSignal): Promise<CancelOutcome>;
  /** Tracks many airway bills (batched where the courier allows); unknown ones come back `found: false`. */
  track(awbs: string[], signal?: AbortSignal): Promise<TrackResult[]>;
  /**
   * Verifies a push from the courier with its own scheme and returns its events.
   * @throws CourierWebhookRejectedError (unsigned, forged, or outside the time window)
   * @throws CourierWebhookMalformedError signed, but not what the courier sends (the field named)
   */
  parseWebhook(request: WebhookRequest, now: Date): TrackingEvent[];
  /**
   * What the courier looks for in the answer to a push it sent, besides HTTP 200 (J&T `success: true`, SAP
   * `status: 200`, JNE `status: true`): without it, a courier that checks resends what was stored.
   */
  readonly pushAck?: Readonly<Record<string, unknown>>;
  /** The order created with our reference, if the courier has one (reconciling after a crash). */
  findByReference(reference: string, signal?: AbortSignal): Promise<CourierOrder | null>;
  /**
   * The seller actions this courier's API has a call for. Absent or empty: none (Kirim records such
   * actions as manual, for operations to arrange by phone).
   */
  readonly parcelActions?: readonly ParcelActionKind[];
  /**
   * `update_address` sends the new address as this courier's location code for its district (J&T, SAP, ID
   * Express): a place without a district, or one the courier's mapping has no code for, cannot be sent.
   */
  readonly addressByLocationCode?: boolean;
  /**
   * Sends a seller action about a parcel in the field to the courier. Only called for a kind listed in
   * `parcelActions`; `update_address` always carries `address`. Not retried blindly (an action may have
   * been applied when the answer was lost).
   */
  requestAction?(
    order: CourierOrder,
    action: ParcelActionRequest,
    signal?: AbortSignal,
  ): Promise<ParcelActionOutcome>;
}
