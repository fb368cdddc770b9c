import { Injectable } from '@nestjs/common';
import type { CourierCode } from '../courier-adapter';
import { Faults, SandboxRepository } from './sandbox.repository';

const NONE: Faults = { errorRate: 0, timeoutRate: 0, latencyMs: 0 };
const REFRESH_MS = 1000;

/** Injected faults per courier, kept in PostgreSQL (every instance's sandbox obeys them) and cached briefly. */
@Injectable()
export class SandboxFaults {
  private cache = new Map<CourierCode, Faults>();
  private loadedAt = 0;
  private loading?: Promise<void>;

  constructor(private readonly repository: SandboxRepository) {}

  async for(courier: CourierCode): Promise<Faults> {
    if (Date.now() - this.loadedAt > REFRESH_MS) {
      this.loading ??= this.repository.faults().then((m) => {
        this.cache = m;
        this.loadedAt = Date.now();
        this.loading = undefined;
      });
      await this.loading;
    }
    return this.cache.get(courier) ?? NONE;
  }

  async set(courier: CourierCode, faults: Faults): Promise<Faults> {
    await this.repository.setFaults(courier, faults);
    this.cache.set(courier, faults);
    return faults;
  }
}
