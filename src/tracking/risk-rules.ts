import type { BusinessDefaults } from 'config/defaults';
import { compareStrings } from 'src/common/sort-order';
import { formatWib, formatWibTimeId } from 'src/common/wib';
import type { CourierReason, CourierStatus } from 'src/couriers/courier-adapter';
import { regionOf, timezoneOf, utcOffsetHours } from 'src/couriers/zones';
import { isHandover } from 'src/shipments/pickup-sla';
import { TERMINAL, type ShipmentStatus } from 'src/shipments/shipment-status';
import {
  COURIER_SIDE_REASONS,
  isBackward,
  journeyOrder,
  journeyReadingOf,
  type JourneyReading,
  SAME_VISIT_MS,
  type StoredEvent,
} from './tracking-status';

/**
 * The risk rules: pure, versioned functions from a shipment, its courier events and what Kirim knows
 * of its lane and recipient to the problems the seller should act on now. A rule that no longer finds
 * its problem returns nothing, and the alert store closes the alert (couriers/README.md §5).
 */

export const RISK_RULES = [
  'failed_attempt',
  'return_started',
  'stale_no_scan',
  'late_vs_lane',
  'held_or_misrouted',
  'pickup_not_made',
  'risky_recipient',
  'delivery_contradicted',
  'rebooked_parcel_scanned',
] as const;
export type RiskRuleCode = (typeof RISK_RULES)[number];

/** Bump a rule's version whenever its logic changes, so an alert says which logic raised it. */
export const RULE_VERSIONS: Readonly<Record<RiskRuleCode, number>> = {
  failed_attempt: 1,
  return_started: 2,
  stale_no_scan: 2,
  late_vs_lane: 2,
  held_or_misrouted: 1,
  pickup_not_made: 2,
  risky_recipient: 1,
  delivery_contradicted: 2,
  rebooked_parcel_scanned: 1,
};

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SUGGESTED_ACTIONS = [
  'contact',
  'reattempt',
  'return',
  'update_address',
  'hold',
  'wait',
  /** Request the pickup again, or cancel and ship with another courier: Kirim cannot choose another. */
  'rebook',
] as const;
export type SuggestedAction = (typeof SUGGESTED_ACTIONS)[number];

/** The reasons a finding may carry: the courier's normalized ones, and the rules' own. */
export type RiskReason = CourierReason | 'risky_recipient' | 'rebooked_parcel_scanned';

export type RiskConfig = BusinessDefaults['risk'];

export interface RiskEvent {
  /** null: no status change, or a code Kirim does not know. */
  status: CourierStatus | null;
  reason?: CourierReason;
  rawCode: string;
  rawText: string;
  occurredAt: Date;
  location?: string;
  isReturnLeg: boolean;
  /** A delivery's word on the COD cash: false, the courier says it took none (absent: not said). */
  codCollected?: boolean;
}

/**
 * A booking the shipment had before its current one, whose airway bill Kirim no longer follows (cancelled to
 * re-book the shipment, or superseded), with the events its courier sent for that bill.
 */
export interface EarlierBooking {
  courier: string;
  /** The courier's display name for messages; the code without it. */
  courierName?: string | null;
  awb: string;
  /** In any order (they are sorted here). */
  events: RiskEvent[];
}

export interface RiskInput {
  now: Date;
  shipment: {
    status: ShipmentStatus;
    /** Rupiah. */
    codAmount: number;
    courier: string | null;
    /** The courier's display name for messages ("J&T Express"); the code, or "The courier", without it. */
    courierName?: string | null;
    service: string | null;
    createdAt: Date;
    bookedAt: Date | null;
    pickupDueAt: Date | null;
    /**
     * When the courier could first pick the parcel up: the start of the pickup day the seller asked for,
     * when later than the booking (absent: from the booking).
     */
    pickupFrom?: Date | null;
    pickedUpAt: Date | null;
    /** Canonical province name (src/common/indonesia.ts). */
    recipientProvince: string;
    /** The seller asked the courier to return this airway bill's parcel (not refused). */
    returnAsked?: boolean;
    /**
     * The seller's latest hold or re-attempt of this airway bill's parcel that the courier took: `held`
     * while the hold is in place (the courier keeps the parcel unscanned until told otherwise), `at` when
     * the courier was told.
     */
    sellerInstruction?: { held: boolean; at: Date } | null;
    /** The seller pinned the courier service: Kirim may not book another courier in its place. */
    pinned?: boolean;
  };
  /** Stored courier events of the shipment's current booking, in any order (they are sorted here). */
  events: RiskEvent[];
  /** Its earlier bookings (absent: none, or not read). */
  earlierBookings?: EarlierBooking[];
  /** Observed 90th-percentile transit days for the lane, else the promised SLA's maximum; null: neither. */
  lane: { p90TransitDays: number | null; promisedMaxDays: number | null };
  /** The history of the recipient's salted phone hash: finished parcels and how many of them failed. */
  recipient: { outcomes: number; failures: number } | null;
  config: RiskConfig;
}

export interface RiskFinding {
  rule: RiskRuleCode;
  version: number;
  severity: Severity;
  reason: RiskReason;
  /** One English sentence for the seller, stable while the cause is unchanged (no running clocks). */
  message: string;
  /** The same sentence in Indonesian, from the same facts (the dashboard's first language). */
  messageIndonesian: string;
  suggestedAction: SuggestedAction;
  /** When the event that caused it happened; null for time-based rules. */
  causeAt: Date | null;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };
