import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { IsInstant, Optional, Text } from 'src/common/validators';
import { COURIER_REASONS, COURIER_STATUSES } from 'src/couriers/courier-adapter';
import { BookedShipmentDto } from 'src/shipments/shipments.dto';
import { AlertDto } from './alerts.dto';
import { COD_SETTLEMENT_DECISIONS, type CodSettlementDecision } from './cod-settlement.entity';
import { BookingStandingDto, ShipmentActionDto } from './shipment-actions.dto';

/** Who took the parcel, as the courier's proof of delivery says. */
export class ProofOfDeliveryDto {
  @ApiPropertyOptional({ description: 'The name the receiver gave' }) receiver?: string;
  @ApiPropertyOptional({ description: 'Who the receiver is to the recipient, in the courier’s words' })
  relation?: string;
  @ApiPropertyOptional({ type: [String], description: 'Links to the courier’s photos of the delivery' })
  photoUrls?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Links to the receiver’s signature' })
  signatureUrls?: string[];
}

export class TrackingEventDto {
  @ApiProperty({ description: 'When it happened at the courier (ISO 8601)' }) at!: string;
  @ApiProperty({
    enum: COURIER_STATUSES,
    nullable: true,
    description: 'Normalized status; null when the courier’s code means no status change or is unknown',
  })
  status!: string | null;
  @ApiProperty({ enum: COURIER_REASONS, nullable: true }) reason!: string | null;
  @ApiProperty({ description: 'The courier’s own status code' }) rawCode!: string;
  @ApiProperty({ description: 'The courier’s own words' }) description!: string;
  @ApiProperty({ type: String, nullable: true }) location!: string | null;
  @ApiProperty() courier!: string;
  @ApiProperty() awb!: string;
  @ApiProperty({
    description:
      'Under an airway bill the shipment was booked with before its current one (a booking Kirim cancelled to re-book it, or superseded), or before any current one: its events move the shipment no more',
  })
  earlierBooking!: boolean;
  @ApiProperty({ description: 'On the way back to the seller' }) returnLeg!: boolean;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'The courier’s word on the COD cash; null when it says nothing',
  })
  codCollected!: boolean | null;
  @ApiProperty({
    type: ProofOfDeliveryDto,
    nullable: true,
    description: 'The courier’s proof of delivery, on a delivery (or a return’s receipt) that carries one',
  })
  pod!: ProofOfDeliveryDto | null;
}

/** A shipment with everything about it: booking, courier events, alerts and the seller's actions. */
export class ShipmentDetailDto extends IntersectionType(BookedShipmentDto, BookingStandingDto) {
  @ApiProperty({ type: [TrackingEventDto], description: 'Courier events, normalized, oldest first' })
  events!: TrackingEventDto[];
  @ApiProperty({ type: [AlertDto], description: 'Risk alerts, open and resolved' }) alerts!: AlertDto[];
  @ApiProperty({
    type: [ShipmentActionDto],
    description: 'Seller actions (re-attempt, return, address correction, hold), newest first',
  })
  actions!: ShipmentActionDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The id (in `actions`) of an address correction whose answer from the courier was lost (no answer in time, a connection broken): it may have taken it, so the recipient may be that address rather than the one shown; sending the same correction again makes it the recipient once the courier takes it. Null when none is in doubt',
  })
  addressCorrectionUnconfirmed!: string | null;
}

export class TrackingEventListDto {
  @ApiProperty({ type: [TrackingEventDto] }) items!: TrackingEventDto[];
}

export class UnmappedCodeDto {
  @ApiProperty() courier!: string;
  @ApiProperty() rawCode!: string;
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ description: 'One of the texts that came with it' }) example!: string;
  @ApiProperty() firstSeen!: string;
  @ApiProperty() lastSeen!: string;
}

/**
 * A COD parcel delivered with other cash than its COD amount, or none, as its courier said; or one whose
 * delivery its courier took back.
 */
export class CodDiscrepancyDto {
  @ApiProperty({ format: 'uuid' }) shipmentId!: string;
  @ApiProperty({ format: 'uuid' }) sellerId!: string;
  @ApiProperty() reference!: string;
  @ApiProperty() courier!: string;
  @ApiProperty() awb!: string;
  @ApiProperty({ type: 'integer', description: 'The COD amount the seller asked, rupiah' })
  codAmount!: number;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'The cash the courier’s delivery says it took, rupiah; null when it gave no amount',
  })
  reportedAmount!: number | null;
  @ApiProperty({
    enum: ['less', 'more', 'none', 'taken_back'],
    description:
      'Less or more cash than asked, or none taken; or `taken_back`: the courier took the delivery back (a ' +
      'return or a failed attempt after it, its `delivery_contradicted` alert open), so its COD credit is ' +
      'held in the seller’s pending, not released to available, until the parcel is delivered again',
  })
  kind!: 'less' | 'more' | 'none' | 'taken_back';
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description:
      'For `taken_back`: its open `delivery_contradicted` alert, which a settlement names; else null',
  })
  alertId!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the courier delivered it' }) deliveredAt!: string;
  @ApiProperty({
    type: 'integer',
    description:
      'The COD credit still held in the seller’s pending (not withdrawable), rupiah: 0 when none was credited, ' +
      'or when it was released before the delivery was taken back',
  })
  heldAmount!: number;
}

