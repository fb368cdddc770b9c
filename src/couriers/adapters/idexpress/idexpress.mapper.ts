import { proofOfDelivery } from '../../proof-of-delivery';
import type {
  Area,
  CourierReason,
  CourierServiceInfo,
  CourierStatus,
  CreateOrderRequest,
  Parcel,
  Place,
  QuoteRequest,
  TrackingEvent,
} from '../../courier-adapter';
import type { LocationRow, RouteCodes } from '../../locations';
import { cutText, payloadRecords, payloadText } from '../../payload-text';
import { courierRupiah } from '../../payload-money';
import { zoneOf } from '../../zones';
import { reasonOfWords } from '../../status-words';
import { unknownLine } from '../../unknown-codes';
import {
  ATTEMPT_REASONS,
  IDEXPRESS_ATTEMPT_CODES,
  IDEXPRESS_PROBLEM_REASON,
  IDEXPRESS_STATUS,
  IdExpressStatusRule,
} from './idexpress.status-table';
import type { CourierEgress } from '../../courier-http';

export interface IdExpressAccount extends CourierEgress {
  IDEXPRESS_BASE_URL: string;
  IDEXPRESS_APP_ID: string;
  IDEXPRESS_SECRET_KEY: string;
  WEBHOOK_TOKEN?: string;
}

const HOUR = 3600_000;
const WIB_MS = 7 * HOUR;

/** ID Express weighs in kilograms, decimals allowed (idexpress.md §3.1). */
export const weightKg = (p: Parcel) => Math.max(1, Math.round(p.weightGrams)) / 1000;

/** ID Express takes local numbers (08…). */
const localPhone = (e164: string) => e164.replace(/^\+62/, '0');

/** ID Express's ids are numbers; the mapping file holds them as digits (location-file.ts). */
export const idOf = (digits: string | null) => Number(digits);

/** The fee request; `codes` are ID Express's ids for origin and destination (CourierLocations). */
export function quoteBody(r: QuoteRequest, expressType: string, codes: RouteCodes) {
  return {
    senderCityId: idOf(codes.from.cityCode),
    recipientDistrictId: idOf(codes.to.code),
    weight: weightKg(r.parcel),
    expressType,
  };
}

/** Body of the assumed COD coverage look-up (see IdExpressCodCoverage). */
export function codCoverageBody(codes: RouteCodes) {
  return {
    senderCityId: idOf(codes.from.cityCode),
    recipientDistrictId: idOf(codes.to.code),
  };
}

/**
 * Assumed: the per-account location list carries COD flags per destination and service (idexpress.md §1);
 * we read them through `POST /open/v1/area/get-cod-coverage`, one row per `expressType`. Confirm with ID Express.
 */
export interface IdExpressCodCoverage {
  expressType: string;
  cod: boolean | string | number;
}

/** Days added to a service's SLA by distance (same province … to or from Maluku/Papua). */
const ZONE_EXTRA_DAYS = [0, 1, 2, 3, 5];

/** ID Express returns no ETA (idexpress.md §3.1): our catalogue's SLA plus a distance estimate, as its other clients do. */
export function estimateEta(
  info: CourierServiceInfo,
  origin: Area,
  destination: Area,
): { min: number; max: number } {
  const extra =
    ZONE_EXTRA_DAYS[zoneOf(origin.province, destination.province)] ??
    ZONE_EXTRA_DAYS[ZONE_EXTRA_DAYS.length - 1];
  return { min: info.slaDays.min + extra, max: info.slaDays.max + extra };
}

/**
 * The pickup window (epoch ms): ID Express clients start it at least 1.5 h ahead and make it 4 h or more
 * (idexpress.md §3.2); on a requested day we ask for 09:00–17:00 WIB, pushed back if that is too soon.
 */
export function pickupWindow(pickupDate: string | undefined, now: Date): { start: number; end: number } {
  const earliest = now.getTime() + 1.5 * HOUR;
  if (!pickupDate) return { start: earliest, end: earliest + 4 * HOUR };
  const day = Date.parse(`${pickupDate}T00:00:00Z`) - WIB_MS;
  const start = Math.max(day + 9 * HOUR, earliest);
  return { start, end: Math.max(start + 4 * HOUR, day + 17 * HOUR) };
}

const place = (prefix: 'sender' | 'recipient', p: Place, ids: LocationRow) => ({
  [`${prefix}Name`]: cutText(p.name, 50),
  [`${prefix}Cellphone`]: localPhone(p.phone),
  [`${prefix}Address`]: cutText(`${p.address}, ${p.district}, ${p.city}`, 200),
  [`${prefix}CityId`]: idOf(ids.cityCode),
  [`${prefix}DistrictId`]: idOf(ids.code),
  [`${prefix}ZipCode`]: p.postalCode,
});

