import type {
  CourierOrder,
  CourierServiceInfo,
  QuoteRequest,
  ServiceQuote,
  TrackingEvent,
  TrackResult,
} from './courier-adapter';

/** A courier's answer as it came over HTTP: its status and its body (parsed JSON, or the text when it is none). */
export interface CourierAnswer {
  status: number;
  body: unknown;
}

/** What a tariff answer is read against: the request it answered and the courier's catalogue. */
export interface TariffContext {
  request: QuoteRequest;
  catalogue: CourierServiceInfo[];
  /** The service asked, for couriers that price one service per call (J&T, Ninja, ID Express). */
  service?: string;
}

/** What a create answer is read against: our reference and service, when known. */
export interface CreateContext {
  reference?: string;
  service?: string;
}

/**
 * A courier's answers read without a network: the same pure functions the adapter runs on what it
 * receives, so `couriers:decode` shows exactly what Kirim makes of an answer. Each throws the adapter's
 * typed errors (CourierRejectedError, CourierUnavailableError, CourierWebhookMalformedError).
 */
export interface CourierDecoder {
  /** Tracking answer → one result per parcel it names (or per `awbs` asked); an unknown AWB is `found: false`. */
  tracking(answer: CourierAnswer, awbs?: string[]): TrackResult[];
  tariff(answer: CourierAnswer, context: TariffContext): ServiceQuote[];
  create(answer: CourierAnswer, context: CreateContext): CourierOrder;
  /** A push body → its events, with no signature or replay-window check. */
  webhook(rawBody: Buffer): TrackingEvent[];
}
