import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from 'src/common/pagination';
import {
  ADDRESS_LINES_JOINED,
  AnyCase,
  IsIndonesianPhone,
  IsInstant,
  IsPostalCode,
  IsProvince,
  LineText,
  Optional,
  StreetAddress,
  Trim,
} from 'src/common/validators';
import { COURIER_CODES, type CourierCode } from 'src/couriers/courier-adapter';
import { CodAmount, ParcelDto, QuoteOptionDto } from 'src/scoring/quotes.dto';
import { PickupAttemptDto } from './pickups.dto';
import { SHIPMENT_STATUSES, type ShipmentStatus } from './shipment-status';

export class RecipientDto {
  @ApiProperty({ example: 'Budi Santoso', maxLength: 100 }) @LineText(100) name!: string;
  @ApiProperty({ example: '0812-9876-5432', description: 'Answered in E.164' })
  @IsIndonesianPhone()
  phone!: string;
  @ApiProperty({ example: 'Jl. Kebon Sirih No. 5', maxLength: 300, description: ADDRESS_LINES_JOINED })
  @StreetAddress(300)
  address!: string;
  @ApiPropertyOptional({ example: 'Menteng', maxLength: 100 }) @Optional() @LineText(100) district?: string;
  @ApiProperty({ example: 'Jakarta Pusat', maxLength: 100 }) @LineText(100) city!: string;
  @ApiProperty({ example: 'DKI Jakarta' }) @IsProvince() province!: string;
  @ApiProperty({ example: '10340' }) @IsPostalCode() postalCode!: string;
}

/** A recipient as answered: the directory's names and the district code it resolved to. */
export class RecipientViewDto extends RecipientDto {
  @ApiPropertyOptional({
    example: '31.71.06',
    description:
      'Kemendagri district code (GET /v1/areas); absent when no district was given, or for shipments from before the area directory',
  })
  districtCode?: string;
}

export class ShipmentParcelDto extends ParcelDto {
  @ApiPropertyOptional({ example: 'Kain batik', maxLength: 200 })
  @Optional()
  @LineText(200)
  description?: string;
}

/** A pinned courier service; its codes as a seller types them (`Jne`, ` reg `), answered as the catalogue's. */
export class CourierChoiceDto {
  @ApiProperty({ enum: COURIER_CODES, description: 'Any letter case; answered in lower case' })
  @AnyCase()
  @IsIn(COURIER_CODES)
  code!: CourierCode;
  @ApiProperty({ example: 'REG', description: 'Any letter case; answered as the courier names it' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  service!: string;
}

export class CreateShipmentDto {
  @ApiProperty({ example: 'ORDER-1001', description: 'Your order reference, unique among your shipments' })
  @Trim()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, {
    message: 'reference must be 1 to 40 letters, digits, dashes or underscores',
  })
  reference!: string;

  @ApiProperty({ format: 'uuid' }) @IsUUID() originAddressId!: string;

  @ApiProperty({ type: RecipientDto })
  @IsObject()
  @ValidateNested()
  @Type(() => RecipientDto)
  recipient!: RecipientDto;

  @ApiProperty({ type: ShipmentParcelDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ShipmentParcelDto)
  parcel!: ShipmentParcelDto;

  @CodAmount()
  codAmount?: number;

  @ApiPropertyOptional({
    type: CourierChoiceDto,
    description: 'Pin a courier service instead of letting Kirim choose',
  })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => CourierChoiceDto)
  courier?: CourierChoiceDto;
}

export class ListShipmentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SHIPMENT_STATUSES, description: 'Any letter case' })
  @Optional()
  @AnyCase()
  @IsIn(SHIPMENT_STATUSES)
  status?: ShipmentStatus;
  @ApiPropertyOptional({ enum: ['none', 'at_risk'], description: 'Any letter case' })
  @Optional()
  @AnyCase()
  @IsIn(['none', 'at_risk'])
  risk?: 'none' | 'at_risk';
  // As a pinned courier on create is read: `JNE` and `Jne` are jne, not a 400.
  @ApiPropertyOptional({ enum: COURIER_CODES, description: 'Any letter case' })
  @Optional()
  @AnyCase()
  @IsIn(COURIER_CODES)
  courier?: CourierCode;
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Created at or after (a date alone is 00:00 Asia/Jakarta; a time without an offset is Jakarta’s)',
  })
  @Optional()
  @IsInstant()
  from?: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Created before (a date alone takes its whole day, Asia/Jakarta; a time without an offset is Jakarta’s)',
  })
  @Optional()
  @IsInstant()
  to?: string;
  @ApiPropertyOptional({
    maxLength: 100,
    description:
      'Search: the start of the seller’s reference or of the airway bill, a part of the recipient’s name, or the recipient’s phone (any Indonesian form)',
    example: 'ORD-1001',
  })
  @Optional()
  @LineText(100)
  q?: string;
}

export class ShipmentChargesDto {
  @ApiProperty({ type: 'integer', description: 'Rupiah: the booked service’s shipping price' })
  shipping!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Rupiah: the COD fee (charged when a COD parcel is delivered)',
  })
  codFee!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah: cashback on shipping, deducted on the invoice' })
  cashback!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Rupiah: the return fee (charged when the parcel comes back)',
  })
  returnFee!: number;
}

