import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { defaults } from 'config/defaults';
import { MAX_PAGE_LIMIT, PageQueryDto } from 'src/common/pagination';
import { AnyCase, Optional, QueryInteger, Text } from 'src/common/validators';
import {
  REMITTANCE_OUTCOMES,
  REMITTANCE_RESOLUTIONS,
  type RemittanceOutcome,
  type RemittanceResolution,
} from './remittance-matching';

/** The couriers that remit COD cash to Kirim (the catalogue's). */
export const REMITTING_COURIERS = Object.keys(defaults.couriers.catalogue);

export class UploadRemittanceQueryDto {
  @ApiProperty({
    enum: REMITTING_COURIERS,
    description: 'The courier whose remittance report this is (any letter case)',
  })
  @AnyCase()
  @IsIn(REMITTING_COURIERS)
  courier!: string;
}

export class ListRemittancesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REMITTING_COURIERS, description: 'Any letter case' })
  @Optional()
  @AnyCase()
  @IsIn(REMITTING_COURIERS)
  courier?: string;
}

export class RemittanceLinesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: REMITTANCE_OUTCOMES,
    description: 'Only the lines of this outcome (any letter case)',
  })
  @Optional()
  @AnyCase()
  @IsIn(REMITTANCE_OUTCOMES)
  outcome?: RemittanceOutcome;
}

export class ReconciliationQueryDto {
  @ApiPropertyOptional({
    enum: REMITTING_COURIERS,
    description: 'One courier only (all by default; any letter case)',
  })
  @Optional()
  @AnyCase()
  @IsIn(REMITTING_COURIERS)
  courier?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 365,
    description:
      'A delivered COD parcel not remitted this many days after delivery is overdue (default: config)',
  })
  @Optional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(365)
  overdueDays?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_LIMIT,
    default: 100,
    description: 'Items listed at most in each list',
  })
  @Optional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'Continues the notRemitted list (its notRemittedCursor)' })
  @Optional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class CountAndAmountDto {
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) amount!: number;
}

export class RemittanceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: REMITTING_COURIERS }) courier!: string;
  @ApiProperty({ format: 'uuid', description: 'The finance user who uploaded it' }) uploadedBy!: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the report text; the same file is taken once per courier' })
  fileSha256!: string;
  @ApiProperty({ type: 'integer' }) lineCount!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah received: the sum of every line' })
  totalAmount!: number;
  @ApiProperty({ type: CountAndAmountDto, description: 'Lines that settled a parcel’s COD receivable' })
  matched!: CountAndAmountDto;
  @ApiProperty({ type: CountAndAmountDto, description: 'A parcel’s AWB with another amount (to suspense)' })
  amountMismatches!: CountAndAmountDto;
  @ApiProperty({
    type: CountAndAmountDto,
    description: 'No delivered COD parcel of the courier (to suspense)',
  })
  unmatched!: CountAndAmountDto;
  @ApiProperty({ type: CountAndAmountDto, description: 'An AWB settled already (to suspense)' })
  duplicates!: CountAndAmountDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When finance voided it: its cash posting reversed, its lines settling nothing any more',
  })
  voidedAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The finance user who voided it',
  })
  voidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why finance voided it, as written' })
  voidReason!: string | null;
}

export class VoidRemittanceDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 500,
    example: 'Diunggah untuk kurir yang salah; laporan SAP, bukan JNE',
    description: 'Why the report is voided (required; kept with it)',
  })
  @Text(500)
  reason!: string;
}

export class RemittanceLineDto {
  @ApiProperty({ format: 'uuid' }) remittanceId!: string;
  @ApiProperty({ type: 'integer', description: 'Data row in the report (1 = the first after the header)' })
  row!: number;
  @ApiProperty({ enum: REMITTING_COURIERS }) courier!: string;
  @ApiProperty() awb!: string;
  @ApiProperty({ type: 'integer', description: 'Rupiah the courier remitted for it' }) amount!: number;
  @ApiProperty({ format: 'date' }) remittedOn!: string;
  @ApiProperty({ enum: REMITTANCE_OUTCOMES }) outcome!: RemittanceOutcome;
  @ApiProperty({
    enum: ['unknown_awb', 'not_delivered_cod', 'cod_reversed'],
    nullable: true,
    description: 'Why an unmatched line matched nothing',
  })
  reason!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) shipmentId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Rupiah Kirim expected (the parcel’s COD)' })
  expectedAmount!: number | null;
  @ApiProperty({ format: 'date-time' }) uploadedAt!: string;
  @ApiProperty({
    enum: REMITTANCE_RESOLUTIONS,
    nullable: true,
    description:
      'How finance resolved the line’s cash in suspense (POST …/lines/:row/resolve), null while unresolved. ' +
      'A line credited to a seller is `matched` to the shipment finance named',
  })
  resolution!: RemittanceResolution | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why finance resolved it so, as written' })
  resolutionNote!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The finance user who resolved it',
  })
  resolvedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;
}

