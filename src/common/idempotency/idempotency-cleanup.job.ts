import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Clock } from '../clock';
import { IdempotencyRepository } from './idempotency.repository';

@Injectable()
export class IdempotencyCleanupJob {
  constructor(
    private readonly repository: IdempotencyRepository,
    private readonly clock: Clock,
  ) {}

  @Interval(3600_000)
  run(): Promise<number> {
    return this.repository.deleteExpired(this.clock.now());
  }
}
