import { proofOfDelivery } from '../../proof-of-delivery';
import type {
  CourierReason,
  CourierServiceInfo,
  CourierStatus,
  CreateOrderRequest,
  Parcel,
  QuoteRequest,
  TrackingEvent,
} from '../../courier-adapter';
import type { RouteCodes } from '../../locations';
import { cutText, payloadText } from '../../payload-text';
import { attemptReasonOfWords } from '../../status-words';
import { unknownLine } from '../../unknown-codes';
import { formatWib, parseWib, wibDate } from 'src/common/wib';
import { SAP_POD_REASON, SAP_REFUSAL_REASON, SAP_STATUS } from './sap.status-table';
import type { CourierEgress } from '../../courier-http';

export interface SapAccount extends CourierEgress {
  SAP_BASE_URL: string;
  SAP_API_KEY: string;
  SAP_CUSTOMER_CODE: string;
  SAP_COD_CUSTOMER_CODE: string;
  WEBHOOK_TOKEN?: string;
}

/** SAP's chargeable weight in kg: max(actual, volumetric /6000); fractions of .3 and more round up (sap.md §2). */
export function chargeableKg(p: Parcel): number {
  const actual = p.weightGrams / 1000;
  const volumetric = p.lengthCm && p.widthCm && p.heightCm ? (p.lengthCm * p.widthCm * p.heightCm) / 6000 : 0;
  const kg = Math.max(actual, volumetric);
  const whole = Math.floor(kg);
  return Math.max(1, kg - whole >= 0.3 ? whole + 1 : whole);
}

const volumetric = (p: Parcel) =>
  `${Math.max(1, Math.round(p.lengthCm ?? 1))}x${Math.max(1, Math.round(p.widthCm ?? 1))}x${Math.max(1, Math.round(p.heightCm ?? 1))}`;
/** SAP takes local numbers (08…). */
const localPhone = (e164: string) => e164.replace(/^\+62/, '0');

/** The rate request; `codes` are SAP's district codes for origin and destination (CourierLocations). */
export function quoteBody(r: QuoteRequest, account: SapAccount, codes: RouteCodes) {
  return {
    origin: codes.from.code,
    destination: codes.to.code,
    weight: chargeableKg(r.parcel),
    customer_code: r.codAmount ? account.SAP_COD_CUSTOMER_CODE : account.SAP_CUSTOMER_CODE,
    volumetric: volumetric(r.parcel),
    ...(r.parcel.itemValue ? { item_value: r.parcel.itemValue } : {}),
  };
}

/**
 * "1 - 3 Hari" → {1, 3}; "-" or anything else → the catalogue's SLA. The range may be written with a dash of
 * any kind or "s/d" (sampai dengan), the wrong way round, or in hours ("24 - 48 Jam", counted in whole days).
 * A range of no day at all ("0 Hari") says nothing: the catalogue's. Read as it was written, "3 - 1 Hari" was
 * a promise ending before it began, "0 - 0 Hari" a delivery promised today, and "12 Jam" twelve days.
 */
export function parseSla(
  sla: unknown,
  fallback: CourierServiceInfo['slaDays'],
): { min: number; max: number } {
  // `s/d` with one blank run on each side of its optional `/`: two runs that could share the same blanks took
  // the square of their length to give up.
  const m = /^\s*(\d+)\s*(?:(?:[-\u2010-\u2015~]|s\s*(?:\/\s*)?d\b|sampai)\s*(\d+))?\s*(jam|hours?)?/i.exec(
    payloadText(sla),
  );
  if (!m) return { ...fallback };
  const days = (n: string) => (m[3] ? Math.ceil(Number(n) / 24) : Number(n));
  const [min, max] = [days(m[1]), days(m[2] ?? m[1])].sort((a, b) => a - b);
  if (max < 1) return { ...fallback };
  return { min: Math.max(1, min), max };
}

