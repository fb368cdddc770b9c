import { proofOfDelivery } from '../../proof-of-delivery';
import { createHash } from 'node:crypto';
import type { LocationRow } from '../../locations';
import type {
  CourierReason,
  CourierServiceInfo,
  CreateOrderRequest,
  Parcel,
  Place,
  QuoteRequest,
  TrackingEvent,
} from '../../courier-adapter';
import type { RejectionCause } from '../../courier.errors';
import { cutText, payloadFlag, payloadText } from '../../payload-text';
import { courierRupiah } from '../../payload-money';
import { attemptReasonOfWords } from '../../status-words';
import { unknownLine } from '../../unknown-codes';
import { timezoneOf, utcOffsetHours } from '../../zones';
import { parseInstant, parseWib } from 'src/common/wib';
import { NINJA_V1_STATUS, NINJA_V2_EVENT, NINJA_V2_STATUS_GROUP, NinjaMeaning } from './ninja.status-table';
import type { CourierEgress } from '../../courier-http';

export interface NinjaAccount extends CourierEgress {
  /** The API host; paths carry the country code (`/id/...`). */
  NINJA_BASE_URL: string;
  NINJA_CLIENT_ID: string;
  /** The dashboard's Client Key: OAuth secret and webhook signing key. */
  NINJA_CLIENT_SECRET: string;
  /** The account's tracking-number prefix, or `none` for an account whose numbers have none. */
  NINJA_TRACKING_PREFIX: string;
}

/** Indonesia's country code in every path (ninja.md §1). */
export const NINJA_COUNTRY = 'id';

/** Our catalogue codes ↔ Ninja's `service_level` (all `service_type: Parcel`). */
export const NINJA_SERVICE_LEVEL: Record<string, string> = { STANDARD: 'Standard', EXPRESS: 'Express' };

export function serviceOfLevel(level: unknown): string | undefined {
  return Object.keys(NINJA_SERVICE_LEVEL).find(
    (code) => NINJA_SERVICE_LEVEL[code].toLowerCase() === payloadText(level).toLowerCase(),
  );
}

/**
 * Longest requested number we send: Ninja allows 18, but the tracking number is the account prefix
 * plus it, and a 4-character prefix must leave the airway bill within 20 characters.
 */
const MAX_REQUESTED = 16;
const CHECK_DIGITS = 4;

/** `n` decimal digits from the reference's hash. */
function checkDigits(reference: string, n: number): string {
  const hex = createHash('sha256').update(reference).digest('hex');
  return BigInt(`0x${hex.slice(0, 24)}`)
    .toString()
    .slice(-n)
    .padStart(n, '0');
}

/**
 * The `requested_tracking_number` for our reference: the reference upper-cased (letters, digits,
 * single dashes) followed by check digits from its hash, 9–16 characters. The check digits keep two
 * references apart when cleaning or shortening would merge them; a reference too long to fit keeps
 * its first 8 characters. Deterministic, so the order can be found again from the reference alone.
 */
export function requestedTrackingNumber(reference: string): string {
  const clean = reference
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-+|(?<!-)-+$/g, '');
  if (clean.length + CHECK_DIGITS <= MAX_REQUESTED)
    return clean + checkDigits(reference, Math.max(CHECK_DIGITS, 9 - clean.length));
  const head = clean.slice(0, MAX_REQUESTED - 8).replace(/(?<!-)-+$/, '');
  return head + checkDigits(reference, MAX_REQUESTED - head.length);
}

/** Ninja weighs in kilograms (decimals allowed); we keep grams. */
export const kilograms = (grams: number) => Math.max(1, Math.round(grams)) / 1000;

/**
 * The pickup day and timeslot asked of Ninja, in the sender's own time (`timezone`, timezoneOf): a day still
 * to come, its working hours (09–18); today (asked for, or gone by), its working hours while they last, then
 * its evening (18–22, one of Ninja's windows), and after 22:00 tomorrow's working hours. Never a slot over.
 */
