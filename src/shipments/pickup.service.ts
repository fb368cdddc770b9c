import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { In } from 'typeorm';
import { AppConfig } from 'config';
import { Clock } from 'src/common/clock';
import type { CancelOutcome, CourierCode, CreateOrderRequest } from 'src/couriers/courier-adapter';
import { answerMayBeLost, CourierRejectedError, CourierUnavailableError } from 'src/couriers/courier.errors';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { wibDate } from 'src/common/wib';
import { Transactions } from 'src/database/transaction';
import { DeliveryStatsService } from 'src/scoring/delivery-stats.service';
import { quoteOptions } from 'src/scoring/quotes.service';
import type { ScoredOption } from 'src/scoring/scoring.model';
import { optionKey, RankedShipment, ScoringService } from 'src/scoring/scoring.service';
import { SellersService } from 'src/sellers/sellers.service';
import { ShipmentStateMachine } from './shipment-state-machine';
import type { ShipmentStatus } from './shipment-status';
import {
  AttemptRow,
  attemptCharges,
  attemptView,
  PickupItemRow,
  PickupsRepository,
} from './pickups.repository';
import type { ShipmentCharges } from './shipment-transition';
import { PickupAcceptedDto, PickupDto } from './pickups.dto';
import { nextPickupCheck, pickupDeadline } from './pickup-sla';
import { Shipment } from './shipment.entity';
import { PickupDateNotAllowedError, PickupNotFoundError, ShipmentsNotReadyError } from './shipments.errors';
import type { ShipmentOwnReason } from './shipment-reasons';

const LEASE_MS = 60_000;
/** At most this much of a lease gone, it is not renewed: the rest outlasts one courier (its timed-out order and look-up, ~40 s). */
const LEASE_FRESH_MS = 10_000;
/** Bookings in flight per worker step (each waits on couriers, not on this process). */
const BOOKING_PARALLELISM = 8;
const BOOKABLE: readonly ShipmentStatus[] = ['ready', 'booking_failed'];
/**
 * How long a booking whose couriers failed for now (a timeout, a 5xx, an open circuit, a quote too slow) is
 * tried again, every BOOKING_RETRY_DELAY_MS from when it was first put off, before it fails: a brief outage
 * must not end a booking that has no other courier (one pinned, or a recipient only one courier serves).
 */
const BOOKING_RETRY_WINDOW_MS = 30 * 60_000;
const BOOKING_RETRY_DELAY_MS = 5 * 60_000;
/**
 * A superseded order whose courier could not be reached to cancel it is asked again this often, for this
 * long from its booking: a courier comes for an order within a day or two, and drops one it missed.
 */
const SUPERSEDED_CANCEL_EVERY_MS = 10 * 60_000;
const SUPERSEDED_CANCEL_FOR_MS = 24 * 3600_000;
/** Superseded orders one run asks again, and how long it holds them: each call takes at most about 15 s. */
const SUPERSEDED_CANCEL_BATCH = 5;
const SUPERSEDED_CANCEL_LEASE_MS = 5 * 60_000;
/** Why a courier may be ineligible for now only: asked again later, it may answer. */
const FOR_NOW: ReadonlySet<string> = new Set(['courier_timeout', 'courier_error', 'circuit_open']);
/** How far ahead a pickup day may be requested. */
const MAX_DAYS_AHEAD = 14;

/** Our order reference at the courier for one attempt: ≤ 20 letters and digits, unique per attempt. */
export const attemptReference = (shipmentId: string, attempt: number) =>
  `K${shipmentId.replace(/-/g, '').slice(0, 14).toUpperCase()}${attempt.toString(36).toUpperCase().padStart(2, '0')}`;

/** What the seller pays for an option's service (rupiah): its price, COD fee, cashback and return fee. */
function optionCharges(o: ScoredOption): ShipmentCharges {
  return { shippingFee: o.price, codFee: o.codFee, cashback: o.cashback, returnFee: o.returnFee };
}

/** An attempt whose courier may have the order and could not say: settled by the restart check later. */
const UNSETTLED = Symbol('unsettled');

