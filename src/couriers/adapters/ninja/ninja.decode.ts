import type {
  CourierOrder,
  CourierServiceInfo,
  QuoteRequest,
  ServiceQuote,
  TrackingEvent,
  TrackResult,
} from '../../courier-adapter';
import type { CourierDecoder } from '../../courier-decoder';
import { CourierUnavailableError, CourierWebhookMalformedError, malformedItem } from '../../courier.errors';
import { saysAuthRefused, saysNotFound } from '../../answer-words';
import { codFee } from '../../cod-fee';
import { rejected, statusFailure } from '../../http-failures';
import { courierRupiah } from '../../payload-money';
import { payloadFlag, payloadRecords, payloadText, pushedText } from '../../payload-text';
import {
  errorText,
  etaOf,
  NINJA_SERVICE_LEVEL,
  NinjaError,
  NinjaEvent,
  NinjaPrice,
  rejectionCause,
  serviceOfLevel,
  toTrackingEvent,
} from './ninja.mapper';

/** A reply the adapter reads: 2xx, or a 4xx whose error body says what went wrong. */
export interface NinjaReply<T> {
  status: number;
  data: T;
  error?: NinjaError;
  /** `x-nv-request-id`, for support. */
  requestId?: string;
}

export function ninjaErrorOf(body: unknown): NinjaError | undefined {
  const error = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (error && typeof error === 'object') return error;
  // Some gateways answer a bare `{ message }` or `{ error: "text" }`.
  const text = typeof error === 'string' ? error : undefined;
  return text ? { message: text } : undefined;
}

/**
 * What a Ninja answer is: 429, 5xx and 401/403 throw as for every courier, as does a credentials refusal
 * in any words; other answers go to the call with their error body.
 */
export function readNinjaAnswer<T>(status: number, body: unknown): NinjaReply<T> {
  const failure = statusFailure('ninja', status, undefined, body);
  if (failure) throw failure;
  const error = ninjaErrorOf(body);
  if (status >= 300 && error && saysAuthRefused(errorText(error, '')))
    throw rejected('ninja', 'auth', error.code ?? String(status), errorText(error, `HTTP ${status}`));
  return { status, data: body as T, ...(error ? { error } : {}) };
}

/** One parcel in the tracking pull (ninja.md §3.5); `service_level` is an assumed extra. */
export interface NinjaParcelEvents {
  tracking_number: string;
  is_full_history_available?: boolean;
  service_level?: string;
  events?: NinjaEvent[];
}

/**
 * The parcels a tracking answer holds, by upper-case tracking number: the bulk `{data: [...]}`, the
 * single-parcel object, or a bare list. A 404, or an error body saying not found, holds none. The one
 * place Ninja's "not found" is read (a number absent from the answer is unknown).
 */
export function ninjaParcels(
  reply: NinjaReply<{ data?: NinjaParcelEvents[] } | NinjaParcelEvents | NinjaParcelEvents[]>,
): Map<string, NinjaParcelEvents> {
  const found = new Map<string, NinjaParcelEvents>();
  if (reply.status === 404) return found;
  if (reply.status >= 300) {
    const text = errorText(reply.error, `HTTP ${reply.status}`);
    if (saysNotFound(text)) return found;
    throw rejected(
      'ninja',
      rejectionCause(reply.status, reply.error),
      reply.error?.code ?? String(reply.status),
      text,
    );
  }
  const body = reply.data as unknown;
  const list: unknown[] = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && Array.isArray((body as { data?: unknown }).data)
      ? (body as { data: unknown[] }).data
      : body && typeof body === 'object' && 'tracking_number' in body
        ? [body]
        : [];
  for (const item of list) {
    const parcel = item as NinjaParcelEvents | null;
    const number = payloadText(parcel?.tracking_number).trim().toUpperCase();
    if (number) found.set(number, { ...parcel!, events: payloadRecords(parcel!.events) });
  }
  return found;
}

const byTime = (a: TrackingEvent, b: TrackingEvent) => a.occurredAt.getTime() - b.occurredAt.getTime() || 0;

/** The asked numbers' results (every parcel in the answer when none is asked), events oldest first. */
export function ninjaTrackResults(asked: string[], parcels: Map<string, NinjaParcelEvents>): TrackResult[] {
  const numbers = asked.length ? asked : [...parcels.values()].map((p) => p.tracking_number);
  if (!numbers.length) return [{ awb: '', found: false }];
  return numbers.map((awb): TrackResult => {
    const parcel = parcels.get(awb.toUpperCase());
    if (!parcel) return { awb, found: false };
    return {
      awb,
      found: true,
      events: (parcel.events ?? []).map((e) => toTrackingEvent(e, awb)).sort(byTime),
    };
  });
}