export function pickupSlot(
  requested: string | undefined,
  now: Date,
  timezone: string,
): { date: string; start: string; end: string } {
  const local = new Date(now.getTime() + utcOffsetHours(timezone) * 3600_000);
  const today = local.toISOString().slice(0, 10);
  if (requested && requested > today) return { date: requested, start: '09:00', end: '18:00' };
  const hour = local.getUTCHours();
  if (hour < 18) return { date: today, start: '09:00', end: '18:00' };
  if (hour < 22) return { date: today, start: '18:00', end: '22:00' };
  return {
    date: new Date(local.getTime() + 86_400_000).toISOString().slice(0, 10),
    start: '09:00',
    end: '18:00',
  };
}

/** Ninja's own L1/L2/L3 names for each end, where its mapping has the district (else the typed names). */
export interface NinjaNames {
  from: LocationRow | null;
  to: LocationRow | null;
}

/**
 * An Indonesian address: free text plus kecamatan/city/province/postcode; no location codes (ninja.md §3.1).
 * `names` (Ninja's L3/L2/L1 spelling from its mapping) replace the typed ones when given.
 */
export function ninjaAddress(
  p: Pick<Place, 'district' | 'city' | 'province' | 'postalCode'> & { address?: string },
  names?: LocationRow | null,
) {
  return {
    ...(p.address ? { address1: cutText(p.address, 255) } : {}),
    kecamatan: names?.label ?? names?.code ?? p.district,
    city: names?.cityLabel ?? p.city,
    province: names?.provinceLabel ?? p.province,
    postcode: p.postalCode,
    country: 'ID',
  };
}

function party(p: Place, names?: LocationRow | null) {
  return {
    name: cutText(p.name, 255),
    phone_number: p.phone,
    address: { ...ninjaAddress(p, names), address_type: 'home' },
  };
}

function dimensions(p: Parcel) {
  return {
    ...(p.lengthCm ? { length: p.lengthCm } : {}),
    ...(p.widthCm ? { width: p.widthCm } : {}),
    ...(p.heightCm ? { height: p.heightCm } : {}),
  };
}

/** The tariff request for one service level (ninja.md §3.4; the input shape is documented, the reply assumed). */
export function priceBody(r: QuoteRequest, service: string, names?: NinjaNames) {
  return {
    service_type: 'Parcel',
    service_level: NINJA_SERVICE_LEVEL[service],
    from: { address: ninjaAddress(r.origin, names?.from) },
    to: { address: ninjaAddress(r.destination, names?.to) },
    weight: kilograms(r.parcel.weightGrams),
    dimensions: dimensions(r.parcel),
    ...(r.codAmount ? { cod_amount: r.codAmount } : {}),
  };
}

/** Ninja's tariff reply (**assumed** shape, ninja.md §3.4). */
export interface NinjaPrice {
  total_fee: number | string;
  currency: string;
  service_level?: string;
  /** Assumed: whether the route takes COD for this level. */
  cod_available?: boolean | string | number;
  /** Assumed: transit days. */
  estimated_days?: { min?: number; max?: number };
}

export function etaOf(
  price: NinjaPrice,
  fallback: CourierServiceInfo['slaDays'],
): { min: number; max: number } {
  const min = Number(price.estimated_days?.min);
  const max = Number(price.estimated_days?.max);
  if (!(min > 0)) return { ...fallback };
  return { min, max: max >= min ? max : min };
}

