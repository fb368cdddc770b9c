import { proofOfDelivery } from '../../proof-of-delivery';
import type {
  CourierOrder,
  CourierReason,
  CourierServiceInfo,
  CreateOrderRequest,
  Parcel,
  Place,
  QuoteRequest,
  TrackingEvent,
} from '../../courier-adapter';
import type { RouteCodes } from '../../locations';
import { cutText, payloadRecords, payloadText } from '../../payload-text';
import { courierRupiah } from '../../payload-money';
import { attemptReasonOfWords, classifyStatusWords } from '../../status-words';
import { unknownLine } from '../../unknown-codes';
import { formatWib, parseWib, wibDate } from 'src/common/wib';
import {
  JNT_MANIFEST_WITH_PICKUP,
  JNT_MOVEMENT_DEFAULT,
  JNT_MOVEMENT_RULES,
  JNT_STATUS,
  JntMeaning,
} from './jnt.status-table';
import type { CourierEgress } from '../../courier-http';

/** A J&T Indonesia account: one set of credentials per API (jnt.md §1). */
export interface JntAccount extends CourierEgress {
  JNT_BASE_URL: string;
  /** Order and cancel credentials, sent inside the JSON. */
  JNT_USERNAME: string;
  JNT_API_KEY: string;
  /** Signs create and cancel (`data_sign`) and, assumed, the status push. */
  JNT_ORDER_KEY: string;
  /** Signs the tariff inquiry (`sign`), with the customer name J&T issued for it. */
  JNT_TARIFF_KEY: string;
  JNT_CUSTOMER_NAME: string;
  /** Tracking: HTTP Basic `eccompanyid:password`. */
  JNT_ECCOMPANY_ID: string;
  JNT_TRACKING_PASSWORD: string;
  /** Cancel signing key when it is not the order key (one public client signs cancel with the api key). */
  JNT_CANCEL_KEY?: string;
  /** Full URLs of each API when they sit on different hosts, as in production (jnt.md §1). */
  JNT_TARIFF_URL?: string;
  JNT_ORDER_URL?: string;
  JNT_CANCEL_URL?: string;
  JNT_TRACKING_URL?: string;
}

export const JNT_PATHS = {
  tariff: '/jandt_track/inquiry.action',
  create: '/jts-idn-ecommerce-api/api/order/create',
  cancel: '/jts-idn-ecommerce-api/api/order/cancel',
  tracking: '/jandt_track/track/trackAction!tracking.action',
} as const;

/** Kirim service code → the order's `expresstype` ("1" regular in most public clients, jnt.md §3.2). */
export const JNT_EXPRESS_TYPE: Record<string, string> = { EZ: '1' };

/** J&T takes kilograms: the larger of actual and volumetric weight (÷6000), to 10 g; J&T rounds it its own way. */
export function weightKg(p: Parcel): number {
  const actual = p.weightGrams / 1000;
  const volumetric = p.lengthCm && p.widthCm && p.heightCm ? (p.lengthCm * p.widthCm * p.heightCm) / 6000 : 0;
  // The epsilon keeps float noise (1.2 × 100 = 120.00000000000001) from adding 10 g.
  return Math.max(0.01, Math.ceil(Math.max(actual, volumetric) * 100 - 1e-9) / 100);
}

const cut = (text: string, max: number) => cutText(text.trim(), max).trim();
/** `goodsdesc` and `item_name` accept letters, digits and spaces only (strict public validator, jnt.md §3.2). */
export const plainText = (text: string | undefined, max: number, fallback = 'Paket') =>
  cut(
    (text ?? '')
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9 ]+/g, ' ')
      .replace(/\s+/g, ' '),
    max,
  ) || fallback;
const addressOf = (p: Place) =>
  cut([p.address, p.district, p.city, p.province].filter(Boolean).join(', '), 200);

/** The tariff inquiry's `data`: keyed by names (origin city, destination district), upper case (jnt.md §3.1). */
export function tariffData(r: QuoteRequest, account: JntAccount, productType: string, codes: RouteCodes) {
  return {
    weight: weightKg(r.parcel),
    // J&T's own names from the onboarding mapping (city of the origin, district of the destination).
    sendSiteCode: (codes.from.cityLabel ?? '').toUpperCase(),
    destAreaCode: (codes.to.label ?? '').toUpperCase(),
    cusName: account.JNT_CUSTOMER_NAME,
    productType,
  };
}

