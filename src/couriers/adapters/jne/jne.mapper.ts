import { proofOfDelivery } from '../../proof-of-delivery';
import type {
  CourierOrder,
  CourierReason,
  CourierStatus,
  CourierServiceInfo,
  CreateOrderRequest,
  Parcel,
  Place,
  QuoteRequest,
  TrackingEvent,
} from '../../courier-adapter';
import type { RejectionCause } from '../../courier.errors';
import { rejected } from '../../http-failures';
import type { RouteCodes } from '../../locations';
import { cutLine, payloadText } from '../../payload-text';
import { attemptReasonOfWords, classifyStatusWords, reasonOfWords } from '../../status-words';
import { unknownLine } from '../../unknown-codes';
import { formatWibDayFirst, parseInstant, parseWib, wibDate } from 'src/common/wib';
import {
  JNE_CODE_FAMILIES,
  JNE_LEGACY_MANIFEST,
  JNE_LEGACY_RUNSHEET,
  JNE_STATUS,
  JneCodeMeaning,
} from './jne.status-table';
import type { CourierEgress } from '../../courier-http';

/** A JNE request body: form fields. */
export type JneForm = Record<string, string | number>;

export interface JneAccount extends CourierEgress {
  JNE_BASE_URL: string;
  JNE_USERNAME: string;
  JNE_API_KEY: string;
  JNE_CUSTOMER_NO: string;
  JNE_COD_CUSTOMER_NO: string;
  JNE_BRANCH: string;
  WEBHOOK_TOKEN?: string;
}

/** JNE's field limits (jne.md §3.2). */
const NAME_MAX = 30;
const ADDR_MAX = 30;
const CITY_MAX = 20;

/** Chargeable weight in whole kg: max(actual, volumetric /6000), a fraction above 0.3 kg rounds up (JNE's tolerance). */
export function chargeableKg(p: Parcel): number {
  const actual = p.weightGrams / 1000;
  const volumetric = p.lengthCm && p.widthCm && p.heightCm ? (p.lengthCm * p.widthCm * p.heightCm) / 6000 : 0;
  const kg = Math.max(actual, volumetric);
  const whole = Math.floor(kg);
  return Math.max(1, kg - whole > 0.3 + 1e-9 ? whole + 1 : whole);
}

/** JNE takes local numbers (08…), digits only, at most 15. */
export const localPhone = (e164: string) => e164.replace(/^\+62/, '0').replace(/\D/g, '').slice(0, 15);

/** Word-wraps text into lines of at most `width` characters; null when it needs more than `lines` lines. */
export function splitAddress(text: string, width = ADDR_MAX, lines = 3): string[] | null {
  const out: string[] = [];
  let line = '';
  for (let word of text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean)) {
    while (word.length > width) {
      if (line) out.push(line);
      out.push(word.slice(0, width));
      word = word.slice(width);
      line = '';
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      out.push(line);
      line = word;
    }
  }
  if (line) out.push(line);
  return out.length <= lines ? out : null;
}

/**
 * ADDR1–ADDR3 of a place: the street wrapped across the three 30-character fields, then the district
 * on the lines left (ADDR2 is required). A street JNE cannot carry is refused here rather than
 * truncated, since a cut address is a failed COD delivery later.
 */
export function addressLines(p: Place): [string, string, string] {
  const street = splitAddress(p.address);
  if (!street?.length)
    throw rejected(
      'jne',
      'bad_address',
      'ADDRESS_TOO_LONG',
      `address of ${p.name} does not fit JNE's three 30-character lines`,
    );
  const lines = [
    ...street,
    ...((street.length < 3 && splitAddress(p.district, ADDR_MAX, 3 - street.length)) || []),
  ];
  if (lines.length === 1) lines.push(cutLine(p.city, ADDR_MAX));
  return [lines[0], lines[1], lines[2] ?? ''];
}