/**
 * One order of the create call (idexpress.md §3.2). Times are epoch milliseconds (clients disagree on
 * seconds vs milliseconds: confirm). `codAmount` is present only for COD, as a string.
 */
export function createOrderBody(r: CreateOrderRequest, now: Date, codes: RouteCodes) {
  const window = pickupWindow(r.pickupDate, now);
  const p = r.parcel;
  return {
    orderNo: r.reference,
    orderTime: now.getTime(),
    expressType: r.service,
    serviceType: r.pickup ? '00' : '01',
    itemName: cutText(p.description ?? 'Paket', 100),
    itemQuantity: 1,
    itemCategory: '00',
    ...(p.itemValue ? { itemValue: String(p.itemValue) } : {}),
    weight: String(weightKg(p)),
    ...(p.lengthCm ? { length: p.lengthCm } : {}),
    ...(p.widthCm ? { width: p.widthCm } : {}),
    ...(p.heightCm ? { height: p.heightCm } : {}),
    ...(r.codAmount > 0 ? { codAmount: String(r.codAmount) } : {}),
    paymentType: '01',
    ...place('sender', r.sender, codes.from),
    ...place('recipient', r.recipient, codes.to),
    ...(r.pickup ? { pickupStartTime: window.start, pickupEndTime: window.end } : {}),
  };
}

/** The create call's `data`: always an array, here of one order. */
export const createBody = (r: CreateOrderRequest, now: Date, codes: RouteCodes) => [
  createOrderBody(r, now, codes),
];

export interface IdExpressCreated {
  code: number | string;
  orderNo: string;
  waybillNo?: string;
  sortingCode?: string;
  msg?: string;
}

export interface IdExpressHistory {
  waybillNo?: string;
  operationType: string;
  operationTime: number | string;
  courierName?: string;
  currentBranch?: string;
  nextBranchName?: string;
  description?: string;
  problemCode?: string;
  signer?: string;
  relation?: string;
  proofOfStatus?: string;
}

export interface IdExpressTracking {
  basicInfo: { orderNo?: string; orderTime?: number | string; waybillNo: string };
  /** The list is `historys` in public clients and `history` in a recorded answer: both are read. */
  historys?: IdExpressHistory[];
  history?: IdExpressHistory[];
  /** `codAmount` is assumed (not in the public clients): it tells a COD parcel's POD from a prepaid one. */
  itemInfo?: { weight?: number | string; codAmount?: number | string } & Record<string, unknown>;
  senderInfo?: Record<string, unknown>;
  recipientInfo?: Record<string, unknown>;
}

/** One pushed item (idexpress.md §3.6; `codAmount` assumed as on tracking). */
export interface IdExpressPushItem {
  waybillNo: string;
  orderNo?: string;
  operationType: string;
  /** Epoch seconds (`operationTime` in some pushes, as in tracking). */
  lastOperationTime?: number | string;
  operationTime?: number | string;
  /** The problem's text (`description` in some pushes, as in tracking). */
  description?: string;
  courierName?: string;
  currentBranch?: string;
  nextBranch?: string;
  signer?: string;
  relation?: string;
  problemCode?: string;
  problemDescription?: string;
  proofOfStatus?: string;
  codAmount?: number | string;
}

/** A row of `get-last-operation-waybill-with-fee` (idexpress.md §3.5). */
export interface IdExpressLastOperation {
  waybillNo: string;
  orderNo?: string;
  lastStatus?: string | null;
  lastOperationTime?: number | string | null;
  lastOperationCity?: string;
  description?: string;
  expressType?: string;
  shippingFee?: number | string;
  codAmount?: number | string;
}

/** Epoch in seconds or milliseconds (ID Express uses both), told apart by size. */
export function epochToDate(value: unknown): Date {
  const n = Number(value);
  if (value === null || value === undefined || value === '' || !Number.isFinite(n)) return new Date(NaN);
  return new Date(n < 1e11 ? n * 1000 : n);
}

/** The problem's own words: the cause between 【】 after "reason is" when ID Express frames it so. */
function problemWords(description: string): string {
  // No 【 inside: each "reason is" looks only as far as the next bracket, not to the end of the text.
  return /reason is\s*【([^【】]*)】/i.exec(description)?.[1] ?? description;
}

/**
 * The normalized reason of a problem line: the words of its text (status-words.ts) where they name a
 * cause, else what its code says. The courier's own words come first: every code but `102` is assumed
 * (the sandbox's), and read first a `10` ("lost" there) made a parcel whose line said "Pelanggan tidak di
 * tempat" lost.
 */
export function problemReason(
  problemCode: string | undefined,
  description: string | undefined,
): CourierReason | undefined {
  return (
    reasonOfWords(problemWords(payloadText(description))) ??
    IDEXPRESS_PROBLEM_REASON[payloadText(problemCode).trim()]
  );
}