export interface JntRate {
  name?: string;
  cost: string | number;
  productType?: string;
}

/** The tariff `content`: a list, or that list as a JSON string to parse again (jnt.md §3.1). */
export function tariffContent(content: unknown): JntRate[] {
  let value = content;
  for (let i = 0; i < 2 && typeof value === 'string'; i += 1) {
    if (!value.trim()) return [];
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  return payloadRecords<JntRate>(value);
}

/** "2-4" → {2, 4}; "No Data" or anything else → the catalogue's SLA. */
export function parseEtd(
  etd: unknown,
  fallback: CourierServiceInfo['slaDays'],
): { min: number; max: number } {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+))?/.exec(payloadText(etd));
  if (!m || Number(m[1]) <= 0) return { ...fallback };
  return { min: Number(m[1]), max: Math.max(Number(m[1]), Number(m[2] ?? m[1])) };
}

/**
 * One order of the create call's `detail` list (field limits of jnt.md §3.2). Times are WIB. The pickup window
 * is a later day's working hours, or the next 24 hours from now: a requested day that is today or already gone
 * (a pickup booked late that day, or re-booked after its courier missed it) would give a window that closed.
 */
export function orderItem(r: CreateOrderRequest, account: JntAccount, now: Date, codes: RouteCodes) {
  const later = r.pickupDate && r.pickupDate > wibDate(now) ? r.pickupDate : null;
  const pickupStart = later ? `${later} 08:00:00` : formatWib(now);
  const pickupEnd = later ? `${later} 17:00:00` : formatWib(new Date(now.getTime() + 24 * 3600_000));
  return {
    username: account.JNT_USERNAME,
    api_key: account.JNT_API_KEY,
    orderid: r.reference,
    shipper_name: cut(r.sender.name, 30),
    shipper_contact: cut(r.sender.name, 30),
    shipper_phone: r.sender.phone,
    shipper_addr: addressOf(r.sender),
    origin_code: codes.from.cityCode,
    receiver_name: cut(r.recipient.name, 30),
    receiver_phone: r.recipient.phone,
    receiver_addr: addressOf(r.recipient),
    receiver_zip: r.recipient.postalCode,
    destination_code: codes.to.cityCode,
    receiver_area: codes.to.code,
    qty: 1,
    weight: weightKg(r.parcel),
    goodsdesc: plainText(r.parcel.description, 40),
    item_name: plainText(r.parcel.description, 50),
    servicetype: r.pickup ? 1 : 6,
    expresstype: JNT_EXPRESS_TYPE[r.service],
    orderdate: formatWib(now),
    sendstarttime: pickupStart,
    sendendtime: pickupEnd,
    goodsvalue: Math.round(r.parcel.itemValue ?? r.codAmount ?? 0),
    ...(r.codAmount > 0 ? { cod: Math.round(r.codAmount) } : {}),
  };
}

/** One cancel request (`remark` ≤ 30 characters, jnt.md §3.3): cancel goes by our order id, not the AWB. */
export function cancelItem(order: CourierOrder, account: JntAccount) {
  return {
    username: account.JNT_USERNAME,
    api_key: account.JNT_API_KEY,
    orderid: order.reference,
    remark: 'Dibatalkan oleh pengirim',
  };
}

export interface JntHistory {
  date_time: string;
  city_name?: string;
  status?: string;
  status_code: number | string;
  note?: string;
  /** On a delivery: who took it, and who they are to the recipient (samples/jnt-tracking-1.json). */
  receiver?: string;
  presentername?: string;
  photo?: string;
}

export interface JntTracking {
  awb: string;
  orderid?: string;
  detail?: {
    services_code?: string;
    /** Assumed to echo the order's `servicetype` ("1" pickup, "6" drop-off). */
    services_type?: string | number;
    weight?: number | string;
    detail_cost?: { shipping_cost?: number | string; cod?: number | string };
  };
  history?: JntHistory[];
}

/** What the parcel's order says about every event: known only from a tracking answer, not from a push. */
export interface JntContext {
  /** Booked with pickup (`servicetype: 1`); undefined when unknown. */
  pickup?: boolean;
  /**
   * `detail.detail_cost.cod`, rupiah: J&T's COD fee (samples/jnt-tracking-2.json bills 2,250 on a parcel),
   * above zero only on a COD parcel, so a delivery with it is a delivery with the cash taken. Undefined
   * when the answer does not give it: nothing is said of the cash then.
   */
  codFee?: number;
  /** A `401` came before this event. */
  returnLeg?: boolean;
}