export class ResolveRemittanceLineDto {
  @ApiProperty({
    enum: REMITTANCE_RESOLUTIONS,
    description:
      '`refund_courier`: the cash is paid back to the courier (out of suspense and the bank). `write_off`: ' +
      'Kirim keeps it (out of suspense into other income). `credit_seller`: it is the COD cash of the ' +
      'shipment `shipmentId` (a COD parcel of the same amount the line’s courier carried under the line’s ' +
      'airway bill: booked with it now and delivered, or booked with it before Kirim re-booked it away and ' +
      'that booking since cancelled), whose seller was not credited it or had the credit reversed: the seller ' +
      'is credited as by a delivery (`cod-credit:<shipmentId>`, or `cod-credit-redelivered:<shipmentId>` after ' +
      'a reversal, the same hold), and the line settles the parcel.',
  })
  @IsIn(REMITTANCE_RESOLUTIONS)
  resolution!: RemittanceResolution;

  @ApiProperty({
    minLength: 1,
    maxLength: 500,
    example: 'Kurir mengonfirmasi setoran ganda; dikembalikan lewat transfer 12/12',
    description: 'Why (required; kept with the line with who resolved it and when)',
  })
  @Text(500)
  note!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'With `credit_seller` only (and required there): the shipment whose COD cash the line is',
  })
  @ValidateIf((o: ResolveRemittanceLineDto) => o.resolution === 'credit_seller' || o.shipmentId !== undefined)
  @IsUUID()
  shipmentId?: string;
}

export class RemittanceDetailDto extends RemittanceDto {
  @ApiProperty({ type: [RemittanceLineDto], description: 'A page of the report’s lines, in row order' })
  lines!: RemittanceLineDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class NotRemittedDto {
  @ApiProperty({ format: 'uuid' }) shipmentId!: string;
  @ApiProperty({ enum: REMITTING_COURIERS }) courier!: string;
  @ApiProperty() awb!: string;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) codAmount!: number;
  @ApiProperty({ format: 'date-time' }) deliveredAt!: string;
  @ApiProperty({ type: 'integer', description: 'Whole days since delivery' }) daysSinceDelivery!: number;
}

export class ReconciliationTotalsDto {
  @ApiProperty({ type: CountAndAmountDto }) unmatched!: CountAndAmountDto;
  @ApiProperty({ type: CountAndAmountDto }) amountMismatches!: CountAndAmountDto;
  @ApiProperty({ type: CountAndAmountDto }) duplicates!: CountAndAmountDto;
  @ApiProperty({ type: CountAndAmountDto, description: 'Every overdue parcel, not only the ones listed' })
  notRemitted!: CountAndAmountDto;
}

const LINES_SHOWN =
  'Newest first, at most `limit`: `totals` counts them all, and every line of a report pages by its outcome ' +
  '(GET /v1/finance/remittances/:id?outcome=)';

export class ReconciliationDto {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: 'integer' }) overdueDays!: number;
  @ApiProperty({ nullable: true, type: String }) courier!: string | null;
  @ApiProperty({ type: [RemittanceLineDto], description: LINES_SHOWN })
  unmatched!: RemittanceLineDto[];
  @ApiProperty({ type: [RemittanceLineDto], description: LINES_SHOWN })
  amountMismatches!: RemittanceLineDto[];
  @ApiProperty({ type: [RemittanceLineDto], description: LINES_SHOWN })
  duplicates!: RemittanceLineDto[];
  @ApiProperty({
    type: [NotRemittedDto],
    description: 'Delivered COD parcels not settled `overdueDays` after delivery, longest overdue first',
  })
  notRemitted!: NotRemittedDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for more of notRemitted' })
  notRemittedCursor!: string | null;
  @ApiProperty({ type: ReconciliationTotalsDto }) totals!: ReconciliationTotalsDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Each courier’s COD receivable balance (rupiah the courier holds for Kirim)',
  })
  receivable!: Record<string, number>;
  @ApiProperty({
    type: 'integer',
    description:
      'Rupiah remitted that no parcel explains (remittance suspense): one account for every courier, so the whole of it even with `courier`',
  })
  suspense!: number;
}
