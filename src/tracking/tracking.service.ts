import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'config';
import { createHash, randomInt } from 'node:crypto';
import { Clock, SystemClock } from 'src/common/clock';
import type { CourierCode, TrackingEvent, TrackResult } from 'src/couriers/courier-adapter';
import { Transactions } from 'src/database/transaction';
import { CodDeliveries } from 'src/shipments/cod-deliveries.service';
import { pickupState } from 'src/shipments/pickup-sla';
import { PickupWatch } from 'src/shipments/pickup-watch.service';
import { type EachMove, ShipmentStateMachine } from 'src/shipments/shipment-state-machine';
import {
  MOVED_BY_COURIER,
  OUTCOME_SETTLED,
  TERMINAL,
  TRACKED,
  type ShipmentStatus,
} from 'src/shipments/shipment-status';
import {
  DeliveryOutlook,
  ShipmentFacts,
  TrackedShipment,
  TrackedShipments,
} from 'src/shipments/tracked-shipments.service';
import { SellerNotifications } from 'src/sellers/notifications/seller-notifications.service';
import { CodCreditPosting } from './cod-credit-posting';
import { CodSettlementsRepository } from './cod-settlements.repository';
import type { Alert } from './alert.entity';
import { AlertShipment, AlertsService, alertView, type ReconcileResult } from './alerts.service';
import { nextPollAt } from './poll-cadence';
import { storablePolled } from './pushed-events';
import {
  evaluateRisk,
  isReturnEvent,
  deliveryWithCashAfterAll,
  type EarlierBooking,
  type RiskFinding,
  type RiskInput,
  type RiskRuleCode,
} from './risk-rules';
import { ShipmentActionsRepository } from './shipment-actions.repository';
import { EventSource, TrackingEventsRepository } from './tracking-events.repository';
import {
  deliveryAttempts,
  isBookingEvent,
  journeyReadingOf,
  movesFrom,
  returnReason,
  StoredEvent,
} from './tracking-status';

export interface ApplyResult {
  /** Status moves made. */
  moved: number;
  /** Booked shipments found picked up (by their events or by the pickup watch). */
  pickedUp: number;
  /** Booked shipments sent back for re-booking by the pickup watch. */
  rebooked: number;
  /** Pinned shipments whose booking the pickup watch failed (their courier cancelled or missed the pickup). */
  bookingFailed: number;
  /** Shipments still waiting for their pickup, for the pickup watch. */
  booked: { shipment: TrackedShipment; events: StoredEvent[] }[];
}

/** A followed shipment after its events, with what the risk rules found. */
interface Assessed {
  shipment: TrackedShipment;
  status: ShipmentStatus;
  events: StoredEvent[];
  findings: RiskFinding[];
  /** The rules `findings` answer for, when not all were asked. */
  rules?: readonly RiskRuleCode[];
}

/** A booking the shipment had before its current one, with its courier's events of this parcel. */
interface EarlierEvents {
  courier: CourierCode;
  awb: string;
  events: StoredEvent[];
}

/** The one rule a shipment re-booked away is asked when its earlier courier reports. */
const EARLIER_RULES: readonly RiskRuleCode[] = ['rebooked_parcel_scanned'];

/** The seller's latest hold or re-attempt the courier took (RiskInput's `sellerInstruction`). */
type SellerInstruction = NonNullable<RiskInput['shipment']['sellerInstruction']>;

/** The rules a parcel's silence or holding raises, which a hold the seller asked for explains. */
const HOLD_EXPLAINED_RULES: ReadonlySet<RiskRuleCode> = new Set([
  'stale_no_scan',
  'late_vs_lane',
  'held_or_misrouted',
]);

const random = () => randomInt(1_000_000) / 1_000_000;

/**
 * How long an inbox applier holds the pushed events it took: a batch is applied in seconds; an applier that
 * died leaves its events to another once this has passed.
 */
const INBOX_CLAIM_SECONDS = 120;

/** A fraction in [0, 1) drawn from `key`: the same key, the same fraction. */
const fractionOf = (key: string) => createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;

/**
 * The tracker: courier events in (polled or pushed), stored once in the inbox, applied to their
 * shipments through the state machine in time order whatever order they arrived in; then the risk rules,
 * the poll schedule and the pickup watch. Polled and pushed events go the same way.
 */
/** No lane nor recipient figures: what a delivered shipment's assessment reads of them. */
const NO_OUTLOOK: DeliveryOutlook = {
  p90TransitDays: null,
  promisedMaxDays: null,
  p50TransitDays: null,
  recipient: null,
};

