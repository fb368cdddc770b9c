import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from 'config';
import { randomUUID } from 'node:crypto';
import type { Principal } from 'src/common/auth/principal';
import { Clock } from 'src/common/clock';
import type { AppError } from 'src/common/errors/app-error';
import type { CourierCode, CourierOrder, ParcelActionRequest, Place } from 'src/couriers/courier-adapter';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { answerMayBeLost, CourierRejectedError, CourierUnavailableError } from 'src/couriers/courier.errors';
import { CourierLocations } from 'src/couriers/locations';
import { Transactions } from 'src/database/transaction';
import { SellerNotifications } from 'src/sellers/notifications/seller-notifications.service';
import type { Shipment } from 'src/shipments/shipment.entity';
import type { ShipmentStatus } from 'src/shipments/shipment-status';
import { ShipmentsService } from 'src/shipments/shipments.service';
import { TrackedShipments } from 'src/shipments/tracked-shipments.service';
import { AlertsService } from './alerts.service';
import { ShipmentAction } from './shipment-action.entity';
import {
  actionRefusal,
  afterReturnRefusal,
  bookingStanding,
  type BookingStanding,
  isHeld,
  repeatRefusal,
} from './shipment-action-rules';
import { ActionAddressDto, CreateShipmentActionDto, ShipmentActionDto } from './shipment-actions.dto';
import { ActionResult, ShipmentActionsRepository } from './shipment-actions.repository';
import { TrackingPoller } from './tracking-poller.service';
import {
  ActionAlertNotFoundError,
  ActionAlreadyTakenError,
  ActionInProgressError,
  ActionNotAllowedError,
  AddressNotMappedError,
  AddressOutsideCityError,
  ActionRefusedByCourierError,
  ActionSupersededError,
} from './tracking.errors';

