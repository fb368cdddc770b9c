import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { Clock } from 'src/common/clock';
import { ShipmentsService } from 'src/shipments/shipments.service';
import { AlertsService } from './alerts.service';
import { CodCreditPosting } from './cod-credit-posting';
import { ShipmentActionsService } from './shipment-actions.service';
import { CodDiscrepancyRow, TrackingEventsRepository } from './tracking-events.repository';
import { isBookingEvent, journeyOrder } from './tracking-status';
import { CodDiscrepancyDto, ShipmentDetailDto, TrackingEventDto, UnmappedCodeDto } from './tracking.dto';

/**
 * What tracking shows: a shipment with its courier events, alerts and actions; the codes no status table
 * knows, and the COD deliveries whose cash differs.
 */
@Injectable()
export class TrackingViews {
  constructor(
    private readonly shipments: ShipmentsService,
    private readonly inbox: TrackingEventsRepository,
    private readonly alerts: AlertsService,
    private readonly actions: ShipmentActionsService,
    private readonly codCredit: CodCreditPosting,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** @throws ShipmentNotFoundError SHIPMENTS_NOT_FOUND (also another seller's) */
  async shipment(sellerId: string, id: string): Promise<ShipmentDetailDto> {
    const detail = await this.shipments.get(sellerId, id);
    return {
      ...detail,
      events: await this.eventsOf(
        id,
        detail.courier ? { courier: detail.courier.code, awb: detail.awb } : null,
      ),
      alerts: await this.alerts.listForShipment(sellerId, id, detail.reference),
      ...(await this.actions.ofShipment(sellerId, id, detail)),
    };
  }

  /** @throws ShipmentNotFoundError SHIPMENTS_NOT_FOUND (also another seller's) */
  async events(sellerId: string, id: string): Promise<TrackingEventDto[]> {
    const s = await this.shipments.find(sellerId, id);
    return this.eventsOf(id, s.courier ? { courier: s.courier, awb: s.awb } : null);
  }

  /**
   * COD parcels whose cash is in doubt, at most 200: first those credited on a delivery their courier then
   * took back (`taken_back`, while the alert is open, whatever its age: their credit is withheld in
   * `pending`), then those of the last 30 days delivered with other cash than asked, or none, as the
   * couriers said: with cash the seller is credited the COD amount all the same (DESIGN: the courier's
   * remittance settles it), with none nothing; finance sees the difference before the remittance does. A
   * parcel taken back is listed once, as taken back. Each with what of its credit is still held.
   */
  async codDiscrepancies(): Promise<CodDiscrepancyDto[]> {
    const limit = 200;
    const since = new Date(this.clock.now().getTime() - 30 * 86_400_000);
    const takenBack = await this.inbox.deliveriesTakenBack(limit);
    const listed = new Set(takenBack.map((r) => r.shipment_id));
    const items: Omit<CodDiscrepancyDto, 'heldAmount'>[] = takenBack.map((r) => ({
      ...discrepancyOf(r),
      kind: 'taken_back',
      alertId: r.alert_id ?? null,
    }));
    for (const r of await this.inbox.codDiscrepancies(since, limit - items.length)) {
      if (listed.has(r.shipment_id)) continue;
      const item = discrepancyOf(r);
      const { codAmount, reportedAmount: reported } = item;
      items.push({
        ...item,
        kind: r.cod_collected === false || reported === 0 ? 'none' : reported! < codAmount ? 'less' : 'more',
        alertId: null,
      });
    }
    const held = await this.codCredit.held(items.map((i) => i.shipmentId));
    return items.map((i) => ({ ...i, heldAmount: held.get(i.shipmentId) ?? 0 }));
  }

  async unmappedCodes(): Promise<UnmappedCodeDto[]> {
    return (await this.inbox.unmappedCodes()).map((r) => ({
      courier: r.courier,
      rawCode: r.raw_code,
      count: r.count,
      example: r.example,
      firstSeen: r.first_seen.toISOString(),
      lastSeen: r.last_seen.toISOString(),
    }));
  }

  /**
   * The events the tracker takes as the shipment's bookings' (see isBookingEvent): the others moved nothing.
   * Those under another bill than the current booking's (`current`; none while it is booked with none) are
   * marked `earlierBooking`. In the order the tracker reads them: events of the same instant (a courier that
   * counts whole seconds or minutes) by their place in a journey, so a delivery is never listed before its
   * pickup.
   */
  private async eventsOf(
    shipmentId: string,
    current: { courier: string; awb: string | null } | null,
  ): Promise<TrackingEventDto[]> {
    const slack = this.config.business.tracking.eventsBeforeBookingHours * 3600_000;
    const events = (await this.inbox.eventsOfShipment(shipmentId))
      .filter((e) => isBookingEvent(e, e.awbSince, slack))
      .sort(journeyOrder);
    return events.map((e) => ({
      at: e.occurredAt.toISOString(),
      status: e.status,
      reason: e.reason,
      rawCode: e.rawCode,
      description: e.rawText,
      location: e.location,
      courier: e.courier,
      awb: e.awb,
      earlierBooking: e.courier !== current?.courier || e.awb !== current.awb,
      returnLeg: e.isReturnLeg,
      codCollected: e.codCollected,
      pod: e.pod,
    }));
  }
}

/** A discrepancy's parcel, amounts and delivery, from its row (its kind is the caller's to say). */
function discrepancyOf(r: CodDiscrepancyRow): Omit<CodDiscrepancyDto, 'kind' | 'heldAmount' | 'alertId'> {
  return {
    shipmentId: r.shipment_id,
    sellerId: r.seller_id,
    reference: r.reference,
    courier: r.courier,
    awb: r.awb,
    codAmount: Number(r.cod_amount),
    reportedAmount: r.reported === null ? null : Number(r.reported),
    deliveredAt: r.occurred_at.toISOString(),
  };
}