@Injectable()
export class TrackingService {
  private readonly logger = new Logger(TrackingService.name);
  /** The inbox's applier running on this instance, and whether it was asked for again meanwhile. */
  private applyingPushed: Promise<number> | null = null;
  private pushedAgain = false;

  constructor(
    private readonly events: TrackingEventsRepository,
    private readonly tracked: TrackedShipments,
    private readonly stateMachine: ShipmentStateMachine,
    private readonly pickupWatch: PickupWatch,
    private readonly alerts: AlertsService,
    private readonly notifications: SellerNotifications,
    private readonly codCredit: CodCreditPosting,
    private readonly settlements: CodSettlementsRepository,
    private readonly actions: ShipmentActionsRepository,
    private readonly codDeliveries: CodDeliveries,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly realClock: SystemClock,
    private readonly config: AppConfig,
  ) {}

  /**
   * The poll jitter's draw: at random, or, on a stepped sandbox clock, from the shipment's reference and the
   * time, so that a simulation replays alike (its shipment ids are new each run, its references are not).
   */
  private pollJitter(s: TrackedShipment, now: Date): number {
    return this.config.couriers.sandboxClock === 'stepped'
      ? fractionOf(`${s.reference}:${now.toISOString()}`)
      : random();
  }

  /**
   * What one poll brought for claimed shipments of one courier: events stored, applied, next polls set,
   * and the pickup watch run for the ones still waiting to be picked up.
   */
  async recordPoll(
    courier: CourierCode,
    shipments: Pick<TrackedShipment, 'awb'>[],
    results: TrackResult[],
    /** The time to record it as (a run as of a moment); without it, the clock once the shipments are locked. */
    asOf?: Date,
  ) {
    const { kept: found, dropped } = storablePolled(results.flatMap((r) => (r.found ? r.events : [])));
    if (dropped.length)
      this.logger.warn(
        { courier, dropped: dropped.slice(0, 10), count: dropped.length },
        'polled events left out: not storable',
      );
    const awbs = shipments.map((s) => s.awb!);
    const applied = await this.tx.run(async () => {
      const owners = await this.tracked.byAwbs(courier, awbs);
      // Another platform's parcel or one re-booked away: its events are kept, done (no shipment to move).
      const unowned = found.filter((e) => !owners.has(e.awb));
      if (unowned.length) await this.events.insertApplied(courier, unowned, owners, this.clock.now());
      return this.apply(
        courier,
        awbs,
        asOf,
        'poll',
        owners,
        found.filter((e) => owners.has(e.awb)),
      );
    });
    const watched = await this.watchPickups(applied.booked, asOf ?? this.clock.now(), true);
    return {
      ...applied,
      pickedUp: applied.pickedUp + watched.pickedUp,
      rebooked: watched.rebooked,
      bookingFailed: watched.bookingFailed,
    };
  }

  /**
   * Judges followed shipments again on what Kirim already holds when their courier could not be asked (down,
   * or refusing a parcel): the rules time raises (no scan for too long, late, a pickup not made) still tell the
   * seller through a courier's outage, where they waited for its next answer. Nothing else changes: their next
   * polls stay as the poller set them (its backoff), and no pickup is cancelled at a courier that cannot answer.
   */
  async reassessUnanswered(courier: CourierCode, awbs: string[]): Promise<void> {
    if (!awbs.length) return;
    await this.tx.run(() => this.apply(courier, awbs, undefined, 'poll', undefined, [], true));
  }

  /** A courier's push, verified: stored at once; applied asynchronously (see applyPushed). */
  async storePush(
    courier: CourierCode,
    events: TrackingEvent[],
    body: Buffer,
    contentType: string | null,
  ): Promise<{ events: number; fresh: number }> {
    const fresh = await this.events.insertPush(courier, body, contentType, events, this.clock.now());
    return { events: events.length, fresh: fresh.stored };
  }

  /**
   * Applies pushed events waiting in the inbox, a batch at a time, until it is empty; the number of
   * airway bills applied. One applier at a time on this instance: the job every 5 s and a push's own kick
   * join the run going on (which goes round once more for them) rather than start another beside it.
   */
  applyPushed(asOf?: Date): Promise<number> {
    if (this.applyingPushed) {
      this.pushedAgain = true;
      return this.applyingPushed;
    }
    const run = (async () => {
      let applied = 0;
      try {
        do {
          this.pushedAgain = false;
          applied += await this.applyInbox(asOf);
        } while (this.pushedAgain);
        return applied;
      } finally {
        this.applyingPushed = null;
      }
    })();
    this.applyingPushed = run;
    return run;
  }

