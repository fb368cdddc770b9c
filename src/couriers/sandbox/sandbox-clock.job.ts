import { Injectable, OnModuleInit } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { SandboxControl } from './sandbox-control.service';

/** Keeps this instance's sandbox clock in step with the offset another instance may have moved. */
@Injectable()
export class SandboxClockJob implements OnModuleInit {
  constructor(private readonly control: SandboxControl) {}

  onModuleInit(): Promise<void> {
    return this.control.syncClock();
  }

  @Interval(2000)
  run(): Promise<void> {
    return this.control.syncClock();
  }
}
