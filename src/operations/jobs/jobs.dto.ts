import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInstant, Optional } from 'src/common/validators';

export class RunJobDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Run as of this moment (default: now) (a date alone is 00:00 Asia/Jakarta; a time without an offset is Jakarta’s)',
  })
  @Optional()
  @IsInstant()
  asOf?: string;
}

export class JobRunDto {
  @ApiProperty() job!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({
    description: 'What the job did: its own figures (an object), or a count for a job that only counts',
    oneOf: [{ type: 'object', additionalProperties: true }, { type: 'integer' }],
  })
  result!: unknown;
}
