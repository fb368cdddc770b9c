import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'config';
import type { CourierCode, TrackingEvent } from 'src/couriers/courier-adapter';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { Transactions } from 'src/database/transaction';
import { DeliveryStatsService } from 'src/scoring/delivery-stats.service';
import { nextPickupCheck, pickupState } from './pickup-sla';
import { PickupsRepository } from './pickups.repository';
import { NO_CHARGES } from './shipment-transition';
import { ShipmentStateMachine } from './shipment-state-machine';
import { ShipmentsRepository } from './shipments.repository';
import { CANCELLED_BY_SELLER, type ShipmentOwnReason } from './shipment-reasons';

/** A booked shipment as the tracker hands it over after applying the courier's events. */
export interface BookedShipment {
  id: string;
  courier: CourierCode;
  service: string;
  awb: string;
  /** Our order reference at the courier (J&T cancels by it). */
  courierReference: string | null;
  pickupDueAt: Date;
  /** The seller pinned its courier service: no other courier may be booked in its place. */
  pinned: boolean;
}

export type PickupAssessment =
  /** `booking_failed`: pinned, its courier's failure ended the booking (the seller books it again). */
  /** `cancelled`: the seller had asked to cancel it (the courier's answer lost), and the courier has. */
  | { outcome: 'picked_up' | 'rebooked' | 'booking_failed' | 'cancelled' }
  /** Still waiting for the courier: ask again by `recheckAt`. */
  | { outcome: 'waiting'; recheckAt: Date; reason?: string };

/**
 * Watches a booked shipment until the courier picks it up; the tracker's poll brings the courier's
 * events (one claim, one tracking call per airway bill per cycle). A pickup the courier cancels, or does
 * not make by the pickup deadline, is cancelled at the courier and the shipment goes back to the outbox,
 * where the worker books the next-best courier; the cancelled attempt records why. A shipment pinned to
 * that courier's service has no next-best courier: its booking fails at once with a reason saying so,
 * rather than going round the worker to a misleading `all_couriers_failed`. Pickup reliability (a
 * term of the scoring model) learns from every outcome. The watch cancels under the same claim as a
 * seller's cancel, and never moves a shipment whose cancellation someone else has in flight.
 */
@Injectable()
export class PickupWatch {
  private readonly logger = new Logger(PickupWatch.name);

  constructor(
    private readonly repository: PickupsRepository,
    private readonly shipments: ShipmentsRepository,
    private readonly stateMachine: ShipmentStateMachine,
    private readonly tx: Transactions,
    private readonly registry: CourierRegistry,
    private readonly stats: DeliveryStatsService,
    private readonly config: AppConfig,
  ) {}

  /** What to do about a shipment still booked after its courier's latest events (`events`: all of them). */
  async assess(s: BookedShipment, events: TrackingEvent[], now: Date): Promise<PickupAssessment> {
    const found = pickupState(events);
    if (found.state === 'cancelled_by_courier') {
      const message = `${s.courier} cancelled the order before pickup: ${found.event.rawText}`;
      const why = { kind: 'courier_cancelled' as const, code: found.event.rawCode, message };
      return this.rebook(s, why, now, null);
    }
    if (now < s.pickupDueAt) return { outcome: 'waiting', recheckAt: this.recheck(now, s.pickupDueAt) };

    // Overdue: cancel at the courier first, so the parcel never has two live airway bills. Claimed like a
    // seller's cancel, so the two never both act; when the seller's is in flight, it decides.
    const claim = new Date(now.getTime() + this.config.business.pickups.cancelClaimSeconds * 1000);
    const later = { outcome: 'waiting', recheckAt: new Date(now.getTime() + this.checkEveryMs) } as const;
    if (!(await this.shipments.claimCancellation({ id: s.id, awb: s.awb }, now, claim))) return later;
    const order = { courier: s.courier, awb: s.awb, reference: s.courierReference ?? '', service: s.service };
    const cancel = await this.registry
      .get(s.courier)
      .cancel(order)
      .catch((e: Error) => e);
    if (cancel instanceof Error) {
      await this.shipments.releaseCancellation(s.id, claim);
      this.logger.warn(
        { err: cancel, shipment: s.id },
        'pickup check: cancelling an overdue pickup failed; trying again later',
      );
      return later;
    }
    if (!cancel.cancelled && cancel.reason === 'already_picked_up') {
      const moved = await this.stateMachine.transition(s.id, {
        to: 'picked_up',
        from: ['booked'],
        cause: 'pickup_watch',
        reason: null,
        at: now,
        where: { awb: s.awb, cancelClaim: { claim, now } },
      });
      return moved ? { outcome: 'picked_up' } : later;
    }
    if (!cancel.cancelled && cancel.reason === 'refused') {
      // Still live at the courier: re-booking would give the parcel a second airway bill.
      await this.shipments.releaseCancellation(s.id, claim);
      return { ...later, reason: 'pickup_overdue' };
    }
    const last = found.event ? `; the courier's last word: ${found.event.rawText}` : '';
    const message = `${s.courier} did not pick up by ${s.pickupDueAt.toISOString()}${last}`;
    return this.rebook(
      s,
      { kind: 'pickup_missed', code: found.event?.rawCode ?? 'NO_PICKUP_SCAN', message },
      now,
      claim,
    );
  }