export const severityRank = (s: Severity): number => SEVERITY_RANK[s];
const atLeast = (a: Severity, b: Severity): Severity => (SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b);
const oneUp = (s: Severity): Severity => SEVERITIES[Math.min(SEVERITY_RANK[s], SEVERITIES.length - 1)];

/** Before the courier holds the parcel. */
const BEFORE_PICKUP: ReadonlySet<ShipmentStatus> = new Set(['ready', 'booking', 'booking_failed', 'booked']);
/** Travelling forward to the recipient. */
const ON_THE_WAY: ReadonlySet<ShipmentStatus> = new Set([
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivery_failed',
]);
/** Courier statuses reported only once the courier holds the parcel. */
const HANDOVER: ReadonlySet<CourierStatus> = new Set([
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivery_failed',
  'delivered',
  'returning_to_sender',
  'returned',
]);
/** Problems on the courier's side: the recipient can do nothing about them. */
const HELD: ReadonlySet<CourierReason> = new Set(['held_at_hub', 'misroute', 'damaged']);

/** What went wrong at the door, as the seller reads it. */
const FAILURE_WORDS: Readonly<Record<CourierReason, string>> = {
  consignee_absent: 'nobody was at the address',
  consignee_unreachable: 'the recipient could not be reached by phone',
  consignee_refused: 'the recipient refused the parcel',
  consignee_refused_no_money: 'the recipient refused because the COD money was not ready',
  consignee_refused_did_not_order: 'the recipient says they did not order it',
  address_problem: 'the address could not be found or is incomplete',
  max_attempts: 'it was the last attempt the courier makes',
  attempt_failed: 'the courier gave no reason',
  // What a courier's failed attempt may carry besides (a scan worded unusually): said, never a code.
  misroute: 'the parcel was sent to the wrong hub',
  held_at_hub: 'the parcel is held at a hub',
  pickup_failed: 'the courier reported a pickup problem',
  rts_initiated: 'the courier started a return',
  stale_no_scan: 'the courier gave no update',
  late_vs_sla: 'the parcel is late',
  lost: 'the parcel is lost',
  damaged: 'the parcel is damaged',
  weight_changed: 'the courier corrected the weight',
};

/** A failed attempt's starting severity: refusals and address problems need the seller more urgently. */
const FAILURE_SEVERITY: Partial<Record<CourierReason, Severity>> = {
  consignee_absent: 'medium',
  consignee_unreachable: 'medium',
  attempt_failed: 'medium',
  address_problem: 'high',
  consignee_refused: 'high',
  consignee_refused_no_money: 'high',
  consignee_refused_did_not_order: 'critical',
  max_attempts: 'critical',
};

/** FAILURE_WORDS in Indonesian. */
const FAILURE_WORDS_ID: Readonly<Record<CourierReason, string>> = {
  consignee_absent: 'tidak ada orang di alamat',
  consignee_unreachable: 'penerima tidak bisa dihubungi lewat telepon',
  consignee_refused: 'penerima menolak paket',
  consignee_refused_no_money: 'penerima menolak karena uang COD belum siap',
  consignee_refused_did_not_order: 'penerima merasa tidak memesan',
  address_problem: 'alamat tidak ditemukan atau kurang lengkap',
  max_attempts: 'ini percobaan terakhir dari kurir',
  attempt_failed: 'kurir tidak memberi alasan',
  misroute: 'paket dikirim ke hub yang salah',
  held_at_hub: 'paket tertahan di hub',
  pickup_failed: 'kurir melaporkan masalah pickup',
  rts_initiated: 'kurir memulai retur',
  stale_no_scan: 'kurir tidak memberi kabar',
  late_vs_sla: 'paket terlambat',
  lost: 'paket hilang',
  damaged: 'paket rusak',
  weight_changed: 'kurir mengoreksi berat paket',
};

const failureWords = (reason: CourierReason) => ({ en: FAILURE_WORDS[reason], id: FAILURE_WORDS_ID[reason] });

const HELD_WORDS: Partial<Record<CourierReason, string>> = {
  held_at_hub: 'is holding the parcel at a hub',
  misroute: 'sent the parcel to the wrong hub',
  damaged: 'reported the parcel damaged',
};

/** In Indonesian; a hub's name, when known, follows ("menahan paket di Surabaya Hub"). */
const HELD_WORDS_ID: Partial<Record<CourierReason, string>> = {
  held_at_hub: 'menahan paket',
  misroute: 'mengirim paket ke hub yang salah',
  damaged: 'melaporkan paket rusak',
};

const STATUS_WORDS: Partial<Record<ShipmentStatus, string>> = {
  picked_up: 'picked up',
  in_transit: 'in transit',
  delivery_failed: 'waiting after a failed attempt',
  returning: 'on its way back to you',
};

const STATUS_WORDS_ID: Partial<Record<ShipmentStatus, string>> = {
  picked_up: 'sudah diambil kurir',
  in_transit: 'dalam perjalanan',
  delivery_failed: 'menunggu setelah gagal antar',
  returning: 'dalam perjalanan kembali kepada Anda',
};