/** The tariff request; `codes` are JNE's tariff codes for origin and destination (CourierLocations). */
export function quoteBody(r: QuoteRequest, codes: RouteCodes): JneForm {
  return {
    from: codes.from.code,
    thru: codes.to.code,
    weight: chargeableKg(r.parcel),
  };
}

/** `etd_from`/`etd_thru` as days; the catalogue's SLA when JNE leaves them empty. */
export function parseEtd(
  from: unknown,
  thru: unknown,
  fallback: CourierServiceInfo['slaDays'],
): { min: number; max: number } {
  const min = Number(from);
  const max = Number(thru || from);
  if (!(Number.isInteger(min) && min > 0)) return { ...fallback };
  return { min, max: Number.isInteger(max) && max >= min ? max : min };
}

const customerNo = (account: JneAccount, codAmount: number) =>
  codAmount > 0 ? account.JNE_COD_CUSTOMER_NO : account.JNE_CUSTOMER_NO;

export function createBody(r: CreateOrderRequest, account: JneAccount, codes: RouteCodes): JneForm {
  const cod = r.codAmount > 0;
  const [s1, s2, s3] = addressLines(r.sender);
  const [r1, r2, r3] = addressLines(r.recipient);
  return {
    OLSHOP_BRANCH: account.JNE_BRANCH,
    OLSHOP_CUST: customerNo(account, r.codAmount),
    OLSHOP_ORDERID: r.reference,
    OLSHOP_SHIPPER_NAME: cutLine(r.sender.name, NAME_MAX),
    OLSHOP_SHIPPER_ADDR1: s1,
    OLSHOP_SHIPPER_ADDR2: s2,
    OLSHOP_SHIPPER_ADDR3: s3,
    OLSHOP_SHIPPER_CITY: cutLine(r.sender.city, CITY_MAX),
    OLSHOP_SHIPPER_REGION: cutLine(r.sender.province, 20),
    OLSHOP_SHIPPER_ZIP: r.sender.postalCode.slice(0, 5),
    OLSHOP_SHIPPER_PHONE: localPhone(r.sender.phone),
    OLSHOP_RECEIVER_NAME: cutLine(r.recipient.name, NAME_MAX),
    OLSHOP_RECEIVER_ADDR1: r1,
    OLSHOP_RECEIVER_ADDR2: r2,
    OLSHOP_RECEIVER_ADDR3: r3,
    OLSHOP_RECEIVER_CITY: cutLine(r.recipient.city, CITY_MAX),
    OLSHOP_RECEIVER_REGION: cutLine(r.recipient.province, 20),
    OLSHOP_RECEIVER_ZIP: r.recipient.postalCode.slice(0, 5),
    OLSHOP_RECEIVER_PHONE: localPhone(r.recipient.phone),
    OLSHOP_QTY: 1,
    OLSHOP_WEIGHT: chargeableKg(r.parcel),
    OLSHOP_GOODSDESC: cutLine(r.parcel.description || 'Paket', 60),
    OLSHOP_GOODSVALUE: r.parcel.itemValue ?? r.codAmount,
    OLSHOP_GOODSTYPE: '2',
    OLSHOP_INS_FLAG: 'N',
    OLSHOP_ORIG: codes.from.code,
    OLSHOP_DEST: codes.to.code,
    OLSHOP_SERVICE: r.service,
    OLSHOP_COD_FLAG: cod ? 'YES' : 'N',
    OLSHOP_COD_AMOUNT: cod ? r.codAmount : 0,
  };
}

const dayFirst = (isoDay: string) => isoDay.split('-').reverse().join('-');

