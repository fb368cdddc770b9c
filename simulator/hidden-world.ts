import { readWorldFile } from 'config/sandbox-world';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { randomStream } from 'src/couriers/sandbox/world';
import {
  defaultWorldFile,
  deliveredWithSeller,
  deliveryOdds,
  laneTruth,
  recipientTruth,
  type WorldFile,
} from 'src/couriers/sandbox/world-model';

/** Chance the seller reaches the buyer when calling about an alert. */
export const BUYER_ANSWERS = 0.85;

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

  /**
   * The attempts a courier makes on its own to this destination regency before sending the parcel back: a
   * seller's re-attempt asked for after the last of them is one more (the sandbox takes it).
   */
  courierMaxAttempts(courier: CourierCode, destinationRegency: string): number {
    return deliveryOdds(this.world, this.seed, courier, destinationRegency).maxAttempts;
  }

  /**
   * Chance a COD parcel on this lane to this buyer ends delivered when its seller is the simulation's
   * diligent seller: after each failed attempt the seller calls; with BUYER_ANSWERS the buyer answers, and
   * either refuses (the parcel is returned: no more attempts) or agrees a confirmed re-attempt; otherwise the
   * courier's next attempt goes unconfirmed, and after the courier's last attempt the seller who reaches
   * the buyer asks for one more. From the sandbox's own lane, recipient and attempt odds.
   */
  deliveredChance(
    courier: CourierCode,
    service: string,
    originRegency: string,
    destinationRegency: string,
    phone: string,
  ): number {
    return deliveredWithSeller(
      this.world,
      laneTruth(this.world, this.seed, courier, service, originRegency, destinationRegency),
      recipientTruth(this.world, this.seed, phone),
      { reachesBuyer: BUYER_ANSWERS, returnsRefusers: true, asksBeyondLast: true },
    );
  }
}
