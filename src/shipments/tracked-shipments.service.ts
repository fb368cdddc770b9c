import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import type { Rupiah } from 'src/common/money';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { DeliveryStatsService } from 'src/scoring/delivery-stats.service';
import type { ShipmentStatus } from './shipment-status';
import { CourierFacts, ShipmentsRepository, TrackedShipmentRow } from './shipments.repository';

/** A shipment as the tracker sees it: where it is, who receives it, what the courier said last. */
export interface TrackedShipment {
  id: string;
  sellerId: string;
  reference: string;
  status: ShipmentStatus;
  courier: CourierCode | null;
  service: string | null;
  awb: string | null;
  courierReference: string | null;
  pickupDueAt: Date | null;
  codAmount: Rupiah;
  codCollected: boolean;
  risk: 'none' | 'at_risk';
  recipient: { name: string; phone: string; city: string; province: string; districtCode: string | null };
  origin: { city: string; province: string; districtCode: string | null };
  createdAt: Date;
  bookedAt: Date | null;
  /**
   * When the booking that gave it its airway bill began: events stored before then are not this parcel's
   * (an airway bill used before, or one foretold). Read only when locked for tracking; null if unknown.
   */
  awbSince: Date | null;
  pickedUpAt: Date | null;
  /** When it ended (delivered, returned, lost), as its courier said; null while it has not. */
  endedAt: Date | null;
  lastEventAt: Date | null;
  /** Delivery runs and failed attempts so far. */
  attempts: number;
  failedAttempts: number;
  /** The courier event that caused the current status (null when something else moved it). */
  statusEventId: string | null;
  /** The transit days the courier quoted for the chosen service when the booking's scoring chose it. */
  quotedEtaDays: { min: number; max: number } | null;
  /** The seller pinned a courier service: a pickup its courier misses or cancels is not booked elsewhere. */
  pinned: boolean;
}

/** What a shipment's courier events establish beside its status (only ever moved forward). */
export type ShipmentFacts = CourierFacts & { id: string };

/** What the statistics say about a shipment's lane and recipient (inputs of the risk rules). */
export interface DeliveryOutlook {
  /** Days from pickup by which 90 % of this lane's parcels arrived; null without observations. */
  p90TransitDays: number | null;
  /** The courier's promised maximum for the route. */
  promisedMaxDays: number | null;
  /** Days from pickup by which half of this lane's parcels arrived (the promise's middle without observations). */
  p50TransitDays: number | null;
  recipient: { outcomes: number; failures: number } | null;
}

const shipmentOf = (r: TrackedShipmentRow): TrackedShipment => ({
  id: r.id,
  sellerId: r.seller_id,
  reference: r.reference,
  status: r.status,
  courier: r.courier as CourierCode | null,
  service: r.service,
  awb: r.awb,
  courierReference: r.courier_reference,
  pickupDueAt: r.pickup_due_at,
  codAmount: Number(r.cod_amount),
  codCollected: r.cod_collected,
  risk: r.risk,
  recipient: {
    name: r.recipient_name,
    phone: r.recipient_phone,
    city: r.recipient_city,
    province: r.recipient_province,
    districtCode: r.recipient_district_code,
  },
  origin: { city: r.origin.city, province: r.origin.province, districtCode: r.origin.districtCode ?? null },
  createdAt: r.created_at,
  bookedAt: r.booked_at,
  awbSince: r.awb_since ?? null,
  pickedUpAt: r.picked_up_at,
  endedAt: r.ended_at,
  lastEventAt: r.last_event_at,
  attempts: r.attempts,
  failedAttempts: r.failed_attempts,
  statusEventId: r.status_event_id,
  quotedEtaDays:
    r.quoted_eta_min_days === null || r.quoted_eta_max_days === null
      ? null
      : { min: r.quoted_eta_min_days, max: r.quoted_eta_max_days },
  pinned: r.pinned,
});

/**
 * The shipments' side of tracking: which shipments are due a poll (claimed across instances), their
 * schedule, and the facts courier events establish beside the status. Status changes go through
 * ShipmentStateMachine, never through here.
 */
@Injectable()
export class TrackedShipments {
  constructor(
    private readonly repository: ShipmentsRepository,
    private readonly stats: DeliveryStatsService,
    private readonly config: AppConfig,
  ) {}

  async claimDue(
    courier: CourierCode,
    now: Date,
    leaseUntil: Date,
    limit: number,
  ): Promise<TrackedShipment[]> {
    return (await this.repository.claimDuePolls(courier, now, leaseUntil, limit)).map(shipmentOf);
  }

  /** Locks and reads the shipments for processing (inside the caller's transaction). */
  async lock(ids: string[]): Promise<TrackedShipment[]> {
    return (await this.repository.lockTracked(ids)).map(shipmentOf);
  }

