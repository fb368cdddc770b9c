import type {
  CourierOrder,
  CourierServiceInfo,
  QuoteRequest,
  ServiceQuote,
  TrackingEvent,
  TrackResult,
} from '../../courier-adapter';
import type { CourierDecoder } from '../../courier-decoder';
import { CourierWebhookMalformedError } from '../../courier.errors';
import { saysAuthRefused, saysNotFound } from '../../answer-words';
import { codFee } from '../../cod-fee';
import { bodyUnavailable, rejected, statusFailure } from '../../http-failures';
import { courierRupiah } from '../../payload-money';
import { payloadFlag, payloadRecords, payloadText, pushedText } from '../../payload-text';
import {
  historyToEvent,
  JntHistory,
  JntTracking,
  tariffContent,
  trackingToEvents,
  weightKg,
} from './jnt.mapper';

/**
 * A J&T answer's body: 429, 5xx and 401/403 throw as for every courier; J&T answers business errors
 * with HTTP 200, so the body is what the call reads. A body that is not JSON is an invalid request.
 */
export function readJntAnswer<T>(status: number, body: unknown): T {
  const failure = statusFailure('jnt', status, undefined, body);
  if (failure) throw failure;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  if (!parsed || typeof parsed !== 'object') {
    throw rejected(
      'jnt',
      'invalid_request',
      String(status),
      `J&T answered without JSON: ${payloadText(body).slice(0, 200)}`,
    );
  }
  return parsed as T;
}

export interface JntTrackingError {
  error_id?: string | number;
  error_message?: string;
  /** Other spellings of the same error seen between J&T's hosts. */
  errorId?: string | number;
  errorMessage?: string;
  message?: string;
  msg?: string;
}

/**
 * A tracking answer → the parcel's events, or `found: false` for an airway bill J&T does not know: an
 * error 404, an error text saying so ("Invalid AWB number", "Data not found", "tidak ditemukan"), an
 * error without an id, or a body with no `awb` and no history. The one place J&T's "not found" is read.
 */
export function jntTrackResult(asked: string, reply: JntTracking & JntTrackingError): TrackResult {
  const id = payloadText(reply.error_id ?? reply.errorId).trim();
  const msg = [reply.error_message, reply.errorMessage, reply.message, reply.msg]
    .map((v) => payloadText(v))
    .find((v) => v.trim());
  const history = payloadRecords<JntHistory>(reply.history);
  const awb = asked || payloadText(reply.awb).trim();
  // A success id (none, 0, 200) with the parcel's history or its airway bill is the parcel's answer,
  // whatever text rides along ("success", as J&T's other answers carry): read as an error it was "not
  // found", and every scan was lost. A success with neither says nothing of it: not found.
  const success = !id || id === '0' || id === '200';
  const known = history.length > 0 || payloadText(reply.awb).trim() !== '';
  if (success && known && !(msg !== undefined && saysNotFound(msg)))
    return { awb, found: true, events: trackingToEvents({ ...reply, awb, history }) };
  if (success && !known && (id || msg === undefined)) return { awb, found: false };
  const text = msg ?? '';
  if (id === '401' || id === '403' || saysAuthRefused(text)) throw rejected('jnt', 'auth', id, text);
  const busy = bodyUnavailable('jnt', id, text);
  if (busy) throw busy;
  if (id === '404' || saysNotFound(text) || !id) return { awb, found: false };
  throw rejected('jnt', 'invalid_request', id, text);
}

/** Top-level refusals about the credentials or the signature, in J&T's or anyone's words. */
const authRefused = (msg: string) => saysAuthRefused(msg);

export interface JntTariffReply {
  is_success: string | boolean;
  message?: string;
  content?: unknown;
}

/**
 * A tariff inquiry answer → a quote per asked service it prices. J&T prices one `productType` per call;
 * an empty list, or a place J&T has no tariff for ("Invalid area code"), is a route it does not serve.
 */
export function jntQuotes(
  reply: JntTariffReply,
  r: QuoteRequest,
  services: CourierServiceInfo[],
): ServiceQuote[] {
  // J&T mixes string and boolean flags ("true", true), and digits: read as true/"true" only, a success
  // sent as 1 was a refusal with an empty message.
  if (!payloadFlag(reply.is_success)) {
    const msg = payloadText(reply.message);
    if (authRefused(msg)) throw rejected('jnt', 'auth', 'is_success=false', msg);
    const busy = bodyUnavailable('jnt', 'is_success=false', msg);
    if (busy) throw busy;
    if (/area|kota|kecamatan|not found|tidak ditemukan|jangkau/i.test(msg)) return [];
    throw rejected('jnt', 'invalid_request', 'is_success=false', msg);
  }
  const rates = tariffContent(reply.content);
  return services.flatMap((info) => {
    if (weightKg(r.parcel) * 1000 > info.maxWeightGrams) return [];
    const rate = rates.find((c) => (c.productType ?? c.name) === info.code);
    const price = rate && courierRupiah('jnt', 'cost', rate.cost, 'round_up');
    if (!price || price <= 0) return [];
    return [
      {
        courier: 'jnt' as const,
        service: info.code,
        serviceName: info.name,
        price,
        codFee: r.codAmount && info.cod ? codFee(info, r.codAmount) : 0,
        // The tariff gives no transit time; the create answer's `etd` comes too late for a quote.
        etaDays: { ...info.slaDays },
        codAvailable: info.cod,
      },
    ];
  });
}