const operationKey = (name: string) => name.replace(/\s+/g, ' ').trim().toLowerCase();
const RULES = new Map(Object.entries(IDEXPRESS_STATUS).map(([name, rule]) => [operationKey(name), rule]));

/** The table's rule for an `operationType`, spelled in any case and spacing. */
export function ruleOf(operationType: string): { name: string; rule?: IdExpressStatusRule } {
  const key = operationKey(operationType);
  const name = Object.keys(IDEXPRESS_STATUS).find((n) => operationKey(n) === key) ?? operationType.trim();
  return { name, rule: RULES.get(key) };
}

/**
 * What is known of the parcel before a line: `undefined` when unknown (a push carries only recent lines),
 * so the context-dependent rules fall back on the line itself.
 */
export interface LegContext {
  pickedUp?: boolean;
  deliveryScan?: boolean;
  returnLeg?: boolean;
}

export const freshContext = (): LegContext => ({ pickedUp: false, deliveryScan: false, returnLeg: false });

export interface IdExpressLine {
  awb: string;
  operationType: string;
  at: Date;
  location?: string;
  problemCode?: string;
  description?: string;
  signer?: string;
  relation?: string;
  /** The proof of delivery's photo (`proofOfStatus`, a link). */
  proof?: string;
  /** COD amount of the parcel when ID Express tells it (assumed field); undefined when unknown. */
  codAmount?: number;
}

/** One line (tracking history or push item) → a normalized event, reading and updating the leg context. */
export function lineToEvent(line: IdExpressLine, ctx: LegContext): TrackingEvent {
  const raw = payloadText(line.operationType).replace(/\s+/g, ' ').trim();
  const { name, rule } = ruleOf(raw);
  let status: TrackingEvent['status'] = rule?.status ?? null;
  let reason = rule?.reason;
  let returnLeg = Boolean(rule?.returnLeg || (rule && ctx.returnLeg));
  let unmapped: true | undefined;
  if (!rule) {
    const unknown = unknownLine('idexpress', raw, [raw, payloadText(line.description)].join(' '));
    unmapped = unknown.unmapped;
    status = unknown.meaning?.status ?? null;
    reason = unknown.meaning?.reason;
    returnLeg = Boolean(unknown.meaning?.returnLeg || (status && ctx.returnLeg));
  }

  if (rule?.afterPickup && ctx.pickedUp !== false) status = rule.afterPickup;
  if (rule?.afterDeliveryScan) {
    // idexpress.md §4 (assumed rule): a problem after a `Delivery Scan` is a failed attempt, unless it is
    // about the parcel itself (lost, damaged, misrouted, held); before one it holds the parcel.
    const found = problemReason(line.problemCode, line.description);
    const attempt = found ? ATTEMPT_REASONS.has(found) : true;
    const attemptCode = IDEXPRESS_ATTEMPT_CODES.has(payloadText(line.problemCode).trim());
    if (
      !ctx.returnLeg &&
      attempt &&
      (attemptCode || ctx.deliveryScan === true || (ctx.deliveryScan === undefined && found))
    ) {
      status = rule.afterDeliveryScan;
      reason = found ?? 'attempt_failed';
    } else {
      reason = found ?? rule.reason;
    }
  }
  if (rule?.movement && ctx.returnLeg) {
    status = 'returning_to_sender';
    reason = undefined;
  }
  // A POD on the return leg is the shipper's receipt, never the consignee's.
  if (status === 'delivered' && ctx.returnLeg) {
    status = 'returned';
    returnLeg = true;
  }

  if (rule && !['Pickup Request', 'Pickup Failure', 'Cancel Order'].includes(name)) ctx.pickedUp = true;
  if (
    !rule &&
    status &&
    !['created', 'pickup_requested', 'cancelled'].includes(status) &&
    reason !== 'pickup_failed'
  )
    ctx.pickedUp = true;
  if ((name === 'Delivery Scan' || (!rule && status === 'out_for_delivery')) && !ctx.returnLeg)
    ctx.deliveryScan = true;
  if (rule?.returnLeg || (!rule && returnLeg)) ctx.returnLeg = true;

  const receivedBy =
    status === 'delivered' && (line.signer || line.relation)
      ? `received by ${[line.signer, line.relation].filter(Boolean).join(' / ')}`
      : '';
  const pod = proofOfDelivery(status, { receiver: line.signer, relation: line.relation, photos: line.proof });
  return {
    awb: line.awb,
    status,
    ...(reason ? { reason } : {}),
    rawCode: rule ? name : raw,
    rawText: [raw, line.problemCode, line.description, receivedBy].filter(Boolean).join(' '),
    occurredAt: line.at,
    location: line.location || undefined,
    isReturnLeg: returnLeg,
    ...(status === 'delivered' && line.codAmount !== undefined
      ? { codCollected: line.codAmount > 0, codAmount: line.codAmount }
      : {}),
    ...(pod ? { pod } : {}),
    ...(unmapped ? { unmapped } : {}),
  };
}

