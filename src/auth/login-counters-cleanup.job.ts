import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { AuthService } from './auth.service';

@Injectable()
export class LoginCountersCleanupJob {
  constructor(private readonly auth: AuthService) {}

  @Every(3600_000)
  run(): Promise<void> {
    return this.auth.pruneLoginCounters();
  }
}