  private async applyInbox(asOf?: Date): Promise<number> {
    const batch = this.config.business.tracking.inboxBatch;
    let applied = 0;
    for (;;) {
      // Real time, as an applier lives and dies, whatever the sandbox clock says.
      const now = this.realClock.now();
      const until = new Date(now.getTime() + INBOX_CLAIM_SECONDS * 1000);
      const pending = await this.events.claimUnprocessed(batch, now, until);
      if (!pending.awbs.length) return applied;
      const byCourier = new Map<CourierCode, string[]>();
      for (const p of pending.awbs) byCourier.set(p.courier, [...(byCourier.get(p.courier) ?? []), p.awb]);
      try {
        for (const [courier, awbs] of byCourier) {
          const result = await this.tx.run(() => this.apply(courier, awbs, asOf, 'webhook'));
          await this.watchPickups(result.booked, asOf ?? this.clock.now(), false);
        }
      } catch (e) {
        await this.events.releaseClaim(pending.eventIds, until);
        throw e;
      }
      applied += pending.awbs.length;
      // Fewer events than a batch were waiting: the inbox is empty now (a push meanwhile kicks another
      // round). Counted in events, not airway bills: one bill may have had many.
      if (pending.eventIds.length < batch) return applied;
    }
  }

  /**
   * Applies every stored event of these airway bills to the shipments booked with them (locked, in the
   * caller's transaction): the moves their journey calls for, the facts beside the status, and — for
   * a poll — the next poll by the new status; a push instead pushes the next poll back.
   */
  private async apply(
    courier: CourierCode,
    awbs: string[],
    /**
     * The time to record the moves and their outcomes as; without it, the clock once the shipments are locked:
     * a wait on their locks (a long batch crediting the same seller) may outlast the invoicing's grace, and an
     * outcome stamped before it would fall in a period already invoiced, so on no invoice.
     */
    asOf: Date | undefined,
    source: EventSource,
    /** The shipments booked with these airway bills, when the caller has read them already. */
    known?: Map<string, string>,
    /** A poll's answer: its events not stored yet are stored with the history read under the lock. */
    polled: TrackingEvent[] = [],
    /** Leave the shipments' next polls and following as they are (reassessUnanswered: the poller set them). */
    keepSchedule = false,
  ): Promise<ApplyResult> {
    const result: ApplyResult = { moved: 0, pickedUp: 0, rebooked: 0, bookingFailed: 0, booked: [] };
    const owners = known ?? (await this.tracked.byAwbs(courier, awbs));
    const unowned = awbs.filter((a) => !owners.has(a));
    await this.events.markUnowned(courier, unowned, asOf ?? this.clock.now());
    // Bills of earlier bookings (cancelled to re-book): their courier scanning the parcel is the shipment's
    // problem, though the events stay the bill's alone.
    const earlier = await this.tracked.byEarlierAwbs(courier, unowned);
    if (!owners.size && !earlier.size) return result;
    const shipments = await this.tracked.lock([...new Set([...owners.values(), ...earlier.values()])]);
    const now = asOf ?? this.clock.now();
    const { byAwb: eventsByAwb, pending } = await this.events.eventsOf(courier, [...owners.keys()]);
    await this.events.insertFresh(courier, polled, eventsByAwb, owners, this.clock.now());
    await this.tracked.prepareOutlooks(shipments.filter((s) => TRACKED.has(s.status)));
    const polls: { id: string; at: Date }[] = [];
    const pushed: string[] = [];
    const unfollowed: string[] = [];
    const confirmations: string[] = [];
    const facts: ShipmentFacts[] = [];
    const learnedLate: { shipmentId: string; failedAttempts: number }[] = [];
    const assessed: Assessed[] = [];
    const redelivered: { s: TrackedShipment; event: StoredEvent }[] = [];
    const ours = shipments.filter((s) => s.awb && s.courier === courier && owners.get(s.awb) === s.id);
    const rebookedAway = new Set(earlier.values());
    // Read only where the rule can find something: an earlier bill reporting now, or an alert of it open on a
    // followed shipment (an open alert sets it at risk), which must be found again to stay open.
    const earlierOf = await this.earlierBookings(
      shipments.filter((s) =>
        rebookedAway.has(s.id) ? !TERMINAL.has(s.status) : s.risk === 'at_risk' && TRACKED.has(s.status),
      ),
    );
    const slack = this.config.business.tracking.eventsBeforeBookingHours * 3600_000;
    // Each shipment's events of its booking, filtered once: the moves, the returns asked and the loop read them.
    const bookingEvents = new Map(
      ours.map((s) => [
        s.id,
        (eventsByAwb.get(s.awb!) ?? []).filter((e) => isBookingEvent(e, s.awbSince, slack)),
      ]),
    );
    const eventsOf = (s: TrackedShipment) => bookingEvents.get(s.id)!;
    // An ended shipment moves no more (but a lost one found again) and has no risk; a late event still
    // completes its history.
    const moved = await this.move(
      ours.filter((s) => MOVED_BY_COURIER.has(s.status)).map((s) => ({ s, events: eventsOf(s) })),
      now,
    );
    // Asked only for parcels on their way back, so a batch going forward costs no statement more.
    const returnsAsked = await this.actions.returnsAsked(
      ours
        .filter(
          (s) =>
            TRACKED.has(s.status) &&
            ((moved.get(s.id)?.now ?? s.status) === 'returning' || eventsOf(s).some(isReturnEvent)),
        )
        .map((s) => ({ id: s.id, awb: s.awb! })),
    );
    const assessFollowed = async (s: TrackedShipment, sellerInstruction: SellerInstruction | null) =>
      this.assess(
        s,
        moved.get(s.id)?.now ?? s.status,
        eventsOf(s),
        now,
        await this.tracked.outlook(s),
        { returnAsked: returnsAsked.has(s.id), sellerInstruction },
        earlierOf.get(s.id),
      );
    const assessments = new Map<string, { findings: RiskFinding[]; expectedArrival: Date | null }>();
    for (const s of ours) {
      if (TRACKED.has(s.status)) assessments.set(s.id, await assessFollowed(s, null));
      // Only whether its courier took the delivery back, which no lane nor recipient bears on.
      else if (s.status === 'delivered')
        assessments.set(s.id, this.assess(s, 'delivered', eventsOf(s), now, NO_OUTLOOK, {}));
    }
    // A parcel the seller holds at the courier is silent (and held) by their choice, and one they released
    // or had re-attempted is the courier's to move from then: judged again knowing it. Asked only of parcels
    // found silent or held, so a batch going its way costs no statement more.
    const silent = ours.filter((s) =>
      assessments.get(s.id)?.findings.some((f) => HOLD_EXPLAINED_RULES.has(f.rule)),
    );
    const told = await this.actions.latestInstructions(silent.map((s) => ({ id: s.id, awb: s.awb! })));
    for (const s of silent) {
      const instruction = told.get(s.id);
      if (instruction) assessments.set(s.id, await assessFollowed(s, instruction));
    }
    for (const s of ours) {
      const events = eventsOf(s);
      const status = moved.get(s.id) ?? { now: s.status, moves: 0, collected: false };
      result.moved += status.moves;
      if (s.status === 'booked' && status.now !== 'booked') result.pickedUp += 1;
      const assessment = assessments.get(s.id);
      const findings = assessment?.findings;
      // Nothing found and nothing open (the shipment's risk says so): no alert to open or close.
      if (findings && (findings.length || s.risk !== 'none'))
        assessed.push({ shipment: s, status: status.now, events, findings });
      // Delivered without its cash (finance reversed its credit, or the courier said none was taken): a
      // delivery after that may bring the cash after all (creditRedeliveries decides). Also one this batch
      // delivered without it: the courier's correction may have come in the same push or poll.
      if (status.now === 'delivered' && s.codAmount > 0 && !s.codCollected && !status.collected) {
        const event = deliveryWithCashAfterAll(events, journeyReadingOf(courier));
        if (event) redelivered.push({ s, event });
      }
      const risk = findings ? (findings.length ? 'at_risk' : 'none') : undefined;
      const lastEventAt = events.length ? events[events.length - 1].occurredAt : undefined;
      const runs = deliveryAttempts(events, journeyReadingOf(courier));
      // Written only when something changed: most polls bring nothing new.
      if (
        lastEventAt?.getTime() !== (s.lastEventAt?.getTime() ?? undefined) ||
        runs.attempts > s.attempts ||
        runs.failed > s.failedAttempts ||
        (risk && risk !== s.risk)
      )
        facts.push({ id: s.id, ...(lastEventAt ? { lastEventAt } : {}), ...runs, ...(risk ? { risk } : {}) });
      // Settled with more failed attempts than it had: the outcome may have been learned with fewer.
      if (OUTCOME_SETTLED.has(status.now) && runs.failed > s.failedAttempts)
        learnedLate.push({ shipmentId: s.id, failedAttempts: runs.failed });
      if (status.now === 'lost' && source === 'poll') {
        // Lost since it was reported so (now, when this answer said it); asked about daily for a while.
        const since = status.moves ? now : (s.endedAt ?? now);
        const followFor = this.config.business.tracking.lostFollowDays * 86_400_000;
        if (now.getTime() - since.getTime() < followFor)
          polls.push({
            id: s.id,
            at: nextPollAt('lost', now, this.config.business.tracking.cadence, this.pollJitter(s, now)),
          });
        else unfollowed.push(s.id);
      }
      // A courier whose lines do not each say their leg may end a return with its ordinary delivery code:
      // pushed alone, the return's lines before it lost or late, that reads as the buyer's delivery. One
      // poll of the whole history confirms it (deliveryContradicted finds a return before the delivery).
      // Only a COD parcel's: a prepaid one has no cash at stake, and its delivery is not taken back so.
      if (
        source === 'webhook' &&
        s.codAmount > 0 &&
        status.moves &&
        status.now === 'delivered' &&
        !journeyReadingOf(courier).deliveryEndsReturn
      )
        confirmations.push(s.id);
      // Followed after its delivery for that poll alone.
      if (source === 'poll' && status.now === 'delivered') unfollowed.push(s.id);
      if (!TRACKED.has(status.now)) continue;
      if (status.now === 'booked') result.booked.push({ shipment: s, events });
      else if (source === 'poll')
        polls.push({
          id: s.id,
          at: nextPollAt(
            status.now,
            now,
            this.config.business.tracking.cadence,
            this.pollJitter(s, now),
            assessment?.expectedArrival ?? null,
          ),
        });
      // A courier that pushes only its latest event left the history before it to a poll: ask now.
      else if (!events.some((e) => e.status === 'picked_up')) polls.push({ id: s.id, at: now });
      else pushed.push(s.id);
    }
    await this.creditRedeliveries(redelivered, now);
    // Re-booked away, its earlier courier reporting: only that rule is asked (the current booking's events
    // are not read here), and other alerts stay as they are. An ended shipment is no one's concern now.
    const followedHere = new Set(ours.map((s) => s.id));
    for (const s of shipments) {
      if (!rebookedAway.has(s.id) || followedHere.has(s.id) || TERMINAL.has(s.status)) continue;
      const bookings = earlierOf.get(s.id) ?? [];
      const { findings } = this.assess(s, s.status, [], now, NO_OUTLOOK, {}, bookings, EARLIER_RULES);
      if (!findings.length) continue;
      // The events of the bills reporting now, last the cause.
      const reported = bookings
        .filter((b) => b.courier === courier && earlier.get(b.awb) === s.id)
        .flatMap((b) => b.events)
        .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
      assessed.push({ shipment: s, status: s.status, events: reported, findings, rules: EARLIER_RULES });
      if (s.risk !== 'at_risk') facts.push({ id: s.id, risk: 'at_risk' });
    }
    // The batch's alerts and facts in a few statements, not a few per shipment: at a poll's pace the
    // round trips, not the work, would otherwise set the tracker's speed.
    await this.reconcileAlerts(assessed, now);
    await this.tracked.noteCourierFacts(facts);
    await this.tracked.correctOutcomes(learnedLate);
    // The events read that were waiting (a poll's own were stored applied).
    await this.events.markProcessed(pending, owners, courier, now);
    if (keepSchedule) return result;
    await this.tracked.schedule(polls);
    await this.tracked.stopFollowing(unfollowed);
    await this.tracked.pollOnce(confirmations, now);
    const postpone = this.config.business.tracking.pushPostponeMinutes * 60_000;
    await this.tracked.postpone(pushed, new Date(now.getTime() + postpone));
    return result;
  }