/** The create-order body (v4.1, ninja.md §3.1). Pickup is booked in the same call. */
export function createBody(r: CreateOrderRequest, now: Date, names?: NinjaNames) {
  const from = timezoneOf(r.sender.province);
  const slot = pickupSlot(r.pickupDate, now, from);
  const tz = timezoneOf(r.recipient.province);
  return {
    service_type: 'Parcel',
    service_level: NINJA_SERVICE_LEVEL[r.service] ?? r.service,
    requested_tracking_number: requestedTrackingNumber(r.reference),
    reference: { merchant_order_number: cutText(r.reference, 255) },
    from: party(r.sender, names?.from),
    to: party(r.recipient, names?.to),
    parcel_job: {
      is_pickup_required: r.pickup,
      ...(r.pickup
        ? {
            pickup_service_type: 'Scheduled',
            pickup_service_level: 'Standard',
            pickup_date: slot.date,
            pickup_timeslot: { start_time: slot.start, end_time: slot.end, timezone: from },
            pickup_address: party(r.sender, names?.from),
          }
        : {}),
      delivery_start_date: slot.date,
      delivery_timeslot: { start_time: '09:00', end_time: '22:00', timezone: tz },
      allow_weekend_delivery: true,
      cash_on_delivery: r.codAmount > 0 ? r.codAmount : 0,
      ...(r.parcel.itemValue ? { insured_value: r.parcel.itemValue } : {}),
      dimensions: { weight: kilograms(r.parcel.weightGrams), ...dimensions(r.parcel) },
      items: [
        {
          item_description: cutText(r.parcel.description ?? 'Paket', 255),
          quantity: 1,
          is_dangerous_good: false,
        },
      ],
    },
  };
}

/** Ninja's error body (ninja.md §3.7). */
export interface NinjaError {
  code?: string;
  request_id?: string;
  title?: string;
  message?: string;
  details?: { field?: string; reason?: string; message?: string }[];
}

/** One line with the error's message and every detail, for logs and `rawMessage`. */
export function errorText(error: NinjaError | undefined, fallback: string): string {
  if (!error) return fallback;
  const details = (error.details ?? []).map((d) =>
    [d.field, d.message ?? d.reason].filter(Boolean).join(': '),
  );
  return [error.title, error.message, ...details].filter(Boolean).join(' | ') || fallback;
}

const CAUSE_BY_REASON: Record<string, RejectionCause> = {
  unserviceable_route: 'unserviceable_route',
  cod_not_allowed: 'cod_not_allowed',
  cod_over_limit: 'cod_not_allowed',
  too_heavy: 'too_heavy',
  bad_address: 'bad_address',
  duplicate: 'duplicate',
  not_found: 'not_found',
};

/** What a 4xx with Ninja's error body means to us: the detail reasons first, then the words. */
export function rejectionCause(status: number, error: NinjaError | undefined): RejectionCause {
  for (const d of error?.details ?? []) {
    const cause = CAUSE_BY_REASON[payloadText(d.reason).toLowerCase()];
    if (cause) return cause;
  }
  const text = errorText(error, '');
  if (status === 404) return 'not_found';
  if (/already exist|duplicate/i.test(text)) return 'duplicate';
  if (/cash.on.delivery|\bCOD\b/i.test(text)) return 'cod_not_allowed';
  if (/not (serviceable|serviced|covered)|unserviceable|coverage/i.test(text)) return 'unserviceable_route';
  if (/weight|too heavy/i.test(text)) return 'too_heavy';
  if (/address|postcode|province|kecamatan|kelurahan/i.test(text)) return 'bad_address';
  return 'invalid_request';
}

/** A tracking event (pull) or push payload, v1 or v2 (ninja.md §3.5, §4). */
export interface NinjaEvent {
  tracking_number?: string;
  tracking_id?: string;
  tracking_ref_no?: string;
  shipper_order_ref_no?: string;
  timestamp?: string | number;
  event?: string;
  status?: string;
  /** A boolean in Ninja's payloads; read as well when it comes as text or a number ("true", 1). */
  is_parcel_on_rts_leg?: boolean | string | number;
  hub?: string | { country?: string; city?: string; hub?: string };
  comments?: string;
  failure_reason?: string;
  delivery_information?: {
    state?: string;
    cod_collected?: boolean;
    cod_amount?: number | string;
    [k: string]: unknown;
  };
  delivery_exception?: { failure_reason?: string; [k: string]: unknown };
  pickup_exception?: { failure_reason?: string; [k: string]: unknown };
  parcel_measurements_information?: {
    weight?: number | string;
    new_weight?: number | string;
    [k: string]: unknown;
  };
  rts_reason?: string;
  cash_on_delivery?: number | string;
  [k: string]: unknown;
}

