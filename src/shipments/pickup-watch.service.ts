import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'config';
import { Clock } from 'src/common/clock';
import type { CourierCode, TrackingEvent, TrackResult } from 'src/couriers/courier-adapter';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { Transactions } from 'src/database/transaction';
import { DeliveryStatsService } from 'src/scoring/delivery-stats.service';
import { nextPickupCheck, pickupState } from './pickup-sla';
import { BookedShipmentRow, PickupsRepository } from './pickups.repository';
import { ShipmentsRepository } from './shipments.repository';

/** How long a claimed check is held before another instance may take it (a crashed check comes back). */
const LEASE_MS = 5 * 60_000;

export interface PickupWatchResult {
  checked: number;
  pickedUp: number;
  rebooked: number;
}

/**
 * Watches booked shipments until the courier picks them up. A pickup the courier cancels, or does not
 * make by the pickup deadline, is cancelled at the courier and the shipment goes back to the outbox, where
 * the worker books the next-best courier; the cancelled attempt records why. Pickup reliability (a term of
 * the scoring model) learns from every outcome. The watch cancels under the same claim as a seller's
 * cancel, and never moves a shipment whose cancellation someone else has in flight.
 */
@Injectable()
export class PickupWatch {
  private readonly logger = new Logger(PickupWatch.name);

  constructor(
    private readonly repository: PickupsRepository,
    private readonly shipments: ShipmentsRepository,
    private readonly tx: Transactions,
    private readonly registry: CourierRegistry,
    private readonly stats: DeliveryStatsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Checks every booked shipment whose check is due (as of `asOf`, default now), a batch per courier call. */
  async checkDue(asOf?: Date): Promise<PickupWatchResult> {
    const now = asOf ?? this.clock.now();
    const { checkBatch } = this.config.business.pickups;
    const result: PickupWatchResult = { checked: 0, pickedUp: 0, rebooked: 0 };
    for (;;) {
      const due = await this.tx.run(() =>
        this.repository.claimPickupChecks(now, new Date(now.getTime() + LEASE_MS), checkBatch),
      );
      const byCourier = new Map<string, BookedShipmentRow[]>();
      for (const s of due) {
        const list = byCourier.get(s.courier);
        if (list) list.push(s);
        else byCourier.set(s.courier, [s]);
      }
      await Promise.all(
        [...byCourier].map(([courier, shipments]) =>
          this.checkCourier(courier as CourierCode, shipments, now, result),
        ),
      );
      result.checked += due.length;
      if (due.length < checkBatch) return result;
    }
  }

  private async checkCourier(
    courier: CourierCode,
    shipments: BookedShipmentRow[],
    now: Date,
    result: PickupWatchResult,
  ): Promise<void> {
    let tracked: TrackResult[];
    try {
      tracked = await this.registry.get(courier).track(shipments.map((s) => s.awb));
    } catch (e) {
      // Left claimed: checked again when the lease runs out.
      this.logger.warn({ err: e, courier, shipments: shipments.length }, 'pickup check: tracking failed');
      return;
    }
    const byAwb = new Map(tracked.map((t) => [t.awb, t]));
    for (const s of shipments) {
      const t = byAwb.get(s.awb);
      try {
        const outcome = await this.checkOne(courier, s, t && t.found ? t.events : [], now);
        if (outcome === 'picked_up') result.pickedUp += 1;
        if (outcome === 'rebooked') result.rebooked += 1;
      } catch (e) {
        this.logger.error({ err: e, shipment: s.id }, 'pickup check failed');
      }
    }
  }

  private async checkOne(
    courier: CourierCode,
    s: BookedShipmentRow,
    events: TrackingEvent[],
    now: Date,
  ): Promise<'picked_up' | 'rebooked' | 'waiting'> {
    const found = pickupState(events);
    if (found.state === 'picked_up') return this.pickedUp(courier, s, now, null);
    if (found.state === 'cancelled_by_courier') {
      const message = `${courier} cancelled the order before pickup: ${found.event.rawText}`;
      const why = { kind: 'courier_cancelled', code: found.event.rawCode, message };
      return this.rebook(courier, s, why, now, null);
    }
    if (now < s.pickup_due_at) {
      await this.repository.schedulePickupCheck(
        s.id,
        nextPickupCheck(now, s.pickup_due_at, this.checkEveryMs),
        null,
      );
      return 'waiting';
    }

    // Overdue: cancel at the courier first, so the parcel never has two live airway bills. Claimed like a
    // seller's cancel, so the two never both act; when the seller's is in flight, it decides.
    const claim = new Date(now.getTime() + this.config.business.pickups.cancelClaimSeconds * 1000);
    if (!(await this.shipments.claimCancellation({ id: s.id, awb: s.awb }, now, claim))) return 'waiting';
    const order = { courier, awb: s.awb, reference: s.courier_reference ?? '', service: s.service };
    const cancel = await this.registry
      .get(courier)
      .cancel(order)
      .catch((e: Error) => e);
    if (cancel instanceof Error) {
      await this.shipments.releaseCancellation(s.id, claim);
      this.logger.warn(
        { err: cancel, shipment: s.id },
        'pickup check: cancelling an overdue pickup failed; trying again later',
      );
      return 'waiting';
    }
    if (!cancel.cancelled && cancel.reason === 'already_picked_up')
      return this.pickedUp(courier, s, now, claim);
    if (!cancel.cancelled && cancel.reason === 'refused') {
      // Still live at the courier: re-booking would give the parcel a second airway bill.
      await this.shipments.releaseCancellation(s.id, claim);
      await this.repository.schedulePickupCheck(
        s.id,
        new Date(now.getTime() + this.checkEveryMs),
        'pickup_overdue',
      );
      return 'waiting';
    }
    const last = found.event ? `; the courier's last word: ${found.event.rawText}` : '';
    const message = `${courier} did not pick up by ${s.pickup_due_at.toISOString()}${last}`;
    return this.rebook(
      courier,
      s,
      { kind: 'pickup_missed', code: found.event?.rawCode ?? 'NO_PICKUP_SCAN', message },
      now,
      claim,
    );
  }

  private get checkEveryMs(): number {
    return this.config.business.pickups.checkEveryMinutes * 60_000;
  }

  /** `claim`: the cancellation claim the watch holds on the shipment, if any. */
  private async pickedUp(
    courier: CourierCode,
    s: BookedShipmentRow,
    now: Date,
    claim: Date | null,
  ): Promise<'picked_up' | 'waiting'> {
    if (!(await this.tx.run(() => this.repository.markPickedUp(s.id, s.awb, now, claim)))) return 'waiting';
    await this.stats.recordPickupOutcome(courier, false);
    return 'picked_up';
  }

  private async rebook(
    courier: CourierCode,
    s: BookedShipmentRow,
    why: { kind: string; code: string; message: string },
    now: Date,
    claim: Date | null,
  ): Promise<'rebooked' | 'waiting'> {
    if (!(await this.tx.run(() => this.repository.returnToOutbox(s.id, s.awb, why, now, claim))))
      return 'waiting';
    await this.stats.recordPickupOutcome(courier, true);
    this.logger.log(
      { shipment: s.id, courier, reason: why.kind },
      'pickup cancelled or missed: re-booking with the next-best courier',
    );
    return 'rebooked';
  }
}