  /**
   * The shipments' earlier bookings (see TrackingEventsRepository.earlierBookings), each with only the events
   * that can be of this parcel (isBookingEvent, from when that booking began); by shipment.
   */
  private async earlierBookings(shipments: TrackedShipment[]): Promise<Map<string, EarlierEvents[]>> {
    const slack = this.config.business.tracking.eventsBeforeBookingHours * 3600_000;
    const read = await this.events.earlierBookings(shipments.map((s) => s.id));
    return new Map(
      [...read].map(([id, bookings]) => [
        id,
        bookings.map((b) => ({
          courier: b.courier,
          awb: b.awb,
          events: b.events.filter((e) => isBookingEvent(e, b.since, slack)),
        })),
      ]),
    );
  }

  /**
   * What the risk rules find for the shipment as it now stands (in `status`, after `events`, its earlier
   * bookings `earlier`), and when it should reach its buyer: picked up, plus its lane's median transit days
   * (for the poll cadence). `rules`: only these are asked.
   */
  private assess(
    s: TrackedShipment,
    status: ShipmentStatus,
    events: StoredEvent[],
    now: Date,
    outlook: DeliveryOutlook,
    /** What the seller asked the courier for this airway bill that the rules weigh. */
    asked: { returnAsked?: boolean; sellerInstruction?: SellerInstruction | null },
    earlier: EarlierEvents[] = [],
    rules?: readonly RiskRuleCode[],
  ): { findings: RiskFinding[]; expectedArrival: Date | null } {
    const courierEvents = events.map((e) => courierEvent(s.awb ?? '', e));
    const pickup = pickupState(courierEvents);
    const pickedUpAt = s.pickedUpAt ?? (pickup.state === 'picked_up' ? pickup.event.occurredAt : null);
    const expectedArrival =
      pickedUpAt && outlook.p50TransitDays !== null
        ? new Date(pickedUpAt.getTime() + outlook.p50TransitDays * 86_400_000)
        : null;
    const catalogue = this.config.business.couriers.catalogue;
    const earlierBookings = earlier.map((b): EarlierBooking => ({
      courier: b.courier,
      courierName: catalogue[b.courier].name,
      awb: b.awb,
      events: b.events.map((e) => courierEvent(b.awb, e)),
    }));
    const findings = evaluateRisk(
      {
        now,
        shipment: {
          status,
          codAmount: s.codAmount,
          courier: s.courier,
          courierName: s.courier ? catalogue[s.courier].name : null,
          service: s.service,
          createdAt: s.createdAt,
          bookedAt: s.bookedAt,
          pickupDueAt: s.pickupDueAt,
          // Its deadline less the pickup SLA: the booking, or the start of a later pickup day asked for.
          pickupFrom:
            s.pickupDueAt && new Date(s.pickupDueAt.getTime() - this.config.pickupSlaHours * 3600_000),
          pickedUpAt,
          recipientProvince: s.recipient.province,
          returnAsked: asked.returnAsked ?? false,
          sellerInstruction: asked.sellerInstruction ?? null,
          pinned: s.pinned,
        },
        events: courierEvents,
        earlierBookings,
        lane: { p90TransitDays: outlook.p90TransitDays, promisedMaxDays: outlook.promisedMaxDays },
        recipient: outlook.recipient,
        config: this.config.business.risk,
      },
      rules,
    );
    return { findings, expectedArrival };
  }

