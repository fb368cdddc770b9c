import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PageQueryDto } from 'src/common/pagination';
import { AnyCase, Optional } from 'src/common/validators';
import { SELLER_EVENT_TYPES, type SellerEventType } from './seller-event';
import { DELIVERY_STATUSES, type DeliveryStatus } from './webhook-delivery.entity';

export class ListWebhookDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'Any letter case' })
  @Optional()
  @AnyCase()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ enum: SELLER_EVENT_TYPES, description: 'Any letter case' })
  @Optional()
  @AnyCase()
  @IsIn(SELLER_EVENT_TYPES)
  type?: SellerEventType;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The `id` in the body: the same on every attempt' })
  eventId!: string;
  @ApiProperty({ enum: SELLER_EVENT_TYPES }) type!: SellerEventType;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description:
      '`pending` until a 2xx answer (`delivered`) or the end of the 24-hour retry window (`failed`)',
  })
  status!: DeliveryStatus;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'HTTP status of the last answer' })
  lastResponseCode!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the last attempt failed (with at most a short piece of the answer)',
  })
  lastError!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'While pending: when it is tried next',
  })
  nextAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
}

export class WebhookTestResultDto {
  @ApiProperty({ format: 'uuid', description: 'Listed in GET /v1/webhook-deliveries' }) deliveryId!: string;
  @ApiProperty({ enum: ['delivered', 'failed'] }) status!: 'delivered' | 'failed';
  @ApiProperty({ type: 'integer', nullable: true }) responseCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}