/**
 * ISO 8601 with an offset (`+07:00`, `+0700`, `Z`), epoch seconds/ms (as a number or text), or a bare local
 * time read as WIB.
 */
export function parseNinjaTime(value: unknown): Date {
  if (typeof value === 'number') return new Date(value < 1e12 ? value * 1000 : value);
  const text = payloadText(value).trim();
  if (!text) return new Date(NaN);
  // Epoch seconds or milliseconds sent as text.
  if (/^\d{10}(\d{3})?$/.test(text)) return parseNinjaTime(Number(text));
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text))
    return parseWib(text.replace(/\.\d+$/, '')) ?? new Date(NaN);
  // With an offset only (a bare time is WIB, above), and never through Date, which rolls 30 February over.
  // ISO 8601 as written in the wild too: a space before the time or the offset, an offset of hours only.
  const iso = text
    .replace(/^(\d{4}-\d{2}-\d{2}) (?=\d{2}:)/, '$1T')
    // A blank run is tried from its start only: from each of its places, it took the square of its length.
    .replace(/(?<!\s)\s+(?=(Z|[+-]\d{2}(:?\d{2})?)$)/, '')
    .replace(/([+-]\d{2})$/, '$1:00');
  return /(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? (parseInstant(iso) ?? new Date(NaN)) : new Date(NaN);
}

const normalizedKey = (text: string) =>
  text
    .trim()
    .replace(/[\s_]+/g, ' ')
    .toLowerCase();
const index = (table: Record<string, NinjaMeaning>) =>
  new Map(Object.entries(table).map(([k, v]) => [normalizedKey(k), v]));
const V2_EVENT = index(NINJA_V2_EVENT);
const V1_STATUS = index(NINJA_V1_STATUS);
const V2_GROUP = index(NINJA_V2_STATUS_GROUP);

/** The meaning of an event: its v2 phrase, else its status as a v1 word, else its v2 group. */
export function meaningOf(e: Pick<NinjaEvent, 'event' | 'status'>): NinjaMeaning | undefined {
  // An answer's fields are as the courier sent them, whatever their type: a number or an object is no phrase.
  const phrase = payloadText(e.event);
  const event = phrase ? V2_EVENT.get(normalizedKey(phrase)) : undefined;
  if (event) return event;
  const status = normalizedKey(payloadText(e.status));
  return V1_STATUS.get(status) ?? V2_GROUP.get(status);
}

/**
 * The reason a free-text failure gives (`delivery_exception.failure_reason` has no published list,
 * ninja.md §4.2): read by status-words.ts; undefined when the words name none.
 */
export function failureReasonOf(text: string | undefined): CourierReason | undefined {
  return text ? attemptReasonOfWords(text) : undefined;
}

/** Whether the event's own code (its v2 phrase, else its v1 word or v2 group) is in our tables. */
function knownCode(e: Pick<NinjaEvent, 'event' | 'status'>): boolean {
  const phrase = payloadText(e.event);
  if (phrase) return V2_EVENT.has(normalizedKey(phrase));
  const status = normalizedKey(payloadText(e.status));
  return V1_STATUS.has(status) || V2_GROUP.has(status);
}

function locationOf(e: NinjaEvent): string | undefined {
  if (typeof e.hub === 'string') return e.hub || undefined;
  const info =
    (e.hub && typeof e.hub === 'object' ? e.hub : undefined) ??
    (Object.entries(e).find(([k, v]) => k.endsWith('_hub_information') && v && typeof v === 'object')?.[1] as
      { city?: string; hub?: string } | undefined);
  const text = info ? [info.hub, info.city].filter(Boolean).join(', ') : '';
  return text || undefined;
}

/**
 * One Ninja event → a normalized event. Anything flagged `is_parcel_on_rts_leg` is on the way back:
 * forward progress (hub, vehicle, attempt) becomes returning_to_sender and a delivery there is the
 * return reaching the shipper. A phrase no table knows is flagged `unmapped` and read by its group, else
 * by its words (status-words.ts).
 */
