import type {
  CourierServiceInfo,
  CreateOrderRequest,
  Parcel,
  QuoteRequest,
  TrackingEvent,
} from '../../courier-adapter';
import { locationCodes } from '../../locations';
import { payloadText } from '../../payload-text';
import { reportUnknownCode } from '../../unknown-codes';
import { formatWib, parseWib } from 'src/common/wib';
import { SAP_POD_REASON, SAP_REFUSAL_REASON, SAP_STATUS } from './sap.status-table';

export interface SapAccount {
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
const cut = (text: string, max: number) => text.slice(0, max);

export function quoteBody(r: QuoteRequest, account: SapAccount) {
  return {
    origin: locationCodes.sap(r.origin),
    destination: locationCodes.sap(r.destination),
    weight: chargeableKg(r.parcel),
    customer_code: r.codAmount ? account.SAP_COD_CUSTOMER_CODE : account.SAP_CUSTOMER_CODE,
    volumetric: volumetric(r.parcel),
    ...(r.parcel.itemValue ? { item_value: r.parcel.itemValue } : {}),
  };
}

/** "1 - 3 Hari" → {1, 3}; "-" or anything else → the catalogue's SLA. */
export function parseSla(
  sla: unknown,
  fallback: CourierServiceInfo['slaDays'],
): { min: number; max: number } {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+))?/.exec(payloadText(sla));
  if (!m) return { ...fallback };
  return { min: Number(m[1]), max: Number(m[2] ?? m[1]) };
}

export function createBody(r: CreateOrderRequest, account: SapAccount, now: Date) {
  const cod = r.codAmount > 0;
  return {
    customer_code: cod ? account.SAP_COD_CUSTOMER_CODE : account.SAP_CUSTOMER_CODE,
    reference_no: r.reference,
    pickup_name: cut(r.sender.name, 50),
    pickup_address: cut(`${r.sender.address}, ${r.sender.district}, ${r.sender.city}`, 200),
    pickup_phone: localPhone(r.sender.phone),
    pickup_postal_code: r.sender.postalCode,
    pickup_place: r.pickup ? 1 : 2,
    pickup_district_code: locationCodes.sap(r.sender),
    ...(r.pickupDate
      ? { expected_pickup_date: `${r.pickupDate} 09:00:00` }
      : { expected_pickup_date: formatWib(now) }),
    service_type_code: r.service,
    koli: 1,
    weight: chargeableKg(r.parcel),
    volumetric: volumetric(r.parcel),
    shipment_type_code: 'SHTPC',
    shipment_content_code: 'SC001',
    description_item: cut(r.parcel.description ?? 'Paket', 200),
    ...(r.parcel.itemValue ? { item_value: r.parcel.itemValue } : {}),
    ...(cod ? { cod_value: r.codAmount } : {}),
    shipper_name: cut(r.sender.name, 20),
    shipper_address: cut(r.sender.address, 200),
    shipper_phone: localPhone(r.sender.phone),
    shipper_contact: cut(r.sender.name, 50),
    shipper_postal_code: r.sender.postalCode,
    destination_district_code: locationCodes.sap(r.recipient),
    receiver_name: cut(r.recipient.name, 50),
    receiver_address: cut(`${r.recipient.address}, ${r.recipient.district}, ${r.recipient.city}`, 200),
    receiver_phone: localPhone(r.recipient.phone),
    receiver_contact: cut(r.recipient.name, 50),
    receiver_postal_code: r.recipient.postalCode,
  };
}

export interface SapRow {
  awb_no: string;
  reference_no?: string;
  rowstate_name: string;
  pod_status_code?: string;
  pod_reason_detail_code?: string;
  description?: string;
  create_date?: string;
  created_at?: string;
  current_branch_name?: string;
  cod_value?: string;
  kilo_actual?: string;
  kilo?: string;
}

/** One tracking row (or pushed checkpoint) → a normalized event; unknown checkpoints stay raw. */
export function rowToEvent(row: SapRow, declaredWeightGrams?: number): TrackingEvent {
  const name = payloadText(row.rowstate_name).trim();
  const known = SAP_STATUS[name];
  if (!known) reportUnknownCode('sap', name);
  let reason = known?.reason;
  if (known?.status === 'delivery_failed' || name === 'POD - UNDELIVERED') {
    const pod = row.pod_status_code ? SAP_POD_REASON[row.pod_status_code] : undefined;
    reason = (row.pod_reason_detail_code && SAP_REFUSAL_REASON[row.pod_reason_detail_code]) || pod || reason;
  }
  const occurredAt = parseWib(payloadText(row.create_date ?? row.created_at)) ?? new Date(NaN);
  const actualKg = Number(row.kilo_actual);
  return {
    awb: row.awb_no,
    status: known?.status ?? null,
    ...(reason ? { reason } : {}),
    rawCode: name,
    rawText: [name, row.pod_status_code, row.pod_reason_detail_code, row.description]
      .filter(Boolean)
      .join(' '),
    occurredAt,
    location: row.current_branch_name || undefined,
    isReturnLeg: known?.returnLeg ?? false,
    ...(known?.status === 'delivered' ? { codCollected: Number(row.cod_value ?? 0) > 0 } : {}),
    ...(declaredWeightGrams && actualKg && Math.abs(actualKg * 1000 - declaredWeightGrams) >= 1000
      ? { weightGrams: actualKg * 1000 }
      : {}),
  };
}
