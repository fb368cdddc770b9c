import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { advisoryKey } from 'src/database/locks';
import { Transactions } from 'src/database/transaction';
import {
  ShipmentAction,
  type ShipmentActionErrorKind,
  type ShipmentActionStatus,
} from './shipment-action.entity';

/** What the courier's answer made of a pending action. */
export interface ActionResult {
  status: Exclude<ShipmentActionStatus, 'pending'>;
  courierReference: string | null;
  error: string | null;
  /** Why it failed (failed only); `answer_lost` is stored as the outcome unknown too (the rules read it). */
  errorKind: ShipmentActionErrorKind | null;
}

/** The seller actions' SQL. Every method runs in the caller's transaction when one is open. */
@Injectable()
export class ShipmentActionsRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * Records an action; a pending one only while no other action of the shipment is pending (the partial
   * unique index decides, so two concurrent requests cannot both pass).
   * @returns false (nothing written) when another action of the shipment is pending
   */
  async insert(action: ShipmentAction): Promise<boolean> {
    const result = await this.tx.manager
      .createQueryBuilder()
      .insert()
      .into(ShipmentAction)
      .values(action)
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /**
   * Holds the shipment's actions lock until the transaction ends: two requests for one shipment record
   * one after the other, so the second sees the first (a manual action is never pending, so the in-flight
   * index does not order those). Must run inside a transaction.
   */
  async lockShipment(shipmentId: string): Promise<void> {
    await this.tx.manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [
      advisoryKey(`actions:${shipmentId}`),
    ]);
  }

  find(id: string): Promise<ShipmentAction | null> {
    return this.tx.manager.findOneBy(ShipmentAction, { id });
  }

  /**
   * Which of these shipments the seller asked to return under its current airway bill (an action being
   * sent, sent or recorded for operations, or one the courier never answered, which it may have taken; a
   * refused one asked nothing).
   */
  async returnsAsked(shipments: { id: string; awb: string }[]): Promise<Set<string>> {
    if (!shipments.length) return new Set();
    const rows = await this.tx.manager.query<{ shipment_id: string }[]>(
      `SELECT DISTINCT a.shipment_id FROM shipment_actions a
         JOIN unnest($1::uuid[], $2::text[]) AS s(id, awb) ON a.shipment_id = s.id AND a.awb = s.awb
        WHERE a.action = 'return' AND (a.status <> 'failed' OR a.outcome_unknown)`,
      [shipments.map((s) => s.id), shipments.map((s) => s.awb)],
    );
    return new Set(rows.map((r) => r.shipment_id));
  }

  /**
   * The seller's latest re-attempt or hold of each of these shipments under its current airway bill, if
   * it reached the courier (or operations), or a hold the courier never answered (it may have taken it, as
   * isHeld reads it), and no return came after it: whether the parcel is held and since when the courier
   * has the instruction.
   */
  async latestInstructions(
    shipments: { id: string; awb: string }[],
  ): Promise<Map<string, { held: boolean; at: Date }>> {
    if (!shipments.length) return new Map();
    const rows = await this.tx.manager.query<{ shipment_id: string; action: string; updated_at: Date }[]>(
      `SELECT DISTINCT ON (a.shipment_id) a.shipment_id, a.action, a.updated_at
         FROM shipment_actions a
         JOIN unnest($1::uuid[], $2::text[]) AS s(id, awb) ON a.shipment_id = s.id AND a.awb = s.awb
        WHERE a.action <> 'update_address'
          AND (a.status IN ('sent', 'manual') OR (a.action = 'hold' AND a.status = 'failed' AND a.outcome_unknown))
        ORDER BY a.shipment_id, a.seq DESC`,
      [shipments.map((s) => s.id), shipments.map((s) => s.awb)],
    );
    return new Map(
      rows
        .filter((r) => r.action !== 'return')
        .map((r) => [r.shipment_id, { held: r.action === 'hold', at: r.updated_at }]),
    );
  }

  /** The shipment's actions in the order they were recorded (the rules read them in order). */
  ofShipment(shipmentId: string): Promise<ShipmentAction[]> {
    return this.tx.manager.find(ShipmentAction, {
      where: { shipmentId },
      order: { seq: 'ASC' },
    });
  }

  /** The actions of each of these shipments in the order they were recorded, by shipment (one query). */
  async ofShipments(shipmentIds: string[]): Promise<Map<string, ShipmentAction[]>> {
    const byShipment = new Map<string, ShipmentAction[]>();
    if (!shipmentIds.length) return byShipment;
    const actions = await this.tx.manager.find(ShipmentAction, {
      where: { shipmentId: In(shipmentIds) },
      order: { seq: 'ASC' },
    });
    for (const a of actions) {
      const of = byShipment.get(a.shipmentId);
      if (of) of.push(a);
      else byShipment.set(a.shipmentId, [a]);
    }
    return byShipment;
  }

  /** The seller's actions on the shipment, last recorded first. */
  forShipment(sellerId: string, shipmentId: string): Promise<ShipmentAction[]> {
    return this.tx.manager.find(ShipmentAction, {
      where: { shipmentId, sellerId },
      order: { seq: 'DESC' },
    });
  }

  /**
   * Records the courier's answer to a pending action, only while `claim` is still its claim (a sender
   * whose claim ran out and was taken over by the resume job records nothing). The action, or null.
   */
  async finish(id: string, claim: Date, result: ActionResult, now: Date): Promise<ShipmentAction | null> {
    const [, affected] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE shipment_actions
       SET status = $3, courier_reference = $4, error = $5, outcome_unknown = $7, error_kind = $8,
         claimed_until = NULL, updated_at = $6
       WHERE id = $1 AND status = 'pending' AND claimed_until = $2`,
      [
        id,
        claim,
        result.status,
        result.courierReference,
        result.error,
        now,
        result.errorKind === 'answer_lost',
        result.errorKind,
      ],
    );
    return affected ? this.find(id) : null;
  }

  /**
   * Turns an action just recorded `sent` into `failed` with why, in the same transaction: the courier took
   * it, but for a booking the shipment no longer has.
   */
  async failSent(id: string, error: string, now: Date): Promise<ShipmentAction> {
    await this.tx.manager.query(
      `UPDATE shipment_actions SET status = 'failed', error = $2, error_kind = 'superseded', updated_at = $3
        WHERE id = $1 AND status = 'sent'`,
      [id, error, now],
    );
    return (await this.find(id))!;
  }

  /**
   * Claims pending actions whose sender's claim ran out (it died between recording and recording the
   * courier's answer) until `claimUntil`, counting a send each; across instances each is claimed once.
   */
  async claimAbandoned(now: Date, claimUntil: Date, limit: number): Promise<ShipmentAction[]> {
    const [rows] = await this.tx.manager.query<[{ id: string }[], number]>(
      `UPDATE shipment_actions SET claimed_until = $2, sends = sends + 1, updated_at = $1
       WHERE id IN (
         SELECT id FROM shipment_actions WHERE status = 'pending' AND claimed_until <= $1
         ORDER BY claimed_until LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [now, claimUntil, limit],
    );
    if (!rows.length) return [];
    return this.tx.manager.find(ShipmentAction, {
      where: { id: In(rows.map((r) => r.id)) },
      order: { createdAt: 'ASC' },
    });
  }
}