  /**
   * Brings the assessed shipments' alerts in line with what the rules found; the seller hears of every
   * alert opened, changed or resolved (`shipment.at_risk`, `alert.resolvedAt` set once resolved): an
   * integration following risk by webhook would otherwise keep a parcel flagged whose trouble ended
   * without a move (a stale parcel scanned again).
   */
  private async reconcileAlerts(assessed: Assessed[], now: Date): Promise<void> {
    const changes = await this.alerts.reconcileMany(
      assessed.map(({ shipment: s, events, findings, rules }) => ({
        shipment: alertShipmentOf(s),
        findings,
        causeEventId: events.length ? events[events.length - 1].id : null,
        rules,
      })),
      now,
    );
    await this.holdTakenBackCash(changes, now);
    for (const [i, changed] of changes.entries()) {
      const { shipment: s, status } = assessed[i];
      for (const alert of [...changed.opened, ...changed.updated, ...changed.resolved])
        await this.notifications.enqueueAtCommit(s.sellerId, 'shipment.at_risk', {
          shipmentId: s.id,
          reference: s.reference,
          status,
          alert: alertView(alert, s.reference),
        });
    }
  }

  /**
   * Makes the moves each followed shipment's events call for, each caused by its event; where each ends
   * up. Made a round at a time (every shipment's first move, then every second one…), the shipments of a
   * round going the same way moved in one statement: a batch costs a few statements, not a few per parcel.
   */
  private async move(
    followed: { s: TrackedShipment; events: StoredEvent[] }[],
    now: Date,
  ): Promise<Map<string, { now: ShipmentStatus; moves: number; collected: boolean }>> {
    const plans = followed.map(({ s, events }) => ({
      s,
      events,
      steps: movesFrom(s.status, s.statusEventId, events, journeyReadingOf(s.courier!)),
      now: s.status,
      moves: 0,
      collected: false,
      stopped: false,
    }));
    for (let round = 0; ; round += 1) {
      const ways = new Map<string, typeof plans>();
      for (const plan of plans) {
        if (plan.stopped || round >= plan.steps.length) continue;
        const way = `${plan.now}>${plan.steps[round].to}`;
        const group = ways.get(way);
        if (group) group.push(plan);
        else ways.set(way, [plan]);
      }
      if (!ways.size) break;
      for (const group of ways.values()) {
        const { now: from } = group[0];
        const to = group[0].steps[round].to;
        const moves: EachMove[] = group.map(({ s, steps, events }) => {
          const { event } = steps[round];
          return {
            id: s.id,
            causeEventId: event.id,
            reason: event.reason ?? (to === 'returned' ? returnReason(events, event) : null),
            occurredAt: event.occurredAt,
            // The cash is taken when the courier says so, or — for couriers whose tracking says nothing
            // about COD (JNE, SAP, ID Express) — when a COD parcel is delivered.
            codCollectedEventId:
              to === 'delivered' && s.codAmount > 0 && event.codCollected !== false ? event.id : null,
          };
        });
        const made = new Set(
          (
            await this.stateMachine.transitionEach(moves, {
              to,
              from: [from],
              cause: 'courier_event',
              at: now,
            })
          ).map((m) => m.id),
        );
        for (const [i, plan] of group.entries()) {
          if (!made.has(plan.s.id)) {
            plan.stopped = true;
            continue;
          }
          if (moves[i].codCollectedEventId) {
            plan.collected = true;
            await this.codCredit.post(
              { ...plan.s, courier: plan.s.courier! },
              plan.steps[round].event.occurredAt,
              now,
            );
          }
          plan.now = to;
          plan.moves += 1;
        }
      }
    }
    return new Map(plans.map((p) => [p.s.id, { now: p.now, moves: p.moves, collected: p.collected }]));
  }

