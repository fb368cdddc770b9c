import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { CourierRegistry } from './courier-registry';
import type { CourierDto } from './couriers.dto';

@Injectable()
export class CouriersService {
  constructor(
    private readonly registry: CourierRegistry,
    private readonly config: AppConfig,
  ) {}

  /** Every courier with its services and current health (breaker state, recent error rate, latency). */
  list(): CourierDto[] {
    return this.registry.all().map((c) => ({
      code: c.code,
      name: c.name,
      sandbox: !this.config.couriers.credentials[c.code],
      services: c.services().map((s) => ({
        code: s.code,
        name: s.name,
        cod: s.cod,
        codFeeBasisPoints: s.codFee.basisPoints,
        codFeeMinimum: s.codFee.minimum,
        codMaxAmount: s.codMaxAmount,
        minWeightGrams: s.minWeightGrams,
        maxWeightGrams: s.maxWeightGrams,
      })),
      health: c.health(),
    }));
  }
}