/** `2026-11-24 10:00 WIB`. */
const wib = (at: Date) => `${formatWib(at).slice(0, 16)} WIB`;

/** A courier's text as a message may hold it: one line, no control or format characters, at most `max` characters. */
function oneLine(text: string, max: number): string {
  const line = text
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}

/** The courier's own words, quoted when they say something (one line, bounded), introduced in each language. */
function courierNote(e: RiskEvent): { en: string; id: string } {
  const text = oneLine(e.rawText, 80);
  if (!text) return { en: '', id: '' };
  return { en: ` (courier's note: "${text}")`, id: ` (catatan kurir: "${text}")` };
}

function isJava(province: string): boolean {
  try {
    return regionOf(province) === 'java';
  } catch {
    return false; // an unknown province gets the longer, outer-island threshold: fewer false alarms
  }
}

/** Events oldest first, ties in one fixed order, so the same events in any order give the same result. */
function sorted(events: RiskEvent[]): RiskEvent[] {
  const key = (e: RiskEvent) => `${e.rawCode}\u0000${e.rawText}\u0000${e.status}\u0000${e.reason ?? ''}`;
  return [...events].sort(
    (a, b) =>
      a.occurredAt.getTime() - b.occurredAt.getTime() || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0),
  );
}

/** An event of the parcel's way back to the seller (or its start). */
export const isReturnEvent = (
  e: Pick<RiskEvent, 'status' | 'isReturnLeg'> & { reason?: CourierReason | null },
) => e.status === 'returning_to_sender' || e.reason === 'rts_initiated' || e.isReturnLeg;
const isConsigneeFailure = (e: RiskEvent) =>
  e.status === 'delivery_failed' && !(e.reason && COURIER_SIDE_REASONS.has(e.reason));

/**
 * How many times the courier failed at the door, by events in time order: failures scanned within
 * SAME_VISIT_MS of their visit's first, with no dispatch scan between, are one visit (as deliveryAttempts).
 */
function failedVisits(events: readonly RiskEvent[]): number {
  let visits = 0;
  let visitStart: number | null = null;
  for (const e of events) {
    if (e.status === 'out_for_delivery') visitStart = null;
    if (!isConsigneeFailure(e)) continue;
    const at = e.occurredAt.getTime();
    if (visitStart === null || at - visitStart >= SAME_VISIT_MS) {
      visits += 1;
      visitStart = at;
    }
  }
  return visits;
}

interface Context {
  input: RiskInput;
  events: RiskEvent[];
  courier: string;
  /** The courier's name, or "Kurir" without it. */
  kurir: string;
  now: number;
}

function finding(rule: RiskRuleCode, f: Omit<RiskFinding, 'rule' | 'version'>): RiskFinding {
  return { rule, version: RULE_VERSIONS[rule], ...f };
}

/** The recipient's history makes a failure likely (thresholds in config; COD parcels only by default). */
function recipientIsRisky(input: RiskInput): {
  risky: boolean;
  high: boolean;
  failures: number;
  outcomes: number;
} {
  const r = input.recipient;
  const c = input.config.recipient;
  if (!r || r.outcomes < c.minOutcomes || (c.codOnly && input.shipment.codAmount <= 0))
    return { risky: false, high: false, failures: r?.failures ?? 0, outcomes: r?.outcomes ?? 0 };
  const rate = r.failures / r.outcomes;
  return {
    risky: rate >= c.failureRate,
    high: rate >= c.highFailureRate,
    failures: r.failures,
    outcomes: r.outcomes,
  };
}

/**
 * A failed delivery attempt, with the courier's reason. Stays open through a re-dispatch (the buyer
 * still has to be reached before the next knock) and closes on the outcome: delivered, or a return,
 * which `return_started` then carries. Severity rises with the number of attempts, for refusals, and
 * one step for a recipient whose history is risky.
 */
function failedAttempt(ctx: Context): RiskFinding | null {
  const { input, events } = ctx;
  if (!ON_THE_WAY.has(input.shipment.status) || events.some(isReturnEvent)) return null;
  const failures = events.filter(isConsigneeFailure);
  if (!failures.length) return null;
  const attempts = failedVisits(events);
  const last = failures[failures.length - 1];
  const reason: CourierReason = last.reason ?? 'attempt_failed';
  const limits = input.config.failedAttempts;
  let severity = FAILURE_SEVERITY[reason] ?? 'medium';
  if (attempts >= limits.high) severity = atLeast(severity, 'high');
  if (attempts >= limits.critical) severity = 'critical';
  if (recipientIsRisky(input).risky) severity = oneUp(severity);
  const redispatched = events.some(
    (e) => e.status === 'out_for_delivery' && e.occurredAt.getTime() > last.occurredAt.getTime(),
  );
  const words = failureWords(reason);
  const note = courierNote(last);
  return finding('failed_attempt', {
    severity,
    reason,
    message:
      `${ctx.courier} could not deliver the parcel on attempt ${attempts}: ${words.en}${note.en}.` +
      (redispatched ? ' It is out for delivery again.' : ''),
    messageIndonesian:
      `${ctx.kurir} gagal mengantar paket pada percobaan ke-${attempts}: ${words.id}${note.id}.` +
      (redispatched ? ' Paket sedang diantar lagi.' : ''),
    suggestedAction: reason === 'address_problem' ? 'update_address' : 'contact',
    causeAt: last.occurredAt,
  });
}

