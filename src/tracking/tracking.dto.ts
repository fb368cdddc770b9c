import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COURIER_REASONS, COURIER_STATUSES } from 'src/couriers/courier-adapter';

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
  @ApiProperty({ nullable: true }) location!: string | null;
  @ApiProperty() courier!: string;
  @ApiProperty() awb!: string;
  @ApiProperty({ description: 'On the way back to the seller' }) returnLeg!: boolean;
  @ApiProperty({
    nullable: true,
    description: 'The courier’s word on the COD cash; null when it says nothing',
  })
  codCollected!: boolean | null;
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

export class UnmappedCodeListDto {
  @ApiProperty({ type: [UnmappedCodeDto] }) items!: UnmappedCodeDto[];
}

export class PushAcceptedDto {
  @ApiProperty({ type: 'integer', description: 'Events the push carried' }) events!: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Of them, events not seen before' }) fresh!: number;
}
