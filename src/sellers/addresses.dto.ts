import { RequiresSomeField } from 'src/common/validation-fast-path';
import { ApiProperty } from '@nestjs/swagger';
import {
  ADDRESS_LINES_JOINED,
  IsIndonesianPhone,
  IsPostalCode,
  IsProvince,
  LineText,
  PatchOf,
  StreetAddress,
} from 'src/common/validators';

export class CreateAddressDto {
  @ApiProperty({ example: 'Gudang Bandung', maxLength: 60 })
  @LineText(60)
  label!: string;

  @ApiProperty({ example: 'Sekar Ayu', maxLength: 100 })
  @LineText(100)
  contactName!: string;

  @ApiProperty({ example: '0812-3456-7890', description: 'Answered in E.164 (+628…)' })
  @IsIndonesianPhone()
  phone!: string;

  @ApiProperty({ example: 'Jl. Braga No. 12', maxLength: 300, description: ADDRESS_LINES_JOINED })
  @StreetAddress(300)
  address!: string;

  @ApiProperty({
    example: 'Sumur Bandung',
    maxLength: 100,
    description: 'The district (kecamatan); answered as the area directory spells it',
  })
  @LineText(100)
  district!: string;

  @ApiProperty({
    example: 'Bandung',
    maxLength: 100,
    description:
      'The city or regency, with or without "Kota"/"Kabupaten"; answered as the directory names it ("Kota Bandung")',
  })
  @LineText(100)
  city!: string;

  @ApiProperty({ example: 'Jawa Barat', description: 'Any common spelling; answered in canonical form' })
  @IsProvince()
  province!: string;

  @ApiProperty({ example: '40111', pattern: '^[1-9][0-9]{4}$' })
  @IsPostalCode()
  postalCode!: string;
}

@RequiresSomeField()
export class UpdateAddressDto extends PatchOf(CreateAddressDto) {}

export class AddressDto extends CreateAddressDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '32.73.19',
    description:
      'Kemendagri code of the district the address resolved to (GET /v1/areas); null for older addresses',
  })
  districtCode!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
