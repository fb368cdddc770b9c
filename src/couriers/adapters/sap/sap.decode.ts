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
import { chargeableKg, parseSla, rowToEvent, SapRow } from './sap.mapper';

export interface SapEnvelope<T> {
  status: 'success' | 'fail';
  msg: string;
  data: T;
}

export interface SapAnswer<T> {
  httpStatus: number;
  envelope: SapEnvelope<T>;
}

/**
 * What a SAP answer is: 429, 5xx and 401/403 throw as for every courier, as does a refusal of the API key
 * in any words; otherwise the `{status, msg, data}` envelope goes to the call (200, and 400/404/422, whose
 * envelope says what went wrong). `status` may come as a boolean and `msg` as `message` on other hosts.
 */
export function readSapAnswer<T>(status: number, body: unknown): SapAnswer<T> {
  const failure = statusFailure('sap', status, undefined, body);
  if (failure) throw failure;
  const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
  if (!b || !('status' in b))
    throw rejected('sap', 'invalid_request', String(status), 'SAP answered without its envelope');
  const ok = b.status === true || /^(success|sukses|ok|true)$/i.test(payloadText(b.status).trim());
  const msg = payloadText(b.msg ?? b.message);
  if (!ok && saysAuthRefused(msg)) throw rejected('sap', 'auth', String(status), msg);
  const busy = !ok && bodyUnavailable('sap', String(status), msg);
  if (busy) throw busy;
  return { httpStatus: status, envelope: { status: ok ? 'success' : 'fail', msg, data: b.data as T } };
}

/**
 * A tracking answer → the events of `awb` (or of the one AWB its rows name), or `found: false` for an AWB
 * SAP does not know: HTTP 404 ("Airwaybill tidak ditemukan"), or an empty list or failed envelope whose
 * message says not found; any other failed envelope is an error. An empty list with "Tidak ada status" is a parcel booked but not yet scanned.
 * The one place SAP's "not found" is read.
 */
export function sapTrackResults(asked: string[], answer: SapAnswer<SapRow[]>): TrackResult[] {
  const { httpStatus, envelope } = answer;
  const rows = payloadRecords<SapRow>(envelope.data);
  const unknown = () => (asked.length ? asked : ['']).map((awb): TrackResult => ({ awb, found: false }));
  if (httpStatus === 404 || (!rows.length && saysNotFound(envelope.msg))) return unknown();
  // Any other refusal (a wrong parameter, SAP's own error) is no answer about the parcel: read as "not
  // found" it hid a fault of the integration and counted toward giving the parcel up.
  if (envelope.status !== 'success')
    throw rejected('sap', 'invalid_request', String(httpStatus), envelope.msg || 'failed envelope');
  // Every checkpoint is a full row, oldest first (sap.md §3.6).
  const awbs = asked.length ? asked : [...new Set(rows.map((r) => payloadText(r.awb_no).trim()))];
  if (!awbs.length) return [{ awb: '', found: true, events: [] }];
  return awbs.map((awb) => ({
    awb,
    found: true,
    events: rows
      .filter((r) => (asked.length !== 1 ? payloadText(r.awb_no).trim() === awb : true))
      .map((row) => ({ ...rowToEvent(row), awb })),
  }));
}

export interface SapRate {
  service_type_code: string;
  service_type_name: string;
  total_cost: string | number;
  sla: string;
  cod_available?: boolean | string | number;
}

/**
 * A shipment_cost answer → a quote per catalogue service. A failed envelope ("Harga tidak ditemukan",
 * HTTP 404 or 200) is a route nothing serves. `coverage_cod` says whether the route takes COD; where the
 * answer leaves it out, the catalogue decides.
 */
