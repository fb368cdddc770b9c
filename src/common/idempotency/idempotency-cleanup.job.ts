import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { Clock } from '../clock';
import { IdempotencyRepository } from './idempotency.repository';

@Injectable()
export class IdempotencyCleanupJob {
  constructor(
    private readonly repository: IdempotencyRepository,
    private readonly clock: Clock,
  ) {}

  @Every(3600_000)
  run(): Promise<number> {
    return this.repository.deleteExpired(this.clock.now());
  }
}