export function actionView(a: ShipmentAction): ShipmentActionDto {
  return {
    id: a.id,
    action: a.action,
    status: a.status,
    note: a.note,
    // As a recipient is answered: the district code it resolved to, or none (never null).
    address: a.address && { ...a.address, districtCode: a.address.districtCode ?? undefined },
    confirmedWithBuyer: a.confirmedWithBuyer,
    alertId: a.alertId,
    courier: a.courier,
    awb: a.awb,
    courierReference: a.courierReference,
    error: a.error,
    errorKind: a.errorKind,
    requestedBy: a.requestedBy,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** Who asked, as kept on the action: the user, or the API key an integration called with. */
const requesterOf = (p: Principal): string =>
  p.kind === 'api_key' && p.apiKeyId ? `api_key:${p.apiKeyId}` : `user:${p.userId}`;

/** The complete address the courier is sent: what the seller gave, the recipient's name and phone kept when absent. */
const correctedAddress = (s: Shipment, a: ActionAddressDto): Place => ({
  name: a.name ?? s.recipientName,
  phone: a.phone ?? s.recipientPhone,
  address: a.address,
  district: a.district ?? '',
  city: a.city,
  province: a.province,
  postalCode: a.postalCode,
});

interface Sent {
  action: ShipmentAction;
  /** What the seller is answered when the action failed (the action itself is recorded `failed`). */
  failure: AppError | null;
}

/**
 * Seller actions on a shipment (issue 9 §3): re-attempt, return, address correction, hold. Each is
 * recorded first, `pending` (one at a time per shipment), then sent to the courier outside any
 * transaction, then its outcome recorded: `sent`, `manual` (the courier's API has no such call, so
 * operations arrange it by phone) or `failed`. The seller is told each outcome by webhook
 * (`shipment.action_updated`), written in the outcome's transaction. A pending action whose sender died
 * is sent again by `resumeAbandoned` once its claim runs out.
 */
@Injectable()
export class ShipmentActionsService {
  private readonly logger = new Logger(ShipmentActionsService.name);

  constructor(
    private readonly tx: Transactions,
    private readonly repository: ShipmentActionsRepository,
    private readonly shipments: ShipmentsService,
    private readonly tracked: TrackedShipments,
    private readonly alerts: AlertsService,
    private readonly notifications: SellerNotifications,
    private readonly registry: CourierRegistry,
    private readonly locations: CourierLocations,
    private readonly poller: TrackingPoller,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Records the seller's action and sends it to the shipment's courier. An accepted address correction
   * also becomes the shipment's recipient address. Acting on an alert acknowledges it once the courier
   * took the action (or it is recorded for operations): one the courier refused or never got leaves the
   * alert asking, as nothing was done about it.
   * @throws ShipmentNotFoundError SHIPMENTS_NOT_FOUND (404, also another seller's)
   * @throws ActionAlertNotFoundError ALERTS_NOT_FOUND (404) for an `alertId` not of this shipment
   * @throws ActionNotAllowedError SHIPMENTS_ACTION_NOT_ALLOWED (422) for the shipment's status (judged again
   *   under its lock, after any refresh), or a hold, re-attempt or address correction after a return was
   *   asked (afterReturnRefusal); nothing recorded, the courier not asked
   * @throws ActionInProgressError SHIPMENTS_ACTION_IN_PROGRESS (409) while another action of it is being sent
   * @throws ActionAlreadyTakenError SHIPMENTS_ACTION_ALREADY_TAKEN (409) for an instruction the courier
   *   already has for this booking, or may have (a hold it never answered: repeatRefusal; a return it never
   *   answered may be asked again, the courier's answer telling whether it had the first),
   *   after asking the courier for news where that may change the answer (a re-attempt); nothing recorded,
   *   the courier not asked to act
   * @throws AddressNotMappedError SHIPMENTS_ADDRESS_NOT_MAPPED (422, `address.district`) for a correction its
   *   courier takes by location code without a district, or to one the courier has no code for; nothing recorded
   * @throws ActionRefusedByCourierError SHIPMENTS_ACTION_REFUSED_BY_COURIER (422): recorded `failed`
   * @throws CourierUnavailableError COURIER_UNAVAILABLE (503): recorded `failed`; the seller may ask again
   *   (after checking the shipment when its answer was lost: `errorKind` answer_lost)
   * @throws ActionSupersededError SHIPMENTS_ACTION_SUPERSEDED (409): a correction taken for a booking the
   *   shipment lost meanwhile (re-booked with another courier); recorded `failed`, the seller may ask again.
   *   Also when the shipment was re-booked between being read and the action being recorded (nothing recorded).
   */
  async request(
    sellerId: string,
    shipmentId: string,
    dto: CreateShipmentActionDto,
    by: Principal,
  ): Promise<ShipmentActionDto> {
    const shipment = await this.shipments.find(sellerId, shipmentId);
    if (dto.alertId && !(await this.alerts.isOfShipment(sellerId, shipmentId, dto.alertId)))
      throw new ActionAlertNotFoundError();
    const recorded = await this.repository.ofShipment(shipmentId);
    // Every rule reads the current booking's actions only: another courier's hold or return is not this one's.
    const why = actionRefusal(dto.action, shipment.status, isHeld(recorded, shipment.awb ?? ''));
    if (why) throw new ActionNotAllowedError(why);
    if (!shipment.courier || !shipment.awb)
      throw new ActionNotAllowedError(`${dto.action} needs a booked shipment`); // the statuses above all have one
    const returning = afterReturnRefusal(dto.action, recorded, shipment.awb);
    if (returning) throw new ActionNotAllowedError(returning);
    // A re-attempt that looks like a repeat may answer a failed attempt not polled yet (the buyer or the
    // courier told the seller first): the courier is asked now where it can be (TrackingPoller.refresh).
    if (
      dto.action === 'reattempt' &&
      repeatRefusal(dto.action, recorded, { awb: shipment.awb, failedAttempts: shipment.failedAttempts })
    )
      await this.poller.refresh({
        id: shipment.id,
        courier: shipment.courier as CourierCode,
        awb: shipment.awb,
      });

    const address = dto.address
      ? await this.shipments.canonicalPlace(correctedAddress(shipment, dto.address), 'address')
      : null;
    if (address && !this.shipments.inBookedCity(shipment, address))
      throw new AddressOutsideCityError(shipment.recipientCity);

    const now = this.clock.now();
    const courier = this.registry.get(shipment.courier as CourierCode);
    const manual = !courier.supportsAction(dto.action);
    // A courier that takes the new address by its location code is never sent one it has no code for: the
    // seller is asked for the district (or told the courier does not serve it), and nothing is recorded.
    if (
      address &&
      !manual &&
      courier.addressByLocationCode &&
      !(await this.locations.codeFor(courier.code, address.districtCode))
    )
      throw new AddressNotMappedError(courier.name, Boolean(address.districtCode));
    const action: ShipmentAction = {
      id: randomUUID(),
      sellerId,
      shipmentId,
      action: dto.action,
      note: dto.note ?? null,
      address,
      confirmedWithBuyer: dto.confirmedWithBuyer ?? false,
      alertId: dto.alertId ?? null,
      outcomeUnknown: false,
      status: manual ? 'manual' : 'pending',
      courier: shipment.courier,
      awb: shipment.awb,
      failedAttempts: null, // read under the shipment's lock below
      courierReference: null,
      error: null,
      errorKind: null,
      requestedBy: requesterOf(by),
      sends: manual ? 0 : 1,
      claimedUntil: manual ? null : this.claimFrom(now),
      createdAt: now,
      updatedAt: now,
    };
    await this.tx.run(async () => {
      // One request of the shipment at a time records; the failed attempt it answers is read under it.
      await this.repository.lockShipment(shipmentId);
      const { failedAttempts, status, awb } = await this.shipments.find(sellerId, shipmentId);
      action.failedAttempts = failedAttempts;
      if (!(await this.repository.insert(action))) throw new ActionInProgressError();
      // Read after the insert: an earlier action whose answer was being recorded held the insert back
      // (its pending row) until it was, and is seen here as the courier took it; a repeat rolls back.
      const earlier = (await this.repository.ofShipment(shipmentId)).filter((a) => a.id !== action.id);
      // The shipment may have moved since it was first read (a poll, the refresh above: a return begun, a
      // delivery), or been re-booked: the status and its booking are judged again as they are now.
      const refused =
        actionRefusal(dto.action, status, isHeld(earlier, awb ?? '')) ??
        afterReturnRefusal(dto.action, earlier, awb ?? '');
      if (refused) throw new ActionNotAllowedError(refused);
      if (awb !== action.awb)
        throw new ActionSupersededError(
          'the shipment was re-booked meanwhile; ask again for its new booking',
        );
      const repeat = repeatRefusal(dto.action, earlier, { awb, failedAttempts });
      if (repeat) throw new ActionAlreadyTakenError(repeat);
      if (manual) {
        if (action.alertId) await this.alerts.acknowledgeActedOn(sellerId, action.alertId);
        await this.notify(action, shipment.reference);
      }
    });
    if (manual) return actionView(action);
    const { action: done, failure } = await this.send(action, shipment);
    if (failure) throw failure;
    return actionView(done);
  }

  /**
   * The seller's actions on the shipment, newest first (empty for another seller's), and where they leave its
   * booking (bookingStanding: its airway bill, null when not booked, its failed attempts so far and its
   * status): one read of them for both.
   */
  async ofShipment(
    sellerId: string,
    shipmentId: string,
    booking: { awb: string | null; failedAttempts: number; status: ShipmentStatus },
  ): Promise<{ actions: ShipmentActionDto[] } & BookingStanding> {
    const recorded = await this.repository.forShipment(sellerId, shipmentId);
    return {
      actions: recorded.map(actionView),
      ...bookingStanding([...recorded].reverse(), booking),
    };
  }

  /**
   * Sends again the pending actions whose sender died before recording the courier's answer (their
   * claim ran out); one sent `maxSends` times already, or whose shipment was re-booked meanwhile, is
   * `failed` instead. Whether the courier took the lost send is unknown: a courier that did may now refuse
   * the repeat (e.g. a return already started), and that refusal is what gets recorded.
   * @returns the actions taken up
   */
  async resumeAbandoned(asOf?: Date): Promise<number> {
    const now = asOf ?? this.clock.now();
    const { maxSends, resumeBatch } = this.config.business.sellerActions;
    const claimed = await this.tx.run(() =>
      this.repository.claimAbandoned(now, this.claimFrom(now), resumeBatch),
    );
    for (const action of claimed) {
      // One action's unexpected error leaves it pending (resumed again later), not the others.
      await this.resume(action, maxSends).catch((e: unknown) =>
        this.logger.error({ action: action.id, err: e }, 'resuming a seller action failed'),
      );
    }
    return claimed.length;
  }

  private async resume(action: ShipmentAction, maxSends: number): Promise<void> {
    const shipment = await this.shipments.find(action.sellerId, action.shipmentId);
    if (action.sends > maxSends || shipment.awb !== action.awb) {
      const error =
        shipment.awb !== action.awb
          ? 'interrupted, and the shipment was re-booked meanwhile: not sent again'
          : `interrupted ${maxSends} times: not sent again`;
      await this.record(action, shipment, {
        status: 'failed',
        courierReference: null,
        error,
        errorKind: 'interrupted',
      });
      return;
    }
    this.logger.warn({ action: action.id, sends: action.sends }, 'resuming an abandoned seller action');
    await this.send(action, shipment);
  }

  private claimFrom(now: Date): Date {
    return new Date(now.getTime() + this.config.business.sellerActions.claimSeconds * 1000);
  }

  /**
   * Asks the courier (never retried: a lost answer may mean it was applied) and records the outcome. An
   * unexpected error leaves the action pending, to be resumed once its claim runs out.
   */
  private async send(action: ShipmentAction, shipment: Shipment): Promise<Sent> {
    const courier = this.registry.get(action.courier as CourierCode);
    const order: CourierOrder = {
      courier: courier.code,
      awb: action.awb,
      reference: shipment.courierReference ?? '',
      service: shipment.service ?? '',
    };
    const request: ParcelActionRequest = {
      kind: action.action,
      ...(action.note ? { note: action.note } : {}),
      ...(action.address ? { address: action.address } : {}),
      ...(action.confirmedWithBuyer ? { confirmedWithBuyer: true } : {}),
    };
    let result: ActionResult;
    let failure: AppError | null = null;
    try {
      const outcome = await courier.requestAction(order, request);
      if (outcome.accepted) {
        result = {
          status: 'sent',
          courierReference: outcome.courierReference ?? null,
          error: null,
          errorKind: null,
        };
      } else {
        const words = outcome.rawMessage || outcome.reason;
        result = { status: 'failed', courierReference: null, error: words, errorKind: 'refused' };
        failure = new ActionRefusedByCourierError(courier.name, words);
      }
    } catch (e) {
      if (e instanceof CourierUnavailableError) {
        // Its answer lost (no answer in time, the connection broken once made): the request may have
        // reached the courier and been taken, so the seller is not told nothing changed (and a return it
        // then starts is theirs, not an alert: returnsAsked).
        const unknown = answerMayBeLost(e);
        const lost =
          e.reason === 'timeout'
            ? `${courier.name} did not answer in time`
            : `${courier.name}'s answer was lost (${e.rawCode})`;
        result = {
          status: 'failed',
          courierReference: null,
          error: unknown
            ? `${lost}; it may have taken the ${action.action}: check the shipment before asking again`
            : `${courier.name} could not be reached (${e.reason}); nothing was changed, ask again`,
          errorKind: unknown ? 'answer_lost' : 'unreachable',
        };
        failure = e;
      } else if (e instanceof CourierRejectedError) {
        result = { status: 'failed', courierReference: null, error: e.rawMessage, errorKind: 'refused' };
        failure = new ActionRefusedByCourierError(
          courier.name,
          e.rawMessage,
          e.reason === 'bad_address' ? 'address' : 'action',
        );
      } else throw e;
    }
    const recorded = await this.record(action, shipment, result);
    // Taken over by the resume job meanwhile: its outcome is the action's.
    if (!recorded) return { action: (await this.repository.find(action.id))!, failure: null };
    if (result.status === 'sent' && recorded.status === 'failed')
      failure = new ActionSupersededError(recorded.error ?? 'the shipment was re-booked meanwhile');
    // The courier re-planned the parcel: ask it soon, so the seller sees the effect. One that refused knows
    // something Kirim may not (a return it had already taken, a parcel delivered): ask it soon too.
    if (recorded.status === 'sent' || failure instanceof ActionRefusedByCourierError)
      await this.tracked.pollBy(recorded.shipmentId, this.clock.now());
    return { action: recorded, failure };
  }

  /**
   * Records a pending action's outcome under its claim, with its consequences in the same transaction:
   * an accepted address correction becomes the shipment's, and the seller is told. A correction the
   * courier took for a booking the shipment no longer has (its courier cancelled or missed the pickup,
   * and it was re-booked while the courier was being asked) is recorded failed: the new courier has the
   * old address. Null when the claim is no longer this sender's.
   */
  private record(action: ShipmentAction, shipment: Shipment, result: ActionResult) {
    const now = this.clock.now();
    return this.tx.run(async () => {
      let done = await this.repository.finish(action.id, action.claimedUntil!, result, now);
      if (!done) return null;
      if (done.status === 'sent' && done.action === 'update_address' && done.address) {
        const { sellerId, shipmentId, awb, address } = done;
        if (!(await this.shipments.updateRecipientAddress(sellerId, shipmentId, awb, address, now)))
          done = await this.repository.failSent(done.id, await this.superseded(done), now);
      }
      if (done.status === 'sent' && done.alertId)
        await this.alerts.acknowledgeActedOn(done.sellerId, done.alertId);
      await this.notify(done, shipment.reference);
      return done;
    });
  }

  /** Why a correction taken for the action's booking did not reach the parcel: it has another now. */
  private async superseded(a: ShipmentAction): Promise<string> {
    const took = `${this.registry.get(a.courier as CourierCode).name} took the correction for ${a.awb}`;
    const now = await this.shipments.find(a.sellerId, a.shipmentId);
    return now.awb
      ? `${took}, but the shipment was re-booked meanwhile with ${now.courier} (${now.awb}), which has the old address: ask again`
      : `${took}, but the shipment is being re-booked (the courier dropped that booking): ask again once it is booked`;
  }

  private notify(a: ShipmentAction, reference: string): Promise<string | null> {
    return this.notifications.enqueue(a.sellerId, 'shipment.action_updated', {
      shipmentId: a.shipmentId,
      reference,
      action: {
        id: a.id,
        action: a.action,
        status: a.status,
        courierReference: a.courierReference,
        error: a.error,
        errorKind: a.errorKind,
      },
    });
  }
}