/** `pickupcashless` with TYPE=PICKUP for an AWB already generated (jne.md §3.3; field list from client code). */
export function pickupBody(
  order: CourierOrder,
  r: CreateOrderRequest,
  account: JneAccount,
  now: Date,
  codes: RouteCodes,
): JneForm {
  const [s1, s2, s3] = addressLines(r.sender);
  const [r1, r2, r3] = addressLines(r.recipient);
  const nowText = formatWibDayFirst(now);
  // A day already gone (a pickup re-booked after its day, or booked after midnight) is asked for as today.
  const later = r.pickupDate && r.pickupDate > wibDate(now) ? r.pickupDate : null;
  return {
    CUST_ID: customerNo(account, r.codAmount),
    BRANCH: account.JNE_BRANCH,
    ORDER_ID: r.reference,
    AWB: order.awb,
    TYPE: 'PICKUP',
    ORIGIN_CODE: codes.from.code,
    DESTINATION_CODE: codes.to.code,
    SERVICE_CODE: r.service,
    WEIGHT: chargeableKg(r.parcel),
    QTY: 1,
    GOODS_DESC: cutLine(r.parcel.description || 'Paket', 60),
    GOODS_AMOUNT: r.parcel.itemValue ?? r.codAmount,
    INSURANCE_FLAG: 'N',
    PICKUP_NAME: cutLine(r.sender.name, NAME_MAX),
    PICKUP_DATE: dayFirst(later ?? wibDate(now)),
    PICKUP_TIME: later ? '09:00' : nowText.slice(11),
    PICKUP_PIC: cutLine(r.sender.name, NAME_MAX),
    PICKUP_PIC_PHONE: localPhone(r.sender.phone),
    PICKUP_ADDRESS: cutLine(`${r.sender.address}, ${r.sender.district}`, 100),
    PICKUP_DISTRICT: cutLine(r.sender.district, CITY_MAX),
    PICKUP_CITY: cutLine(r.sender.city, CITY_MAX),
    PICKUP_SERVICE: 'Regular',
    PICKUP_VEHICLE: 'Motor',
    SHIPPER_NAME: cutLine(r.sender.name, NAME_MAX),
    SHIPPER_ADDR1: s1,
    SHIPPER_ADDR2: s2,
    SHIPPER_ADDR3: s3,
    SHIPPER_CITY: cutLine(r.sender.city, CITY_MAX),
    SHIPPER_ZIP: r.sender.postalCode.slice(0, 5),
    SHIPPER_REGION: cutLine(r.sender.province, 20),
    SHIPPER_COUNTRY: 'INDONESIA',
    SHIPPER_CONTACT: cutLine(r.sender.name, NAME_MAX),
    SHIPPER_PHONE: localPhone(r.sender.phone),
    RECEIVER_NAME: cutLine(r.recipient.name, NAME_MAX),
    RECEIVER_ADDR1: r1,
    RECEIVER_ADDR2: r2,
    RECEIVER_ADDR3: r3,
    RECEIVER_CITY: cutLine(r.recipient.city, CITY_MAX),
    RECEIVER_ZIP: r.recipient.postalCode.slice(0, 5),
    RECEIVER_REGION: cutLine(r.recipient.province, 20),
    RECEIVER_COUNTRY: 'INDONESIA',
    RECEIVER_CONTACT: cutLine(r.recipient.name, NAME_MAX),
    RECEIVER_PHONE: localPhone(r.recipient.phone),
    COD_FLAG: r.codAmount > 0 ? 'YES' : 'N',
    COD_AMOUNT: r.codAmount > 0 ? r.codAmount : 0,
  };
}