export function toTrackingEvent(e: NinjaEvent, awb?: string): TrackingEvent {
  const rawCode = (payloadText(e.event) || payloadText(e.status)).trim();
  let meaning: NinjaMeaning | null | undefined = meaningOf(e);
  let unmapped: true | undefined;
  if (!knownCode(e)) {
    // A new phrase keeps its group's meaning when it has one; otherwise its words (and its reason's) decide.
    const words = [e.event, e.status, e.delivery_exception?.failure_reason, e.failure_reason]
      .map((t) => payloadText(t))
      .join(' ');
    const unknown = unknownLine('ninja', rawCode, words);
    unmapped = unknown.unmapped;
    meaning ??= unknown.meaning;
  }
  // Only `=== true` was read: a flag sent as "true" or 1 put a return's hub scans and its delivery to the
  // shipper on the forward leg, so the parcel coming back read as out for delivery, then delivered.
  const flaggedRts = payloadFlag(e.is_parcel_on_rts_leg) === true;
  const onRtsLeg = flaggedRts || meaning?.returnLeg === true;
  let status = meaning?.status ?? null;
  let reason = meaning?.reason;
  const failure = payloadText(
    e.delivery_exception?.failure_reason ??
      e.failure_reason ??
      (status === 'delivery_failed' ? e.comments : undefined),
  );
  // Only a plain failed attempt is refined by its text; lost, max attempts or RTS say more already.
  if (status === 'delivery_failed' && (!reason || reason === 'attempt_failed'))
    reason = failureReasonOf(failure) ?? reason;
  if (flaggedRts && !meaning?.returnLeg) {
    if (
      status === 'picked_up' ||
      status === 'in_transit' ||
      status === 'out_for_delivery' ||
      status === 'delivery_failed'
    )
      status = 'returning_to_sender';
    else if (status === 'delivered') status = 'returned';
  }
  const measured = Number(
    e.parcel_measurements_information?.new_weight ?? e.parcel_measurements_information?.weight,
  );
  const info = e.delivery_information;
  const codField = courierRupiah(
    'ninja',
    info?.cod_amount !== undefined ? 'cod_amount' : 'cash_on_delivery',
    info?.cod_amount ?? e.cash_on_delivery,
  );
  // Assumed fields (ninja.md shows none): `cod_collected`, else a COD amount on the delivery. Without
  // either the delivery says nothing about cash, and the tracker decides from the parcel's own COD.
  const codCollected =
    typeof info?.cod_collected === 'boolean'
      ? info.cod_collected
      : codField !== undefined
        ? codField > 0
        : undefined;
  // v2's proof (ninja.md: `proof { signature_uri, image_uris[], signed_by { name, contact, relationship } }`);
  // the contact, a phone number, is not kept.
  const proof = info?.proof as
    | {
        signature_uri?: unknown;
        image_uris?: unknown;
        signed_by?: { name?: unknown; relationship?: unknown };
      }
    | undefined;
  const pod = proofOfDelivery(status, {
    receiver: proof?.signed_by?.name,
    relation: proof?.signed_by?.relationship,
    photos: proof?.image_uris,
    signatures: proof?.signature_uri,
  });
  return {
    // Trimmed as every courier's: a padded tracking id is the same parcel, and untrimmed matched no shipment.
    awb: payloadText(awb ?? e.tracking_id ?? e.tracking_number ?? e.tracking_ref_no).trim(),
    status,
    ...(reason ? { reason } : {}),
    rawCode,
    rawText: [rawCode, failure, payloadText(e.pickup_exception?.failure_reason), payloadText(e.rts_reason)]
      .filter(Boolean)
      .join(' | '),
    occurredAt: parseNinjaTime(e.timestamp),
    location: locationOf(e),
    isReturnLeg: onRtsLeg,
    ...(status === 'delivered' && codCollected !== undefined ? { codCollected } : {}),
    ...(status === 'delivered' && codField !== undefined ? { codAmount: codField } : {}),
    ...(measured > 0 ? { weightGrams: Math.round(measured * 1000) } : {}),
    ...(pod ? { pod } : {}),
    ...(unmapped ? { unmapped } : {}),
  };
}
