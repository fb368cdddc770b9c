import { defaults } from 'config/defaults';
import { AppError } from 'src/common/errors/app-error';
import { COURIER_DECODERS } from './adapters';
import {
  COURIER_CODES,
  CourierCode,
  CourierOrder,
  QuoteRequest,
  ServiceQuote,
  TrackingEvent,
  TrackResult,
} from './courier-adapter';
import type { CourierAnswer } from './courier-decoder';
import {
  CourierRejectedError,
  CourierUnavailableError,
  CourierWebhookMalformedError,
  CourierWebhookRejectedError,
} from './courier.errors';

export const DECODE_OPERATIONS = ['tracking', 'tariff', 'create', 'webhook'] as const;
export type DecodeOperation = (typeof DECODE_OPERATIONS)[number];

export const isCourierCode = (value: string): value is CourierCode =>
  (COURIER_CODES as readonly string[]).includes(value);
export const isDecodeOperation = (value: string): value is DecodeOperation =>
  (DECODE_OPERATIONS as readonly string[]).includes(value);

/** What the answer is read against, when the answer does not say: the request it answered. */
export interface DecodeOptions {
  /** The HTTP status the answer came with (default 200, or the sample's own). */
  httpStatus?: number;
  /** The airway bill asked (tracking). */
  awb?: string;
  /** The parcel's weight (tariff; default 1000 g, or the sample's request). */
  weightGrams?: number;
  /** The COD amount asked (tariff), rupiah. */
  codAmount?: number;
  /** The service asked (tariff of a one-service-per-call courier, create). */
  service?: string;
  /** Our reference (create). */
  reference?: string;
}

/** A courier answer as received: its body bytes, and the status and request a sample file records. */
export interface ReceivedAnswer {
  answer: CourierAnswer;
  rawBody: Buffer;
  /** From a sample's `_fixture.request` (samples/SOURCES.md): what was asked. */
  asked: { weightGrams?: number; codAmount?: number };
}

/**
 * A file's text as a courier answer: JSON when it parses (the body then is the parsed value), text
 * otherwise. A sample of ../shared/couriers/samples (`{_fixture, payload}`) is unwrapped: its payload is
 * the body, `_fixture.http_status` the status, `_fixture.request` what was asked.
 */
export function receivedAnswer(text: string, httpStatus?: number): ReceivedAnswer {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the courier answered text, read as such
  }
  const sample =
    body && typeof body === 'object' && !Array.isArray(body) && '_fixture' in body && 'payload' in body
      ? (body as { _fixture: Record<string, unknown>; payload: unknown })
      : undefined;
  if (!sample) return { answer: { status: httpStatus ?? 200, body }, rawBody: Buffer.from(text), asked: {} };
  const fixture = sample._fixture ?? {};
  const request = (fixture.request && typeof fixture.request === 'object' ? fixture.request : {}) as Record<
    string,
    unknown
  >;
  const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    answer: { status: httpStatus ?? number(fixture.http_status) ?? 200, body: sample.payload },
    rawBody: Buffer.from(JSON.stringify(sample.payload)),
    asked: { weightGrams: number(request.weight_grams), codAmount: number(request.cod) },
  };
}

export type Decoded =
  | { operation: 'tracking'; results: TrackResult[] }
  | { operation: 'tariff'; quotes: ServiceQuote[] }
  | { operation: 'create'; order: CourierOrder }
  | { operation: 'webhook'; events: TrackingEvent[] }
  | { operation: DecodeOperation; error: DecodeError };

export interface DecodeError {
  /** The rejection or unavailability cause (`auth`, `not_found`, `duplicate`, `server_error`…), or `malformed`. */
  kind: string;
  message: string;
  rawCode?: string;
  retriable: boolean;
}

/** A place that stands for both ends of a decoded tariff: the answer names its route, Kirim's request is unknown. */
const ANYWHERE = { district: '', city: '', province: 'DKI Jakarta', postalCode: '' };

/**
 * What Kirim makes of one courier answer, with no network and no database: the adapter's own pure
 * readers (COURIER_DECODERS). A courier's refusal comes back as `error` (its kind as the adapters
 * type it); a webhook is decoded without its signature or time-window check.
 */
