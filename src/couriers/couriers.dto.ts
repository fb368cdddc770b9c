import { ApiProperty } from '@nestjs/swagger';
import { COURIER_CODES } from './courier-adapter';

class CourierServiceDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() cod!: boolean;
  @ApiProperty({ type: 'integer', description: 'COD fee, basis points of the COD amount' })
  codFeeBasisPoints!: number;
  @ApiProperty({ type: 'integer', description: 'COD fee minimum, rupiah' }) codFeeMinimum!: number;
  @ApiProperty({ type: 'integer', description: 'Largest COD amount, rupiah' }) codMaxAmount!: number;
  @ApiProperty({ type: 'integer' }) minWeightGrams!: number;
  @ApiProperty({ type: 'integer' }) maxWeightGrams!: number;
}

class LatencyDto {
  @ApiProperty({ nullable: true, type: Number }) p50!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p99!: number | null;
}

class CourierHealthDto {
  @ApiProperty({ enum: ['closed', 'open', 'half_open'] }) state!: string;
  @ApiProperty({ description: 'Share of recent calls that failed (0..1)' }) errorRate!: number;
  @ApiProperty({ type: 'integer' }) recentCalls!: number;
  @ApiProperty({ type: LatencyDto }) latencyMs!: LatencyDto;
}

export class CourierDto {
  @ApiProperty({ enum: COURIER_CODES }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Runs against the built-in sandbox (no credentials configured)' })
  sandbox!: boolean;
  @ApiProperty({ type: [CourierServiceDto] }) services!: CourierServiceDto[];
  @ApiProperty({ type: CourierHealthDto }) health!: CourierHealthDto;
}
