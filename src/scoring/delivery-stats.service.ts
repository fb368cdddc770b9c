import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { createHmac } from 'node:crypto';
import { Clock } from 'src/common/clock';
import { localSecret } from 'src/common/local-secret';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { Transactions } from 'src/database/transaction';
import { Estimate, estimate, TRANSIT_BUCKETS } from './delivery-estimator';
import { DeliveryStatsRepository, StatsLevel } from './delivery-stats.repository';

export interface LanePlace {
  city: string;
  province: string;
}

export interface DeliveryOutcome {
  /** The business event's key: a shipment's outcome counts once, however often it is reported. */
  shipmentId: string;
  courier: CourierCode;
  service: string;
  origin: LanePlace;
  destination: LanePlace;
  /** E.164; only its salted hash is kept. */
  recipientPhone: string;
  outcome: 'delivered' | 'returned' | 'lost';
  /** Failed delivery attempts before the outcome. */
  failedAttempts: number;
  /** Days from pickup to delivery (delivered parcels). */
  transitDays?: number;
}

export interface ServiceToEstimate {
  courier: CourierCode;
  service: string;
  /** The courier's promised transit days, used until there are enough observations. */
  promised: { min: number; max: number };
}

const norm = (text: string) => text.trim().replace(/\s+/g, ' ').toUpperCase();

function keysFor(courier: string, service: string, origin: LanePlace, destination: LanePlace): { level: StatsLevel; key: string }[] {
  return [
    { level: 'lane', key: [courier, service, origin.province, norm(origin.city), destination.province, norm(destination.city)].join('|') },
    { level: 'province', key: `${courier}|${destination.province}` },
    { level: 'national', key: courier },
  ];
}

/**
 * Kirim's record of how couriers actually deliver: the one entry point that records a finished
 * parcel, and the estimates courier scoring reads (lane success rate shrunk toward province and national
 * rates, transit-day percentiles, recipient history, pickup reliability).
 */
@Injectable()
export class DeliveryStatsService {
  private readonly salt: string;

  constructor(
    private readonly repository: DeliveryStatsRepository,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.salt = config.auth.phoneHashSalt ?? localSecret(config.database.dataDir, 'phone-hash-salt');
  }

  /** Recipients are known only by this salted hash of their phone number. */
  phoneHash(phone: string): string {
    return createHmac('sha256', this.salt).update(phone).digest('hex');
  }

  /**
   * Records a finished parcel (delivered, returned or lost) into the lane, province, national and
   * recipient statistics, in one transaction. Idempotent by shipment id: a repeat adds nothing.
   * @returns false when this shipment's outcome was already recorded.
   */
  recordOutcome(o: DeliveryOutcome): Promise<boolean> {
    return this.tx.run(async () => {
      const first = await this.repository.insertOutcome({
        shipmentId: o.shipmentId,
        courier: o.courier,
        service: o.service,
        outcome: o.outcome,
        failedAttempts: o.failedAttempts,
        transitDays: o.transitDays ?? null,
        recordedAt: this.clock.now(),
      });
      if (!first) return false;
      const failed = o.outcome !== 'delivered';
      const bucket = !failed && o.transitDays !== undefined ? Math.min(TRANSIT_BUCKETS - 1, Math.max(0, Math.round(o.transitDays))) : null;
      await this.repository.addOutcome(keysFor(o.courier, o.service, o.origin, o.destination), failed, !failed && o.failedAttempts === 0, bucket);
      await this.repository.addRecipientOutcome(this.phoneHash(o.recipientPhone), failed);
      return true;
    });
  }

  /** Records whether a booking or pickup with the courier succeeded (pickup reliability). */
  recordPickupOutcome(courier: CourierCode, failed: boolean): Promise<void> {
    return this.repository.addPickupOutcome(courier, failed);
  }

  /** Estimates for each candidate service of one shipment, from one read of the statistics. */
  async estimates(shipment: { origin: LanePlace; destination: LanePlace; recipientPhone?: string }, services: ServiceToEstimate[]): Promise<Estimate[]> {
    const keyed = services.map((s) => keysFor(s.courier, s.service, shipment.origin, shipment.destination));
    const [counts, recipient, pickups] = await Promise.all([
      this.repository.counts(keyed.flat()),
      shipment.recipientPhone ? this.repository.recipient(this.phoneHash(shipment.recipientPhone)) : Promise.resolve(undefined),
      this.repository.pickups(),
    ]);
    const scoring = this.config.business.scoring;
    return services.map((s, i) => {
      const [lane, province, national] = keyed[i].map((k) => counts.get(`${k.level}:${k.key}`));
      return estimate({ lane, province, national, recipient, pickup: pickups.get(s.courier) }, scoring.priors[s.courier], s.promised, scoring);
    });
  }
}