/**
 * A tariff answer for one service level → its quote, or null for a level that does not serve the route
 * (404, unserviceable, too heavy, no fee, a currency other than rupiah).
 */
export function ninjaQuote(
  reply: NinjaReply<{ data?: NinjaPrice }>,
  r: QuoteRequest,
  info: CourierServiceInfo,
): ServiceQuote | null {
  if (reply.status === 404) return null;
  if (reply.status >= 300) {
    const cause = rejectionCause(reply.status, reply.error);
    if (cause === 'unserviceable_route' || cause === 'too_heavy') return null;
    throw rejected(
      'ninja',
      cause,
      reply.error?.code ?? String(reply.status),
      errorText(reply.error, `HTTP ${reply.status}`),
    );
  }
  const price = reply.data?.data;
  const total = price && courierRupiah('ninja', 'total_fee', price.total_fee, 'round_up');
  if (
    !price ||
    !total ||
    total <= 0 ||
    (price.currency && payloadText(price.currency).toUpperCase() !== 'IDR')
  )
    return null;
  const codAvailable = info.cod && payloadFlag(price.cod_available) !== false;
  return {
    courier: 'ninja',
    service: info.code,
    serviceName: info.name,
    price: total,
    codFee: r.codAmount && codAvailable ? codFee(info, r.codAmount) : 0,
    etaDays: etaOf(price, info.slaDays),
    codAvailable,
  };
}

export interface NinjaOrderReply {
  tracking_number?: string;
  requested_tracking_number?: string;
  service_level?: string;
  reference?: { merchant_order_number?: string };
}

/**
 * A create answer → the order. A refusal throws with its cause; `duplicate` means the requested tracking
 * number (derived from our reference) exists, which the adapter resolves by looking the order up.
 */
export function ninjaOrder(
  reply: NinjaReply<NinjaOrderReply>,
  reference: string,
  service: string,
): CourierOrder {
  if (reply.status < 300) {
    const awb = payloadText(reply.data?.tracking_number).trim();
    // Accepted but unreadable: the order may exist, so the caller must reconcile by reference.
    if (!awb)
      throw new CourierUnavailableError(
        'ninja',
        'server_error',
        String(reply.status),
        'order accepted without a tracking_number',
      );
    return {
      courier: 'ninja',
      awb,
      reference: reference || payloadText(reply.data?.reference?.merchant_order_number),
      service: service || serviceOfLevel(reply.data?.service_level) || '',
    };
  }
  throw rejected(
    'ninja',
    rejectionCause(reply.status, reply.error),
    reply.error?.code ?? String(reply.status),
    errorText(reply.error, `HTTP ${reply.status}`),
  );
}

/** A push (v1 or v2, one event or a list) → its events, without the HMAC check. */
export function decodeNinjaWebhook(rawBody: Buffer): TrackingEvent[] {
  let payload: unknown;
  try {
    payload = JSON.parse(pushedText(rawBody));
  } catch {
    throw new CourierWebhookMalformedError('ninja', 'body', 'is not JSON');
  }
  const list = Array.isArray(payload);
  const items = (list ? payload : [payload]) as unknown[];
  if (!items.length) throw new CourierWebhookMalformedError('ninja', 'body', 'is an empty list');
  return items.map((item, i) => {
    const malformed = (field: string, problem: string) =>
      malformedItem('ninja', { list, index: i }, field, problem);
    const e = item as NinjaEvent | null;
    if (!e || typeof e !== 'object') throw malformed('', 'is not an object');
    if (!(e.tracking_id ?? e.tracking_number))
      throw malformed('tracking_id', 'is required (or tracking_number)');
    if (!(e.event ?? e.status)) throw malformed('event', 'is required (or status)');
    const event = toTrackingEvent(e);
    if (Number.isNaN(event.occurredAt.getTime())) throw malformed('timestamp', 'is not a time');
    return event;
  });
}

export const ninjaDecoder: CourierDecoder = {
  tracking: (answer, awbs) =>
    ninjaTrackResults(awbs ?? [], ninjaParcels(readNinjaAnswer(answer.status, answer.body))),
  tariff(answer, { request, catalogue, service }) {
    // Ninja prices one service level per call and its answer does not say which: the one asked, else Standard.
    const info =
      catalogue.find((s) => s.code === service) ??
      catalogue.find((s) => NINJA_SERVICE_LEVEL[s.code] === 'Standard') ??
      catalogue[0];
    const quote = info ? ninjaQuote(readNinjaAnswer(answer.status, answer.body), request, info) : null;
    return quote ? [quote] : [];
  },
  create: (answer, { reference, service }) =>
    ninjaOrder(readNinjaAnswer(answer.status, answer.body), reference ?? '', service ?? ''),
  webhook: decodeNinjaWebhook,
};
