import { Injectable } from '@nestjs/common';
import type { Rupiah } from 'src/common/money';
import { DeliveryStatsService } from 'src/scoring/delivery-stats.service';
import type { ShipmentStatus } from './shipment-status';
import { type CodParcelRow, ShipmentsRepository } from './shipments.repository';

/** A parcel whose COD cash a courier may remit: what reconciling a remittance report needs of it. */
export interface CodParcel {
  shipmentId: string;
  courier: string;
  awb: string;
  status: ShipmentStatus;
  codAmount: Rupiah;
  /** The courier reported the COD cash taken (the delivered event that credited the seller); false again once finance reversed that credit. */
  codCollected: boolean;
  /** When it was delivered, returned or lost (the courier event's time). */
  endedAt: Date | null;
}

/** A shipment finance names as the parcel whose COD cash a remittance line paid, as it stands, locked. */
export interface RemittedParcel {
  shipmentId: string;
  sellerId: string;
  /** The seller's reference and the shipment's reason, as its webhooks name them. */
  reference: string;
  reason: string | null;
  /** The courier and airway bill it is booked with now (null before a booking). */
  courier: string | null;
  awb: string | null;
  status: ShipmentStatus;
  codAmount: Rupiah;
  endedAt: Date | null;
  /** The line's courier booked it under the line's airway bill (now, or before Kirim re-booked it away). */
  bookedBefore: boolean;
  /** The service of that booking (the last one with the line's courier and airway bill); null for none. */
  bookedService: string | null;
}

const parcelOf = (r: CodParcelRow): CodParcel => ({
  shipmentId: r.id,
  courier: r.courier,
  awb: r.awb,
  status: r.status,
  codAmount: Number(r.cod_amount),
  codCollected: r.cod_collected,
  endedAt: r.ended_at,
});

/** The shipments' side of COD remittance: which parcel an AWB is, and which delivered COD parcels exist. */
@Injectable()
export class CodDeliveries {
  constructor(
    private readonly repository: ShipmentsRepository,
    private readonly stats: DeliveryStatsService,
  ) {}

  /**
   * The parcels these AWBs name at `courier` (any status; absent AWBs are simply missing), by AWB. `lock`
   * (in a transaction): their rows are locked in id order first, as the tracker and a COD settlement lock
   * them, so what is decided from them (settled, reversed) cannot change before the caller commits.
   */
  async byAwb(courier: string, awbs: string[], lock = false): Promise<Map<string, CodParcel>> {
    if (!awbs.length) return new Map();
    const rows = await this.repository.codParcelsByAwb(courier, awbs, lock);
    return new Map(rows.map((r) => [r.awb, parcelOf(r)]));
  }

  /**
   * The shipment `shipmentId` for a remittance line of `courier` naming `awb`: as it stands, its row locked
   * until the caller's transaction ends (the tracker's and COD settlements' lock), and whether that courier
   * booked it under that bill before it was re-booked away. Null for no such shipment.
   */
  async remittedParcel(shipmentId: string, courier: string, awb: string): Promise<RemittedParcel | null> {
    const r = await this.repository.remittedParcel(shipmentId, courier, awb);
    return r
      ? {
          shipmentId: r.id,
          sellerId: r.seller_id,
          reference: r.reference,
          reason: r.reason,
          courier: r.courier,
          awb: r.awb,
          status: r.status,
          codAmount: Number(r.cod_amount),
          endedAt: r.ended_at,
          bookedBefore: r.booked_service !== null,
          bookedService: r.booked_service,
        }
      : null;
  }

  /** Which of these shipments a remittance line settled. */
  remitted(shipmentIds: string[]): Promise<Set<string>> {
    return this.repository.codRemitted(shipmentIds);
  }

  /**
   * One page (≤ `limit`) of delivered COD parcels no remittance line settled (markRemitted), that ended before
   * `before`, oldest first, after the keyset position `after` (the last parcel of the previous page); `courier`
   * null for all couriers. Reads only parcels not remitted, however many were.
   */
  async unremittedBefore(q: {
    before: Date;
    courier: string | null;
    after: { endedAt: Date; id: string } | null;
    limit: number;
  }): Promise<CodParcel[]> {
    return (await this.repository.codUnremittedPage(q)).map(parcelOf);
  }

  /**
   * Per courier: the number of delivered COD parcels no remittance line settled that ended before `before`,
   * and their COD (rupiah).
   */
  async unremittedTotals(
    before: Date,
    courier: string | null,
  ): Promise<Map<string, { count: number; amount: Rupiah }>> {
    const rows = await this.repository.codUnremittedTotals(before, courier);
    return new Map(rows.map((r) => [r.courier, { count: r.count, amount: Number(r.amount) }]));
  }

  /**
   * Records that a remittance line settled these parcels' COD cash (`remitted`), or that the line settling it
   * was voided and the cash is owed again (false). Run in the transaction that decides the lines, so the
   * flag and the lines never disagree. Idempotent.
   */
  async markRemitted(shipmentIds: string[], remitted: boolean): Promise<void> {
    await this.repository.markCodRemitted(shipmentIds, remitted);
  }

  /**
   * Records that these delivered parcels' COD cash was never collected after all (finance reversed the
   * credit of a delivery its courier took back), `now`: no remittance is owed for them, so they leave the
   * overdue list; an invoice not yet issued charges no COD fee for them, and the invoice of the period `now`
   * is in refunds one already invoiced. The scoring learns each as a failure (not delivered and paid). In
   * the caller's transaction.
   */
  async markCashNotCollected(shipmentIds: string[], now: Date): Promise<void> {
    await this.stats.correctPaid(await this.repository.markCodNotCollected(shipmentIds, now), false);
  }

  /**
   * Has the scoring learn now whether these delivered COD parcels' cash was collected, as markCashCollected
   * and markCashNotCollected then record it (they find nothing left to learn): for a transaction that locks
   * ledger accounts before marking them. The tracker writes statistics before credits; learned at commit,
   * after the ledger, such a transaction and the tracker would each wait on what the other holds.
   */
  learnCashNow(shipmentIds: string[], collected: boolean): Promise<void> {
    return this.stats.correctPaid(shipmentIds, collected, { now: true });
  }

  /**
   * Records that these parcels, whose cash markCashNotCollected said was never collected, were delivered
   * again with it (`eventId`, the courier's delivery that says so; null when a remittance line finance credited
   * says so, the delivering line kept), `now`: the courier owes their cash again,
   * so they are back on the overdue list until remitted; an invoice not yet issued charges their COD fee, and
   * the invoice of the period `now` is in charges it when their own invoice did not or it was refunded since.
   * The scoring learns each as delivered and paid again. The ids changed (a parcel already collected is
   * not). In the caller's transaction, the parcels locked.
   */
  async markCashCollected(parcels: { id: string; eventId: string | null }[], now: Date): Promise<string[]> {
    const changed = await this.repository.markCodCollected(parcels, now);
    await this.stats.correctPaid(changed, true);
    return changed;
  }

  /**
   * Records that the shipment's booking with `courier` under `awb` (its own or one re-booked away, the
   * shipment since cancelled) carried the parcel after all and took its COD cash, `now`: the invoice of the period `now` is in
   * charges that booking's shipping fee and COD fee, less its cashback, as quoted when it was booked. Once:
   * false when it was recorded already. In the caller's transaction, the shipment locked.
   */
  markCarriedByEarlierBooking(shipmentId: string, courier: string, awb: string, now: Date): Promise<boolean> {
    return this.repository.markEarlierBookingCarried(shipmentId, courier, awb, now);
  }
}