/**
 * The history lines in the order they happened. ID Express lists them newest first in a recorded answer
 * (idexpress-tracking-1.json) and oldest first in others: the list is turned when more of its neighbouring
 * lines step back in time than forward, and otherwise kept as listed, never sorted by time, since some
 * lines carry wrong clocks (two lines of that answer read 2020 in a 2021 journey). By the first and last
 * lines alone, one wrong clock at either end turned a whole journey around: every forward scan read as the
 * return leg. A tie (three lines, one clock wrong) goes by how far along the journey the end lines are
 * (`stage`), and only then by their times.
 */
export function linesInOrder<T>(
  lines: T[],
  at: (line: T) => Date,
  stage?: (line: T) => number | undefined,
): T[] {
  const times = lines.map((l) => at(l).getTime()).filter((t) => Number.isFinite(t));
  let steps = 0;
  for (let i = 1; i < times.length; i++) steps += Math.sign(times[i] - times[i - 1]);
  let newestFirst = steps < 0;
  if (steps === 0 && lines.length > 1) {
    const [first, last] = [stage?.(lines[0]), stage?.(lines[lines.length - 1])];
    newestFirst =
      first !== undefined && last !== undefined && first !== last
        ? first > last
        : times.length > 1 && times[0] > times[times.length - 1];
  }
  return newestFirst ? [...lines].reverse() : [...lines];
}

/** How far along a journey a status is, for telling which end of a history is its start. */
const JOURNEY_STAGE: Partial<Record<CourierStatus, number>> = {
  created: 0,
  pickup_requested: 0,
  picked_up: 1,
  in_transit: 2,
  out_for_delivery: 3,
  delivery_failed: 3,
  delivered: 4,
  returning_to_sender: 4,
  returned: 5,
};

/** A waybill's whole history → events, oldest first, with the context built along. */
export function trackingToEvents(t: IdExpressTracking): TrackingEvent[] {
  const awb = t.basicInfo.waybillNo;
  const codAmount = courierRupiah('idexpress', 'codAmount', t.itemInfo?.codAmount);
  const spelled = payloadRecords<IdExpressHistory>(t.historys);
  const listed = spelled.length ? spelled : payloadRecords<IdExpressHistory>(t.history);
  const lines = linesInOrder(
    listed.map((h) => ({
      h,
      at: epochToDate(h.operationTime),
    })),
    (l) => l.at,
    (l) => {
      const status = ruleOf(payloadText(l.h.operationType)).rule?.status;
      return status ? JOURNEY_STAGE[status] : undefined;
    },
  );
  const ctx = freshContext();
  return lines.map(({ h, at }) =>
    lineToEvent(
      {
        awb,
        operationType: h.operationType,
        at,
        location: h.currentBranch,
        problemCode: h.problemCode,
        description: h.description,
        signer: h.signer,
        relation: h.relation,
        proof: h.proofOfStatus,
        codAmount,
      },
      ctx,
    ),
  );
}

/**
 * Pushed items → events, in the order pushed; items of one waybill share a context (unknown before the
 * first), built in the order they happened. A push of several lines may list them newest first, as ID
 * Express's tracking answer does (linesInOrder tells): read as listed, a return's POD came before its
 * return bill and was taken for the buyer's delivery, and a problem before its Delivery Scan for a hold.
 */
export function pushToEvents(items: IdExpressPushItem[]): TrackingEvent[] {
  const lines = items.map((item): IdExpressLine => ({
    // A padded waybill (' IDE… ') is the same parcel: untrimmed it matched no shipment.
    awb: item.waybillNo.trim(),
    operationType: item.operationType,
    at: epochToDate(item.lastOperationTime ?? item.operationTime),
    location: item.currentBranch,
    problemCode: item.problemCode,
    description: item.problemDescription ?? item.description,
    signer: item.signer,
    relation: item.relation,
    proof: item.proofOfStatus,
    codAmount: courierRupiah('idexpress', 'codAmount', item.codAmount),
  }));
  const byWaybill = new Map<string, number[]>();
  lines.forEach((l, i) => byWaybill.set(l.awb, [...(byWaybill.get(l.awb) ?? []), i]));
  const events = new Array<TrackingEvent>(lines.length);
  for (const indexes of byWaybill.values()) {
    const ctx: LegContext = {};
    const inOrder = linesInOrder(
      indexes,
      (i) => lines[i].at,
      (i) => {
        const status = ruleOf(payloadText(lines[i].operationType)).rule?.status;
        return status ? JOURNEY_STAGE[status] : undefined;
      },
    );
    for (const i of inOrder) events[i] = lineToEvent(lines[i], ctx);
  }
  return events;
}
