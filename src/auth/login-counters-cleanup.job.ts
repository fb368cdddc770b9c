import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { AuthService } from './auth.service';

@Injectable()
export class LoginCountersCleanupJob {
  constructor(private readonly auth: AuthService) {}

  @Interval(3600_000)
  run(): Promise<void> {
    return this.auth.pruneLoginCounters();
  }
}
