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
  chargeableKg,
  JneTracking,
  JneWebhook,
  parseEtd,
  refusalCause,
  trackingToEvents,
  webhookToEvents,
} from './jne.mapper';

/** A JNE answer: its body, or the text of its error shape (with the HTTP status it came with). */
export type JneAnswer<T> = { ok: true; body: T } | { ok: false; error: string; httpStatus: number };

/**
 * The message of JNE's error body: `{error, status: false}` with `status` boolean false or the string
 * "false" (jne.md §2.2); other hosts and versions spell the text `message`, `msg` or `reason`.
 */
export function jneErrorOf(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as { error?: unknown; status?: unknown; message?: unknown; msg?: unknown; reason?: unknown };
  if (!(b.status === false || b.status === 'false')) return null;
  const text = [b.error, b.message, b.msg, b.reason].map((v) => payloadText(v)).find((t) => t.trim());
  return text ?? (b.error !== undefined ? payloadText(b.error) : null);
}

/**
 * What a JNE answer is, whatever the call: 429, 5xx and 401/403 throw as for every courier; a refusal
 * of the credentials (in any words) is an `auth` rejection; a 404 or JNE's error body goes back as text
 * for the call to read, at 200 or at any 4xx (a cancel refused at 400 "sudah dibatalkan" is the call's to
 * read, not an invalid request); any other 4xx, or a body that is not JSON, is an invalid request.
 */
export function readJneAnswer<T>(status: number, body: unknown): JneAnswer<T> {
  const failure = statusFailure('jne', status, undefined, body);
  if (failure) throw failure;
  const text = typeof body === 'string' ? body.trim() : '';
  const jneError = jneErrorOf(body);
  const error = jneError ?? (text && status >= 400 ? text.slice(0, 500) : null);
  if (error !== null && saysAuthRefused(error)) throw rejected('jne', 'auth', String(status), error);
  const busy = error !== null && bodyUnavailable('jne', String(status), error);
  if (busy) throw busy;
  if (status === 404 || (status >= 400 && jneError !== null && jneError.trim()))
    return { ok: false, error: error ?? 'HTTP 404', httpStatus: status };
  if (status >= 400)
    throw rejected(
      'jne',
      'invalid_request',
      String(status),
      error ?? JSON.stringify(body ?? '').slice(0, 500),
    );
  if (!body || typeof body !== 'object')
    throw rejected('jne', 'invalid_request', String(status), 'JNE answered without a JSON body');
  return error !== null ? { ok: false, error, httpStatus: status } : { ok: true, body: body as T };
}

/**
 * A tracing answer for one airway bill: its events, or `found: false` for an AWB JNE does not know —
 * a 404, an error saying so ("Cnote No. Not Found.", "Sorry This is not your cnote.", "data tidak
 * ditemukan"…), or a body without the parcel's summary and lines. The one place JNE's "not found" is read.
 */
export function jneTrackResult(awb: string, answer: JneAnswer<JneTracking>): TrackResult {
  if (!answer.ok) {
    if (answer.httpStatus === 404 || saysNotFound(answer.error)) return { awb, found: false };
    throw rejected('jne', 'invalid_request', 'TRACING', answer.error);
  }
  const t = answer.body;
  const cnote = t.cnote && typeof t.cnote === 'object' && !Array.isArray(t.cnote) ? t.cnote : undefined;
  const lines = [t.history, t.manifest, t.runsheet].some((l) => payloadRecords(l).length > 0);
  if (!cnote || (!payloadText(cnote.cnote_no).trim() && !lines)) return { awb, found: false };
  const number = awb || payloadText(cnote.cnote_no).trim();
  return {
    awb: number,
    found: true,
    events: trackingToEvents(number, {
      ...t,
      cnote,
      history: payloadRecords(t.history),
      manifest: payloadRecords(t.manifest),
      runsheet: payloadRecords(t.runsheet),
    }),
  };
}

export interface JnePrice {
  service_display: string;
  service_code: string;
  price: string;
  etd_from?: string;
  etd_thru?: string;
  /** Assumed per-item COD availability (`YES`/`N`); JNE's public samples carry none. */
  cod_flag?: string;
}

