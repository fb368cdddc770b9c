import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { PageQueryDto } from 'src/common/pagination';
import { AnyCase, Optional } from 'src/common/validators';
import { SHIPMENT_STATUSES, type ShipmentStatus } from 'src/shipments/shipment-status';
import { BookingStandingDto } from './shipment-actions.dto';
import {
  RISK_RULES,
  SEVERITIES,
  SUGGESTED_ACTIONS,
  type RiskRuleCode,
  type Severity,
  type SuggestedAction,
} from './risk-rules';

export const ALERT_STATES = ['open', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export class ListAlertsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ALERT_STATES,
    default: 'open',
    description:
      'open: most severe, then newest first; resolved: most recently resolved first (any letter case)',
  })
  @Optional()
  @AnyCase()
  @IsIn(ALERT_STATES)
  state?: AlertState;

  @ApiPropertyOptional({ enum: RISK_RULES, description: 'Any letter case' })
  @Optional()
  @AnyCase()
  @IsIn(RISK_RULES)
  rule?: RiskRuleCode;

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'Any letter case' })
  @Optional()
  @AnyCase()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      'Only alerts the seller has acknowledged (`true`) or not yet (`false`: what still asks for them)',
  })
  @Optional()
  @IsIn(['true', 'false'], { message: 'acknowledged must be true or false' })
  acknowledged?: 'true' | 'false';

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this shipment’s alerts' })
  @Optional()
  @IsUUID()
  shipmentId?: string;
}

export class AlertContactDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'https://wa.me/6281298765432?text=Halo%20Kak%20Budi%2C%20pesanan%20%23INV-123%20Anda%20...',
    description: 'Opens a WhatsApp chat with the buyer, with a short Indonesian message about the problem',
  })
  whatsappUrl!: string | null;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) shipmentId!: string;
  @ApiProperty({ example: 'INV-2026-0042', description: 'The seller’s own reference of the shipment' })
  shipmentReference!: string;
  @ApiProperty({ enum: RISK_RULES }) rule!: RiskRuleCode;
  @ApiProperty({ type: 'integer', description: 'Version of the rule’s logic that raised it' })
  ruleVersion!: number;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty({
    example: 'consignee_absent',
    description: 'Normalized reason (the courier’s or the rule’s)',
  })
  reason!: string;
  @ApiProperty({
    example: 'J&T Express could not deliver the parcel on attempt 1: nobody was at the address.',
  })
  message!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'J&T Express gagal mengantar paket pada percobaan ke-1: tidak ada orang di alamat.',
    description:
      'The message in Indonesian. Null only for an alert opened before Indonesian was kept, until its shipment is next assessed (its next poll or push)',
  })
  messageIndonesian!: string | null;
  @ApiProperty({ enum: SUGGESTED_ACTIONS }) suggestedAction!: SuggestedAction;
  @ApiProperty({ type: AlertContactDto }) contact!: AlertContactDto;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acknowledgedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;
}

/** What the alert inbox needs of the alert's shipment to offer only the actions the API would take. */
export class AlertShipmentDto extends BookingStandingDto {
  @ApiProperty({ enum: SHIPMENT_STATUSES }) status!: ShipmentStatus;
}

/** An alert as the inbox (GET /v1/alerts, acknowledging) shows it: with where its shipment stands. */
export class InboxAlertDto extends AlertDto {
  @ApiProperty({ type: AlertShipmentDto }) shipment!: AlertShipmentDto;
}