/** What a generatecnote or pickupcashless refusal means, from its text (JNE sends no codes). */
export function refusalCause(msg: string): RejectionCause {
  // Field-level complaints name the field first ("OLSHOP_RECEIVER_ADDR1 Max 30 Characters.").
  const field = /^([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b/.exec(msg)?.[1];
  if (field) return /ADDR|CITY|ZIP|REGION|ORIG|DEST/.test(field) ? 'bad_address' : 'invalid_request';
  if (/\bCOD\b|cash on delivery/i.test(msg)) return 'cod_not_allowed';
  if (/route|not served|tidak dilayani|tidak terjangkau/i.test(msg)) return 'unserviceable_route';
  if (/weight|berat/i.test(msg)) return 'too_heavy';
  if (/address|alamat|origin|destination/i.test(msg)) return 'bad_address';
  return 'invalid_request';
}

export interface JneHistory {
  date: string;
  desc: string;
  code: string;
}

/** The tracking summary; every value is a string (jne.md §3.6). JNE tracking carries no COD field. */
export interface JneCnote {
  cnote_no: string;
  reference_number?: string;
  cnote_services_code?: string;
  pod_status?: string;
  pod_code?: string;
  last_status?: string;
  cnote_pod_date?: string;
  /** Who took the parcel, on a delivered one (samples/jne-tracking-1.json). */
  cnote_pod_receiver?: string;
  /** Who the receiver is to the consignee (`YANG BERSANGKUTAN` = the addressee, jne.md §3.6). */
  keterangan?: string;
  /** The proof of delivery's photo and signature (URLs, jne.md §3.6). */
  photo?: string;
  signature?: string;
  city_name?: string;
}

/** The pre-2016 answer's lines (samples/jne-tracking-5.json). */
export interface JneManifest {
  manifest_code?: string;
  keterangan?: string;
  manifest_date?: string;
  city_name?: string;
}
export interface JneRunsheet {
  mrsheet_date?: string;
  pod_status?: string;
  city_name?: string;
}

export interface JneTracking {
  cnote: JneCnote;
  detail?: Record<string, string>[];
  history?: JneHistory[];
  manifest?: JneManifest[];
  runsheet?: JneRunsheet[];
}

/** Assumed push shape (jne.md §3.7): one client's `{awb, status, history[]}`. */
export interface JneWebhook {
  awb: string;
  status?: string;
  order_id?: string;
  history: { date: string; status_code?: string; status_desc?: string; code?: string; desc?: string }[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * A JNE time, to the minute: history `DD-MM-YYYY HH:mm` and push `YYYY-MM-DD HH:mm:ss` (WIB), summary ISO
 * with `+07:00`, or the older summary styles `04 SEP 2019  13:46` and `14-MAR-2015 03:24`. null when it is
 * none of them. The tracking history has no seconds, so a push's are dropped: the same scan polled and
 * pushed is then one event, not two (which counted one failed attempt twice).
 */
export function parseJneDate(text: string): Date | null {
  const at = parseJneTime(text);
  return at && new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}

function parseJneTime(text: string): Date | null {
  const wib = parseWib(text);
  if (wib) return wib;
  const old = /^(\d{1,2})[ -]([A-Z]{3})[ -](\d{4})\s+(\d{2}):(\d{2})$/i.exec(text.trim());
  if (old && MONTHS.includes(old[2].toUpperCase())) {
    const month = String(MONTHS.indexOf(old[2].toUpperCase()) + 1).padStart(2, '0');
    return parseWib(`${old[1].padStart(2, '0')}-${month}-${old[3]} ${old[4]}:${old[5]}`);
  }
  // parseInstant, not Date, which reads 2026-02-30T10:00+07:00 as 2 March.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)$/.test(text.trim()))
    return parseInstant(text.trim());
  return null;
}

/** The place in a `desc`: its last `[…]`, or the last part of `[NAME | date | CITY]` on a delivery. */
export function locationOf(desc: string): string | undefined {
  // The innermost brackets: each `[` looks only as far as the next one, not to the end of the text.
  const groups = [...desc.matchAll(/\[([^[\]]*)\]/g)];
  const last = groups[groups.length - 1]?.[1];
  const place = last?.split('|').pop()?.trim();
  return place || undefined;
}

/** A failure reason read from the `desc` text, or undefined when it names none. */
export const reasonOf = (desc: string): CourierReason | undefined => reasonOfWords(desc);

/** What JNE's lines of one parcel have said so far, read as each line is mapped (oldest first). */
export interface JneContext {
  /** A physical scan has happened (a shipper's cancel is then a return). */
  pickedUp?: boolean;
  /** A return has started: later movement scans are the way back. */
  returnLeg?: boolean;
}

type Meaning = { status: CourierStatus | null; reason?: CourierReason; returnLeg?: boolean };

/**
 * A JNE status code as the status table spells it: without whitespace anywhere, upper case. Some hosts
 * pad or split it ("D 01", "OP 1", "d01 "); read as given, a delivery was an unmapped code read by its words.
 */
export const jneStatusCode = (value: unknown): string => payloadText(value).replace(/\s+/g, '').toUpperCase();

/** The meaning of a known code in context: the table's, its after-pickup variant, and the return leg. */
function inContext(known: JneCodeMeaning, ctx: JneContext): Meaning {
  const m = ctx.pickedUp && known.afterPickup ? known.afterPickup : known;
  if (!ctx.returnLeg || m.returnLeg) return m;
  // On the way back, JNE's movement codes move the parcel toward the shipper, and a POD is the shipper's.
  if (m.status === 'picked_up' || m.status === 'in_transit' || m.status === 'out_for_delivery')
    return { status: 'returning_to_sender', returnLeg: true };
  if (m.status === 'delivered') return { status: 'returned', returnLeg: true };
  return m;
}

/**
 * One history entry (or pushed one) → a normalized event. A code outside the table is flagged `unmapped`
 * and read by its family (jne.md §4), else by the words of its `desc`. A failed attempt whose code names
 * no cause takes its reason from `desc`.
 */
export function historyToEvent(awb: string, h: JneHistory, ctx: JneContext = {}): TrackingEvent {
  const code = jneStatusCode(h.code);
  const desc = payloadText(h.desc).trim();
  const known = JNE_STATUS[code];
  let meaning: Meaning | null;
  let unmapped: true | undefined;
  if (known) meaning = inContext(known, ctx);
  else {
    const unknown = unknownLine('jne', code, desc);
    unmapped = unknown.unmapped;
    const family = JNE_CODE_FAMILIES.find(([pattern]) => code && pattern.test(code))?.[1];
    meaning = family ? inContext(family, ctx) : unknown.meaning;
  }
  let reason = meaning?.reason;
  if (meaning?.status === 'delivery_failed' && reason === 'attempt_failed') reason = attemptReason(desc);
  // Any scan but a booking, a cancel or a failed pickup means JNE holds the parcel.
  if (
    meaning?.status &&
    !['created', 'pickup_requested', 'cancelled'].includes(meaning.status) &&
    reason !== 'pickup_failed'
  )
    ctx.pickedUp = true;
  if (meaning?.returnLeg) ctx.returnLeg = true;
  const pod = proofOfDelivery(meaning?.status, { receiver: receiverIn(desc) });
  return {
    awb,
    status: meaning?.status ?? null,
    ...(reason ? { reason } : {}),
    rawCode: code,
    rawText: desc,
    occurredAt: parseJneDate(payloadText(h.date)) ?? new Date(NaN),
    location: locationOf(desc),
    isReturnLeg: meaning?.returnLeg ?? false,
    ...(pod ? { pod } : {}),
    ...(unmapped ? { unmapped } : {}),
  };
}

/** The receiver a delivery's `desc` names: `DELIVERED TO [NAME | 06-11-2020 11:00 | AMBON]`. */
function receiverIn(desc: string): string | undefined {
  return /\bDELIVERED TO \[([^|[\]]+)\|/i.exec(desc)?.[1].trim() || undefined;
}

/** The reason of a failed attempt whose code names none: the words of its `desc`, else `attempt_failed`. */
const attemptReason = (desc: string): CourierReason => attemptReasonOfWords(desc) ?? 'attempt_failed';

/** The legacy answer's manifests and delivery run sheets → events (samples/jne-tracking-5.json). */
function legacyLines(t: JneTracking): { h: JneHistory; meaning: JneCodeMeaning; place?: string }[] {
  const manifests = (t.manifest ?? []).map((m) => {
    const code = payloadText(m.manifest_code).trim();
    const words = payloadText(m.keterangan).trim();
    return {
      h: { code: `MANIFEST:${code}`, desc: words, date: payloadText(m.manifest_date) },
      meaning: JNE_LEGACY_MANIFEST[code] ?? classifyStatusWords(words) ?? { status: 'in_transit' },
      place: payloadText(m.city_name).trim() || undefined,
    };
  });
  const runsheets = (t.runsheet ?? []).map((r) => ({
    h: {
      code: 'RUNSHEET',
      desc: `DELIVERY RUNSHEET ${payloadText(r.pod_status)}`.trim(),
      date: payloadText(r.mrsheet_date),
    },
    meaning: JNE_LEGACY_RUNSHEET,
    place: payloadText(r.city_name).trim() || undefined,
  }));
  return [...manifests, ...runsheets];
}

/**
 * A tracking answer → events, oldest first as JNE lists them. `pod_status: DELIVERED` is trusted even
 * when no history entry says so (jne.md §4), from the summary's POD code and date, unless that code means
 * something else. JNE tracking has no
 * COD field: `codCollected` is left to the tracker (a COD parcel delivered).
 */
export function trackingToEvents(awb: string, t: JneTracking): TrackingEvent[] {
  const ctx: JneContext = {};
  const events = (t.history ?? []).map((h) => historyToEvent(awb, h, ctx));
  if (!t.history?.length)
    for (const { h, meaning, place } of legacyLines(t)) {
      events.push({
        awb,
        status: meaning.status,
        rawCode: h.code,
        rawText: h.desc,
        occurredAt: parseJneDate(h.date) ?? new Date(NaN),
        location: place,
        isReturnLeg: false,
      });
      ctx.pickedUp = true;
    }
  const pod = jneStatusCode(t.cnote.pod_code);
  // JNE's "SUKSES DELIVERY" group holds codes that are no buyer's delivery (DB1: in a PopBox; D15, D16: back
  // at origin): a POD code its table reads otherwise says what the summary's DELIVERED meant, and no
  // delivery (no COD cash) is made of the word. An empty or unknown code is trusted as delivered (jne.md §4).
  const podMeans = JNE_STATUS[pod]?.status;
  if (
    payloadText(t.cnote.pod_status).trim().toUpperCase() === 'DELIVERED' &&
    (podMeans === undefined || podMeans === 'delivered') &&
    !events.some((e) => e.status === 'delivered' || e.status === 'returned')
  ) {
    const code = podMeans === 'delivered' ? pod : 'D01';
    const at = parseJneDate(payloadText(t.cnote.cnote_pod_date));
    const last = events[events.length - 1];
    const desc = payloadText(t.cnote.last_status).trim() || 'DELIVERED';
    events.push({
      ...historyToEvent(awb, { code, desc, date: '' }, ctx),
      occurredAt: at ?? last?.occurredAt ?? new Date(NaN),
      location: locationOf(desc) ?? (payloadText(t.cnote.city_name).trim() || undefined),
    });
  }
  // The summary holds a delivered parcel's proof (jne.md §3.6): who took it, who they are to the consignee,
  // the photo and the signature; before what the line's words say. Only the receiver was read, so the
  // photo and signature JNE's real answers carry (samples/jne-tracking-1.json, -3) never reached the seller.
  const delivery = events.findLast((e) => e.status === 'delivered');
  const summary = proofOfDelivery('delivered', {
    receiver: t.cnote.cnote_pod_receiver,
    relation: t.cnote.keterangan,
    photos: t.cnote.photo,
    signatures: t.cnote.signature,
  });
  if (delivery && summary) delivery.pod = { ...delivery.pod, ...summary };
  return events;
}

/** A push's history → events (the assumed push shape, with either spelling of code and text). */
export function webhookToEvents(w: JneWebhook): TrackingEvent[] {
  const ctx: JneContext = {};
  return w.history.map((h) =>
    historyToEvent(
      w.awb,
      {
        date: payloadText(h.date),
        desc: payloadText(h.status_desc ?? h.desc),
        code: payloadText(h.status_code ?? h.code),
      },
      ctx,
    ),
  );
}
