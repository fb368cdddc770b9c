import { Injectable, OnModuleInit } from '@nestjs/common';
import { Every } from 'src/common/every';
import { SandboxControl } from './sandbox-control.service';

/** Starts this instance's sandbox clock, and keeps it in step with the clock another instance may have moved. */
@Injectable()
export class SandboxClockJob implements OnModuleInit {
  constructor(private readonly control: SandboxControl) {}

  onModuleInit(): Promise<void> {
    return this.control.startClock();
  }

  @Every(2000)
  run(): Promise<void> {
    return this.control.syncClock();
  }
}