  /**
   * Parcels whose COD credit finance reversed (their delivery taken back, the cash found never collected),
   * delivered by their courier after all (`event`, later than the last line that took the delivery back):
   * the cash was collected, so the shipment says so again (the courier owes it, the COD fee is invoiced), the
   * seller is credited once more (CodCreditPosting.postRedelivered, with the batch's other credits before the
   * commit) and told (`shipment.status_changed`, delivered to delivered, `codCollected` true). Later than the
   * taking back in the courier's time, not after finance's decision: a push can arrive after the decision
   * for a delivery made before it, and a delivery known before it would have resolved the alert, leaving
   * nothing to reverse. Also a parcel whose first delivery took no cash (by its courier's word, so nothing
   * was credited) that its courier later reports delivered with the cash, taken back in between or not (a
   * courier correcting its own line): credited as a delivery is (`cod-credit:<id>`).
   * Once per shipment: a repeated line finds the cash collected. In the caller's transaction, the shipments
   * locked.
   */
  private async creditRedeliveries(
    found: { s: TrackedShipment; event: StoredEvent }[],
    now: Date,
  ): Promise<void> {
    if (!found.length) return;
    const credits = await this.codCredit.creditsDue(found.map((f) => f.s.id));
    const due = found.filter((f) => credits.has(f.s.id));
    const collected = new Set(
      await this.codDeliveries.markCashCollected(
        due.map((f) => ({ id: f.s.id, eventId: f.event.id })),
        now,
      ),
    );
    for (const { s, event } of due) {
      if (!collected.has(s.id)) continue;
      const cod = { ...s, courier: s.courier! };
      if (credits.get(s.id) === 'again') await this.codCredit.postRedelivered(cod, event.occurredAt, now);
      else await this.codCredit.post(cod, event.occurredAt, now);
      await this.notifications.enqueueAtCommit(s.sellerId, 'shipment.status_changed', {
        shipmentId: s.id,
        reference: s.reference,
        from: 'delivered',
        status: 'delivered',
        reason: event.reason,
        courier: s.courier,
        awb: s.awb,
        at: event.occurredAt.toISOString(),
        codCollected: true,
      });
    }
  }

