import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import { Optional } from 'src/common/validators';

export class RunJobDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Run as of this moment (default: now)' })
  @Optional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class JobRunDto {
  @ApiProperty() job!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ description: 'What the job did (its own figures)' }) result!: unknown;
}
