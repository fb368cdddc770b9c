import type {
  CourierOrder,
  CourierServiceInfo,
  QuoteRequest,
  ServiceQuote,
  TrackingEvent,
  TrackResult,
} from '../../courier-adapter';
import type { CourierDecoder } from '../../courier-decoder';
import { CourierWebhookMalformedError, malformedItem } from '../../courier.errors';
import { saysAuthRefused, saysNotFound } from '../../answer-words';
import { codFee } from '../../cod-fee';
import { bodyUnavailable, rejected, statusFailure } from '../../http-failures';
import { courierRupiah } from '../../payload-money';
import { payloadFlag, payloadText, pushedText } from '../../payload-text';
import {
  estimateEta,
  IdExpressCodCoverage,
  IdExpressCreated,
  IdExpressPushItem,
  IdExpressTracking,
  pushToEvents,
  trackingToEvents,
} from './idexpress.mapper';

export interface IdExpressEnvelope<T> {
  /** 0 = success; anything else rejects the whole request, `desc` says why (idexpress.md §2). */
  code: number | string;
  desc: string;
  total?: number;
  data: T;
}

/**
 * `code` 0 (a number, or its digit as text): success. Number() read a null, blank, false or [] code as 0 too,
 * so an error envelope without a usable code passed for success, and its empty data for "not found".
 */
export const succeeded = (envelope: IdExpressEnvelope<unknown>) =>
  envelope.code === 0 || (typeof envelope.code === 'string' && /^\s*[-+]?0+\s*$/.test(envelope.code));

/**
 * What an ID Express answer is: 429, 5xx and 401/403 throw as for every courier; ID Express answers HTTP
 * 200 with its `{code, desc, data}` envelope otherwise, and a refusal of the app id or signature (in any
 * words) is an `auth` rejection. `desc` is spelled `msg` or `message` on some hosts.
 */
export function readIdExpressAnswer<T>(status: number, body: unknown): IdExpressEnvelope<T> {
  const failure = statusFailure('idexpress', status, undefined, body);
  if (failure) throw failure;
  const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
  if (!b || !('code' in b))
    throw rejected(
      'idexpress',
      'invalid_request',
      String(status),
      'ID Express answered without its envelope',
    );
  const envelope: IdExpressEnvelope<T> = {
    code: b.code as number | string,
    desc: payloadText(b.desc ?? b.msg ?? b.message),
    ...(typeof b.total === 'number' ? { total: b.total } : {}),
    data: b.data as T,
  };
  if (!succeeded(envelope) && saysAuthRefused(envelope.desc))
    throw rejected('idexpress', 'auth', payloadText(envelope.code), envelope.desc);
  const busy =
    !succeeded(envelope) && bodyUnavailable('idexpress', payloadText(envelope.code), envelope.desc);
  if (busy) throw busy;
  return envelope;
}

type TrackingItem = IdExpressTracking & { waybillNo?: string };

/** An item's waybill: its basic info's, or the one its own fields or lines name. */
function waybillOf(t: TrackingItem): string {
  const lines = t.historys ?? t.history;
  return payloadText(
    t.basicInfo?.waybillNo ?? t.waybillNo ?? (Array.isArray(lines) ? lines[0]?.waybillNo : undefined),
  ).trim();
}

/**
 * A tracking answer → one result per asked waybill (per waybill it names when none is asked). A waybill
 * ID Express does not know is `found: false`: a refused envelope saying not found, an answer that leaves
 * it out or gives it no basic info, or an empty history under a not-found `desc`. The one place ID
 * Express's "not found" is read.
 */
