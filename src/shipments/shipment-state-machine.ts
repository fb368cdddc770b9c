import { Injectable, Logger } from '@nestjs/common';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { Clock } from 'src/common/clock';
import { Transactions } from 'src/database/transaction';
import { DeliveryStatsService } from 'src/scoring/delivery-stats.service';
import { canTransition, HANDED_OVER, OUTCOME_SETTLED, ShipmentStatus } from './shipment-status';
import type { TransitionCauseKind, TransitionRequest } from './shipment-transition';
import { EachMove, ShipmentsRepository, TransitionAlong, TransitionRow } from './shipments.repository';

export type { TransitionChanges, TransitionRequest } from './shipment-transition';
export type { EachMove } from './shipments.repository';

export interface ShipmentMove {
  id: string;
  sellerId: string;
  reference: string;
  from: ShipmentStatus;
  to: ShipmentStatus;
  reason: string | null;
  courier: string | null;
  awb: string | null;
}

/**
 * The one door through which a shipment's status changes (STYLE.md §5, Vendure's state machines): the
 * move is checked against `shipment-status.ts`, made in one conditional statement with the transition
 * and its cause recorded and the seller's event (`shipment.status_changed`) written to the webhook
 * outbox, and its consequences follow in the same transaction: a pickup made, or an ended shipment's
 * outcome, goes once into the delivery statistics the scoring learns from. Callers say which statuses
 * they expect to move from; a shipment that moved on meanwhile is simply not moved (the caller sees it
 * in the answer).
 */
@Injectable()
export class ShipmentStateMachine {
  private readonly logger = new Logger(ShipmentStateMachine.name);

  constructor(
    private readonly repository: ShipmentsRepository,
    private readonly tx: Transactions,
    private readonly stats: DeliveryStatsService,
    private readonly clock: Clock,
  ) {}

  /** Moves one shipment; the move, or null when it was not in an expected status (or the guard failed). */
  async transition(id: string, request: TransitionRequest): Promise<ShipmentMove | null> {
    const [moved] = await this.transitionMany([id], request);
    return moved ?? null;
  }

  /** Moves each of `ids` that meets the request's conditions; the moves made. */
  async transitionMany(
    ids: string[],
    request: TransitionRequest,
    along?: TransitionAlong,
  ): Promise<ShipmentMove[]> {
    checkTable(request);
    if (!ids.length) return [];
    // The seller is told in the move's own statement: a move with no other consequences is one statement,
    // atomic on its own, with no transaction (a booking's end took four round trips, now one).
    if (!hasConsequences(request))
      return (await this.repository.transition(ids, request, this.notifyAt(request), along)).map(moveOf);
    return this.tx.run(async () => {
      const rows = await this.repository.transition(ids, request, this.notifyAt(request), along);
      for (const row of rows) await this.consequences(row);
      return rows.map(moveOf);
    });
  }

  /**
   * Moves a batch of shipments from one status to another, each for its own courier event (a tracker's
   * batch), in one statement; the moves made. Each shipment must appear once.
   */
  async transitionEach(
    moves: EachMove[],
    request: Pick<TransitionRequest, 'to' | 'from' | 'cause' | 'at'>,
  ): Promise<ShipmentMove[]> {
    checkTable(request);
    if (!moves.length) return [];
    if (!hasConsequences(request))
      return (await this.repository.transitionEach(moves, request, this.notifyAt(request))).map(moveOf);
    return this.tx.run(async () => {
      const rows = await this.repository.transitionEach(moves, request, this.notifyAt(request));
      for (const row of rows) await this.consequences(row);
      return rows.map(moveOf);
    });
  }

  /**
   * When the seller's event of a move made now is written (its `createdAt`), or null when the move is not
   * told. The clock when the statement is sent, not the request's `at`: a tracker's poll gives every move
   * the time it began, and a seller sorting by `createdAt` would put a later status before an earlier one.
   */
  private notifyAt(request: Pick<TransitionRequest, 'cause'>): Date | null {
    return ANSWERED_TO_REQUESTER.has(request.cause) ? null : this.clock.now();
  }

  /** What follows a move besides the seller's event. */
  private async consequences(row: TransitionRow): Promise<void> {
    // The courier holds the parcel: a pickup made (pickup reliability learns from it).
    if (row.from_status === 'booked' && HANDED_OVER.has(row.status) && row.courier)
      await this.stats.recordPickupOutcome(row.courier as CourierCode, false);
    // Scoring learns a parcel's outcome as soon as it is settled. A return counts when it begins, not
    // days later when the parcel is back: counted late, failures would trail the deliveries of the same
    // week and every courier would look better than it is while its volume grows.
    // A parcel found after it was reported lost was learned as lost then, and one delivered after its return
    // began as returned: once per parcel.
    if (!OUTCOME_SETTLED.has(row.status) || row.from_status === 'returning' || row.from_status === 'lost')
      return;
    if (!row.courier || !row.service) return;
    const transitDays =
      row.status === 'delivered' && row.picked_up_at && row.ended_at
        ? (row.ended_at.getTime() - row.picked_up_at.getTime()) / 86_400_000
        : undefined;
    const recorded = await this.stats.recordOutcome({
      shipmentId: row.id,
      courier: row.courier as CourierCode,
      service: row.service,
      origin: {
        city: row.origin.city,
        province: row.origin.province,
        districtCode: row.origin.districtCode ?? null,
      },
      destination: {
        city: row.recipient_city,
        province: row.recipient_province,
        districtCode: row.recipient_district_code,
      },
      recipientPhone: row.recipient_phone,
      cod: Number(row.cod_amount) > 0,
      paid: row.cod_collected,
      outcome: row.status === 'returning' ? 'returned' : (row.status as 'delivered' | 'returned' | 'lost'),
      failedAttempts: row.failed_attempts,
      ...(transitDays !== undefined ? { transitDays: Math.max(0, Math.round(transitDays)) } : {}),
    });
    if (!recorded) this.logger.warn({ shipment: row.id }, 'outcome already recorded');
  }
}

/**
 * Moves the requester's own answer reports (a pickup request answers that its shipments are booking):
 * not pushed to the seller again, and with nothing else to follow. Every move after is pushed.
 */
const ANSWERED_TO_REQUESTER: ReadonlySet<TransitionCauseKind> = new Set(['pickup_request']);

/**
 * Whether a move may have consequences beyond the seller's event (which its statement writes): a pickup
 * made, or an outcome settled, goes into the delivery statistics in the same transaction.
 */
function hasConsequences(request: Pick<TransitionRequest, 'to' | 'from'>): boolean {
  return OUTCOME_SETTLED.has(request.to) || (request.from.includes('booked') && HANDED_OVER.has(request.to));
}

const moveOf = (row: TransitionRow): ShipmentMove => ({
  id: row.id,
  sellerId: row.seller_id,
  reference: row.reference,
  from: row.from_status,
  to: row.status,
  reason: row.reason,
  courier: row.courier,
  awb: row.awb,
});

/** A request the transition table does not allow is a bug in the caller, not a shipment that moved on. */
function checkTable(request: Pick<TransitionRequest, 'from' | 'to'>): void {
  for (const from of request.from)
    if (!canTransition(from, request.to))
      throw new Error(`shipment transition ${from} → ${request.to} is not in the transition table`);
}
