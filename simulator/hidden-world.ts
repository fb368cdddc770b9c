import { defaults } from 'config/defaults';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { outcomeOdds, randomStream } from 'src/couriers/sandbox/world';
import { regency } from './places';

/**
 * What the simulator knows and Kirim does not: the sandbox world's hidden odds (the same pure functions the
 * sandboxes plan journeys with, so the two never disagree), buyers' answers when a seller calls them, and
 * the simulator's own seeded chances.
 */
export class HiddenWorld {
  constructor(readonly seed: string) {}

  /** A seeded number in [0, 1) for `key`: the same run asks the same question the same way. */
  chance(key: string): number {
    return randomStream(`${this.seed}:sim:${key}`)();
  }

  /** Whether the buyer at this phone refuses COD parcels (and says so when the seller calls). */
  buyerRefusesCod(_phone: string): boolean {
    return false;
  }

  /** Chance a COD parcel on this lane to this buyer ends delivered: left alone, and with a diligent seller. */
  deliveryChance(
    courier: CourierCode,
    _service: string,
    _originRegency: string,
    destinationRegency: string,
    _phone: string,
  ): { plain: number; withActions: number } {
    const odds = outcomeOdds(defaults.sandbox, this.seed, courier, regency(destinationRegency).province);
    return { plain: odds.delivered, withActions: odds.delivered };
  }
}