export class ShipmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() reference!: string;
  @ApiProperty({ enum: SHIPMENT_STATUSES }) status!: ShipmentStatus;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: 'integer', description: 'Delivery attempts so far' }) attempts!: number;
  @ApiProperty({
    description:
      'The COD cash was collected: the courier reported it taken at delivery, or finance credited it from the ' +
      'courier’s remittance (also for a cancelled parcel an earlier booking carried: carriedByEarlierBooking)',
  })
  codCollected!: boolean;
  @ApiProperty({ enum: ['none', 'at_risk'] }) risk!: 'none' | 'at_risk';
  @ApiProperty({ format: 'uuid' }) originAddressId!: string;
  @ApiProperty({ description: 'The pickup address as it was at creation' }) origin!: Record<string, string>;
  @ApiProperty({ type: RecipientViewDto }) recipient!: RecipientViewDto;
  @ApiProperty({ type: ShipmentParcelDto }) parcel!: ShipmentParcelDto;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) codAmount!: number;
  @ApiProperty({
    type: CourierChoiceDto,
    nullable: true,
    description: 'The courier service carrying it (once booked)',
  })
  courier!: CourierChoiceDto | null;
  @ApiProperty({ type: CourierChoiceDto, nullable: true, description: 'A courier service the seller pinned' })
  requestedCourier!: CourierChoiceDto | null;
  @ApiProperty({ type: String, nullable: true }) awb!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'While booked: when the courier must have picked the parcel up (else Kirim re-books it)',
  })
  pickupDueAt!: string | null;
  @ApiProperty({
    type: ShipmentChargesDto,
    nullable: true,
    description: 'What it costs, as quoted by the booked courier service (null until booked)',
  })
  charges!: ShipmentChargesDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class DecisionPickDto {
  @ApiProperty() courier!: string;
  @ApiProperty() service!: string;
  @ApiProperty({ type: 'integer', description: 'Rupiah: expected cost of a successful delivery' })
  expectedCost!: number;
  @ApiProperty({ type: 'integer', description: 'Lower is better' }) score!: number;
}

/** The booking's scoring decision, as stored when the courier was chosen. */
export class ScoringDecisionDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['cheapest', 'fastest', 'safest', 'balanced'] }) preset!: string;
  @ApiProperty() modelVersion!: string;
  @ApiProperty({ type: DecisionPickDto, nullable: true, description: 'The best option' })
  winner!: DecisionPickDto | null;
  @ApiProperty({
    type: DecisionPickDto,
    nullable: true,
    description: 'The next best: what it would have cost',
  })
  runnerUp!: DecisionPickDto | null;
  @ApiProperty({
    type: DecisionPickDto,
    nullable: true,
    description: 'The option booked (after any failover)',
  })
  booked!: DecisionPickDto | null;
  @ApiProperty({ type: [QuoteOptionDto], description: 'Every candidate with each term of its score' })
  candidates!: QuoteOptionDto[];
}

/** A booking of a cancelled parcel (its own, or an earlier one re-booked away) whose courier carried it after all. */
export class CarriedByEarlierBookingDto {
  @ApiProperty() courier!: string;
  @ApiProperty() service!: string;
  @ApiProperty() awb!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'When finance credited its COD cash from that courier’s remittance (the invoice’s period)',
  })
  recordedAt!: string;
  @ApiProperty({
    type: ShipmentChargesDto,
    nullable: true,
    description:
      'What that booking was quoted: the invoice charges its shipping and COD fee less its cashback',
  })
  charges!: ShipmentChargesDto | null;
}

/** A shipment with what its booking decided and tried (tracking adds the courier's side). */
export class BookedShipmentDto extends ShipmentDto {
  @ApiProperty({
    type: ScoringDecisionDto,
    nullable: true,
    description: 'Why this courier: every candidate and term, winner and runner-up (null before booking)',
  })
  decision!: ScoringDecisionDto | null;
  @ApiProperty({
    type: [PickupAttemptDto],
    description: 'Each courier service tried at booking, oldest first',
  })
  pickupAttempts!: PickupAttemptDto[];
  @ApiProperty({
    type: CarriedByEarlierBookingDto,
    nullable: true,
    description:
      'A cancelled parcel that a booking’s courier carried after all (the shipment’s own booking, cancelled too ' +
      'late, or an earlier one Kirim had re-booked away): its COD cash collected (`codCollected` true) and ' +
      'credited to the seller, invoiced through that booking',
  })
  carriedByEarlierBooking!: CarriedByEarlierBookingDto | null;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Delivery attempts that failed so far, as tracking reported them (0 before the first)',
  })
  failedAttempts!: number;
}

class RowErrorDto {
  @ApiProperty({ type: 'integer', description: '1-based data row (CSV header not counted)' }) row!: number;
  @ApiProperty({
    type: 'integer',
    required: false,
    description:
      'CSV only: the row as a spreadsheet numbers it (the header is 1, blank lines count; a cell spanning lines stays in its row)',
  })
  line?: number;
  @ApiProperty({ type: [Object], description: '{ field, message } per offending field' }) details!: {
    field: string;
    message: string;
  }[];
}

export class BulkImportResultDto {
  @ApiProperty({ type: [ShipmentDto] }) created!: ShipmentDto[];
  @ApiProperty({ type: [RowErrorDto] }) errors!: RowErrorDto[];
}
