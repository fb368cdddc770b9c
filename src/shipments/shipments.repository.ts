import { Injectable } from '@nestjs/common';
import { Transactions } from 'src/database/transaction';
import { Shipment } from './shipment.entity';
import type { ShipmentStatus } from './shipment-status';

/**
 * SQL condition: the shipment's cancellation claim is `claim` (its holder is acting) or, when `claim` is
 * null, nobody's (never taken, given back, or run out by `now`). Both are query parameter placeholders.
 */
export const cancelClaimIs = (claim: string, now: string) =>
  `(cancel_claimed_until = ${claim}::timestamptz OR (${claim}::timestamptz IS NULL AND (cancel_claimed_until IS NULL OR cancel_claimed_until < ${now}::timestamptz)))`;

/**
 * Cancelling shipments in single conditional statements. A booked shipment's cancellation is claimed on
 * its row until a deadline, so the courier is asked outside any transaction and without a row lock, and
 * two cancellers (the seller, the pickup watch, another instance) never both act.
 */
@Injectable()
export class ShipmentsRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * Cancels the seller's shipment if its status is one of `from` (nothing booked at a courier).
   * Null when it is not the seller's or has moved to another status meanwhile.
   */
  async cancelUnbooked(
    sellerId: string,
    id: string,
    from: readonly ShipmentStatus[],
    reason: string,
    now: Date,
  ): Promise<Shipment | null> {
    const [, n] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE shipments SET status = 'cancelled', reason = $4, pickup_due_at = NULL, pickup_check_at = NULL, updated_at = $5
       WHERE id = $1 AND seller_id = $2 AND status = ANY($3::text[])`,
      [id, sellerId, from, reason, now],
    );
    return n === 1 ? this.tx.manager.findOneBy(Shipment, { id }) : null;
  }

  /**
   * Claims the cancellation of a booked shipment until `until` (which is then the claim's token). One
   * conditional UPDATE: of concurrent claimers exactly one wins; a claim that ran out (its holder crashed)
   * may be taken again. `sellerId` limits it to the seller's shipment, `awb` to that booking.
   * Null when the shipment is not booked (as `awb`) or its cancellation is claimed already.
   */
  async claimCancellation(
    which: { id: string; sellerId?: string; awb?: string },
    now: Date,
    until: Date,
  ): Promise<Shipment | null> {
    const [, n] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE shipments SET cancel_claimed_until = $4
       WHERE id = $1 AND ($2::uuid IS NULL OR seller_id = $2) AND ($3::text IS NULL OR awb = $3)
         AND status = 'booked' AND (cancel_claimed_until IS NULL OR cancel_claimed_until < $5)`,
      [which.id, which.sellerId ?? null, which.awb ?? null, until, now],
    );
    return n === 1 ? this.tx.manager.findOneBy(Shipment, { id: which.id }) : null;
  }

  /** Gives a cancellation claim back (the courier refused or could not answer); only its holder's token matches. */
  async releaseCancellation(id: string, claim: Date): Promise<void> {
    await this.tx.manager.query(
      'UPDATE shipments SET cancel_claimed_until = NULL WHERE id = $1 AND cancel_claimed_until = $2',
      [id, claim],
    );
  }

  /**
   * The courier cancelled: the shipment is cancelled and its claim ends. Null when `claim` is no longer the
   * shipment's (it ran out and another canceller took it).
   */
  async finishCancellation(id: string, claim: Date, reason: string, now: Date): Promise<Shipment | null> {
    const [, n] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE shipments SET status = 'cancelled', reason = $3, pickup_due_at = NULL, pickup_check_at = NULL,
         cancel_claimed_until = NULL, updated_at = $4
       WHERE id = $1 AND status = 'booked' AND cancel_claimed_until = $2`,
      [id, claim, reason, now],
    );
    return n === 1 ? this.tx.manager.findOneBy(Shipment, { id }) : null;
  }
}