export function sapQuotes(
  answer: SapAnswer<{ coverage_cod?: boolean | string; services?: SapRate[] }>,
  r: QuoteRequest,
  catalogue: CourierServiceInfo[],
): ServiceQuote[] {
  const { envelope } = answer;
  if (envelope.status !== 'success') return [];
  const data = envelope.data && typeof envelope.data === 'object' ? envelope.data : {};
  const coverage = data.coverage_cod;
  // A boolean as sap.md §3.3 says, or as text or a digit ("true", "TRUE", 1, "1"): only `=== 'true'` was
  // read, so a route SAP said takes COD with a 1 was quoted as one that does not.
  const routeCod = payloadFlag(coverage);
  const weightKg = chargeableKg(r.parcel);
  return (Array.isArray(data.services) ? data.services : []).flatMap((rate) => {
    const info = catalogue.find((s) => s.code === payloadText(rate?.service_type_code).trim());
    if (!info || weightKg * 1000 > info.maxWeightGrams) return [];
    const price = courierRupiah('sap', 'total_cost', rate.total_cost, 'round_up');
    if (price === undefined || price <= 0) return [];
    const codAvailable = info.cod && (payloadFlag(rate.cod_available) ?? routeCod ?? true);
    return [
      {
        courier: 'sap' as const,
        service: info.code,
        serviceName: payloadText(rate.service_type_name) || info.name,
        price,
        codFee: r.codAmount && codAvailable ? codFee(info, r.codAmount) : 0,
        etaDays: parseSla(rate.sla, info.slaDays),
        codAvailable,
      },
    ];
  });
}

/** A pickup/create answer → the order; SAP's HTTP status and `msg` say why it refused. */
export function sapOrder(
  answer: SapAnswer<{ awb_no?: string; reference_no?: string }>,
  reference: string,
  service: string,
): CourierOrder {
  const { httpStatus, envelope } = answer;
  const awb = payloadText(envelope.data?.awb_no).trim();
  if (envelope.status === 'success' && awb)
    return {
      courier: 'sap',
      awb,
      reference: reference || payloadText(envelope.data?.reference_no),
      service,
    };
  const msg = envelope.msg || (envelope.status === 'success' ? 'SAP answered without an awb_no' : '');
  const code = String(httpStatus);
  if (httpStatus === 400 || /already exist|sudah ada|duplicate/i.test(msg))
    throw rejected('sap', 'duplicate', code, msg);
  if (/COD/i.test(msg)) throw rejected('sap', 'cod_not_allowed', code, msg);
  if (/rute|tidak dilayani|kecamatan/i.test(msg)) throw rejected('sap', 'unserviceable_route', code, msg);
  if (/berat/i.test(msg)) throw rejected('sap', 'too_heavy', code, msg);
  if (/alamat|address/i.test(msg)) throw rejected('sap', 'bad_address', code, msg);
  throw rejected('sap', 'invalid_request', code, msg);
}

/** A push (one checkpoint per POST, sap.md §3.7) → its event, without the token check. */
export function decodeSapWebhook(rawBody: Buffer): TrackingEvent[] {
  let row: SapRow;
  try {
    row = JSON.parse(pushedText(rawBody)) as SapRow;
  } catch {
    throw new CourierWebhookMalformedError('sap', 'body', 'is not JSON');
  }
  if (!row || typeof row !== 'object')
    throw new CourierWebhookMalformedError('sap', 'body', 'is not an object');
  for (const field of ['awb_no', 'rowstate_name'] as const)
    if (!payloadText(row[field]).trim())
      throw new CourierWebhookMalformedError('sap', field, 'is required, as text');
  const event = rowToEvent(row);
  // Said as malformed (400), not left to the replay window, which a time it cannot read would fail as
  // stale (401): SAP would send it again and again.
  if (Number.isNaN(event.occurredAt.getTime()))
    throw new CourierWebhookMalformedError(
      'sap',
      payloadText(row.create_date).trim() || !payloadText(row.created_at).trim()
        ? 'create_date'
        : 'created_at',
      'is not a time (YYYY-MM-DD HH:mm:ss, WIB)',
    );
  return [event];
}

export const sapDecoder: CourierDecoder = {
  tracking: (answer, awbs) => sapTrackResults(awbs ?? [], readSapAnswer(answer.status, answer.body)),
  tariff: (answer, { request, catalogue }) =>
    sapQuotes(readSapAnswer(answer.status, answer.body), request, catalogue),
  create: (answer, { reference, service }) =>
    sapOrder(readSapAnswer(answer.status, answer.body), reference ?? '', service ?? ''),
  webhook: decodeSapWebhook,
};