/**
 * The courier started returning the parcel. While the return has not moved on from its first scan
 * the buyer may still save it (contact, then ask for a re-attempt); after that there is only waiting.
 * A return the seller asked for is no risk: telling them to contact the buyer would undo their choice.
 */
function returnStarted(ctx: Context): RiskFinding | null {
  const { input, events } = ctx;
  if (input.shipment.returnAsked) return null;
  const returnEvents = events.filter(isReturnEvent);
  if (input.shipment.status !== 'returning' && !returnEvents.length) return null;
  const first = returnEvents[0];
  const before = first ? events.filter((e) => e.occurredAt.getTime() <= first.occurredAt.getTime()) : events;
  const failures = before.filter(isConsigneeFailure);
  const lastFailure = failures[failures.length - 1];
  const visits = failedVisits(before);
  const last = lastFailure ? failureWords(lastFailure.reason ?? 'attempt_failed') : null;
  const why = last
    ? {
        en: ` after ${visits} failed attempt${visits === 1 ? '' : 's'} (last: ${last.en})`,
        id: ` setelah ${visits} kali gagal antar (terakhir: ${last.id})`,
      }
    : { en: '', id: '' };
  const note = first ? courierNote(first) : { en: '', id: '' };
  const moved = returnEvents.length > 1;
  return finding('return_started', {
    severity: 'high',
    reason: 'rts_initiated',
    message: `${ctx.courier} started returning the parcel to you${why.en}${note.en}.`,
    messageIndonesian: `${ctx.kurir} mulai mengembalikan paket kepada Anda${why.id}${note.id}.`,
    suggestedAction: moved ? 'wait' : 'contact',
    causeAt: first ? first.occurredAt : null,
  });
}

/** Start of the day `at` falls on where the recipient lives (WIB, WITA or WIT): their courier's working day. */
function localDayStart(at: number, province: string): number {
  const offset = utcOffsetHours(timezoneOf(province)) * HOUR;
  return Math.floor((at + offset) / DAY) * DAY - offset;
}

/**
 * No courier scan for too long for the status (couriers/README.md §5.3): hours per status, longer to
 * the outer islands; out for delivery, nothing by the end of the next day. Time-based: no cause event.
 */
function staleNoScan(ctx: Context): RiskFinding | null {
  const { input, events, now } = ctx;
  const s = input.shipment;
  // A parcel the seller holds is silent by their own choice: saying the courier went quiet (or may be
  // keeping the COD cash) would be a false alarm. Once released (a re-attempt), the courier's silence
  // counts from being told.
  if (s.sellerInstruction?.held) return null;
  const told = s.sellerInstruction?.at.getTime() ?? 0;
  const lastScan = events.length
    ? events[events.length - 1].occurredAt.getTime()
    : (s.pickedUpAt ?? s.bookedAt ?? s.createdAt).getTime();
  const cod = s.codAmount > 0;

  if (s.status === 'out_for_delivery') {
    const out = [...events].reverse().find((e) => e.status === 'out_for_delivery');
    const wentOut = out ? out.occurredAt.getTime() : lastScan;
    const deadline =
      localDayStart(Math.max(told, wentOut), s.recipientProvince) +
      (1 + input.config.outForDeliveryDays) * DAY;
    if (now < deadline) return null;
    return finding('stale_no_scan', {
      severity: 'high',
      reason: 'stale_no_scan',
      message:
        `The parcel went out for delivery at ${wib(new Date(wentOut))} and ${ctx.courier} has reported ` +
        `neither a delivery nor a failed attempt since${cod ? '; the courier may be holding the COD cash' : ''}.`,
      messageIndonesian:
        `Paket dibawa untuk diantar sejak ${formatWibTimeId(new Date(wentOut))} dan ${ctx.kurir} belum melaporkan ` +
        `paket terkirim maupun gagal antar${cod ? '; uang COD mungkin masih dipegang kurir' : ''}.`,
      suggestedAction: 'contact',
      causeAt: null,
    });
  }

  const limits = input.config.staleHours[s.status as keyof RiskConfig['staleHours']];
  if (!limits) return null;
  const hours = isJava(s.recipientProvince) ? limits.java : limits.outer;
  const silent = now - Math.max(told, lastScan);
  if (silent < hours * HOUR) return null;
  return finding('stale_no_scan', {
    severity: silent >= hours * HOUR * input.config.staleEscalationFactor ? 'high' : 'medium',
    reason: 'stale_no_scan',
    message:
      `No scan from ${ctx.courier} since ${wib(new Date(lastScan))} while the parcel is ` +
      `${STATUS_WORDS[s.status] ?? s.status}: more than the ${hours} hours expected to ${s.recipientProvince}.`,
    messageIndonesian:
      `Belum ada pemindaian dari ${ctx.kurir} sejak ${formatWibTimeId(new Date(lastScan))} selama paket ` +
      `${STATUS_WORDS_ID[s.status] ?? s.status}: lebih dari ${hours} jam yang wajar ke ${s.recipientProvince}.`,
    suggestedAction: 'wait',
    causeAt: null,
  });
}

/**
 * On its way longer than the lane's observed 90th-percentile transit (or the promised SLA without
 * data), counted from pickup. A return is not late: `return_started` covers it.
 */