export function createBody(r: CreateOrderRequest, account: SapAccount, now: Date, codes: RouteCodes) {
  const cod = r.codAmount > 0;
  return {
    customer_code: cod ? account.SAP_COD_CUSTOMER_CODE : account.SAP_CUSTOMER_CODE,
    reference_no: r.reference,
    pickup_name: cutText(r.sender.name, 50),
    pickup_address: cutText(`${r.sender.address}, ${r.sender.district}, ${r.sender.city}`, 200),
    pickup_phone: localPhone(r.sender.phone),
    pickup_postal_code: r.sender.postalCode,
    pickup_place: r.pickup ? 1 : 2,
    pickup_district_code: codes.from.code,
    // A later day's morning, or now: a requested day that is today or gone (a pickup re-booked after its day).
    expected_pickup_date:
      r.pickupDate && r.pickupDate > wibDate(now) ? `${r.pickupDate} 09:00:00` : formatWib(now),
    service_type_code: r.service,
    koli: 1,
    weight: chargeableKg(r.parcel),
    volumetric: volumetric(r.parcel),
    shipment_type_code: 'SHTPC',
    shipment_content_code: 'SC001',
    description_item: cutText(r.parcel.description ?? 'Paket', 200),
    ...(r.parcel.itemValue ? { item_value: r.parcel.itemValue } : {}),
    ...(cod ? { cod_value: r.codAmount } : {}),
    shipper_name: cutText(r.sender.name, 20),
    shipper_address: cutText(r.sender.address, 200),
    shipper_phone: localPhone(r.sender.phone),
    shipper_contact: cutText(r.sender.name, 50),
    shipper_postal_code: r.sender.postalCode,
    destination_district_code: codes.to.code,
    receiver_name: cutText(r.recipient.name, 50),
    receiver_address: cutText(`${r.recipient.address}, ${r.recipient.district}, ${r.recipient.city}`, 200),
    receiver_phone: localPhone(r.recipient.phone),
    receiver_contact: cutText(r.recipient.name, 50),
    receiver_postal_code: r.recipient.postalCode,
  };
}

/** One checkpoint row (tracking) or pushed checkpoint. SAP tracking carries no COD field (sap.md §3.6). */
export interface SapRow {
  awb_no: string;
  reference_no?: string;
  rowstate_name: string;
  rowstate_web?: string;
  pod_status_code?: string;
  pod_status_name?: string;
  pod_reason_detail_code?: string;
  description?: string;
  create_date?: string;
  created_at?: string;
  current_branch_name?: string;
  kilo_actual?: string;
  kilo?: string;
  /** The proof of delivery's links (samples/sap-tracking-4.json: empty lists there). */
  photo_pod?: unknown;
  signature_pod?: unknown;
}

/**
 * One tracking row (or pushed checkpoint) → a normalized event. A checkpoint no table knows is flagged
 * `unmapped` and read by its words (the checkpoint, then its Indonesian display text). No `codCollected`:
 * SAP tracking has no COD field, so the tracker decides from the delivery of a COD parcel.
 */
export function rowToEvent(row: SapRow, declaredWeightGrams?: number): TrackingEvent {
  const name = payloadText(row.rowstate_name).replace(/\s+/g, ' ').trim();
  const web = payloadText(row.rowstate_web).trim();
  let known: { status: CourierStatus | null; reason?: CourierReason; returnLeg?: boolean } | null =
    SAP_STATUS[name.toUpperCase()] ?? null;
  let unmapped: true | undefined;
  if (!known)
    ({ meaning: known, unmapped } = unknownLine(
      'sap',
      name,
      [name, web, payloadText(row.pod_status_name)].join(' '),
    ));
  let reason = known?.reason;
  const podCode = payloadText(row.pod_status_code).trim().toUpperCase();
  const detail = payloadText(row.pod_reason_detail_code).trim().toUpperCase();
  if (known?.status === 'delivery_failed') {
    // The codes first; a row without them may still say why in its words.
    reason =
      SAP_REFUSAL_REASON[detail] ||
      SAP_POD_REASON[podCode] ||
      attemptReasonOfWords([payloadText(row.pod_status_name), payloadText(row.description)].join(' ')) ||
      reason;
  }
  // `create_date` as the tracking answer spells it, `created_at` as a push may: an empty one is not there.
  const time = payloadText(row.create_date).trim() || payloadText(row.created_at).trim();
  const occurredAt = parseWib(time) ?? new Date(NaN);
  const actualKg = Number(row.kilo_actual);
  const status = known?.status ?? null;
  // Who took it is in the words: `[PENERIMA: NAME]`, and who they are in `[ KET : PENERIMA LANGSUNG]`.
  const pod = proofOfDelivery(status, {
    // A value begins at its first visible character and holds no bracket: a blank run the pattern and the
    // value could each take, or a look to the end of the text from every `[`, took the square of its length.
    receiver: /\[PENERIMA\s*:\s*([^\s[\]][^[\]]*)\]/i.exec(payloadText(row.description))?.[1],
    relation: /\[\s*KET\s*:\s*([^\s[\]][^[\]]*)\]/i.exec(web)?.[1],
    photos: row.photo_pod,
    signatures: row.signature_pod,
  });
  return {
    awb: payloadText(row.awb_no).trim(),
    status,
    ...(reason ? { reason } : {}),
    rawCode: name,
    rawText: [name, web, podCode, detail, payloadText(row.description).trim()].filter(Boolean).join(' '),
    occurredAt,
    location: payloadText(row.current_branch_name).trim() || undefined,
    isReturnLeg: known?.returnLeg ?? false,
    ...(declaredWeightGrams && actualKg && Math.abs(actualKg * 1000 - declaredWeightGrams) >= 1000
      ? { weightGrams: actualKg * 1000 }
      : {}),
    ...(pod ? { pod } : {}),
    ...(unmapped ? { unmapped } : {}),
  };
}
