import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsIndonesianPhone, IsPostalCode, IsProvince, PatchOf, Trim } from 'src/common/validators';

const text = (max: number) => (target: object, key: string) => {
  Trim()(target, key);
  IsString()(target, key);
  MinLength(1)(target, key);
  MaxLength(max)(target, key);
};

export class CreateAddressDto {
  @ApiProperty({ example: 'Gudang Bandung', maxLength: 60 })
  @text(60)
  label!: string;

  @ApiProperty({ example: 'Sekar Ayu', maxLength: 100 })
  @text(100)
  contactName!: string;

  @ApiProperty({ example: '0812-3456-7890', description: 'Answered in E.164 (+628…)' })
  @IsIndonesianPhone()
  phone!: string;

  @ApiProperty({ example: 'Jl. Braga No. 12', maxLength: 300 })
  @text(300)
  address!: string;

  @ApiProperty({ example: 'Sumur Bandung', maxLength: 100 })
  @text(100)
  district!: string;

  @ApiProperty({ example: 'Bandung', maxLength: 100 })
  @text(100)
  city!: string;

  @ApiProperty({ example: 'Jawa Barat', description: 'Any common spelling; answered in canonical form' })
  @IsProvince()
  province!: string;

  @ApiProperty({ example: '40111', pattern: '^[1-9][0-9]{4}$' })
  @IsPostalCode()
  postalCode!: string;
}

export class UpdateAddressDto extends PatchOf(CreateAddressDto) {}

export class AddressDto extends CreateAddressDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
