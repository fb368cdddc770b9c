import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { OneLine, Optional, PlainText, QueryInteger, Trim } from 'src/common/validators';

export const MAX_AREA_RESULTS = 50;

export class AreaSearchQueryDto {
  @ApiProperty({
    minLength: 2,
    maxLength: 100,
    example: 'tebet jaksel',
    description: 'What the seller typed: district, city or both, abbreviations and small typos welcome',
  })
  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  @OneLine()
  @PlainText()
  q!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_AREA_RESULTS, default: 10 })
  @Optional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_AREA_RESULTS)
  limit?: number;
}

export class AreaUnitDto {
  @ApiProperty({ example: '31.74', description: 'Kemendagri code' }) code!: string;
  @ApiProperty({ example: 'Kota Administrasi Jakarta Selatan' }) name!: string;
}

export class AreaDto {
  @ApiProperty({ example: '31.74.01', description: "The district's Kemendagri code" }) code!: string;
  @ApiProperty({ example: 'Tebet', description: 'The district (kecamatan), as the directory spells it' })
  name!: string;
  @ApiProperty({ type: AreaUnitDto, description: 'Its regency (kabupaten) or city (kota)' })
  regency!: AreaUnitDto;
  @ApiProperty({ type: AreaUnitDto, example: { code: '31', name: 'DKI Jakarta' } })
  province!: AreaUnitDto;
}

export class AreaListDto {
  @ApiProperty({ type: [AreaDto], description: 'Best first' }) items!: AreaDto[];
}

/** A district suggested in an AREA_UNRESOLVED error's details. */
export class AreaSuggestionDto {
  @ApiProperty({ example: '32.73.07' }) code!: string;
  @ApiProperty({ example: 'Sukajadi' }) district!: string;
  @ApiProperty({ example: 'Kota Bandung' }) regency!: string;
  @ApiProperty({ example: 'Jawa Barat' }) province!: string;
}