  /**
   * A delivery taken back (its alert open, or still open as it is updated) keeps its COD credit from
   * `available`: the courier probably took no cash to remit. Delivered again (the alert resolved), the
   * credit is let go. Withholding an open one again is a no-op.
   */
  private async holdTakenBackCash(changes: ReconcileResult[], now: Date): Promise<void> {
    const takenBack = (alerts: Alert[]) =>
      alerts.filter((a) => a.rule === 'delivery_contradicted').map((a) => a.shipmentId);
    const withheld = changes.flatMap((c) => takenBack([...c.opened, ...c.updated]));
    // Finance's settlement stands when a later scan takes the delivery back again: its cash is not withheld.
    // Not once a delivery again credited the reversed parcel: that credit is not settled.
    const settled = await this.settlements.settledOf(await this.codCredit.latestCredits(withheld));
    await this.codCredit.withhold(
      withheld.filter((id) => !settled.has(id)),
      now,
    );
    await this.codCredit.resume(changes.flatMap((c) => takenBack(c.resolved)));
  }

  /**
   * After a re-booking: what was wrong with the booking is over, but an earlier booking's courier holding the
   * parcel (rebooked_parcel_scanned), which is found again on the shipment as it now is.
   */
  private async closeAlerts(s: TrackedShipment, now: Date): Promise<void> {
    await this.tx.run(async () => {
      const [shipment] = await this.tracked.lock([s.id]);
      const findings =
        shipment && !TERMINAL.has(shipment.status)
          ? this.assess(
              shipment,
              shipment.status,
              [],
              now,
              NO_OUTLOOK,
              {},
              (await this.earlierBookings([shipment])).get(s.id),
              EARLIER_RULES,
            ).findings
          : [];
      await this.holdTakenBackCash(
        [await this.alerts.reconcile(alertShipmentOf(shipment ?? s), findings, now, null)],
        now,
      );
      await this.tracked.noteCourierFacts([{ id: s.id, risk: findings.length ? 'at_risk' : 'none' }]);
    });
  }