/** Whether `services_type` says pickup, drop-off, or nothing we can read. */
export function pickupOf(servicesType: unknown): boolean | undefined {
  const text = payloadText(servicesType).trim();
  if (/^1$|pick/i.test(text)) return true;
  if (/^6$|drop/i.test(text)) return false;
  return undefined;
}

/** A code 100 text → its meaning by the README §3.2 rules (first match wins). */
export function movementOf(text: string): JntMeaning {
  return JNT_MOVEMENT_RULES.find((r) => r.test(text))?.meaning ?? JNT_MOVEMENT_DEFAULT;
}

/** A 152's note → why delivery failed (status-words.ts); `attempt_failed` when the words name no cause. */
export function failureReasonOf(text: string): CourierReason {
  return attemptReasonOfWords(text) ?? 'attempt_failed';
}

/** The meaning of one raw code and its texts; null for a code no table knows. */
export function meaningOf(code: string, text: string, ctx: JntContext = {}): JntMeaning | null {
  const known = JNT_STATUS[code];
  if (!known) return null;
  if (code === '101') return ctx.pickup ? JNT_MANIFEST_WITH_PICKUP : known;
  if (code === '100') {
    const movement = movementOf(text);
    // J&T keeps code 100 for movements on the way back; after a 401 they are the return leg.
    return ctx.returnLeg ? { status: 'returning_to_sender', returnLeg: true } : movement;
  }
  if (code === '152') return { ...known, reason: failureReasonOf(text) };
  // A 200 on the way back, or saying the sender took it ("Paket telah diterima oleh pengirim"), is the
  // parcel back with the seller (as 402), not the buyer's delivery: no COD was taken.
  if (code === '200' && (ctx.returnLeg || classifyStatusWords(text)?.status === 'returned'))
    return JNT_STATUS['402'];
  return known;
}

/**
 * One history entry (or pushed status) → a normalized event. A code no table knows is flagged
 * `unmapped` and read by its words (status-words.ts).
 */
export function historyToEvent(awb: string, h: JntHistory, ctx: JntContext = {}): TrackingEvent {
  const code = payloadText(h.status_code).trim();
  const text = [h.status, h.note].filter((t) => typeof t === 'string' && t.trim()).join(' — ');
  let meaning = meaningOf(code, text, ctx);
  let unmapped: true | undefined;
  if (!meaning) ({ meaning, unmapped } = unknownLine('jnt', code, text));
  const pod = proofOfDelivery(meaning?.status, {
    receiver: h.receiver,
    relation: h.presentername,
    photos: h.photo,
  });
  return {
    awb,
    status: meaning?.status ?? null,
    ...(meaning?.reason ? { reason: meaning.reason } : {}),
    rawCode: code,
    rawText: text,
    occurredAt: parseWib(payloadText(h.date_time)) ?? new Date(NaN),
    location: payloadText(h.city_name).trim() || undefined,
    isReturnLeg: meaning?.returnLeg ?? false,
    ...(meaning?.status === 'delivered' && ctx.codFee !== undefined ? { codCollected: ctx.codFee > 0 } : {}),
    ...(pod ? { pod } : {}),
    ...(unmapped ? { unmapped } : {}),
  };
}

/** A tracking answer → its events, oldest first as J&T lists them (jnt.md §3.4). */
export function trackingToEvents(t: JntTracking): TrackingEvent[] {
  const pickup = pickupOf(t.detail?.services_type);
  // An answer without the field (jnt-tracking-3.json has no `detail_cost`) says nothing of the cash: read
  // as 0 it told Kirim a COD parcel was delivered unpaid, and its cash was never credited.
  const codFee = courierRupiah('jnt', 'detail_cost.cod', t.detail?.detail_cost?.cod, 'round_up');
  let returnLeg = false;
  return payloadRecords<JntHistory>(t.history).map((h) => {
    const event = historyToEvent(t.awb, h, { pickup, codFee, returnLeg });
    // A 401, or any line that says it is on the way back (a 100's "diretur", an unknown code's words).
    if (event.rawCode === '401' || event.isReturnLeg) returnLeg = true;
    return event;
  });
}
