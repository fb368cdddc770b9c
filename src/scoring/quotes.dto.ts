import { applyDecorators } from '@nestjs/common';
import { defaults } from 'config/defaults';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { IsPostalCode, IsProvince, LineText, Optional } from 'src/common/validators';
import { SCORING_PRESETS, type ScoringPreset } from 'src/sellers/seller-settings.entity';

/** Rupiah to collect on delivery, optional: the same limit wherever a COD amount is given (quotes, shipments). */
export const CodAmount = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      description: 'Rupiah to collect on delivery (0 or absent: not COD)',
      minimum: 0,
      maximum: defaults.maxCodAmount,
    }),
    Optional(),
    IsInt(),
    Min(0),
    Max(defaults.maxCodAmount),
  );

export class DestinationDto {
  @ApiPropertyOptional({ example: 'Menteng', maxLength: 100 })
  @Optional()
  @LineText(100)
  district?: string;

  @ApiProperty({ example: 'Jakarta Pusat', maxLength: 100 })
  @LineText(100)
  city!: string;

  @ApiProperty({ example: 'DKI Jakarta' })
  @IsProvince()
  province!: string;

  @ApiProperty({ example: '10340' })
  @IsPostalCode()
  postalCode!: string;
}

export class ParcelDto {
  @ApiProperty({ description: 'Grams', minimum: 1, maximum: 1_000_000 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  weightGrams!: number;

  @ApiPropertyOptional({ description: 'Centimetres', minimum: 1, maximum: 500 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(500)
  lengthCm?: number;

  @ApiPropertyOptional({ description: 'Centimetres', minimum: 1, maximum: 500 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(500)
  widthCm?: number;

  @ApiPropertyOptional({ description: 'Centimetres', minimum: 1, maximum: 500 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(500)
  heightCm?: number;

  @ApiPropertyOptional({ description: 'Declared goods value, rupiah' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  itemValue?: number;
}

export class QuoteRequestDto {
  @ApiProperty({ format: 'uuid', description: 'One of your pickup addresses' })
  @IsUUID()
  originAddressId!: string;

  @ApiProperty({ type: DestinationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DestinationDto)
  destination!: DestinationDto;

  @ApiProperty({ type: ParcelDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ParcelDto)
  parcel!: ParcelDto;

  @CodAmount()
  codAmount?: number;

  @ApiPropertyOptional({ enum: SCORING_PRESETS, description: 'Defaults to your settings’ preset' })
  @Optional()
  @IsIn(SCORING_PRESETS)
  preset?: ScoringPreset;
}

class DaysDto {
  @ApiProperty({ type: 'integer' }) min!: number;
  @ApiProperty({ type: 'integer' }) max!: number;
}

class ObservedDaysDto {
  @ApiProperty() p50!: number;
  @ApiProperty() p90!: number;
}

export class QuoteOptionDto {
  @ApiProperty() courier!: string;
  @ApiProperty() service!: string;
  @ApiProperty() serviceName!: string;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Rupiah; null when the courier gave no price',
  })
  price!: number | null;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) codFee!: number;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Rupiah Kirim earns back on shipping (invoiced as a credit); null without a price',
  })
  cashback!: number | null;
  @ApiProperty({ type: DaysDto, description: 'Promised transit days' }) etaDays!: DaysDto;
  @ApiProperty({
    type: ObservedDaysDto,
    nullable: true,
    description: 'Observed transit days when Kirim has enough deliveries',
  })
  observedTransitDays!: ObservedDaysDto | null;
  @ApiProperty({
    description:
      'Learned chance the parcel is delivered and paid (0..1): from the outcomes of COD parcels for a COD parcel, of prepaid ones for a prepaid parcel (a buyer may refuse to pay at the door)',
  })
  successRate!: number;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Rupiah: the expected cost of a successful delivery; null without a price',
  })
  expectedCost!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Lower is better; null without a price' })
  score!: number | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: '1 for the recommended option; null when ineligible',
  })
  rank!: number | null;
  @ApiProperty() eligible!: boolean;
  @ApiPropertyOptional() ineligibleReason?: string;
  @ApiProperty({
    type: Object,
    nullable: true,
    description: 'Every term of the expected cost and of the score, rupiah; null without a price',
  })
  breakdown!: Record<string, unknown> | null;
}

class RecommendedDto {
  @ApiProperty() courier!: string;
  @ApiProperty() service!: string;
}

/** The destination as the area directory resolved it: what was priced, in the directory's names. */
export class QuoteDestinationDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '31.71.06',
    description: 'Kemendagri district code (GET /v1/areas); null when no district was given',
  })
  districtCode!: string | null;
  @ApiProperty({ example: 'Menteng', description: "'' when no district was given" }) district!: string;
  @ApiProperty({ example: 'Kota Administrasi Jakarta Pusat' }) city!: string;
  @ApiProperty({ example: 'DKI Jakarta' }) province!: string;
  @ApiProperty({ example: '10340' }) postalCode!: string;
}

export class QuoteResponseDto {
  @ApiProperty({ type: QuoteDestinationDto }) destination!: QuoteDestinationDto;
  @ApiProperty({ type: [QuoteOptionDto] }) options!: QuoteOptionDto[];
  @ApiProperty({ type: RecommendedDto, nullable: true }) recommended!: RecommendedDto | null;
  @ApiProperty({ enum: SCORING_PRESETS }) preset!: string;
  @ApiProperty() modelVersion!: string;
}