  /** The pickup watch for shipments still booked after their events; a poll also sets their next check. */
  private async watchPickups(
    booked: ApplyResult['booked'],
    now: Date,
    schedule: boolean,
  ): Promise<Pick<ApplyResult, 'pickedUp' | 'rebooked' | 'bookingFailed'>> {
    const watched = { pickedUp: 0, rebooked: 0, bookingFailed: 0 };
    const rechecks: { id: string; at: Date }[] = [];
    for (const { shipment: s, events } of booked) {
      if (!s.courier || !s.awb || !s.service || !s.pickupDueAt) continue;
      try {
        const assessment = await this.pickupWatch.assess(
          {
            id: s.id,
            courier: s.courier,
            service: s.service,
            awb: s.awb,
            courierReference: s.courierReference,
            pickupDueAt: s.pickupDueAt,
            pinned: s.pinned,
          },
          events.map((e) => courierEvent(s.awb!, e)),
          now,
        );
        if (assessment.outcome === 'waiting') rechecks.push({ id: s.id, at: assessment.recheckAt });
        else if (assessment.outcome !== 'cancelled') watched[WATCHED_FIGURE[assessment.outcome]] += 1;
        // Re-booked: what was wrong with the old booking is over (the new one is watched afresh). A pinned
        // shipment whose booking failed keeps its alert open: the seller has to book it again (the alert
        // closes once the new booking is tracked, or the shipment is cancelled).
        if (assessment.outcome === 'rebooked') await this.closeAlerts(s, now);
      } catch (e) {
        // Left as claimed: looked at again when the lease runs out.
        this.logger.error({ err: e, shipment: s.id }, 'pickup watch failed');
      }
    }
    if (schedule) await this.tracked.schedule(rechecks);
    return watched;
  }
}

/** The figure a pickup watch's outcome counts in. */
const WATCHED_FIGURE = {
  picked_up: 'pickedUp',
  rebooked: 'rebooked',
  booking_failed: 'bookingFailed',
} as const;

/** The shipment as its alerts name it (the buyer's WhatsApp message included). */
const alertShipmentOf = (s: TrackedShipment): AlertShipment => ({
  id: s.id,
  sellerId: s.sellerId,
  reference: s.reference,
  recipientName: s.recipient.name,
  recipientPhone: s.recipient.phone,
  courier: s.courier,
  codAmount: s.codAmount,
});

const courierEvent = (awb: string, e: StoredEvent): TrackingEvent => ({
  awb,
  status: e.status,
  ...(e.reason ? { reason: e.reason } : {}),
  rawCode: e.rawCode,
  rawText: e.rawText,
  occurredAt: e.occurredAt,
  ...(e.location ? { location: e.location } : {}),
  isReturnLeg: e.isReturnLeg,
  ...(e.codCollected !== null ? { codCollected: e.codCollected } : {}),
});