export class CodDiscrepancyListDto {
  @ApiProperty({ type: [CodDiscrepancyDto] }) items!: CodDiscrepancyDto[];
}

export class UnmappedCodeListDto {
  @ApiProperty({ type: [UnmappedCodeDto] }) items!: UnmappedCodeDto[];
}

export class PushAcceptedDto {
  @ApiProperty({ type: 'integer', description: 'Events the push carried' }) events!: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Of them, events not seen before' }) fresh!: number;
  @ApiPropertyOptional({ description: 'J&T only: the acknowledgement it looks for (always true)' })
  success?: boolean;
  @ApiPropertyOptional({
    oneOf: [{ type: 'integer' }, { type: 'boolean' }],
    description: 'The acknowledgement SAP (200) and JNE (true) look for; absent for the others',
  })
  status?: number | boolean;
}

export class MonitoringQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Window start (default: 30 days before `to`) (a date alone is 00:00 Asia/Jakarta; a time without an offset is Jakarta’s)',
  })
  @Optional()
  @IsInstant()
  from?: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Window end, exclusive (default: now) (a date alone takes its whole day, Asia/Jakarta; a time without an offset is Jakarta’s)',
  })
  @Optional()
  @IsInstant()
  to?: string;
}

export class CourierFiguresDto {
  @ApiProperty() courier!: string;
  @ApiProperty({ type: 'integer', description: 'Shipments that ended in the window' }) shipments!: number;
  @ApiProperty({ type: 'integer' }) delivered!: number;
  @ApiProperty({ type: 'integer' }) returned!: number;
  @ApiProperty({ type: 'integer' }) lost!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Delivered ÷ ended, 0..1' }) successRate!:
    number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Returned ÷ ended, 0..1' }) returnRate!:
    number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Days from pickup to delivery, on average' })
  avgTransitDays!: number | null;
}

export class MonitoringDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Shipments created in the window, by status',
  })
  byStatus!: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Open alerts now, by rule',
  })
  openAlertsByRule!: Record<string, number>;
  @ApiProperty({ type: [CourierFiguresDto] }) couriers!: CourierFiguresDto[];
}

/** Finance's decision on a COD delivery its courier took back. */
export class SettleCodDiscrepancyDto {
  @ApiProperty({
    enum: COD_SETTLEMENT_DECISIONS,
    description:
      '`release`: the cash was collected after all (the courier confirmed it): the COD credit’s withheld hold ' +
      'is let go, and the next `ledger-holds` run moves it to the seller’s available. `reverse`: the cash was ' +
      'never collected: the COD credit is taken back out of the seller’s pending (what is still held there), ' +
      'the rest out of available, and out of the courier’s COD receivable, posted once ' +
      '(`cod-credit-reversal:<shipmentId>`; for a parcel credited again after a reversal, that second credit, ' +
      '`cod-credit-redelivered-reversal:<shipmentId>`); refused (422) when the seller has already withdrawn it',
  })
  @IsIn(COD_SETTLEMENT_DECISIONS)
  decision!: CodSettlementDecision;

  @ApiProperty({
    minLength: 1,
    maxLength: 500,
    example: 'Kurir SAP mengonfirmasi uang COD tidak diterima; paket diretur ke penjual',
    description: 'Why (required; kept with the settlement and on the resolved alert, for audit)',
  })
  @Text(500)
  reason!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The `delivery_contradicted` alert decided on (`alertId` of the listed discrepancy): when it is no longer ' +
      'the open one (the parcel delivered again, or taken back again since), 409 COD_SETTLEMENT_ALERT_CHANGED ' +
      'and nothing moves, so a retry or a stale list never settles a later taking back',
  })
  @Optional()
  @IsUUID()
  alertId?: string;
}

/** A COD delivery taken back, as finance settled it. */
export class CodSettlementDto {
  @ApiProperty({ format: 'uuid' }) shipmentId!: string;
  @ApiProperty({ format: 'uuid' }) sellerId!: string;
  @ApiProperty({ nullable: true, type: String }) awb!: string | null;
  @ApiProperty({ format: 'uuid', description: 'The delivery_contradicted alert it resolved' })
  alertId!: string;
  @ApiProperty({
    example: 'cod-credit:7d7f5a52-0f5e-4c8e-9a43-9d1a3f0b6c11',
    description:
      'The COD credit settled, by its ledger key: the delivery’s (`cod-credit:<shipmentId>`), or the credit ' +
      'of a reversed parcel delivered again (`cod-credit-redelivered:<shipmentId>`), settled on its own',
  })
  creditKey!: string;
  @ApiProperty({ enum: COD_SETTLEMENT_DECISIONS }) decision!: CodSettlementDecision;
  @ApiProperty() reason!: string;
  @ApiProperty({
    type: 'integer',
    description: 'Rupiah: the COD credit let go (release) or reversed (reverse)',
  })
  amount!: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Of amount, rupiah still held in the seller’s pending: let go to available (release), or taken out of it (reverse)',
  })
  fromPending!: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Of amount, rupiah the seller already had in available: left there (release), or taken out of it (reverse)',
  })
  fromAvailable!: number;
  @ApiProperty({ format: 'uuid', description: 'The finance (or admin) user who decided' }) settledBy!: string;
  @ApiProperty({ format: 'date-time' }) settledAt!: string;
}
