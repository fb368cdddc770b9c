import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { defaults } from 'config/defaults';
import { ROLES, type Role } from 'src/common/auth/principal';
import { Trim } from 'src/common/validators';

const lower = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  );

export class EmailPasswordDto {
  @ApiProperty({ example: 'owner@tokoku.id' })
  @lower()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: defaults.password.minLength, example: 'correct horse battery' })
  @IsString()
  @MinLength(defaults.password.minLength)
  @MaxLength(defaults.password.maxLength)
  password!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'owner@tokoku.id' })
  @lower()
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(defaults.password.maxLength)
  password!: string;
}

export class AccessTokenDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires' }) expiresIn!: number;
}

const SELLER_USER_ROLES = ['seller_owner', 'seller_staff'] as const;

export class CreateUserDto extends EmailPasswordDto {
  @ApiProperty({ enum: SELLER_USER_ROLES })
  @IsIn(SELLER_USER_ROLES)
  role!: (typeof SELLER_USER_ROLES)[number];
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) sellerId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreateApiKeyDto {
  @ApiPropertyOptional({ example: 'Shopify integration', maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'First characters of the key, to recognise it' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself; shown only in this response' }) key!: string;
}
