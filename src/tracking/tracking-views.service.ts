import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { Clock } from 'src/common/clock';
import { ShipmentsService } from 'src/shipments/shipments.service';
import { AlertsService } from './alerts.service';
import { ShipmentActionsService } from './shipment-actions.service';
import { TrackingEventsRepository } from './tracking-events.repository';
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
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** @throws ShipmentNotFoundError SHIPMENTS_NOT_FOUND (also another seller's) */
  async shipment(sellerId: string, id: string): Promise<ShipmentDetailDto> {
    const detail = await this.shipments.get(sellerId, id);
    return {
      ...detail,
      events: await this.eventsOf(id),
      alerts: await this.alerts.listForShipment(sellerId, id, detail.reference),
      actions: await this.actions.listForShipment(sellerId, id),
    };
  }

  /** @throws ShipmentNotFoundError SHIPMENTS_NOT_FOUND (also another seller's) */
  async events(sellerId: string, id: string): Promise<TrackingEventDto[]> {
    await this.shipments.find(sellerId, id);
    return this.eventsOf(id);
  }

  /**
   * COD parcels of the last 30 days delivered with other cash than asked, or none, as the couriers said:
   * with cash the seller is credited the COD amount all the same (DESIGN: the courier's remittance settles
   * it), with none nothing; finance sees the difference before the remittance does.
   */
  async codDiscrepancies(): Promise<CodDiscrepancyDto[]> {
    const since = new Date(this.clock.now().getTime() - 30 * 86_400_000);
    return (await this.inbox.codDiscrepancies(since, 200)).map((r) => {
      const codAmount = Number(r.cod_amount);
      const reported = r.reported === null ? null : Number(r.reported);
      return {
        shipmentId: r.shipment_id,
        sellerId: r.seller_id,
        reference: r.reference,
        courier: r.courier,
        awb: r.awb,
        codAmount,
        reportedAmount: reported,
        kind: r.cod_collected === false || reported === 0 ? 'none' : reported! < codAmount ? 'less' : 'more',
        deliveredAt: r.occurred_at.toISOString(),
      };
    });
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
   * The events the tracker takes as the shipment's (see isBookingEvent): the others moved nothing. In the
   * order the tracker reads them: events of the same instant (a courier that counts whole seconds or
   * minutes) by their place in a journey, so a delivery is never listed before its pickup.
   */
  private async eventsOf(shipmentId: string): Promise<TrackingEventDto[]> {
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
      returnLeg: e.isReturnLeg,
      codCollected: e.codCollected,
      pod: e.pod,
    }));
  }
}
