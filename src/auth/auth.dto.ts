import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidationArguments,
} from 'class-validator';
import { defaults } from 'config/defaults';
import { ROLES, type Role } from 'src/common/auth/principal';
import { HasVisibleText, OneLine, PlainText, Trim } from 'src/common/validators';

/**
 * One spelling per address: NFKC folds full-width letters and composes accents (`ｏwner` is `owner`, and
 * `e` + U+0301 is `é`), then lower case. Two accounts that show as the same email could be made otherwise.
 */
const canonicalEmail = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.normalize('NFKC').trim().toLowerCase() : value,
  );

/** No invisible, control or space character: an address with one looks like another that has none. */
const ALL_SEEN = /^[^\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Z}]*$/u;

/** A password being set: long enough, of enough different characters (the ApiProperty says which). */
const NewPassword = () =>
  applyDecorators(
    ApiProperty({
      minLength: defaults.password.minLength,
      example: 'correct horse battery',
      description: `At least ${defaults.password.minLength} characters, ${defaults.password.minDistinct} of them different`,
    }),
    IsString(),
    MinLength(defaults.password.minLength),
    MaxLength(defaults.password.maxLength),
    ValidateBy({
      name: 'variedPassword',
      validator: {
        validate: (v: unknown) =>
          typeof v === 'string' && new Set(v.replace(/\s/g, '')).size >= defaults.password.minDistinct,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'password'} must have at least ${defaults.password.minDistinct} different characters besides spaces (not "aaaaaaaaaa" or ten spaces)`,
      },
    }),
  );

export class EmailPasswordDto {
  @ApiProperty({ example: 'owner@tokoku.id' })
  @canonicalEmail()
  @IsEmail({}, { message: 'email must be an email address' })
  @Matches(ALL_SEEN, {
    message: 'email must not contain invisible, control or space characters',
  })
  @MaxLength(254)
  email!: string;

  @NewPassword()
  password!: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: 'End every session of the person, not only this one (default false)' })
  @IsOptional()
  @IsBoolean()
  everywhere?: boolean;
}

export class LoginDto {
  @ApiProperty({ example: 'owner@tokoku.id' })
  @canonicalEmail()
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
  @PlainText()
  @OneLine()
  @HasVisibleText()
  @MaxLength(100)
  name?: string;
}

export class ApiKeyCreatorDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'First characters of the key, to recognise it' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ type: ApiKeyCreatorDto, description: 'The user who created the key (removed users too)' })
  createdBy!: ApiKeyCreatorDto;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself; shown only in this response' }) key!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'The password now, to show it is you' })
  @IsString()
  @MaxLength(defaults.password.maxLength)
  currentPassword!: string;

  @NewPassword()
  newPassword!: string;
}
