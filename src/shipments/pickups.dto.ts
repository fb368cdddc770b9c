import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';
import { ArrayDistinct, IsCalendarDate, Optional } from 'src/common/validators';

export class CreatePickupDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 500 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  // A UUID in capitals is the same shipment: named twice in either case it is a duplicate.
  @ArrayDistinct((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id))
  @IsUUID('all', { each: true })
  shipmentIds!: string[];

  @ApiPropertyOptional({ example: '2026-11-24', description: 'Pickup day (Asia/Jakarta)' })
  @Optional()
  @IsCalendarDate()
  pickupDate?: string;
}

export class PickupAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['accepted'] }) status!: 'accepted';
  @ApiProperty({ type: [Object] }) shipments!: { shipmentId: string; status: string }[];
}

export class PickupAttemptDto {
  @ApiProperty() courier!: string;
  @ApiProperty() service!: string;
  @ApiProperty({
    enum: ['started', 'booked', 'failed', 'cancelled'],
    description:
      '`cancelled`: booked, then the courier cancelled or missed the pickup and Kirim re-booked, or (`superseded`) booked after the shipment already had another booking, and cancelled at once. `booked` with errorKind `superseded`: such an order not cancelled yet (errorCode SUPERSEDED_CANCEL_PENDING: its courier unreachable, asked again every 10 minutes for a day), not cancelled by its courier (SUPERSEDED_LIVE: refused, or picked up already), or no longer asked after a day (SUPERSEDED_GIVEN_UP)',
  })
  outcome!: string;
  @ApiPropertyOptional() awb?: string;
  @ApiPropertyOptional({
    enum: ['retriable', 'permanent', 'reconciled', 'pickup_missed', 'courier_cancelled', 'superseded'],
  })
  errorKind?: string;
  @ApiPropertyOptional() errorCode?: string;
  @ApiPropertyOptional() errorMessage?: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class PickupShipmentDto {
  @ApiProperty({ format: 'uuid' }) shipmentId!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: String, nullable: true }) courier!: string | null;
  @ApiProperty({ type: String, nullable: true }) service!: string | null;
  @ApiProperty({ type: String, nullable: true }) awb!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: [PickupAttemptDto] }) attempts!: PickupAttemptDto[];
}

export class PickupDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['processing', 'done'] }) status!: 'processing' | 'done';
  @ApiProperty({ type: String, nullable: true }) pickupDate!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: [PickupShipmentDto] }) shipments!: PickupShipmentDto[];
}