  private recheck(now: Date, due: Date): Date {
    return nextPickupCheck(now, due, this.checkEveryMs);
  }

  private get checkEveryMs(): number {
    return this.config.business.pickups.checkEveryMinutes * 60_000;
  }

  /**
   * Re-books a shipment whose courier cancelled or missed the pickup, or, pinned to that courier's
   * service, fails its booking. `claim`: the cancellation claim the watch holds on the shipment, if any.
   */
  private async rebook(
    s: BookedShipment,
    why: {
      kind: Extract<ShipmentOwnReason, 'pickup_missed' | 'courier_cancelled'>;
      code: string;
      message: string;
    },
    now: Date,
    claim: Date | null,
  ): Promise<PickupAssessment> {
    // The seller asked to cancel and the courier's answer was lost: the courier's cancellation, or the one
    // the watch just made, is the seller's. Nothing is booked in its place and the courier is not blamed.
    const sellerCancelled = await this.stateMachine.transition(s.id, {
      to: 'cancelled',
      from: ['booked'],
      cause: 'seller_cancel',
      reason: CANCELLED_BY_SELLER,
      at: now,
      where: { awb: s.awb, cancelClaim: { claim, now }, cancelRequested: true },
    });
    if (sellerCancelled) {
      this.logger.log(
        { shipment: s.id, courier: s.courier },
        'the seller asked to cancel (the courier’s answer lost) and the courier has: cancelled',
      );
      return { outcome: 'cancelled' };
    }
    const moved = await this.tx.run(async () => {
      const move = await this.stateMachine.transition(s.id, {
        to: s.pinned ? 'booking_failed' : 'booking',
        from: ['booked'],
        cause: 'pickup_watch',
        reason: s.pinned ? PINNED_FAILURE[why.kind] : why.kind,
        at: now,
        where: { awb: s.awb, cancelClaim: { claim, now } },
        // The booking undone whole: its decision and quoted days too, or a booking the restart check makes
        // (which has no ranking of its own) would keep this courier's, and its late alerts by them.
        set: {
          courier: null,
          service: null,
          awb: null,
          courierReference: null,
          decision: null,
          quotedEtaMinDays: null,
          quotedEtaMaxDays: null,
          pickupDueAt: null,
          ...NO_CHARGES,
        },
      });
      if (move)
        await this.repository.cancelBookedAttempt(s.id, s.awb, why, now, s.pinned ? 'failed' : 'rebook');
      return move;
    });
    if (!moved) return { outcome: 'waiting', recheckAt: new Date(now.getTime() + this.checkEveryMs) };
    await this.stats.recordPickupOutcome(s.courier, true);
    if (s.pinned) {
      this.logger.log(
        { shipment: s.id, courier: s.courier, reason: why.kind },
        'pickup cancelled or missed by the pinned courier: booking failed',
      );
      return { outcome: 'booking_failed' };
    }
    this.logger.log(
      { shipment: s.id, courier: s.courier, reason: why.kind },
      'pickup cancelled or missed: re-booking with the next-best courier',
    );
    return { outcome: 'rebooked' };
  }
}

/** Why a pinned shipment's booking failed, by what its courier did. */
const PINNED_FAILURE: Record<'pickup_missed' | 'courier_cancelled', ShipmentOwnReason> = {
  pickup_missed: 'pinned_courier_missed_pickup',
  courier_cancelled: 'pinned_courier_cancelled',
};