  /** Airway bill → shipment id, for the shipments currently booked with them at `courier`. */
  async byAwbs(courier: CourierCode, awbs: string[]): Promise<Map<string, string>> {
    if (!awbs.length) return new Map();
    return new Map((await this.repository.byAwbs(courier, awbs)).map((r) => [r.awb, r.id]));
  }

  /**
   * Airway bill → shipment id, for the shipments booked with them before at `courier` and not now (see
   * ShipmentsRepository.byEarlierAwbs).
   */
  async byEarlierAwbs(courier: CourierCode, awbs: string[]): Promise<Map<string, string>> {
    if (!awbs.length) return new Map();
    return new Map((await this.repository.byEarlierAwbs(courier, awbs)).map((r) => [r.awb, r.id]));
  }

  /** Those of `ids` that have ended; they are not at risk any more. */
  endedAmong(ids: string[]): Promise<string[]> {
    return this.repository.endedAmong(ids);
  }

  schedule(polls: { id: string; at: Date }[]): Promise<void> {
    return this.repository.schedulePolls(polls);
  }

  /** Polls of these shipments stop (see ShipmentsRepository.stopPolls). */
  stopFollowing(ids: string[]): Promise<void> {
    return this.repository.stopPolls(ids);
  }

  /** Followed again until one poll at `at` (an ended shipment whose ending its courier's history confirms). */
  pollOnce(ids: string[], at: Date): Promise<void> {
    return this.repository.insertPolls(ids, at);
  }

  postpone(ids: string[], at: Date): Promise<void> {
    return this.repository.postponePolls(ids, at);
  }

  /** Whether the shipment may be asked about outside its polls now (see ShipmentsRepository.claimRefresh). */
  claimRefresh(id: string, at: Date, windowMs: number): Promise<boolean> {
    return this.repository.claimRefresh(id, at, new Date(at.getTime() - windowMs));
  }

  /** The courier changed the parcel's plan (a seller action it took): ask about it by `at` at the latest. */
  pollBy(id: string, at: Date): Promise<void> {
    return this.repository.bringPollForward(id, at);
  }

  /** The facts courier events establish beside the status, for a batch of shipments at once. */
  noteCourierFacts(facts: ShipmentFacts[]): Promise<void> {
    return this.repository.noteCourierFacts(facts);
  }

  /**
   * Shipments whose outcome scoring has learned, now showing more failed attempts than before: a failed
   * attempt reported after the outcome (a late push, a poll after it) corrects what was learned. Inside the
   * caller's transaction, the shipments locked.
   */
  correctOutcomes(shipments: { shipmentId: string; failedAttempts: number }[]): Promise<void> {
    return shipments.length ? this.stats.correctFailedAttempts(shipments) : Promise.resolve();
  }

  /**
   * Reads ahead what `outlook` needs for a batch of shipments (their recipients' records, their lanes'
   * statistics) in two queries, not two per shipment.
   */
  async prepareOutlooks(shipments: TrackedShipment[]): Promise<void> {
    await this.stats.prefetchRecipients(shipments.map((s) => s.recipient.phone));
    await this.stats.prefetchLanes(
      shipments.flatMap((s) =>
        s.courier && s.service
          ? [{ courier: s.courier, service: s.service, origin: s.origin, destination: s.recipient }]
          : [],
      ),
    );
  }

  /** The lane's observed transit tail and the recipient's record, as the scoring knows them. */
  async outlook(s: TrackedShipment): Promise<DeliveryOutlook> {
    if (!s.courier || !s.service)
      return { p90TransitDays: null, promisedMaxDays: null, p50TransitDays: null, recipient: null };
    const promised = this.promised(s);
    const [estimate] = await this.stats.estimates(
      { origin: s.origin, destination: s.recipient, recipientPhone: s.recipient.phone, cod: s.codAmount > 0 },
      [{ courier: s.courier, service: s.service, promised: promised ?? { min: 1, max: 7 } }],
    );
    const recipient = await this.stats.recipientRecord(s.recipient.phone, s.codAmount > 0);
    return {
      p90TransitDays: estimate.transitDays.source === 'promised' ? null : estimate.transitDays.p90,
      promisedMaxDays: promised?.max ?? null,
      p50TransitDays: estimate.transitDays.p50,
      recipient,
    };
  }

  /** The transit days the courier quoted when it was chosen, else its catalogue's promise. */
  private promised(s: TrackedShipment): { min: number; max: number } | null {
    if (s.quotedEtaDays) return s.quotedEtaDays;
    const info = this.config.business.couriers.catalogue[s.courier!].services.find(
      (x) => x.code === s.service,
    );
    return info?.slaDays ?? null;
  }
}