/**
 * A call Kirim kept from the courier (its circuit open, or this instance's queue of calls to it full): not
 * the courier failing a pickup. Learned as one, an outage would count again at every booking it held, and
 * a busy minute of ours against the courier.
 */
const keptFromCourier = (e: unknown): boolean =>
  e instanceof CourierUnavailableError && (e.reason === 'circuit_open' || e.reason === 'bulkhead_full');

/**
 * Pickups: accepted at once (persisted to an outbox), then booked by a worker that scores the couriers,
 * creates the courier order, requests pickup, records each attempt and fails over to the next-best
 * courier. A crash between "sent" and "saved", an order whose answer was lost and could not be looked up
 * then, or one whose cancel could not reach its courier, is reconciled with the courier by our reference
 * once the item is claimed again.
 */
@Injectable()
export class PickupService {
  private readonly logger = new Logger(PickupService.name);

  constructor(
    private readonly repository: PickupsRepository,
    private readonly tx: Transactions,
    private readonly registry: CourierRegistry,
    private readonly scoring: ScoringService,
    private readonly sellers: SellersService,
    private readonly stats: DeliveryStatsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly stateMachine: ShipmentStateMachine,
  ) {}

  /**
   * Accepts a pickup of the seller's ready shipments: persisted at once (one statement), booked later.
   * @throws ShipmentsNotReadyError PICKUPS_SHIPMENTS_NOT_READY (422) naming each unknown or unready shipment
   * @throws PickupDateNotAllowedError PICKUPS_DATE_NOT_ALLOWED (422) for a day in the past or too far ahead
   */
  async accept(sellerId: string, ids: string[], pickupDate?: string): Promise<PickupAcceptedDto> {
    const now = this.clock.now();
    // As stored and answered everywhere else (an id in capitals is looked up, and answered, in lower case).
    const shipmentIds = ids.map((id) => id.toLowerCase());
    if (pickupDate) {
      const today = wibDate(now);
      if (pickupDate < today) throw new PickupDateNotAllowedError(`is before today (${today}, Asia/Jakarta)`);
      const last = wibDate(new Date(now.getTime() + MAX_DAYS_AHEAD * 86_400_000));
      if (pickupDate > last) throw new PickupDateNotAllowedError(`is more than ${MAX_DAYS_AHEAD} days ahead`);
    }
    // One statement: the pickup, its outbox items and the shipments' move to booking, or none of it.
    const id = randomUUID();
    const moved = await this.stateMachine.transitionMany(
      shipmentIds,
      { to: 'booking', from: BOOKABLE, cause: 'pickup_request', reason: null, at: now, where: { sellerId } },
      this.repository.pickupAlong(sellerId, shipmentIds, BOOKABLE, id, pickupDate ?? null, now),
    );
    if (moved.length !== shipmentIds.length) {
      const statuses = await this.repository.statusesOf(sellerId, shipmentIds);
      const problems = shipmentIds.flatMap((shipmentId, i) => {
        const status = statuses.get(shipmentId);
        if (!status) return [{ field: `shipmentIds.${i}`, message: 'is not one of your shipments' }];
        return BOOKABLE.includes(status as ShipmentStatus)
          ? []
          : [{ field: `shipmentIds.${i}`, message: `is ${status}, not ready to book` }];
      });
      throw new ShipmentsNotReadyError(problems);
    }
    return {
      id,
      status: 'accepted',
      shipments: shipmentIds.map((shipmentId) => ({ shipmentId, status: 'booking' })),
    };
  }

  /** @throws PickupNotFoundError PICKUPS_NOT_FOUND (also another seller's) */
  async view(sellerId: string, id: string): Promise<PickupDto> {
    const pickup = await this.repository.pickup(sellerId, id);
    if (!pickup) throw new PickupNotFoundError();
    const items = await this.repository.itemsOf(id);
    const attempts = await this.repository.attemptsOf(items.map((i) => i.shipment_id));
    return {
      id,
      status: items.some((i) => i.item_status === 'pending') ? 'processing' : 'done',
      pickupDate: pickup.pickup_date,
      createdAt: pickup.created_at.toISOString(),
      shipments: items.map((i) => ({
        shipmentId: i.shipment_id,
        status: i.status,
        courier: i.courier,
        service: i.service,
        awb: i.awb,
        reason: i.reason,
        attempts: attempts.filter((a) => a.shipment_id === i.shipment_id).map(attemptView),
      })),
    };
  }

