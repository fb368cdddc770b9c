import { readWorldFile } from 'config/sandbox-world';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { randomStream } from 'src/couriers/sandbox/world';
import {
  defaultWorldFile,
  deliveryChance,
  recipientTruth,
  type WorldFile,
} from 'src/couriers/sandbox/world-model';

/**
 * What the simulator knows and Kirim does not: the sandbox world's hidden odds (the same pure functions the
 * sandboxes plan journeys with, from the same seed and world file, so the two never disagree), what buyers
 * answer when a seller calls them, and the simulator's own seeded chances.
 */
export class HiddenWorld {
  readonly world: WorldFile;

  constructor(
    readonly seed: string,
    worldFile?: string,
  ) {
    this.world = worldFile ? readWorldFile(worldFile) : defaultWorldFile();
  }

  /** A seeded number in [0, 1) for `key`: the same run asks the same question the same way. */
  chance(key: string): number {
    return randomStream(`${this.seed}:sim:${key}`)();
  }

  /** Whether the buyer at this phone refuses COD parcels (and says so when the seller calls). */
  buyerRefusesCod(phone: string): boolean {
    return recipientTruth(this.world, this.seed, phone).refusesCod >= 0.5;
  }

  /** Chance a COD parcel on this lane to this buyer ends delivered: left alone, and with a diligent seller. */
  deliveryChance(
    courier: CourierCode,
    service: string,
    originRegency: string,
    destinationRegency: string,
    phone: string,
  ): { plain: number; withActions: number } {
    return deliveryChance(this.world, this.seed, courier, service, originRegency, destinationRegency, phone);
  }
}