function lateVsLane(ctx: Context): RiskFinding | null {
  const { input, events, now } = ctx;
  // Held at the seller's request, it waits for them, not the courier: no lateness to report.
  if (!ON_THE_WAY.has(input.shipment.status) || input.shipment.sellerInstruction?.held) return null;
  const observed = input.lane.p90TransitDays;
  const limitDays = observed ?? input.lane.promisedMaxDays;
  if (limitDays === null || limitDays === undefined) return null;
  const pickedUp =
    input.shipment.pickedUpAt ?? events.find((e) => e.status && HANDOVER.has(e.status))?.occurredAt ?? null;
  if (!pickedUp) return null;
  const over = now - pickedUp.getTime() - limitDays * DAY;
  const c = input.config.late;
  if (over <= c.graceHours * HOUR) return null;
  const basis =
    observed !== null
      ? `the ${limitDays} days within which 90% of parcels on this lane arrive`
      : `the ${limitDays} days ${ctx.courier} promises`;
  const basisId =
    observed !== null
      ? `${limitDays} hari, waktu tiba 90% paket di rute ini`
      : `${limitDays} hari yang dijanjikan ${ctx.kurir}`;
  return finding('late_vs_lane', {
    severity: over >= c.highAfterDays * DAY ? 'high' : 'medium',
    reason: 'late_vs_sla',
    message: `The parcel was picked up at ${wib(pickedUp)} and is now past ${basis}.`,
    messageIndonesian: `Paket diambil kurir pada ${formatWibTimeId(pickedUp)} dan kini melewati ${basisId}.`,
    suggestedAction: 'contact',
    causeAt: null,
  });
}

/**
 * The courier holds the parcel at a hub, misrouted it, or reported it damaged; closes once a later scan
 * shows the parcel moving again. Before pickup the pickup rule speaks instead. A hold the seller asked for
 * (in place) is not the courier's.
 */
function heldOrMisrouted(ctx: Context): RiskFinding | null {
  const { input, events, now } = ctx;
  if (BEFORE_PICKUP.has(input.shipment.status)) return null;
  let held: RiskEvent | undefined;
  for (const e of events) {
    // A hold scanned again day after day is one hold, from its first scan: dated from the newest, it never
    // rose to high, and each scan read as a new cause asked the seller again.
    if (e.reason && HELD.has(e.reason)) held = held?.reason === e.reason ? held : e;
    else if (held && e.status && e.status !== 'exception') held = undefined; // moving again
  }
  if (!held) return null;
  const reason = held.reason!;
  // The seller's own hold, in place: the courier keeps the parcel because it was asked to.
  if (reason === 'held_at_hub' && input.shipment.sellerInstruction?.held) return null;
  const long = now - held.occurredAt.getTime() >= input.config.held.highAfterHours * HOUR;
  const note = courierNote(held);
  const where = held.location ? oneLine(held.location, 60) : '';
  return finding('held_or_misrouted', {
    severity: reason === 'damaged' || long ? 'high' : 'medium',
    reason,
    message: `${ctx.courier} ${HELD_WORDS[reason]}${where ? ` in ${where}` : ''} since ${wib(held.occurredAt)}${note.en}.`,
    messageIndonesian: `${ctx.kurir} ${HELD_WORDS_ID[reason]}${where ? ` di ${where}` : reason === 'held_at_hub' ? ' di hub' : ''} sejak ${formatWibTimeId(held.occurredAt)}${note.id}.`,
    suggestedAction: 'wait',
    causeAt: held.occurredAt,
  });
}

/**
 * A booked pickup not made: past its deadline (the pickup watch re-books it, or, for a service the seller
 * pinned, fails its booking: the seller then books it again), a pickup-failure scan, or no pickup scan
 * within `pickupScanHours` of booking, or of the start of a later pickup day the seller asked for.
 */