export function decodeAnswer(
  courier: CourierCode,
  operation: DecodeOperation,
  received: ReceivedAnswer,
  options: DecodeOptions = {},
): Decoded {
  const decoder = COURIER_DECODERS[courier];
  const answer =
    options.httpStatus === undefined ? received.answer : { ...received.answer, status: options.httpStatus };
  try {
    switch (operation) {
      case 'tracking':
        return { operation, results: decoder.tracking(answer, options.awb ? [options.awb] : undefined) };
      case 'tariff': {
        const codAmount = options.codAmount ?? received.asked.codAmount;
        const request: QuoteRequest = {
          origin: ANYWHERE,
          destination: ANYWHERE,
          parcel: { weightGrams: options.weightGrams ?? received.asked.weightGrams ?? 1000 },
          ...(codAmount ? { codAmount } : {}),
        };
        const catalogue = defaults.couriers.catalogue[courier].services;
        return {
          operation,
          quotes: decoder.tariff(answer, { request, catalogue, service: options.service }),
        };
      }
      case 'create':
        return {
          operation,
          order: decoder.create(answer, { reference: options.reference, service: options.service }),
        };
      case 'webhook':
        return { operation, events: decoder.webhook(received.rawBody) };
    }
  } catch (e) {
    return { operation, error: decodeError(e) };
  }
}

function decodeError(e: unknown): DecodeError {
  if (e instanceof CourierRejectedError)
    return { kind: e.reason, message: e.rawMessage, rawCode: e.rawCode, retriable: false };
  if (e instanceof CourierUnavailableError)
    return { kind: e.reason, message: e.rawMessage, rawCode: e.rawCode, retriable: true };
  if (e instanceof CourierWebhookRejectedError) return { kind: e.why, message: e.message, retriable: false };
  // A push that is not what the courier sends: `malformed`, as one the decoder could not read, its field named.
  if (e instanceof CourierWebhookMalformedError)
    return { kind: 'malformed', message: e.message, retriable: false };
  if (e instanceof AppError) return { kind: e.code, message: e.message, retriable: false };
  // A shape the decoder does not read (a field of another type where it expects text or a list): the
  // answer is malformed, which an operator is told as such rather than by a crash.
  return { kind: 'malformed', message: e instanceof Error ? e.message : String(e), retriable: false };
}

const iso = (d: Date) => (Number.isNaN(d.getTime()) ? null : d.toISOString());

/** One event as an operator reads it: every field present, null where the courier said nothing. */
export function eventJson(e: TrackingEvent) {
  return {
    status: e.status,
    reason: e.reason ?? null,
    rawCode: e.rawCode,
    rawText: e.rawText,
    occurredAt: iso(e.occurredAt),
    location: e.location ?? null,
    codCollected: e.codCollected ?? null,
    isReturnLeg: e.isReturnLeg,
    unmapped: e.unmapped ?? false,
    ...(e.weightGrams !== undefined ? { weightGrams: e.weightGrams } : {}),
    ...(e.pod ? { pod: e.pod } : {}),
    ...(e.codAmount !== undefined ? { codAmount: e.codAmount } : {}),
  };
}

const trackJson = (r: TrackResult) => ({
  awb: r.awb,
  found: r.found,
  events: r.found ? r.events.map(eventJson) : [],
});

/**
 * The printed form of a decoded answer: tracking `{ awb, found, events }` (`{ parcels: [...] }` when the
 * answer holds several), tariff `{ quotes }`, create `{ order }`, webhook `{ events }`, a courier's refusal
 * `{ error: { kind, message, rawCode, retriable } }`.
 */
export function decodedJson(d: Decoded): Record<string, unknown> {
  if ('error' in d) return { error: d.error };
  switch (d.operation) {
    case 'tracking':
      return d.results.length === 1 ? trackJson(d.results[0]) : { parcels: d.results.map(trackJson) };
    case 'tariff':
      return { quotes: d.quotes };
    case 'create':
      return { order: d.order };
    case 'webhook':
      return { events: d.events.map(eventJson) };
  }
}