export function idexpressTrackResults(
  asked: string[],
  envelope: IdExpressEnvelope<TrackingItem[] | TrackingItem | null>,
): TrackResult[] {
  const unknown = () => (asked.length ? asked : ['']).map((awb): TrackResult => ({ awb, found: false }));
  if (!succeeded(envelope)) {
    if (saysNotFound(envelope.desc)) return unknown(); // none of them is known
    throw rejected('idexpress', 'invalid_request', payloadText(envelope.code), envelope.desc);
  }
  const list = (Array.isArray(envelope.data) ? envelope.data : envelope.data ? [envelope.data] : []).filter(
    (t): t is TrackingItem => !!t && typeof t === 'object',
  );
  const byWaybill = new Map<string, TrackingItem>();
  for (const t of list) {
    const awb = waybillOf(t).toUpperCase();
    const lines = t.historys ?? t.history;
    const empty = !Array.isArray(lines) || !lines.length;
    if (awb && !(empty && saysNotFound(envelope.desc))) byWaybill.set(awb, t);
  }
  const awbs = asked.length ? asked : [...byWaybill.keys()];
  if (!awbs.length) return unknown();
  return awbs.map((awb): TrackResult => {
    const t = byWaybill.get(awb.toUpperCase());
    if (!t) return { awb, found: false };
    return {
      awb,
      found: true,
      events: trackingToEvents({ ...t, basicInfo: { ...t.basicInfo, waybillNo: awb } }),
    };
  });
}

/** The v2 fee answer's row (samples/idexpress-tariff-1.json): the account's rate, COD and SLA per service. */
interface IdExpressFeeRow {
  expressType?: string;
  publishRate?: number | string;
  clientRate?: number | string;
  fee?: number | string;
  price?: number | string;
  canCOD?: number | string | boolean;
  minSla?: number | string;
  maxSla?: number | string;
}

/**
 * A standard-fee answer's row for a service: v1 answers a bare number, v2 an object (`data.selected`, or
 * a row or list of rows with `expressType`). The price is the account's own rate (`clientRate`) when
 * given, else the published one.
 */
export function feeOf(
  data: unknown,
  service: string,
): { price?: number; cod?: boolean; eta?: { min: number; max: number }; service?: string } | null {
  if (typeof data === 'number' || (typeof data === 'string' && data.trim()))
    return { price: courierRupiah('idexpress', 'data', data, 'round_up') };
  if (!data || typeof data !== 'object') return null;
  const rows: IdExpressFeeRow[] = Array.isArray(data)
    ? (data as IdExpressFeeRow[])
    : 'selected' in data
      ? [(data as { selected: IdExpressFeeRow }).selected]
      : [data];
  const row =
    rows.find((r) => r && payloadText(r.expressType).trim() === service) ??
    rows.find((r) => r && !payloadText(r.expressType).trim()) ??
    (rows.length === 1 ? rows[0] : undefined);
  if (!row || typeof row !== 'object') return null;
  const priced = (['clientRate', 'fee', 'price', 'publishRate'] as const).find(
    (k) => (row[k] ?? null) !== null,
  );
  const price = priced && courierRupiah('idexpress', priced, row[priced], 'round_up');
  const min = Number(row.minSla);
  const max = Number(row.maxSla);
  const can = row.canCOD;
  return {
    price,
    ...(payloadFlag(can) === undefined ? {} : { cod: payloadFlag(can) }),
    ...(min > 0 ? { eta: { min, max: max >= min ? max : min } } : {}),
    ...(payloadText(row.expressType).trim() ? { service: payloadText(row.expressType).trim() } : {}),
  };
}

/**
 * One service's fee answer → its quote, or null when the route is not covered for it (a refused envelope,
 * no fee). COD availability: the fee row's own flag (v2), else the coverage rows.
 */
export function idexpressQuote(
  fee: IdExpressEnvelope<unknown>,
  codRows: IdExpressCodCoverage[],
  r: QuoteRequest,
  info: CourierServiceInfo,
): ServiceQuote | null {
  if (!succeeded(fee)) return null; // a non-zero code: not covered for this service
  const row = feeOf(fee.data, info.code);
  const price = row?.price;
  if (!row || price === undefined || price <= 0) return null;
  const codAvailable =
    info.cod &&
    (row.cod ?? codRows.some((c) => payloadText(c.expressType) === info.code && payloadFlag(c.cod) === true));
  return {
    courier: 'idexpress',
    service: info.code,
    serviceName: info.name,
    price,
    codFee: r.codAmount && codAvailable ? codFee(info, r.codAmount) : 0,
    etaDays: row.eta ?? estimateEta(info, r.origin, r.destination),
    codAvailable,
  };
}

