import { RequiresSomeField } from 'src/common/validation-fast-path';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, IsUrl, Max, MaxLength, Min, MinLength } from 'class-validator';
import { EmailPasswordDto, UserDto } from 'src/auth/auth.dto';
import { HasVisibleText, Nullable, OneLine, Optional, PlainText, Trim } from 'src/common/validators';
import { SCORING_PRESETS, type ScoringPreset } from './seller-settings.entity';

export class SignupDto extends EmailPasswordDto {
  @ApiProperty({ example: 'Toko Batik Sekar', maxLength: 120 })
  @Trim()
  @IsString()
  @MinLength(2)
  @PlainText()
  // Printed on one line of every invoice, label and finance list.
  @OneLine()
  @HasVisibleText()
  @MaxLength(120)
  sellerName!: string;
}

export class SellerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class SignupResultDto {
  @ApiProperty({ type: SellerDto }) seller!: SellerDto;
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty() accessToken!: string;
  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires' }) expiresIn!: number;
}

class MeUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() role!: string;
}

class MeApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'First characters of the key' }) prefix!: string;
  @ApiProperty({ enum: ['seller_staff'], description: 'What the key may do' }) role!: 'seller_staff';
}

export class MeDto {
  @ApiProperty({ type: MeUserDto, nullable: true, description: 'The logged-in user; null for an API key' })
  user!: MeUserDto | null;
  @ApiProperty({ type: SellerDto, nullable: true }) seller!: SellerDto | null;
  @ApiPropertyOptional({
    type: MeApiKeyDto,
    description: 'Present only when called with an API key: that key',
  })
  apiKey?: MeApiKeyDto;
}

@RequiresSomeField()
export class UpdateSettingsDto {
  @ApiPropertyOptional({ enum: SCORING_PRESETS })
  @Optional()
  @IsIn(SCORING_PRESETS)
  scoringPreset?: ScoringPreset;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://tokoku.id/kirim-webhook' })
  @Nullable()
  @IsString()
  @PlainText()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'webhookUrl must be an http(s) URL' },
  )
  // Checked before the URL's form (the lowest rule runs first): an overlong URL is told it is too long.
  @MaxLength(2048)
  webhookUrl?: string | null;

  @ApiPropertyOptional({ description: 'Rupiah lost beyond fees when a COD parcel fails', example: 15000 })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  lostMarginPerFailure?: number;

  @ApiPropertyOptional({ description: 'Generate a new webhook secret' })
  @Optional()
  @IsBoolean()
  rotateWebhookSecret?: boolean;
}

export class SettingsDto {
  @ApiProperty({ enum: SCORING_PRESETS }) scoringPreset!: ScoringPreset;
  @ApiProperty({ type: String, nullable: true }) webhookUrl!: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Verifies X-Kirim-Signature on our webhooks. Shown to the owner only',
  })
  webhookSecret?: string | null;
  @ApiProperty({ description: 'Whether a webhook secret exists (what staff and API keys see of it)' })
  webhookSecretSet!: boolean;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) lostMarginPerFailure!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