  /** The worker's step: claims due outbox items and books them, a few at a time. Returns how many it handled. */
  async processDue(limit = 40): Promise<number> {
    // One statement: it commits (or joins an open transaction) without a BEGIN and COMMIT of its own.
    const items = await this.repository.claimDue(limit, this.clock.now(), LEASE_MS);
    if (!items.length) return 0;
    // The claimed items' shipments and earlier attempts, read in two queries for the batch, not two each.
    const ids = items.map((i) => i.shipment_id);
    const shipments = new Map(
      (await this.tx.manager.findBy(Shipment, { id: In(ids) })).map((s) => [s.id, s]),
    );
    const attempts = new Map<string, AttemptRow[]>(ids.map((id) => [id, []]));
    for (const a of await this.repository.attemptsOf(ids)) attempts.get(a.shipment_id)?.push(a);
    // And their recipients' records, which each booking's scoring reads.
    await this.stats.prefetchRecipients([...shipments.values()].map((s) => s.recipientPhone));
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const item = items[next++];
        try {
          await this.book(item, shipments.get(item.shipment_id) ?? null, attempts.get(item.shipment_id)!);
        } catch (e) {
          // Left pending with its lease: it is retried when the lease expires.
          this.logger.error({ err: e, item: item.id }, 'booking a pickup item failed unexpectedly');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BOOKING_PARALLELISM, items.length) }, worker));
    return items.length;
  }

  /**
   * What the trigger runs: superseded orders due another cancellation are asked first (not counted: they
   * book nothing), then it keeps booking while work is due, for up to `budgetMs`.
   */
  async drainDue(budgetMs = 5000): Promise<number> {
    const until = performance.now() + budgetMs;
    await this.retrySupersededCancels();
    let total = 0;
    for (let n = -1; n !== 0 && performance.now() < until; total += n) n = await this.processDue();
    return total;
  }

  /** Books one claimed item; `shipment` and `attempts` (in order) as read when it was claimed. */
  private async book(item: PickupItemRow, shipment: Shipment | null, attempts: AttemptRow[]): Promise<void> {
    if (!shipment || shipment.status !== 'booking') {
      await this.repository.skipItem(item.id, this.clock.now());
      return;
    }
    const request = this.orderRequest(shipment, '', '', item.pickup_date);
    /** Services whose order, left started, the courier did not have when asked again now. */
    const reconciledNow = new Set<string>();
    /**
     * Services whose order, found again, failed its pickup now: not ordered again in this run (the order may
     * be live still, its courier refusing to cancel it: a second order would be a second airway bill there).
     * The next try reads from the attempt how it failed.
     */
    const failedOnReconcile = new Set<string>();

    // An attempt left started (a crash after it was written, an order whose answer was lost and whose
    // look-up failed, or one whose pickup failed and whose cancel could not reach the courier): ask the
    // courier before sending anything again.
    for (const open of attempts.filter((a) => a.status === 'started')) {
      const found = await this.registry
        .get(open.courier as CourierCode)
        .findByReference(open.reference)
        .catch(() => undefined);
      if (found === undefined) return; // courier unreachable: keep the item pending, retry after the lease
      // The look-up may have outlived the lease (or the item waited in this batch past it): a worker that took
      // the item over meanwhile has reconciled this attempt, and a second pickup request refused (or timed
      // out) here would cancel the order its booking holds.
      if (!(await this.renewLease(item))) return;
      if (found) {
        // The crash may have come between the order and its pickup request (JNE books the pickup by a call
        // of its own): asked again, which a courier that has it already takes as done.
        const request = this.orderRequest(shipment, open.service, open.reference, item.pickup_date);
        const courier = open.courier as CourierCode;
        const awb = await this.pickupOrCancel(
          { courier, service: open.service },
          found.awb,
          request,
          open.id,
        );
        if (awb === UNSETTLED) return;
        if (awb) {
          await this.finishBooked(item, shipment, open, awb, attemptCharges(open), null);
          return;
        }
        open.status = 'failed';
        failedOnReconcile.add(`${open.courier}:${open.service}`);
        continue;
      }
      await this.repository.finishAttempt(
        open.id,
        {
          status: 'failed',
          errorKind: 'reconciled',
          errorMessage: 'not found at the courier when looked up again',
        },
        this.clock.now(),
      );
      reconciledNow.add(`${open.courier}:${open.service}`);
      open.status = 'failed';
    }

    const settings = await this.sellers.settings(shipment.sellerId);
    const ranked = await this.scoring.rank(
      {
        origin: shipment.origin,
        destination: request.recipient,
        parcel: request.parcel,
        codAmount: shipment.codAmount,
        recipientPhone: shipment.recipientPhone,
      },
      { preset: settings.scoringPreset, lostMarginPerFailure: settings.lostMarginPerFailure },
    );
    // Within this outbox item: a service that refused is not tried again, nor one whose failed attempt
    // keeps a live order (its courier would not cancel it): a second order would be a second airway bill.
    // One that failed for now is tried again at the next try (an order not found now, at the next courier
    // first). A courier that cancelled or missed the pickup is dropped altogether. A new pickup request
    // starts afresh.
    const ours = attempts.filter((a) => a.pickup_item_id === item.id);
    const tried = new Set([
      ...reconciledNow,
      ...failedOnReconcile,
      ...ours
        .filter((a) => a.status === 'failed' && (a.error_kind === 'permanent' || a.awb !== null))
        .map((a) => `${a.courier}:${a.service}`),
      // An order made by a worker that lost the shipment to another, not (yet) cancelled at its courier: live
      // there, so a re-booking (the item made pending again) orders nothing beside it.
      ...ours
        .filter((a) => a.status === 'booked' && a.error_kind === 'superseded')
        .map((a) => `${a.courier}:${a.service}`),
    ]);
    // A booking cancelled as superseded (another worker had booked the shipment) says nothing of its courier.
    const dropped = new Set(
      ours.filter((a) => a.status === 'cancelled' && a.error_kind !== 'superseded').map((a) => a.courier),
    );
    const open = (o: ScoredOption) =>
      !tried.has(`${o.courier}:${o.service}`) &&
      !dropped.has(o.courier) &&
      (!shipment.requestedCourier ||
        (o.courier === shipment.requestedCourier && o.service === shipment.requestedService));
    const candidates = ranked.options.filter((o) => o.eligible && open(o));
    let failedForNow =
      reconciledNow.size > 0 ||
      failedOnReconcile.size > 0 ||
      ranked.options.some(
        (o) => !o.eligible && o.ineligibleReason !== undefined && FOR_NOW.has(o.ineligibleReason) && open(o),
      );
    let attemptNo = attempts.length;
    for (const option of candidates) {
      // Each courier may take its timeouts and retries: the item stays this worker's while it fails over,
      // and one taken over meanwhile (a call outlived the lease) is the other worker's to finish.
      if (!(await this.renewLease(item))) return;
      attemptNo += 1;
      const reference = attemptReference(shipment.id, attemptNo);
      const attemptId = await this.repository.startAttempt({
        shipmentId: shipment.id,
        itemId: item.id,
        courier: option.courier,
        service: option.service,
        reference,
        charges: optionCharges(option),
        now: this.clock.now(),
      });
      // A courier failing again at a later try of the same booking is one outage, learned once.
      const awb = await this.tryCourier(
        option,
        this.orderRequest(shipment, option.service, reference, item.pickup_date),
        attemptId,
        item.retrying_since === null,
      );
      // The item stays pending, looked up again after the lease, for as long as the courier cannot say.
      if (awb === UNSETTLED) return;
      if (awb === null) failedForNow ||= (await this.repository.attemptKind(attemptId)) === 'retriable';
      if (awb) {
        await this.finishBooked(
          item,
          shipment,
          { id: attemptId, courier: option.courier, service: option.service, reference },
          awb,
          optionCharges(option),
          { ranked, chosen: option },
        );
        return;
      }
    }
    const now = this.clock.now();
    const since = item.retrying_since ?? now;
    if (failedForNow && now.getTime() - since.getTime() < BOOKING_RETRY_WINDOW_MS) {
      await this.repository.retryAt(
        item.id,
        item.claimed_until,
        new Date(now.getTime() + BOOKING_RETRY_DELAY_MS),
        now,
      );
      return;
    }
    const reason: ShipmentOwnReason =
      candidates.length || ours.length ? 'all_couriers_failed' : 'no_eligible_courier';
    // One statement, and only while the item is still this worker's: one whose lease ran out while its last
    // courier answered may have been taken over, and the new owner may be booking with a courier this one
    // never had (a quote that failed here answered there).
    await this.stateMachine.transitionMany(
      [shipment.id],
      { to: 'booking_failed', from: ['booking'], cause: 'booking_failed', reason, at: now },
      this.repository.failedAlong(item.id, item.claimed_until, now),
    );
  }

  /**
   * Extends the item's lease from now; false when it is no longer this worker's. A lease still nearly whole
   * (the first courier, just after the claim) is left as it is: a statement saved on almost every booking.
   */
  private async renewLease(item: PickupItemRow): Promise<boolean> {
    const now = this.clock.now().getTime();
    if (item.claimed_until.getTime() - now >= LEASE_MS - LEASE_FRESH_MS) return true;
    const until = new Date(now + LEASE_MS);
    if (!(await this.repository.renewClaim(item.id, item.claimed_until, until))) return false;
    item.claimed_until = until;
    return true;
  }

  /**
   * One courier: create the order, request pickup. Returns the AWB, or null after recording why not, or
   * UNSETTLED when the courier may have the order and cannot say: the attempt stays started, for the
   * restart check (book) to look it up once the item is claimed again.
   */
  private async tryCourier(
    option: ScoredOption,
    request: CreateOrderRequest,
    attemptId: string,
    /** Whether a failure of the courier's is learned (pickup reliability). */
    learn: boolean,
  ): Promise<string | null | typeof UNSETTLED> {
    const courier = this.registry.get(option.courier);
    const fail = (kind: string, code: string, message: string, courierFailed = true) =>
      this.failAttempt(option.courier, attemptId, kind, code, message, {
        courierFailed: courierFailed && learn,
      });
    let awb: string;
    try {
      awb = (await courier.createOrder(request)).awb;
    } catch (e) {
      if (e instanceof CourierUnavailableError && answerMayBeLost(e)) {
        // The courier may have created it before its answer was lost: look before moving on. A look that
        // fails too (right after a reset, often the same) proves nothing: another courier now could leave
        // this one's order live beside its own.
        const found = await courier.findByReference(request.reference).catch(() => undefined);
        if (found === undefined) {
          this.logger.warn(
            { courier: option.courier, reference: request.reference },
            'a courier order whose answer was lost could not be looked up; looked up again after the lease',
          );
          return UNSETTLED;
        }
        if (!found) {
          // Asked at once, a courier still making the order (its answer was only late) has none yet: not
          // proof that it never will. Another courier now could come for the parcel beside it.
          this.logger.warn(
            { courier: option.courier, reference: request.reference },
            'a courier order whose answer was lost was not found at once; looked up again after the lease',
          );
          return UNSETTLED;
        }
        awb = found.awb;
      } else if (e instanceof CourierUnavailableError)
        return fail('retriable', e.rawCode, e.message, !keptFromCourier(e));
      else if (e instanceof CourierRejectedError)
        return fail('permanent', `${e.reason}:${e.rawCode}`, e.rawMessage);
      else throw e;
    }
    return this.pickupOrCancel(option, awb, request, attemptId, learn);
  }

  /**
   * Requests the pickup of a created order: its airway bill, or null after cancelling the order and
   * recording why (an order without a pickup is useless, and the parcel must never have two live ones).
   * A cancel that could not reach the courier leaves the order perhaps live, its pickup perhaps booked:
   * UNSETTLED, so the restart check asks the courier again after the lease, and no other courier is sent
   * meanwhile. A courier that has the parcel already, or keeps the order after a pickup request whose
   * answer was lost (it may come), is this booking: its airway bill (the pickup watch re-books one not
   * picked up in time). One that keeps the order after a pickup request it refused (or never got) will not
   * come: null, the airway bill kept on the failed attempt, so a scan of it still reaches the seller.
   */
  private async pickupOrCancel(
    option: Pick<ScoredOption, 'courier' | 'service'>,
    awb: string,
    request: CreateOrderRequest,
    attemptId: string,
    /** Whether a failure of the courier's is learned (pickup reliability). */
    learn = true,
  ): Promise<string | null | typeof UNSETTLED> {
    const courier = this.registry.get(option.courier);
    const order = { courier: option.courier, awb, reference: request.reference, service: option.service };
    try {
      await courier.requestPickup(order, request);
      return awb;
    } catch (e) {
      const error = e as CourierUnavailableError | CourierRejectedError;
      const asked = await courier.cancel(order).then(
        (outcome): { outcome: CancelOutcome } | { err: unknown } => ({ outcome }),
        (err: unknown) => ({ err }),
      );
      const context = { courier: option.courier, awb, reference: request.reference };
      if ('err' in asked && asked.err instanceof CourierUnavailableError) {
        this.logger.warn(
          { ...context, err: asked.err },
          'a courier order whose pickup request failed could not be cancelled; asked again after the lease',
        );
        return UNSETTLED;
      }
      const outcome = 'outcome' in asked ? asked.outcome : null;
      if (outcome?.cancelled === false && outcome.reason === 'already_picked_up') return awb;
      const released =
        outcome?.cancelled || outcome?.reason === 'already_cancelled' || outcome?.reason === 'not_found';
      // Refused (an answer, or an error other than the courier being out of reach): the order stays live.
      const refusal = released
        ? null
        : outcome
          ? outcome.rawMessage
          : String((asked as { err: unknown }).err);
      if (refusal !== null) {
        const mayCome = error instanceof CourierUnavailableError && answerMayBeLost(error);
        this.logger.error(
          { ...context, refusal },
          mayCome
            ? 'a courier refused to cancel an order whose pickup request may have been taken: booked with it'
            : 'a courier order whose pickup request failed is still live at its courier: it refused to cancel',
        );
        if (mayCome) return awb;
      }
      return this.failAttempt(
        option.courier,
        attemptId,
        error instanceof CourierRejectedError ? 'permanent' : 'retriable',
        String(error.rawCode ?? 'PICKUP'),
        `pickup request failed: ${error.message}${refusal === null ? '' : `; the order could not be cancelled (${refusal})`}`,
        { awb: refusal === null ? undefined : awb, courierFailed: learn && !keptFromCourier(error) },
      );
    }
  }

  private async failAttempt(
    courier: CourierCode,
    attemptId: string,
    kind: string,
    code: string,
    message: string,
    {
      awb,
      courierFailed,
    }: {
      /** The airway bill of an order the courier keeps live. */
      awb?: string;
      /** Whether the courier failed, learned as such; not when Kirim kept the call from it. */
      courierFailed: boolean;
    },
  ): Promise<null> {
    await this.repository.finishAttempt(
      attemptId,
      { status: 'failed', awb, errorKind: kind, errorCode: code, errorMessage: message },
      this.clock.now(),
    );
    if (courierFailed) await this.stats.recordPickupOutcome(courier, true);
    return null;
  }

  private async finishBooked(
    item: PickupItemRow,
    shipment: Shipment,
    attempt: Pick<AttemptRow, 'id' | 'courier' | 'service' | 'reference'>,
    awb: string,
    charges: ShipmentCharges | null,
    decision: { ranked: RankedShipment; chosen: ScoredOption } | null,
  ): Promise<void> {
    const now = this.clock.now();
    // Whether the pickup is then made (or the courier is dropped) is the pickup watch's to find out.
    const due = pickupDeadline(now, item.pickup_date, this.config.pickupSlaHours);
    // One statement: the attempt and the outbox item finish with the move.
    const moved = await this.stateMachine.transitionMany(
      [shipment.id],
      {
        to: 'booked',
        from: ['booking'],
        cause: 'booking',
        reason: null,
        at: now,
        set: {
          courier: attempt.courier,
          service: attempt.service,
          awb,
          courierReference: attempt.reference,
          ...(decision
            ? { decision: this.decision(decision.ranked, decision.chosen, now), ...quotedEta(decision) }
            : {}),
          ...(charges ?? {}),
          pickupDueAt: due,
          nextPollAt: nextPickupCheck(now, due, this.config.business.pickups.checkEveryMinutes * 60_000),
        },
      },
      this.repository.bookedAlong(attempt.id, awb, item.id, now),
    );
    if (!moved.length) await this.cancelSuperseded(shipment.id, attempt, awb);
  }

  /** Asks the couriers of superseded orders due another try to cancel them (a few at a time). */
  private async retrySupersededCancels(): Promise<void> {
    const now = this.clock.now();
    const claim = new Date(now.getTime() + SUPERSEDED_CANCEL_LEASE_MS);
    const due = await this.repository.claimCancelRetries(now, claim, SUPERSEDED_CANCEL_BATCH);
    for (const a of due) {
      try {
        await this.cancelSuperseded(a.shipment_id, a, a.awb!, { since: a.started_at, claim });
      } catch (e) {
        // Left claimed: asked again when the claim runs out, until the day is over.
        this.logger.error({ err: e, attempt: a.id }, 'asking again to cancel a superseded booking failed');
        if (this.clock.now().getTime() - a.started_at.getTime() >= SUPERSEDED_CANCEL_FOR_MS)
          await this.repository
            .supersededLive(a.id, givenUpWhy('its cancellation kept failing'), null, claim)
            .catch(() => undefined);
      }
    }
  }

  /**
   * A booking that lost the shipment to another worker (this one's lease ran out while its courier was
   * answering, and the item was taken over): unless the shipment was booked with this very order (found
   * by our reference), the order is cancelled at its courier, so the parcel never has two live airway
   * bills and no second courier comes for it. A courier that cannot be reached is asked again every ten
   * minutes for a day from the booking (`retry`: its booking and the retry's claim; none on the first try,
   * made just now).
   */
  private async cancelSuperseded(
    shipmentId: string,
    attempt: Pick<AttemptRow, 'id' | 'courier' | 'service' | 'reference'>,
    awb: string,
    retry?: { since: Date; claim: Date },
  ): Promise<void> {
    const current = await this.tx.manager.findOneBy(Shipment, { id: shipmentId });
    if (current?.awb === awb) {
      // Booked with this very order after all: nothing to cancel, nothing to ask again.
      if (retry) await this.repository.notSuperseded(attempt.id, retry.claim);
      return;
    }
    const courier = attempt.courier as CourierCode;
    const lost = current?.awb
      ? `booked after the shipment was booked with ${current.courier} (${current.awb})`
      : `booked after the shipment had become ${current?.status ?? 'unknown'}`;
    const outcome = await this.registry
      .get(courier)
      .cancel({ courier, awb, reference: attempt.reference, service: attempt.service })
      .catch((e: unknown) => {
        this.logger.error(
          { err: e, shipment: shipmentId, courier, awb },
          'a superseded booking could not be cancelled',
        );
        // Thrown, even as a rejection (credentials refused, a gateway's page, a 4xx its adapter could not read
        // as a cancel outcome), it is asked again: only an answer worded as a cancel outcome is final.
        return null;
      });
    const now = this.clock.now();
    if (!outcome) {
      const givenUp =
        retry !== undefined && now.getTime() - retry.since.getTime() >= SUPERSEDED_CANCEL_FOR_MS;
      if (givenUp)
        this.logger.error(
          { shipment: shipmentId, courier, awb },
          'a superseded booking is given up on: its courier was not reached to cancel it for a day',
        );
      await this.repository.supersededLive(
        attempt.id,
        givenUp
          ? givenUpWhy(`${lost}: its courier could not be reached to cancel it for a day`)
          : {
              code: 'SUPERSEDED_CANCEL_PENDING',
              message: `${lost}: its courier could not be reached to cancel it; Kirim asks again every 10 minutes`,
            },
        givenUp ? null : new Date(now.getTime() + SUPERSEDED_CANCEL_EVERY_MS),
        retry?.claim,
      );
      return;
    }
    // Not cancelled (picked up already, or refused): the courier still holds the order, and the attempt keeps
    // saying it is booked; operations are told, as a second courier may come for the parcel. One the courier
    // does not know (or cancelled already) holds nothing.
    if (!outcome.cancelled && outcome.reason !== 'already_cancelled' && outcome.reason !== 'not_found') {
      this.logger.error(
        { shipment: shipmentId, courier, awb, reason: outcome.reason, message: outcome.rawMessage },
        'a superseded booking is still live at its courier',
      );
      await this.repository.supersededLive(
        attempt.id,
        {
          code: 'SUPERSEDED_LIVE',
          message: `${lost}: its courier did not cancel it (${outcome.reason}), the order is live there`,
        },
        null,
        retry?.claim,
      );
      return;
    }
    await this.repository.finishAttempt(
      attempt.id,
      {
        status: 'cancelled',
        awb,
        errorKind: 'superseded',
        errorCode: 'SUPERSEDED',
        errorMessage: `${lost}: cancelled at the courier`,
      },
      now,
    );
  }

  /** Everything needed to answer "why this courier, and what would the next one have cost?". */
  private decision(ranked: RankedShipment, chosen: ScoredOption, at: Date): Record<string, unknown> {
    const pick = (o: ScoredOption | null) =>
      o ? { courier: o.courier, service: o.service, expectedCost: o.expectedCost, score: o.score } : null;
    return {
      at: at.toISOString(),
      preset: ranked.preset,
      modelVersion: ranked.modelVersion,
      winner: pick(ranked.winner),
      runnerUp: pick(ranked.runnerUp),
      booked: pick(chosen),
      candidates: quoteOptions(ranked),
    };
  }

  private orderRequest(
    s: Shipment,
    service: string,
    reference: string,
    pickupDate: string | null,
  ): CreateOrderRequest {
    return {
      reference,
      service,
      // A snapshot taken before the directory has no district code: couriers needing codes refuse it.
      sender: { ...s.origin, districtCode: s.origin.districtCode ?? null },
      recipient: {
        name: s.recipientName,
        phone: s.recipientPhone,
        address: s.recipientAddress,
        district: s.recipientDistrict,
        city: s.recipientCity,
        province: s.recipientProvince,
        postalCode: s.recipientPostalCode,
        districtCode: s.recipientDistrictCode,
      },
      parcel: {
        weightGrams: s.weightGrams,
        ...(s.lengthCm ? { lengthCm: s.lengthCm } : {}),
        ...(s.widthCm ? { widthCm: s.widthCm } : {}),
        ...(s.heightCm ? { heightCm: s.heightCm } : {}),
        ...(s.itemValue !== null ? { itemValue: s.itemValue } : {}),
        ...(s.description ? { description: s.description } : {}),
      },
      codAmount: s.codAmount,
      pickup: true,
      ...(pickupDate ? { pickupDate } : {}),
    };
  }
}

/**
 * The booked option's quoted transit days, as its decision records them (`etaDays` of its candidate): kept
 * in columns of their own for the tracker. Days a courier gave that are not whole numbers in order are not
 * kept (the tracker then goes by the catalogue's promise), as the migration treats older decisions.
 */
export function quotedEta(d: {
  ranked: Pick<RankedShipment, 'promised'>;
  chosen: Pick<ScoredOption, 'courier' | 'service'>;
}) {
  const days = d.ranked.promised.get(optionKey(d.chosen.courier, d.chosen.service));
  const whole = (n: number) => Number.isInteger(n) && n >= 0 && n <= 9999;
  return days && whole(days.min) && whole(days.max) && days.min <= days.max
    ? { quotedEtaMinDays: days.min, quotedEtaMaxDays: days.max }
    : { quotedEtaMinDays: null, quotedEtaMaxDays: null };
}

/** A superseded order Kirim stopped asking its courier to cancel: live there, as far as Kirim knows. */
const givenUpWhy = (message: string) => ({
  code: 'SUPERSEDED_GIVEN_UP',
  message: `${message}; Kirim asks no more`,
});