/** A create answer → the order of `reference` (or its only item); item code -1 is a repeated orderNo. */
export function idexpressOrder(
  envelope: IdExpressEnvelope<IdExpressCreated[]>,
  reference: string,
  service: string,
): CourierOrder {
  const items = succeeded(envelope) && Array.isArray(envelope.data) ? envelope.data : [];
  const item = items.find((i) => reference && i?.orderNo === reference) ?? items[0];
  const awb = payloadText(item?.waybillNo).trim();
  if (item && Number(item.code) === 0 && awb)
    return { courier: 'idexpress', awb, reference: reference || payloadText(item.orderNo), service };
  const rawCode = payloadText(item ? item.code : envelope.code);
  const msg = payloadText(item ? item.msg : envelope.desc);
  // A repeated orderNo answers item code -1 with the existing waybill (idexpress.md §3.2): reconcile with findByReference.
  if (item && Number(item.code) === -1)
    throw rejected('idexpress', 'duplicate', rawCode, awb ? `${msg} (${awb})` : msg);
  if (saysAuthRefused(msg)) throw rejected('idexpress', 'auth', rawCode, msg);
  if (/\bCOD\b/i.test(msg)) throw rejected('idexpress', 'cod_not_allowed', rawCode, msg);
  if (/not covered|not served|out of (service )?area|tidak dilayani|jangkauan/i.test(msg))
    throw rejected('idexpress', 'unserviceable_route', rawCode, msg);
  if (/weight|berat/i.test(msg)) throw rejected('idexpress', 'too_heavy', rawCode, msg);
  if (/address|alamat|district|city|kecamatan|kota/i.test(msg))
    throw rejected('idexpress', 'bad_address', rawCode, msg);
  throw rejected('idexpress', 'invalid_request', rawCode, msg || 'ID Express created no waybill');
}

/** A push (a JSON array of items, sometimes a lone object; idexpress.md §3.6) → events, without the token check. */
export function decodeIdExpressWebhook(rawBody: Buffer): TrackingEvent[] {
  let body: unknown;
  try {
    body = JSON.parse(pushedText(rawBody));
  } catch {
    throw new CourierWebhookMalformedError('idexpress', 'body', 'is not JSON');
  }
  const list = Array.isArray(body);
  const items = (list ? body : [body]) as IdExpressPushItem[];
  if (!items.length) throw new CourierWebhookMalformedError('idexpress', 'body', 'is an empty list');
  items.forEach((item, i) => {
    const malformed = (field: string, problem: string) =>
      malformedItem('idexpress', { list, index: i }, field, problem);
    if (!item || typeof item !== 'object') throw malformed('', 'is not an object');
    if (typeof item.waybillNo !== 'string' || !item.waybillNo.trim())
      throw malformed('waybillNo', 'is required, as text');
    if (typeof item.operationType !== 'string') throw malformed('operationType', 'is required, as text');
    if ((item.lastOperationTime ?? item.operationTime) === undefined)
      throw malformed('lastOperationTime', 'is required (or operationTime)');
  });
  const events = pushToEvents(items);
  // Malformed (400), not stale (401) by a replay window that cannot read it: ID Express would send it again.
  const unread = events.findIndex((e) => Number.isNaN(e.occurredAt.getTime()));
  if (unread >= 0)
    throw malformedItem(
      'idexpress',
      { list, index: unread },
      (items[unread].lastOperationTime ?? null) !== null ? 'lastOperationTime' : 'operationTime',
      'is not a time (epoch seconds or milliseconds)',
    );
  return events;
}

export const idexpressDecoder: CourierDecoder = {
  tracking: (answer, awbs) =>
    idexpressTrackResults(awbs ?? [], readIdExpressAnswer(answer.status, answer.body)),
  tariff(answer, { request, catalogue, service }) {
    const envelope = readIdExpressAnswer(answer.status, answer.body);
    // One service per call; a v2 answer names its own, a v1 answer is for the one asked (else Standard).
    const named = succeeded(envelope) ? feeOf(envelope.data, service ?? '')?.service : undefined;
    const info = catalogue.find((s) => s.code === (service ?? named)) ?? catalogue[0];
    const quote = info ? idexpressQuote(envelope, [], request, info) : null;
    return quote ? [quote] : [];
  },
  create: (answer, { reference, service }) =>
    idexpressOrder(readIdExpressAnswer(answer.status, answer.body), reference ?? '', service ?? ''),
  webhook: decodeIdExpressWebhook,
};
