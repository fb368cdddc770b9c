import { instantOf, windowEndOf } from 'src/common/wib';
import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { randomUUID } from 'node:crypto';
import { Clock } from 'src/common/clock';
import { checkTimeRange } from 'src/common/time-range';
import { Page, paginate } from 'src/common/pagination';
import type { CourierCode, CourierServiceInfo, Place } from 'src/couriers/courier-adapter';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { CourierLocations } from 'src/couriers/locations';
import { describeRefusal, serviceRefusal, ServiceRefusal } from 'src/couriers/service-limits';
import { Transactions } from 'src/database/transaction';
import { AreaUnresolvedError } from 'src/areas/areas.errors';
import { AreasService, regencyOf, type ResolvedPlace } from 'src/areas/areas.service';
import { AddressesService } from 'src/sellers/addresses.service';
import type { PickupAddress } from 'src/sellers/pickup-address.entity';
import { Shipment } from './shipment.entity';
import { ShipmentStateMachine } from './shipment-state-machine';
import { CANCELLABLE_BEFORE_BOOKING } from './shipment-status';
import {
  BookedShipmentDto,
  CreateShipmentDto,
  ListShipmentsQueryDto,
  ScoringDecisionDto,
  ShipmentDto,
} from './shipments.dto';
import { attemptView, carriedByEarlierBookingView, PickupsRepository } from './pickups.repository';
import {
  ChargedEndedRow,
  CodCollectedChangedRow,
  ShipmentsRepository,
  type ShipmentSummaryRow,
} from './shipments.repository';
import { CANCELLED_BY_SELLER } from './shipment-reasons';
import { answerMayBeLost, CourierUnavailableError } from 'src/couriers/courier.errors';

export type { ChargedEndedRow, CodCollectedChangedRow } from './shipments.repository';
import {
  CancellationInProgressError,
  CannotCancelError,
  NoCourierCarriesError,
  ReferenceTakenError,
  ShipmentNotFoundError,
} from './shipments.errors';

const UNIQUE_VIOLATION = '23505';

/** What the seller's monitoring shows from the shipments (see ShipmentsService.monitoring). */
export interface ShipmentFigures {
  byStatus: Record<string, number>;
  couriers: {
    courier: string;
    /** Shipments that ended in the window. */
    shipments: number;
    delivered: number;
    returned: number;
    lost: number;
    /** Of the ended ones, 0..1; null when none ended. */
    successRate: number | null;
    returnRate: number | null;
    avgTransitDays: number | null;
  }[];
}

