import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from 'config';
import { resolveJwtSecret } from 'src/common/jwt-secret';
import { COURIER_CODES, CourierCode } from '../courier-adapter';
import { CourierSandbox } from './courier-sandbox';
import { IdExpressSandbox } from './idexpress.sandbox';
import { JneSandbox } from './jne.sandbox';
import { JntSandbox } from './jnt.sandbox';
import { NinjaSandbox } from './ninja.sandbox';
import { SandboxFaults } from './sandbox-faults';
import { SandboxWorld } from './sandbox-world.service';
import { SapSandbox } from './sap.sandbox';

const SANDBOXES = {
  jne: JneSandbox,
  jnt: JntSandbox,
  sap: SapSandbox,
  ninja: NinjaSandbox,
  idexpress: IdExpressSandbox,
};

/** The running sandbox servers: one per courier that has no credentials configured. */
@Injectable()
export class CourierSandboxes implements OnApplicationShutdown {
  private readonly running = new Map<CourierCode, CourierSandbox>();

  constructor(
    private readonly world: SandboxWorld,
    private readonly faults: SandboxFaults,
    private readonly config: AppConfig,
  ) {}

  /** Starts a server (on a free 127.0.0.1 port) for every courier in sandbox mode. */
  async start(): Promise<void> {
    for (const code of COURIER_CODES) {
      if (this.config.couriers.credentials[code]) continue;
      const sandbox = new SANDBOXES[code](
        this.world,
        this.faults,
        this.config.couriers.sandboxSeed,
        resolveJwtSecret(this.config),
      );
      await sandbox.start();
      this.running.set(code, sandbox);
    }
  }

  get(code: CourierCode): CourierSandbox | undefined {
    return this.running.get(code);
  }

  all(): CourierSandbox[] {
    return [...this.running.values()];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.all().map((s) => s.stop()));
  }
}