export interface JntOrderReply {
  success: boolean | string;
  desc?: string;
  detail?: {
    awb_no?: string;
    orderid?: string;
    status?: string;
    reason?: string;
    etd?: string;
    existing_awbno?: string;
  }[];
}

/** An order/create answer → the order; errors come with `success: true` and the item says why (jnt.md §3.2). */
export function jntOrder(reply: JntOrderReply, reference: string, service: string): CourierOrder {
  if (!payloadFlag(reply.success)) {
    const msg = payloadText(reply.desc);
    const busy = bodyUnavailable('jnt', 'success=false', msg);
    if (busy) throw busy;
    throw rejected('jnt', authRefused(msg) ? 'auth' : 'invalid_request', 'success=false', msg);
  }
  const item = Array.isArray(reply.detail) ? reply.detail[0] : undefined;
  const awb = payloadText(item?.awb_no).trim();
  if (item && /^sukses$/i.test(payloadText(item.status).trim()) && awb)
    return { courier: 'jnt', awb, reference: reference || payloadText(item.orderid), service };
  const reason = payloadText(item?.reason ?? reply.desc, 'no order in the answer');
  const rawCode = payloadText(item?.status, 'Error');
  const existing = awb || payloadText(item?.existing_awbno).trim();
  if (/orderid tidak boleh sama|duplicate|sudah (ada|digunakan|terdaftar)/i.test(reason))
    throw rejected('jnt', 'duplicate', rawCode, existing ? `${reason} (awb_no ${existing})` : reason);
  if (/\bCOD\b/i.test(reason)) throw rejected('jnt', 'cod_not_allowed', rawCode, reason);
  if (/jangkau|tidak dilayani|tidak tersedia/i.test(reason))
    throw rejected('jnt', 'unserviceable_route', rawCode, reason);
  if (/kecamatan|alamat|area|kode pos|zip/i.test(reason))
    throw rejected('jnt', 'bad_address', rawCode, reason);
  if (/berat|weight/i.test(reason)) throw rejected('jnt', 'too_heavy', rawCode, reason);
  if (authRefused(reason)) throw rejected('jnt', 'auth', rawCode, reason);
  const busy = bodyUnavailable('jnt', rawCode, reason);
  if (busy) throw busy;
  throw rejected('jnt', 'invalid_request', rawCode, reason);
}

/** The push's JSON: the `data_param` form field (assumed shape, jnt.md §3.6), or the body itself. */
export function jntPushJson(rawBody: Buffer): string | null {
  const text = pushedText(rawBody);
  if (/^\s*[{[]/.test(text)) return text;
  return new URLSearchParams(text).get('data_param');
}

/**
 * A status push → its event, without the signature check. A push carries no order detail: 101 reads as
 * created, and COD collection is left to tracking.
 */
export function decodeJntWebhook(rawBody: Buffer): TrackingEvent[] {
  const data = jntPushJson(rawBody);
  if (data === null) throw new CourierWebhookMalformedError('jnt', 'data_param', 'is required');
  let push: JntHistory & { awb?: string; orderid?: string };
  try {
    push = JSON.parse(data) as typeof push;
  } catch {
    throw new CourierWebhookMalformedError('jnt', 'data_param', 'is not JSON');
  }
  if (!push || typeof push !== 'object')
    throw new CourierWebhookMalformedError('jnt', 'data_param', 'is not an object');
  const awb = payloadText(push.awb).trim();
  if (!awb) throw new CourierWebhookMalformedError('jnt', 'data_param.awb', 'is required, as text');
  if (push.status_code === undefined || push.status_code === null)
    throw new CourierWebhookMalformedError('jnt', 'data_param.status_code', 'is required');
  const event = historyToEvent(awb, push);
  // Malformed (400), not stale (401) by a replay window that cannot read it: J&T would send it again.
  if (Number.isNaN(event.occurredAt.getTime()))
    throw new CourierWebhookMalformedError(
      'jnt',
      'data_param.date_time',
      'is not a time (YYYY-MM-DD HH:mm:ss, WIB)',
    );
  return [event];
}

export const jntDecoder: CourierDecoder = {
  tracking: (answer, awbs) => [
    jntTrackResult(
      awbs?.[0] ?? '',
      readJntAnswer<JntTracking & JntTrackingError>(answer.status, answer.body),
    ),
  ],
  tariff: (answer, { request, catalogue, service }) =>
    jntQuotes(
      readJntAnswer<JntTariffReply>(answer.status, answer.body),
      request,
      service ? catalogue.filter((s) => s.code === service) : catalogue,
    ),
  create: (answer, { reference, service }) =>
    jntOrder(readJntAnswer<JntOrderReply>(answer.status, answer.body), reference ?? '', service ?? ''),
  webhook: decodeJntWebhook,
};