/** A pricedev answer → one quote per catalogue service it prices; "Price Not Found." is an unserved route. */
export function jneQuotes(
  answer: JneAnswer<{ price?: JnePrice[] }>,
  r: QuoteRequest,
  catalogue: CourierServiceInfo[],
): ServiceQuote[] {
  if (!answer.ok) {
    if (/price not found|harga tidak ditemukan/i.test(answer.error) || answer.httpStatus === 404) return [];
    throw rejected('jne', 'invalid_request', 'PRICE', answer.error);
  }
  const weightGrams = chargeableKg(r.parcel) * 1000;
  const quotes: ServiceQuote[] = [];
  // JNE lists services outside Kirim's catalogue (JTR, CTC…) and may list one per goods type.
  for (const item of Array.isArray(answer.body.price) ? answer.body.price : []) {
    const info = catalogue.find((s) => s.code === payloadText(item?.service_display).trim().toUpperCase());
    if (!info || weightGrams > info.maxWeightGrams || quotes.some((q) => q.service === info.code)) continue;
    const price = courierRupiah('jne', 'price', item.price, 'round_up');
    if (price === undefined || price <= 0) continue;
    const codAvailable = info.cod && payloadFlag(item.cod_flag) !== false;
    quotes.push({
      courier: 'jne',
      service: info.code,
      serviceName: info.name,
      price,
      codFee: r.codAmount && codAvailable ? codFee(info, r.codAmount) : 0,
      etaDays: parseEtd(item.etd_from, item.etd_thru, info.slaDays),
      codAvailable,
    });
  }
  return quotes;
}

export interface JneCnoteResult {
  status: string;
  cnote_no?: string;
  reason?: string;
}

const isSuccess = (status: unknown) => /^(sukses|success)$/i.test(payloadText(status).trim());

/**
 * A generatecnote answer → the order. A repeated OLSHOP_ORDERID echoes the earlier cnote; the order id
 * is ours and unique, so that cnote is our order.
 */
export function jneOrder(
  answer: JneAnswer<{ detail?: JneCnoteResult[] }>,
  reference: string,
  service: string,
): CourierOrder {
  const item = answer.ok && Array.isArray(answer.body.detail) ? answer.body.detail[0] : undefined;
  const order = (awb: string): CourierOrder => ({ courier: 'jne', awb, reference, service });
  if (item && isSuccess(item.status) && item.cnote_no) return order(payloadText(item.cnote_no));
  const msg = answer.ok ? payloadText(item?.reason, JSON.stringify(answer.body).slice(0, 500)) : answer.error;
  if (item?.cnote_no && /already|exist|duplicate|sudah ada|double/i.test(msg))
    return order(payloadText(item.cnote_no));
  if (saysAuthRefused(msg)) throw rejected('jne', 'auth', 'GENERATECNOTE', msg);
  throw rejected('jne', refusalCause(msg), 'GENERATECNOTE', msg);
}

/** A push body (assumed shape, jne.md §3.7) → its events, without the token check. */
export function decodeJneWebhook(rawBody: Buffer): TrackingEvent[] {
  let push: JneWebhook;
  try {
    push = JSON.parse(pushedText(rawBody)) as JneWebhook;
  } catch {
    throw new CourierWebhookMalformedError('jne', 'body', 'is not JSON');
  }
  if (!push || typeof push !== 'object')
    throw new CourierWebhookMalformedError('jne', 'body', 'is not an object');
  const awb = payloadText(push.awb ?? (push as { cnote_no?: unknown }).cnote_no).trim();
  if (!awb) throw new CourierWebhookMalformedError('jne', 'awb', 'is required, as text');
  if (!Array.isArray(push.history) || !push.history.length)
    throw new CourierWebhookMalformedError('jne', 'history', 'must be a list of at least one scan');
  const events = webhookToEvents({ ...push, awb });
  if (events.some((e) => Number.isNaN(e.occurredAt.getTime())))
    throw new CourierWebhookMalformedError('jne', 'history', 'holds a scan whose time cannot be read');
  return events;
}

export const jneDecoder: CourierDecoder = {
  tracking(answer, awbs) {
    const read = readJneAnswer<JneTracking>(answer.status, answer.body);
    const named = read.ok ? payloadText(read.body?.cnote?.cnote_no).trim() : '';
    return [jneTrackResult(awbs?.[0] ?? named, read)];
  },
  tariff: (answer, { request, catalogue }) =>
    jneQuotes(readJneAnswer(answer.status, answer.body), request, catalogue),
  create: (answer, { reference, service }) =>
    jneOrder(readJneAnswer(answer.status, answer.body), reference ?? '', service ?? ''),
  webhook: decodeJneWebhook,
};
