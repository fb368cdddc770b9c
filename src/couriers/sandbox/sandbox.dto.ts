import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { COURIER_REASONS, type CourierReason } from '../courier-adapter';
import { IsInstant, Optional } from 'src/common/validators';
import { SCRIPTS, type Script } from './world';

export const ADVANCE_TARGETS = [
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivery_failed',
  'delivered',
  'returning',
  'returned',
] as const;
export type AdvanceTarget = (typeof ADVANCE_TARGETS)[number];

export class FaultsDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description: 'Share of calls answered with the courier’s server error',
  })
  @Optional()
  @IsNumber()
  @Min(0)
  @Max(1)
  errorRate?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'Share of calls never answered' })
  @Optional()
  @IsNumber()
  @Min(0)
  @Max(1)
  timeoutRate?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 120000, description: 'Delay added to every call' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(120_000)
  latencyMs?: number;
}

export class AdvanceDto {
  @ApiProperty({ enum: ADVANCE_TARGETS })
  @IsIn(ADVANCE_TARGETS)
  to!: AdvanceTarget;

  @ApiPropertyOptional({ enum: COURIER_REASONS, description: 'Why (for delivery_failed and returning)' })
  @Optional()
  @IsIn(COURIER_REASONS)
  reason?: CourierReason;
}

export class ScriptDto {
  @ApiProperty({ enum: SCRIPTS })
  @IsIn(SCRIPTS)
  script!: Script;
}

export class ClockDto {
  @ApiProperty({ minimum: 0, maximum: 24 * 365, description: 'Hours to move the service clock forward' })
  @IsNumber()
  @Min(0)
  @Max(24 * 365)
  advanceHours!: number;
}

export class ClockDtoOut {
  @ApiProperty({ format: 'date-time' }) now!: string;
}

/** One thing that happened to a sandbox parcel, in the world's terms. */
export class SandboxStepDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'A courier status (couriers README §3)' }) status!: string;
  @ApiPropertyOptional({ description: 'A courier reason, on a failure or an exception' }) reason?: string;
  @ApiProperty() location!: string;
}

export class SandboxParcelDto {
  @ApiProperty() courier!: string;
  @ApiProperty() awb!: string;
  @ApiProperty({
    type: [SandboxStepDto],
    description:
      'What has happened so far, in the world’s terms (the courier reports it in its own vocabulary)',
  })
  steps!: SandboxStepDto[];
}

const DAY_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export class RemittanceReportQueryDto {
  @ApiProperty({
    example: '2026-11-23',
    description: 'Parcels delivered at or after: a date (00:00 Asia/Jakarta) or an ISO 8601 instant',
  })
  @IsString()
  @Matches(DAY_OR_INSTANT, { message: 'from must be YYYY-MM-DD or an ISO 8601 instant with an offset' })
  // A day the calendar does not have (2026-02-30) is refused, not rolled over into the next month.
  @IsInstant()
  from!: string;

  @ApiProperty({
    example: '2026-11-30',
    description: 'Parcels delivered before (an instant; a date alone takes its whole day, Asia/Jakarta)',
  })
  @IsString()
  @Matches(DAY_OR_INSTANT, { message: 'to must be YYYY-MM-DD or an ISO 8601 instant with an offset' })
  @IsInstant()
  to!: string;

  @ApiPropertyOptional({
    example: 'true',
    description:
      'Add seeded mistakes: one AWB left out, one amount changed, one line repeated, one unknown AWB ' +
      '(`true`, or any word as a further seed); said in the X-Sandbox-Discrepancies header',
  })
  @Optional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9_-]+$/, {
    message: 'discrepancies must be true, false or a word (letters, digits, _ and -)',
  })
  discrepancies?: string;
}