function pickupNotMade(ctx: Context): RiskFinding | null {
  const { input, events, now } = ctx;
  const s = input.shipment;
  if (s.status !== 'booked') return null;
  if (events.some((e) => e.status && HANDOVER.has(e.status) && e.reason !== 'pickup_failed')) return null;
  const failed = [...events].reverse().find((e) => e.reason === 'pickup_failed');
  const overdue = s.pickupDueAt !== null && now >= s.pickupDueAt.getTime();
  // Counted from when the courier could come: a pickup asked for Thursday is not late on Tuesday.
  const from = s.bookedAt && Math.max(s.bookedAt.getTime(), s.pickupFrom?.getTime() ?? 0);
  const scheduled = s.bookedAt !== null && from! > s.bookedAt.getTime();
  const noScan = from !== null && now - from >= input.config.pickupScanHours * HOUR;
  if (!overdue && !failed && !noScan) return null;
  let message: string;
  let messageIndonesian: string;
  if (overdue && s.pinned) {
    message = `${ctx.courier} did not pick the parcel up by ${wib(s.pickupDueAt!)}; you pinned this courier service, so Kirim cancels the booking and books no other courier: request the pickup again, or cancel the shipment and create it with another courier.`;
    messageIndonesian = `${ctx.kurir} tidak mengambil paket sampai ${formatWibTimeId(s.pickupDueAt!)}; Anda memilih layanan kurir ini, jadi Kirim membatalkan pemesanan tanpa memesan kurir lain: minta pickup lagi, atau batalkan pengiriman dan buat ulang dengan kurir lain.`;
  } else if (overdue) {
    message = `${ctx.courier} did not pick the parcel up by ${wib(s.pickupDueAt!)}; Kirim re-books it with the next-best courier.`;
    messageIndonesian = `${ctx.kurir} tidak mengambil paket sampai ${formatWibTimeId(s.pickupDueAt!)}; Kirim memesan ulang ke kurir terbaik berikutnya.`;
  } else if (failed) {
    const note = courierNote(failed);
    message = `${ctx.courier} reported a failed pickup at ${wib(failed.occurredAt)}${note.en}.`;
    messageIndonesian = `${ctx.kurir} melaporkan pickup gagal pada ${formatWibTimeId(failed.occurredAt)}${note.id}.`;
  } else {
    message = `${ctx.courier} has not scanned the parcel as picked up within ${input.config.pickupScanHours} hours of ${scheduled ? 'the start of the pickup day asked for' : 'booking'}.`;
    messageIndonesian = `${ctx.kurir} belum memindai paket sebagai sudah diambil dalam ${input.config.pickupScanHours} jam sejak ${scheduled ? 'awal hari pickup yang diminta' : 'pemesanan'}.`;
  }
  return finding('pickup_not_made', {
    severity: overdue ? 'high' : 'medium',
    reason: 'pickup_failed',
    message,
    messageIndonesian,
    suggestedAction: overdue && s.pinned ? 'rebook' : 'wait',
    causeAt: failed ? failed.occurredAt : null,
  });
}

/**
 * Before pickup only: the recipient's history makes a return likely, so the seller should confirm the
 * order before handing the parcel over. Once the courier has it the question is moot; a later failed
 * attempt to such a recipient is raised one severity step instead.
 */
function riskyRecipient(ctx: Context): RiskFinding | null {
  const { input } = ctx;
  if (!BEFORE_PICKUP.has(input.shipment.status)) return null;
  const r = recipientIsRisky(input);
  if (!r.risky) return null;
  return finding('risky_recipient', {
    severity: r.high ? 'high' : 'medium',
    reason: 'risky_recipient',
    message: `${r.failures} of this recipient's ${r.outcomes} earlier parcels failed or came back; confirm the order with the buyer before pickup.`,
    messageIndonesian: `${r.failures} dari ${r.outcomes} paket sebelumnya untuk penerima ini gagal atau kembali; konfirmasi pesanan dengan pembeli sebelum pickup.`,
    suggestedAction: 'contact',
    causeAt: null,
  });
}

const RULES: Record<RiskRuleCode, (ctx: Context) => RiskFinding | null> = {
  failed_attempt: failedAttempt,
  return_started: returnStarted,
  stale_no_scan: staleNoScan,
  late_vs_lane: lateVsLane,
  held_or_misrouted: heldOrMisrouted,
  pickup_not_made: pickupNotMade,
  risky_recipient: riskyRecipient,
  delivery_contradicted: deliveryContradicted,
  rebooked_parcel_scanned: rebookedParcelScanned,
};

/**
 * Delivered, then taken back by the courier's own lines: a return started or made, or a failed attempt,
 * after the last delivery (a delivery scanned by mistake, corrected). The seller was credited the COD cash
 * on the delivery, and the courier may now remit none; the shipment stays delivered (a delivery is final in
 * Kirim), so the seller and finance hear of it here. Gone once the courier delivers it again, with the cash
 * for a COD parcel: a later delivery saying no cash was taken clears nothing, and itself takes back the cash
 * of a delivery before it that brought it (deliveryWithCashAfterAll reads the lines alike).
 */
function deliveryContradicted(ctx: Context): RiskFinding | null {
  const { input, events } = ctx;
  if (input.shipment.status !== 'delivered') return null;
  const cod = input.shipment.codAmount > 0;
  const delivers = (e: RiskEvent) => e.status === 'delivered' && !e.isReturnLeg;
  const noCash = (e: RiskEvent) => cod && delivers(e) && e.codCollected === false;
  let last = -1;
  for (const [i, e] of events.entries()) if (delivers(e) && !noCash(e)) last = i;
  // Only deliveries without the cash: nothing was credited for one to take back; read as before.
  if (last < 0) for (const [i, e] of events.entries()) if (delivers(e)) last = i;
  if (last < 0) return null;
  const returnsEnd = deliveredAsReturnsEnd(ctx, last);
  if (returnsEnd) return returnsEnd;
  const delivered = events[last];
  const withCash = !noCash(delivered);
  const taken = events
    .slice(last + 1)
    .find(
      (e) =>
        e.occurredAt.getTime() > delivered.occurredAt.getTime() &&
        (takesDeliveryBack(e) || (withCash && noCash(e))),
    );
  if (!taken) return null;
  const note = courierNote(taken);
  const cashDenied = delivers(taken);
  return finding('delivery_contradicted', {
    severity: 'high',
    reason: taken.reason ?? (cashDenied ? 'attempt_failed' : 'rts_initiated'),
    message:
      `${ctx.courier} reported the parcel delivered${cashDenied ? ' with its COD cash' : ''} at ` +
      `${wib(delivered.occurredAt)}, then at ${wib(taken.occurredAt)} that ` +
      `${cashDenied ? 'the cash was not collected' : 'it was not'}${note.en}` +
      `${cod ? ': the COD cash credited on the delivery may not be remitted' : ''}. Ask the courier which is true.`,
    messageIndonesian:
      `${ctx.kurir} melaporkan paket terkirim${cashDenied ? ' dengan uang COD' : ''} pada ` +
      `${formatWibTimeId(delivered.occurredAt)}, lalu pada ${formatWibTimeId(taken.occurredAt)} bahwa ` +
      `${cashDenied ? 'uang COD tidak ditagih' : 'paket tidak terkirim'}${note.id}` +
      `${cod ? ': uang COD yang dikreditkan saat terkirim mungkin tidak disetor' : ''}. Tanyakan kepada kurir mana yang benar.`,
    suggestedAction: 'contact',
    causeAt: taken.occurredAt,
  });
}