export function shipmentView(s: Shipment): ShipmentDto {
  return {
    id: s.id,
    reference: s.reference,
    status: s.status,
    reason: s.reason,
    attempts: s.attempts,
    codCollected: s.codCollected,
    risk: s.risk,
    originAddressId: s.originAddressId,
    origin: s.origin as unknown as Record<string, string>,
    recipient: {
      name: s.recipientName,
      phone: s.recipientPhone,
      address: s.recipientAddress,
      // No district (a place typed to its city): absent, as the request left it, not "" (which it refuses).
      ...(s.recipientDistrict ? { district: s.recipientDistrict } : {}),
      city: s.recipientCity,
      province: s.recipientProvince,
      postalCode: s.recipientPostalCode,
      ...(s.recipientDistrictCode ? { districtCode: s.recipientDistrictCode } : {}),
    },
    parcel: {
      weightGrams: s.weightGrams,
      ...(s.lengthCm !== null ? { lengthCm: s.lengthCm } : {}),
      ...(s.widthCm !== null ? { widthCm: s.widthCm } : {}),
      ...(s.heightCm !== null ? { heightCm: s.heightCm } : {}),
      ...(s.itemValue !== null ? { itemValue: s.itemValue } : {}),
      ...(s.description !== null ? { description: s.description } : {}),
    },
    codAmount: s.codAmount,
    courier: s.courier && s.service ? { code: s.courier as never, service: s.service } : null,
    requestedCourier:
      s.requestedCourier && s.requestedService
        ? { code: s.requestedCourier as never, service: s.requestedService }
        : null,
    awb: s.awb,
    pickupDueAt: s.pickupDueAt ? s.pickupDueAt.toISOString() : null,
    charges:
      s.shippingFee === null
        ? null
        : {
            shipping: s.shippingFee,
            codFee: s.codFee ?? 0,
            cashback: s.cashback ?? 0,
            returnFee: s.returnFee ?? 0,
          },
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** Shipments from creation to handover: validation against what couriers can carry, listing, cancelling. */
@Injectable()
export class ShipmentsService {
  constructor(
    private readonly tx: Transactions,
    private readonly addresses: AddressesService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly registry: CourierRegistry,
    private readonly repository: ShipmentsRepository,
    private readonly stateMachine: ShipmentStateMachine,
    private readonly pickups: PickupsRepository,
    private readonly areas: AreasService,
    private readonly locations: CourierLocations,
  ) {}

  private services(): (CourierServiceInfo & { courier: string })[] {
    const catalogue = this.config.business.couriers.catalogue;
    return Object.entries(catalogue).flatMap(([courier, c]) =>
      (c.services as unknown as CourierServiceInfo[]).map((s) => ({ ...s, courier })),
    );
  }

  /**
   * Why each courier cannot carry the shipment, one entry per courier naming the request field to change:
   * `codAmount` when a service would carry the weight but not the COD, else `parcel.weightGrams`.
   */
  private refusalsByCourier(
    refusals: { info: CourierServiceInfo & { courier: string }; why: ServiceRefusal }[],
  ) {
    const catalogue = this.config.business.couriers.catalogue;
    const couriers = [...new Set(refusals.map((r) => r.info.courier))] as CourierCode[];
    return couriers.map((courier) => {
      const own = refusals.filter((r) => r.info.courier === courier);
      const codOnly = own.some((r) => r.why === 'cod_not_supported' || r.why === 'cod_over_limit');
      return {
        field: codOnly ? 'codAmount' : 'parcel.weightGrams',
        message: `${catalogue[courier].name}: ${own.map((r) => describeRefusal(r.info, r.why)).join('; ')}`,
      };
    });
  }

  /**
   * Creates a shipment in status `ready`, with a snapshot of its origin address.
   * @throws AddressNotFoundError (404) for an unknown or another seller's origin
   * @throws NoCourierCarriesError SHIPMENTS_NO_COURIER_CARRIES (422) when no courier (or the pinned one) could carry it
   * @throws ReferenceTakenError SHIPMENTS_REFERENCE_TAKEN (409)
   * @throws AreaUnresolvedError AREA_UNRESOLVED (422, `recipient.district`/`recipient.city`, with suggestions)
   */
  async create(sellerId: string, dto: CreateShipmentDto): Promise<ShipmentDto> {
    const origin = await this.addresses.find(sellerId, dto.originAddressId, 'originAddressId');
    const place = await this.areas.resolve(dto.recipient, 'recipient');
    const shipment = await this.build(sellerId, dto, origin, this.clock.now(), place);
    try {
      await this.tx.manager.insert(Shipment, shipment as never); // jsonb columns defeat TypeORM's deep-partial type
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw new ReferenceTakenError();
      throw e;
    }
    return shipmentView(shipment);
  }

  /**
   * A new `ready` shipment from a validated request, its origin and its recipient's resolved place
   * (`resolveRecipient`), checked against what couriers carry and where they have location codes.
   * @throws NoCourierCarriesError SHIPMENTS_NO_COURIER_CARRIES when no courier (or the pinned one) could carry
   *   it; a pinned courier without location codes for the origin or recipient is named on `courier`
   *   (area_not_mapped)
   */
  async build(
    sellerId: string,
    dto: CreateShipmentDto,
    origin: PickupAddress,
    now: Date,
    place: ResolvedPlace,
  ): Promise<Shipment> {
    const cod = dto.codAmount ?? 0;
    const pin = dto.courier;
    const services = pin
      ? this.services().filter(
          (s) => s.courier === pin.code && s.code.toUpperCase() === pin.service.toUpperCase(),
        )
      : this.services();
    const catalogue = this.config.business.couriers.catalogue;
    if (pin && !services.length) {
      throw new NoCourierCarriesError('The pinned courier has no such service', [
        { field: 'courier.service', message: `${catalogue[pin.code].name} has no service ${pin.service}` },
      ]);
    }
    const unmapped: CourierCode[] = [];
    for (const courier of new Set(services.map((s) => s.courier as CourierCode)))
      if (!(await this.locations.covers(courier, origin, { districtCode: place.districtCode })))
        unmapped.push(courier);
    const where = (courier: CourierCode) =>
      `${catalogue[courier].name}: area_not_mapped (no location code for the ${
        origin.districtCode && place.districtCode
          ? 'origin or recipient district'
          : 'place: it has no district'
      })`;
    if (pin && unmapped.includes(pin.code))
      throw new NoCourierCarriesError('The pinned courier has no location code for this shipment', [
        { field: 'courier', message: where(pin.code) },
      ]);
    const refusals = services.map((info) => ({
      info,
      why: serviceRefusal(info, dto.parcel.weightGrams, cod),
    }));
    const mapped = refusals.filter((r) => !unmapped.includes(r.info.courier as CourierCode));
    if (!mapped.some((r) => !r.why) && unmapped.length) {
      throw new NoCourierCarriesError('No courier service can carry this shipment', [
        ...this.refusalsByCourier(
          mapped.filter((r) => r.why) as {
            info: CourierServiceInfo & { courier: string };
            why: ServiceRefusal;
          }[],
        ),
        ...unmapped.map((courier) => ({ field: 'recipient.district', message: where(courier) })),
      ]);
    }
    if (refusals.every((r) => r.why)) {
      throw new NoCourierCarriesError(
        pin
          ? 'The pinned courier service cannot carry this shipment'
          : 'No courier service can carry this shipment',
        this.refusalsByCourier(
          refusals as { info: CourierServiceInfo & { courier: string }; why: ServiceRefusal }[],
        ),
      );
    }
    return {
      id: randomUUID(),
      sellerId,
      reference: dto.reference,
      originAddressId: origin.id,
      origin: {
        name: origin.contactName,
        phone: origin.phone,
        address: origin.address,
        district: origin.district,
        city: origin.city,
        province: origin.province,
        postalCode: origin.postalCode,
        districtCode: origin.districtCode,
      },
      recipientName: dto.recipient.name,
      recipientPhone: dto.recipient.phone,
      recipientAddress: dto.recipient.address,
      recipientDistrict: place.district,
      recipientCity: place.city,
      recipientProvince: place.province,
      recipientPostalCode: dto.recipient.postalCode,
      recipientDistrictCode: place.districtCode,
      weightGrams: dto.parcel.weightGrams,
      lengthCm: dto.parcel.lengthCm ?? null,
      widthCm: dto.parcel.widthCm ?? null,
      heightCm: dto.parcel.heightCm ?? null,
      itemValue: dto.parcel.itemValue ?? null,
      description: dto.parcel.description ?? null,
      codAmount: cod,
      requestedCourier: dto.courier?.code ?? null,
      // The catalogue's spelling (`REG` for a typed `reg`): bookings match the service by it.
      requestedService: pin ? services[0].code : null,
      status: 'ready',
      reason: null,
      attempts: 0,
      codCollected: false,
      codRemitted: false,
      risk: 'none',
      courier: null,
      service: null,
      awb: null,
      courierReference: null,
      decision: null,
      quotedEtaMinDays: null,
      quotedEtaMaxDays: null,
      shippingFee: null,
      codFee: null,
      cashback: null,
      returnFee: null,
      pickupDueAt: null,
      bookedAt: null,
      pickedUpAt: null,
      endedAt: null,
      outcomeRecordedAt: null,
      lastEventAt: null,
      failedAttempts: 0,
      statusEventId: null,
      codCollectedEventId: null,
      codCollectedChangedAt: null,
      cancelClaimedUntil: null,
      cancelRequestedAt: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * A recipient's typed place resolved against the area directory (bulk import resolves row by row).
   * @throws AreaUnresolvedError AREA_UNRESOLVED (422, field `<path>.district` or `<path>.city`)
   */
  resolveRecipient(
    place: { district?: string; city: string; province: string },
    path = 'recipient',
    options: { suggest?: boolean } = {},
  ): Promise<ResolvedPlace> {
    return this.areas.resolve(place, path, options);
  }

  /**
   * Whether `to` (a canonical place) is in the city or regency the shipment's recipient was booked to: by
   * the districts' regencies when both are known, else by the canonical names.
   */
  inBookedCity(s: Shipment, to: Place): boolean {
    if (s.recipientDistrictCode && to.districtCode)
      return regencyOf(s.recipientDistrictCode) === regencyOf(to.districtCode);
    const name = (text: string) => text.trim().toLowerCase();
    return name(s.recipientCity) === name(to.city) && name(s.recipientProvince) === name(to.province);
  }

  /**
   * A corrected delivery address with the directory's names (seller actions check it before the courier
   * is asked).
   * @throws AreaUnresolvedError AREA_UNRESOLVED (422, field `<path>.district` or `<path>.city`)
   */
  async canonicalPlace(to: Place, path: string): Promise<Place> {
    const place = await this.areas.resolve(to, path);
    return {
      ...to,
      district: place.district,
      city: place.city,
      province: place.province,
      districtCode: place.districtCode,
    };
  }

  /** @throws ValidationFailedError for a bad cursor, or a `from` not before `to` */
  list(sellerId: string, q: ListShipmentsQueryDto): Promise<Page<ShipmentDto>> {
    const from = q.from ? instantOf(q.from) : undefined;
    const to = q.to ? windowEndOf(q.to) : undefined;
    checkTimeRange(from, to);
    const qb = this.repository.listQuery(sellerId, { ...q, from, to });
    return paginate(qb, 's', q, shipmentView);
  }

  /** The reference, status and airway bill of the seller's shipments among `ids`, by id (another seller's are absent). */
  async summaries(sellerId: string, ids: string[]): Promise<Map<string, ShipmentSummaryRow>> {
    if (!ids.length) return new Map();
    const rows = await this.repository.summaries(sellerId, [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * The seller's figures for [from, to): shipments created in it by status, and per courier how the
   * shipments that ended in it ended (success and return rates of the ended ones, average days from
   * pickup to delivery).
   */
  async monitoring(sellerId: string, from: Date, to: Date): Promise<ShipmentFigures> {
    const [byStatus, endings] = await this.tx.all([
      () => this.repository.countByStatus(sellerId, from, to),
      () => this.repository.endingsByCourier(sellerId, from, to),
    ] as const);
    return {
      byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
      couriers: endings.map((e) => {
        const ended = e.delivered + e.returned + e.lost;
        const rate = (n: number) => (ended ? Math.round((n / ended) * 10_000) / 10_000 : null);
        return {
          courier: e.courier,
          shipments: ended,
          delivered: e.delivered,
          returned: e.returned,
          lost: e.lost,
          successRate: rate(e.delivered),
          returnRate: rate(e.returned),
          avgTransitDays: e.avg_transit_days === null ? null : Math.round(e.avg_transit_days * 100) / 100,
        };
      }),
    };
  }

  /**
   * The seller's shipments that ended delivered or returned in [from, to) and have charges (what invoicing
   * bills), oldest end first, `limit` at a time after `after` (the `position` of the last one read).
   * Lost parcels are not among them: a loss is not charged to the seller.
   */
  chargedEnded(
    sellerId: string,
    from: Date,
    to: Date,
    after: string | null,
    limit: number,
  ): Promise<ChargedEndedRow[]> {
    return this.repository.chargedEnded(sellerId, from, to, after, limit);
  }

  /**
   * The seller's cancelled shipments that an earlier booking carried after all (its courier remitted their COD
   * cash and finance credited it: CodDeliveries.markCarriedByEarlierBooking), recorded in [from, to), each as
   * that booking charges it (delivered with its cash; its courier, airway bill, shipping fee, COD fee and
   * cashback as quoted when it was booked). Oldest first, `limit` at a time after `after`.
   */
  chargedCarriedByEarlierBooking(
    sellerId: string,
    from: Date,
    to: Date,
    after: string | null,
    limit: number,
  ): Promise<ChargedEndedRow[]> {
    return this.repository.chargedCarriedByEarlierBooking(sellerId, from, to, after, limit);
  }

  /**
   * The seller's charged delivered COD parcels that ended before `from` and whose COD cash was last found
   * collected or not collected after all in [from, to) (a reversed credit, a delivery with the cash after
   * all): what invoicing adjusts the COD fee of. Oldest change first, `limit` at a time after `after` (the
   * `position` of the last one read).
   */
  codCollectedChanged(
    sellerId: string,
    from: Date,
    to: Date,
    after: string | null,
    limit: number,
  ): Promise<CodCollectedChangedRow[]> {
    return this.repository.codCollectedChanged(sellerId, from, to, after, limit);
  }

  /**
   * The sellers with a charged shipment that ended delivered or returned in [from, to), whose COD
   * collection changed in it after an earlier end (codCollectedChanged), or that an earlier booking was
   * found in it to have carried (chargedCarriedByEarlierBooking).
   */
  sellersWithChargedEnded(from: Date, to: Date): Promise<string[]> {
    return this.repository.sellersWithChargedEnded(from, to);
  }

  /** When the first charged shipment ended (delivered or returned), or null when none has. */
  firstChargedEnd(): Promise<Date | null> {
    return this.repository.firstChargedEnd();
  }

  /** @throws ShipmentNotFoundError SHIPMENTS_NOT_FOUND (also another seller's) */
  async find(sellerId: string, id: string, withDecision = false): Promise<Shipment> {
    const query = this.tx.manager
      .createQueryBuilder(Shipment, 's')
      .where('s.id = :id AND s.sellerId = :sellerId', { id, sellerId });
    // The scoring decision is not loaded unless asked for (see the entity).
    if (withDecision) query.addSelect('s.decision');
    const shipment = await query.getOne();
    if (!shipment) throw new ShipmentNotFoundError();
    return shipment;
  }

  /**
   * The seller's shipment with its booking: the scoring decision and every courier service tried (events,
   * alerts and actions are tracking's, added by its view).
   * @throws ShipmentNotFoundError SHIPMENTS_NOT_FOUND (also another seller's)
   */
  async get(sellerId: string, id: string): Promise<BookedShipmentDto> {
    const s = await this.find(sellerId, id, true);
    const attempts = await this.pickups.attemptsOf([s.id]);
    return {
      ...shipmentView(s),
      decision: s.decision as ScoringDecisionDto | null,
      pickupAttempts: attempts.map(attemptView),
      carriedByEarlierBooking: carriedByEarlierBookingView(attempts),
      failedAttempts: s.failedAttempts,
    };
  }

  /**
   * Delivers the seller's shipment to a corrected address (the courier has taken it: tracking's seller
   * actions), in the caller's transaction, while the shipment is still booked as `awb`: one re-booked
   * meanwhile went to its new courier with the old address, which the shipment must keep saying. The
   * status is not touched.
   * @returns false (nothing changed) when the shipment no longer has the airway bill `awb`
   */
  async updateRecipientAddress(
    sellerId: string,
    id: string,
    awb: string,
    to: Place,
    now: Date,
  ): Promise<boolean> {
    // `to` was made canonical (canonicalPlace) before the courier took it; a place that no longer resolves
    // keeps no district code rather than failing a change the courier has already made.
    const districtCode = await this.areas.resolve(to).then(
      (p) => p.districtCode,
      (e: unknown) => {
        if (e instanceof AreaUnresolvedError) return null;
        throw e;
      },
    );
    const result = await this.tx.manager.update(
      Shipment,
      { id, sellerId, awb },
      {
        recipientName: to.name,
        recipientPhone: to.phone,
        recipientAddress: to.address,
        recipientDistrict: to.district,
        recipientCity: to.city,
        recipientProvince: to.province,
        recipientPostalCode: to.postalCode,
        recipientDistrictCode: districtCode,
        updatedAt: now,
      },
    );
    return !!result.affected;
  }

  /**
   * Cancels a shipment: at once when nothing is booked (a booking put off until its couriers answer again
   * too, while no worker holds it); at the courier when it is booked (only before
   * the parcel is picked up; a refusal keeps the shipment as it is, with the courier's reason). The
   * courier is asked under a cancellation claim, outside any transaction, so the pickup watch neither
   * re-books nor marks picked up a shipment whose cancellation is in flight.
   * @throws ShipmentNotFoundError SHIPMENTS_NOT_FOUND (404, also another seller's)
   * @throws CannotCancelError SHIPMENTS_CANNOT_CANCEL (409) for a status past booking, a booking a worker
   *   holds now, or a courier refusal
   * @throws CancellationInProgressError SHIPMENTS_CANCEL_IN_PROGRESS (409) while another cancellation runs
   * @throws CourierUnavailableError COURIER_UNAVAILABLE (503): the courier could not answer; the shipment
   *   stays booked (a cancellation whose answer was lost may have been taken: asking again is safe, and a
   *   cancellation the courier then reports, or the pickup watch makes, ends it as the seller's)
   */
  async cancel(sellerId: string, id: string): Promise<ShipmentDto> {
    const now = this.clock.now();
    const s = await this.find(sellerId, id);
    if (s.status === 'booking') {
      // Its booking put off until its couriers answer again (a half hour at most): no courier holds it.
      const [cancelled] = await this.stateMachine.transitionMany(
        [id],
        {
          to: 'cancelled',
          from: ['booking'],
          cause: 'seller_cancel',
          reason: CANCELLED_BY_SELLER,
          at: now,
          where: { sellerId },
        },
        this.pickups.waitingAlong(id, now),
      );
      // A worker is booking it now: cancelled once booked.
      if (!cancelled) throw new CannotCancelError((await this.find(sellerId, id)).status);
      return shipmentView(await this.find(sellerId, id));
    }
    if (s.status !== 'booked') {
      if (!CANCELLABLE_BEFORE_BOOKING.has(s.status)) throw new CannotCancelError(s.status);
      const cancelled = await this.stateMachine.transition(id, {
        to: 'cancelled',
        from: [...CANCELLABLE_BEFORE_BOOKING],
        cause: 'seller_cancel',
        reason: CANCELLED_BY_SELLER,
        at: now,
        where: { sellerId },
      });
      if (!cancelled) throw new CannotCancelError((await this.find(sellerId, id)).status);
      return shipmentView(await this.find(sellerId, id));
    }

    const claim = new Date(now.getTime() + this.config.business.pickups.cancelClaimSeconds * 1000);
    const claimed = await this.repository.claimCancellation({ id, sellerId }, now, claim, now);
    if (!claimed) {
      const current = await this.find(sellerId, id);
      if (current.status === 'booked') throw new CancellationInProgressError();
      throw new CannotCancelError(current.status);
    }
    const courier = claimed.courier as CourierCode;
    const outcome = await this.registry
      .get(courier)
      .cancel({
        courier,
        awb: claimed.awb!,
        reference: claimed.courierReference ?? '',
        service: claimed.service ?? '',
      })
      .catch(async (e: unknown) => {
        // The answer lost, the courier may have cancelled: its cancellation, reported or made later by the
        // pickup watch, is then the seller's (as the claim recorded it), and no other courier is booked in its
        // place. Not sent, the request the claim recorded is taken back (an earlier one whose answer was lost
        // stands: it has its own time).
        const mayHaveTaken = e instanceof CourierUnavailableError && answerMayBeLost(e);
        await this.repository.releaseCancellation(id, claim, mayHaveTaken ? undefined : { takenBack: now });
        throw e;
      });
    // The courier holds no such order (cancelled before, or never kept): nothing is left to cancel there.
    const gone =
      !outcome.cancelled && (outcome.reason === 'already_cancelled' || outcome.reason === 'not_found');
    if (!outcome.cancelled && !gone) {
      // The courier holds the order and said no: an earlier request whose answer was lost is over too.
      await this.repository.releaseCancellation(id, claim, null);
      throw new CannotCancelError(
        claimed.status,
        `${courier} refused the cancellation (${outcome.reason}): ${outcome.rawMessage}`,
      );
    }
    const now2 = this.clock.now();
    const cancelled = await this.stateMachine.transition(id, {
      to: 'cancelled',
      from: ['booked'],
      cause: 'seller_cancel',
      reason: CANCELLED_BY_SELLER,
      at: now2,
      where: { cancelClaim: { claim, now: now2 } },
    });
    if (!cancelled) {
      const current = await this.find(sellerId, id);
      // Our claim ran out mid-call and another canceller took over: it finishes the job.
      if (current.status === 'booked') throw new CancellationInProgressError();
      // The courier's own report of it came first (pushed meanwhile): cancelled, as the seller asked.
      await this.repository.releaseCancellation(id, claim);
      if (current.status === 'cancelled') return shipmentView(current);
      // A scan moved it on while the courier was asked (a pickup pushed meanwhile): the courier says the order
      // is cancelled, yet it scanned the parcel. Its lines will say what becomes of it; nothing is in progress.
      throw new CannotCancelError(
        current.status,
        `${courier} answered that it cancelled the order, but meanwhile reported the parcel ${current.status.replace(/_/g, ' ')}: follow its tracking, or ask for its return`,
      );
    }
    return shipmentView(await this.find(sellerId, id));
  }
}