/**
 * A COD delivery that was probably its return's end: from a courier whose lines do not each say their leg
 * (J&T, JNE, ID Express, Ninja), which may end a return with its ordinary delivery code, a delivery with the
 * cash after the return began, its lines lost or late when the delivery was pushed alone. Such a line moves
 * no parcel on the return to delivered (JourneyReading): only one learned before the return's lines is.
 * Only a credit is at stake: a prepaid parcel, or one delivered without its cash, has none for finance to
 * settle, and nothing would close its alert (a delivery after that return's start is none).
 */
function deliveredAsReturnsEnd(ctx: Context, last: number): RiskFinding | null {
  const { input, events } = ctx;
  const courier = input.shipment.courier;
  if (input.shipment.codAmount <= 0 || events[last].codCollected === false) return null;
  if (!courier || journeyReadingOf(courier).deliveryEndsReturn) return null;
  const began = events.find(isBackward);
  const end = events[last];
  if (!began || end.occurredAt.getTime() <= began.occurredAt.getTime()) return null;
  return finding('delivery_contradicted', {
    severity: 'high',
    reason: began.reason ?? 'rts_initiated',
    message:
      `${ctx.courier} reported the parcel delivered at ${wib(end.occurredAt)}, but its lines say the parcel ` +
      `was on its way back to you from ${wib(began.occurredAt)}: that was probably the return's end, not the ` +
      "buyer's delivery, and the COD cash credited on the delivery may not be remitted. Ask the courier which is true.",
    messageIndonesian:
      `${ctx.kurir} melaporkan paket terkirim pada ${formatWibTimeId(end.occurredAt)}, tetapi catatannya ` +
      `menyebut paket dalam perjalanan kembali kepada Anda sejak ${formatWibTimeId(began.occurredAt)}: ` +
      'kemungkinan itu akhir retur, bukan diterima pembeli, dan uang COD yang dikreditkan saat terkirim ' +
      'mungkin tidak disetor. Tanyakan kepada kurir mana yang benar.',
    suggestedAction: 'contact',
    causeAt: began.occurredAt,
  });
}

/** A line that says a delivery before it did not happen: a return started or made, or a failed attempt. */
const takesDeliveryBack = (
  e: Pick<RiskEvent, 'status' | 'isReturnLeg'> & { reason?: CourierReason | null },
) => isReturnEvent(e) || e.status === 'returned' || e.status === 'delivery_failed';

/**
 * The courier's delivery that brings a parcel's COD cash after a line that said it did not: the first
 * delivery (not on the return leg, not saying the cash was left untaken) later than the last line that either
 * took a delivery before it back (deliveryContradicted) or delivered the parcel without its cash; null when
 * there is none (never denied, or denied since). Judged by the courier's times, whatever order the lines
 * came in: a line repeated, or one dated before the denial that arrived late, is no delivery with the cash.
 */
export function deliveryWithCashAfterAll(
  events: readonly StoredEvent[],
  reading: JourneyReading,
): StoredEvent | null {
  // Where a delivery after the return began may be the return's end, none after it brings the cash.
  const returnBegan = reading.deliveryEndsReturn
    ? Infinity
    : Math.min(...events.filter(isBackward).map((e) => e.occurredAt.getTime()));
  const delivers = (e: StoredEvent) =>
    e.status === 'delivered' && !e.isReturnLeg && e.occurredAt.getTime() < returnBegan;
  let firstDelivery = Infinity;
  for (const e of events) if (delivers(e)) firstDelivery = Math.min(firstDelivery, e.occurredAt.getTime());
  let deniedAt = -Infinity;
  for (const e of events) {
    const at = e.occurredAt.getTime();
    if ((delivers(e) && e.codCollected === false) || (at > firstDelivery && takesDeliveryBack(e)))
      deniedAt = Math.max(deniedAt, at);
  }
  if (deniedAt === -Infinity) return null;
  const again = events
    .filter((e) => delivers(e) && e.codCollected !== false && e.occurredAt.getTime() > deniedAt)
    .sort(journeyOrder);
  return again[0] ?? null;
}
/** What an earlier booking's courier reported, as the rebooked rule says it. */
const SCAN_WORDS: Readonly<Record<CourierStatus, { en: string; id: string }>> = {
  created: { en: 'order created', id: 'pesanan dibuat' },
  pickup_requested: { en: 'pickup requested', id: 'pickup diminta' },
  picked_up: { en: 'picked up', id: 'sudah diambil kurir' },
  in_transit: { en: 'in transit', id: 'dalam perjalanan' },
  out_for_delivery: { en: 'out for delivery', id: 'sedang diantar' },
  delivery_failed: { en: 'a failed delivery attempt', id: 'gagal antar' },
  delivered: { en: 'delivered', id: 'terkirim' },
  returning_to_sender: { en: 'returning to you', id: 'dalam perjalanan kembali kepada Anda' },
  returned: { en: 'returned to you', id: 'sudah kembali kepada Anda' },
  cancelled: { en: 'cancelled', id: 'dibatalkan' },
  exception: { en: 'a problem reported', id: 'ada kendala' },
};

/**
 * The courier of an earlier booking — one Kirim cancelled to re-book the shipment (or superseded) — scanned
 * the parcel under that airway bill as only a courier holding it does (isHandover: anything past the
 * booking; a cancellation confirmed, or a failed pickup, is not). The seller's parcel may be travelling with
 * a courier Kirim no longer follows, and the current booking fail or ship it twice. Said of the latest such
 * scan; caused by the first scan of its airway bill, so more scans of one bill update the alert without
 * asking again, and another bill starting to scan asks again. Open until the shipment ends.
 */
function rebookedParcelScanned(ctx: Context): RiskFinding | null {
  const { input } = ctx;
  let found: { booking: EarlierBooking; first: RiskEvent; last: RiskEvent } | null = null;
  for (const booking of input.earlierBookings ?? []) {
    const scans = sorted(booking.events).filter(isHandover);
    if (!scans.length) continue;
    const last = scans[scans.length - 1];
    const later = found
      ? last.occurredAt.getTime() - found.last.occurredAt.getTime() ||
        compareStrings(booking.awb, found.booking.awb)
      : 1;
    if (later > 0) found = { booking, first: scans[0], last };
  }
  if (!found) return null;
  const { booking, first, last } = found;
  const old = oneLine(booking.courierName || booking.courier, 40);
  const awb = oneLine(booking.awb, 40);
  const words = SCAN_WORDS[last.status!];
  const s = input.shipment;
  // Booked anew (with another courier, or the same one under a new bill): both may come for one parcel.
  const now = s.courier && !BEFORE_BOOKING.has(s.status) ? { en: ctx.courier, id: ctx.kurir } : null;
  const ask = !now
    ? {
        en: `after Kirim cancelled that booking to book another courier: the parcel may be with ${old}. Ask ${old} where it is before another courier comes for it.`,
        id: `setelah Kirim membatalkan pemesanan itu untuk memesan kurir lain: paket mungkin ada di ${old}. Tanyakan kepada ${old} di mana paket berada sebelum kurir lain menjemputnya.`,
      }
    : s.courier === booking.courier
      ? {
          en: `after Kirim re-booked it with ${now.en} under a new airway bill: ask ${old} which bill carries it, so it is not shipped twice.`,
          id: `setelah Kirim memesan ulang ke ${now.id} dengan resi baru: tanyakan kepada ${old} resi mana yang membawanya, agar paket tidak dikirim dua kali.`,
        }
      : {
          en: `after Kirim re-booked it with ${now.en}: the parcel may be with ${old}. Ask ${old} and ${now.en} which one has it, so it is not shipped twice.`,
          id: `setelah Kirim memesan ulang ke ${now.id}: paket mungkin ada di ${old}. Tanyakan kepada ${old} dan ${now.id} siapa yang membawanya, agar paket tidak dikirim dua kali.`,
        };
  return finding('rebooked_parcel_scanned', {
    severity: 'high',
    reason: 'rebooked_parcel_scanned',
    message: `${old} scanned the parcel under its earlier airway bill ${awb} (${words.en}) at ${wib(last.occurredAt)}, ${ask.en}`,
    messageIndonesian: `${old} memindai paket dengan resi lamanya ${awb} (${words.id}) pada ${formatWibTimeId(last.occurredAt)}, ${ask.id}`,
    suggestedAction: 'contact',
    causeAt: first.occurredAt,
  });
}

/** Not booked with any courier now (being booked again, or its booking failed). */
const BEFORE_BOOKING: ReadonlySet<ShipmentStatus> = new Set(['ready', 'booking', 'booking_failed']);

/**
 * Every problem the shipment has now, at most one per rule, in RISK_RULES order; `rules`: only these are
 * asked. A finished shipment (delivered, returned, cancelled, lost) has none, but a delivery its courier
 * took back. Deterministic: the same input gives the same output, whatever order the events come in.
 */
export function evaluateRisk(input: RiskInput, rules: readonly RiskRuleCode[] = RISK_RULES): RiskFinding[] {
  if (TERMINAL.has(input.shipment.status) && input.shipment.status !== 'delivered') return [];
  const ctx: Context = {
    input,
    events: sorted(input.events),
    courier: input.shipment.courierName || input.shipment.courier || 'The courier',
    kurir: input.shipment.courierName || input.shipment.courier || 'Kurir',
    now: input.now.getTime(),
  };
  // A delivered shipment is asked only whether its courier took the delivery back.
  const asked =
    input.shipment.status === 'delivered' ? rules.filter((r) => r === 'delivery_contradicted') : rules;
  return RISK_RULES.filter((rule) => asked.includes(rule))
    .map((rule) => RULES[rule](ctx))
    .filter((f): f is RiskFinding => f !== null);
}
