import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { queryPrepared } from 'src/database/prepared';
import { Transactions } from 'src/database/transaction';
import type { ShipmentCharges } from './shipment-transition';
import type { TransitionAlong } from './shipments.repository';
import type { PickupAttemptDto } from './pickups.dto';
import type { CarriedByEarlierBookingDto } from './shipments.dto';

export interface PickupItemRow {
  id: string;
  pickup_id: string;
  shipment_id: string;
  status: 'pending' | 'booked' | 'failed' | 'skipped';
  /** The pickup's requested day (YYYY-MM-DD, Asia/Jakarta), if any. */
  pickup_date: string | null;
  /** Until when this worker holds the item: its claim, and the token that renews it. */
  claimed_until: Date;
  /** When its booking was first put off, every courier failing for now (retryAt); null when it was not. */
  retrying_since: Date | null;
}

/** A pickup's item with its shipment's booking, as `GET /v1/pickups/:id` shows it. */
export interface PickupItemView {
  shipment_id: string;
  item_status: string;
  status: string;
  courier: string | null;
  service: string | null;
  awb: string | null;
  reason: string | null;
}

export interface AttemptRow {
  id: string;
  shipment_id: string;
  pickup_item_id: string;
  courier: string;
  service: string;
  reference: string;
  /** `cancelled`: booked, then the courier cancelled or missed the pickup and the parcel was re-booked. */
  status: 'started' | 'booked' | 'failed' | 'cancelled';
  error_kind: string | null;
  error_code: string | null;
  error_message: string | null;
  awb: string | null;
  started_at: Date;
  finished_at: Date | null;
  /** Rupiah as quoted for this attempt's service (bigint columns: pg answers strings; null before charges were kept). */
  shipping_fee: string | null;
  cod_fee: string | null;
  cashback: string | null;
  return_fee: string | null;
  /** When Kirim recorded that this booking, re-booked away, carried the parcel after all (its cash credited). */
  delivered_recorded_at: Date | null;
}

/** The charges an attempt was started with, or null for an attempt from before they were kept. */
export function attemptCharges(a: AttemptRow): ShipmentCharges | null {
  if (a.shipping_fee === null) return null;
  return {
    shippingFee: Number(a.shipping_fee),
    codFee: Number(a.cod_fee ?? 0),
    cashback: Number(a.cashback ?? 0),
    returnFee: Number(a.return_fee ?? 0),
  };
}

/** A superseded order due another cancellation at its courier (claimCancelRetries). */
export type SupersededOrder = Pick<
  AttemptRow,
  'id' | 'shipment_id' | 'courier' | 'service' | 'reference' | 'awb' | 'started_at'
>;

/** An attempt as the API shows it (a pickup's and a shipment's). */
export function attemptView(a: AttemptRow): PickupAttemptDto {
  return {
    courier: a.courier,
    service: a.service,
    outcome: a.status,
    ...(a.awb ? { awb: a.awb } : {}),
    ...(a.error_kind ? { errorKind: a.error_kind } : {}),
    ...(a.error_code ? { errorCode: a.error_code } : {}),
    ...(a.error_message ? { errorMessage: a.error_message } : {}),
    at: a.started_at.toISOString(),
  };
}

/**
 * The booking that carried a cancelled parcel after all, its own or one Kirim re-booked away (its cash
 * remitted, and credited by finance), as the shipment's page shows it; null when none did.
 */
export function carriedByEarlierBookingView(attempts: AttemptRow[]): CarriedByEarlierBookingDto | null {
  const carried = attempts.findLast((a) => a.delivered_recorded_at !== null && a.awb !== null);
  if (!carried) return null;
  const charges = attemptCharges(carried);
  return {
    courier: carried.courier,
    service: carried.service,
    awb: carried.awb!,
    recordedAt: carried.delivered_recorded_at!.toISOString(),
    charges: charges && {
      shipping: charges.shippingFee,
      codFee: charges.codFee,
      cashback: charges.cashback,
      returnFee: charges.returnFee,
    },
  };
}

/** A booked shipment whose pickup is due to be checked with its courier. */
export interface BookedShipmentRow {
  id: string;
  courier: string;
  service: string;
  awb: string;
  /** Our order reference at the courier (J&T cancels by it). */
  courier_reference: string | null;
  pickup_due_at: Date;
}

/** The pickup outbox and booking attempts: claims, inserts and views in SQL. */
@Injectable()
export class PickupsRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * In one statement (atomic on its own, one round trip): locks the seller's shipments among `ids`, and
   * when every one is the seller's and bookable, persists the pickup with one pending outbox item per
   * shipment (the caller then moves the shipments to "booking" in the same transaction). Returns the
   * statuses found and whether the pickup was persisted.
   */
  /**
   * The statement that persists a pickup, as work done along with the shipments' move to "booking": it
   * locks the seller's shipments among `ids` and, when every one is the seller's and bookable, inserts
   * the pickup with one pending outbox item per shipment; the move happens only then.
   */
  pickupAlong(
    sellerId: string,
    ids: string[],
    bookable: readonly string[],
    pickupId: string,
    pickupDate: string | null,
    now: Date,
  ): TransitionAlong {
    return {
      ctes: `locked AS (
         SELECT id, status FROM shipments WHERE seller_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE
       ), ready AS (
         SELECT 1 FROM locked HAVING count(*) = cardinality($2::uuid[]) AND bool_and(status = ANY($3::text[]))
       ), pickup AS (
         INSERT INTO pickups (id, seller_id, pickup_date, created_at) SELECT $4, $1, $5, $6 FROM ready RETURNING id
       ), items AS (
         INSERT INTO pickup_items (id, pickup_id, shipment_id, status, next_attempt_at, created_at, updated_at)
         SELECT gen_random_uuid(), pickup.id, s, 'pending', $6, $6, $6 FROM pickup, unnest($2::uuid[]) AS s
       )`,
      params: [sellerId, ids, bookable, pickupId, pickupDate, now],
      gate: 'EXISTS (SELECT 1 FROM pickup)',
    };
  }

  /** The statuses of the seller's shipments among `ids` (why a pickup was not persisted). */
  async statusesOf(sellerId: string, ids: string[]): Promise<Map<string, string>> {
    const rows = await this.tx.manager.query<{ id: string; status: string }[]>(
      'SELECT id, status FROM shipments WHERE seller_id = $1 AND id = ANY($2::uuid[])',
      [sellerId, ids],
    );
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /**
   * Claims up to `limit` due items with a lease. SKIP LOCKED lets any number of instances claim at once
   * without taking the same item; an expired lease (a crashed worker) makes the item due again.
   */
  async claimDue(limit: number, now: Date, leaseMs: number): Promise<PickupItemRow[]> {
    // For UPDATE … RETURNING, TypeORM answers [rows, affected count].
    const [rows] = await this.tx.manager.query<[PickupItemRow[], number]>(
      `UPDATE pickup_items SET claimed_until = $2, updated_at = $1
       WHERE id IN (
         SELECT id FROM pickup_items
         WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
         ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, pickup_id, shipment_id, status, claimed_until, retrying_since,
         (SELECT p.pickup_date FROM pickups p WHERE p.id = pickup_items.pickup_id) AS pickup_date`,
      [now, new Date(now.getTime() + leaseMs), limit],
    );
    return rows;
  }

  /**
   * Lets a claimed item go, due again at `at`, while the claim `held` is still the item's (a booking whose
   * couriers failed for now, tried again later; `retrying_since` says from when). False when it is not.
   */
  async retryAt(itemId: string, held: Date, at: Date, now: Date): Promise<boolean> {
    const [, affected] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE pickup_items SET next_attempt_at = $3, claimed_until = NULL, updated_at = $4,
              retrying_since = COALESCE(retrying_since, $4)
       WHERE id = $1 AND status = 'pending' AND claimed_until = $2`,
      [itemId, held, at, now],
    );
    return affected === 1;
  }

  /**
   * Holds a claimed item longer (a booking failing over from courier to courier outlives one lease), while
   * the claim `held` is still the item's. False when it is not: the lease ran out and another worker took it.
   */
  async renewClaim(itemId: string, held: Date, until: Date): Promise<boolean> {
    const [, affected] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE pickup_items SET claimed_until = $3 WHERE id = $1 AND status = 'pending' AND claimed_until = $2`,
      [itemId, held, until],
    );
    return affected === 1;
  }

  /**
   * A booking's end written in the same statement as the shipment's move to booked: its attempt booked
   * with the airway bill, its outbox item done. Both are written whether or not the shipment moves (as
   * they were before), so a shipment cancelled meanwhile still shows the courier's booking.
   */
  bookedAlong(attemptId: string, awb: string, itemId: string, now: Date): TransitionAlong {
    return {
      ctes: `attempt AS (
         UPDATE booking_attempts SET status = 'booked', awb = $2, error_kind = NULL, error_code = NULL,
           error_message = NULL, finished_at = $4
         WHERE id = $1
       ), item AS (
         UPDATE pickup_items SET status = 'booked', claimed_until = NULL, updated_at = $4 WHERE id = $3
       )`,
      params: [attemptId, awb, itemId, now],
      gate: 'TRUE',
    };
  }

  /**
   * A booking's failure written in the same statement as the shipment's move to booking_failed: its outbox
   * item failed, and the move made, only while the claim `held` is still the item's (the worker's lease).
   */
  failedAlong(itemId: string, held: Date, now: Date): TransitionAlong {
    return {
      ctes: `item AS (
         UPDATE pickup_items SET status = 'failed', claimed_until = NULL, updated_at = $3
         WHERE id = $1 AND status = 'pending' AND claimed_until = $2 RETURNING id
       )`,
      params: [itemId, held, now],
      gate: 'EXISTS (SELECT 1 FROM item)',
    };
  }

  /**
   * A booking put off until its couriers answer again (retryAt), held by no worker, ended with its shipment
   * (the seller cancels it while it waits): its item skipped in the move's own statement. A worker that has
   * claimed it meanwhile holds it: the move is not made.
   */
  waitingAlong(shipmentId: string, now: Date): TransitionAlong {
    return {
      ctes: `waiting AS (
         UPDATE pickup_items SET status = 'skipped', updated_at = $2
         WHERE shipment_id = $1 AND status = 'pending' AND retrying_since IS NOT NULL AND claimed_until IS NULL
         RETURNING id
       )`,
      params: [shipmentId, now],
      gate: 'EXISTS (SELECT 1 FROM waiting)',
    };
  }

  /** An item whose shipment is no longer waiting for a booking (cancelled meanwhile): nothing to book. */
  async skipItem(itemId: string, now: Date): Promise<void> {
    await queryPrepared(
      this.tx.manager,
      'pickup_item_skip',
      "UPDATE pickup_items SET status = 'skipped', claimed_until = NULL, updated_at = $2 WHERE id = $1",
      [itemId, now],
    );
  }

  /** How a finished attempt failed (`retriable`, `permanent`, …), or null. */
  async attemptKind(attemptId: string): Promise<string | null> {
    const [row] = await this.tx.manager.query<{ error_kind: string | null }[]>(
      'SELECT error_kind FROM booking_attempts WHERE id = $1',
      [attemptId],
    );
    return row?.error_kind ?? null;
  }

  async attemptsOf(shipmentIds: string[]): Promise<AttemptRow[]> {
    return await queryPrepared<AttemptRow>(
      this.tx.manager,
      'booking_attempts_of_v3',
      // Named columns, not `*`: a prepared `*` fails once a column is added while the service runs.
      `SELECT id, shipment_id, pickup_item_id, courier, service, reference, status, error_kind, error_code,
              error_message, awb, started_at, finished_at, shipping_fee, cod_fee, cashback, return_fee,
              delivered_recorded_at
         FROM booking_attempts WHERE shipment_id = ANY($1) ORDER BY started_at, id`,
      [shipmentIds],
    );
  }

  /**
   * Written (and committed) before the courier is called, with the charges quoted for the service, so a
   * booking reconciled after a crash knows what it costs.
   */
  async startAttempt(a: {
    shipmentId: string;
    itemId: string;
    courier: string;
    service: string;
    reference: string;
    charges: ShipmentCharges;
    now: Date;
  }): Promise<string> {
    const id = randomUUID();
    await queryPrepared(
      this.tx.manager,
      'booking_attempt_start',
      `INSERT INTO booking_attempts (id, shipment_id, pickup_item_id, courier, service, reference, status, started_at,
                                     shipping_fee, cod_fee, cashback, return_fee)
       VALUES ($1, $2, $3, $4, $5, $6, 'started', $7, $8, $9, $10, $11)`,
      [
        id,
        a.shipmentId,
        a.itemId,
        a.courier,
        a.service,
        a.reference,
        a.now,
        a.charges.shippingFee,
        a.charges.codFee,
        a.charges.cashback,
        a.charges.returnFee,
      ],
    );
    return id;
  }

  async finishAttempt(
    id: string,
    outcome: {
      status: 'booked' | 'failed' | 'cancelled';
      awb?: string;
      errorKind?: string;
      errorCode?: string;
      errorMessage?: string;
    },
    now: Date,
  ): Promise<void> {
    await queryPrepared(
      this.tx.manager,
      'booking_attempt_finish',
      'UPDATE booking_attempts SET status = $2, awb = $3, error_kind = $4, error_code = $5, error_message = $6, finished_at = $7, cancel_retry_at = NULL WHERE id = $1',
      [
        id,
        outcome.status,
        outcome.awb ?? null,
        outcome.errorKind ?? null,
        outcome.errorCode ?? null,
        outcome.errorMessage?.slice(0, 500) ?? null,
        now,
      ],
    );
  }

  /**
   * A superseded order still live at its courier, as far as Kirim knows: why (shown with the attempt), and
   * when its courier is next asked to cancel it (null: not again, it refused or was given up on). A retry
   * writes only while its claim (`claim`, claimCancelRetries' lease) is still the row's: a run that outlived
   * it must not undo what the run after it recorded. The first try, made at booking, holds no claim.
   */
  async supersededLive(
    attemptId: string,
    why: { code: string; message: string },
    retryAt: Date | null,
    claim?: Date,
  ): Promise<void> {
    await this.tx.manager.query(
      `UPDATE booking_attempts SET error_kind = 'superseded', error_code = $2, error_message = $3,
         cancel_retry_at = $4 WHERE id = $1 AND status = 'booked' AND ($5::timestamptz IS NULL OR cancel_retry_at = $5)`,
      [attemptId, why.code, why.message.slice(0, 500), retryAt, claim ?? null],
    );
  }

  /**
   * A superseded order found to be the shipment's booking after all (while its claim `claim` held): not
   * asked to cancel again, nor shown as superseded.
   */
  async notSuperseded(attemptId: string, claim: Date): Promise<void> {
    await this.tx.manager.query(
      `UPDATE booking_attempts SET cancel_retry_at = NULL, error_kind = NULL, error_code = NULL, error_message = NULL
        WHERE id = $1 AND status = 'booked' AND cancel_retry_at = $2`,
      [attemptId, claim],
    );
  }

  /**
   * Superseded orders due another cancellation at their couriers, oldest due first, each claimed by moving
   * its next try to `leaseUntil` (a worker that dies mid-call leaves it to be asked again then). One no
   * longer booked (its courier cancelled it meanwhile) is let go, not returned.
   */
  async claimCancelRetries(now: Date, leaseUntil: Date, limit: number): Promise<SupersededOrder[]> {
    const [rows] = await this.tx.manager.query<[(SupersededOrder & Pick<AttemptRow, 'status'>)[], number]>(
      `UPDATE booking_attempts a SET cancel_retry_at = CASE WHEN a.status = 'booked' THEN $2::timestamptz END
         FROM (SELECT id FROM booking_attempts WHERE cancel_retry_at <= $1 ORDER BY cancel_retry_at
               LIMIT $3 FOR UPDATE SKIP LOCKED) due
        WHERE a.id = due.id
        RETURNING a.id, a.shipment_id, a.courier, a.service, a.reference, a.awb, a.started_at, a.status`,
      [now, leaseUntil, limit],
    );
    return rows.filter((r) => r.status === 'booked');
  }

  /**
   * After a booked shipment's courier cancelled or missed the pickup: the booked attempt becomes `cancelled`
   * with why, and its outbox item is pending again (`rebook`: the shipment went back to booking) or failed
   * (its booking failed: pinned to that courier's service, it may not go to another).
   */
  async cancelBookedAttempt(
    shipmentId: string,
    awb: string,
    why: { kind: string; code: string; message: string },
    now: Date,
    item: 'rebook' | 'failed',
  ): Promise<void> {
    const m = this.tx.manager;
    const [items] = await m.query<[{ pickup_item_id: string }[], number]>(
      `UPDATE booking_attempts SET status = 'cancelled', error_kind = $3, error_code = $4, error_message = $5, finished_at = $6,
         cancel_retry_at = NULL
       WHERE shipment_id = $1 AND status = 'booked' AND awb = $2 RETURNING pickup_item_id`,
      [shipmentId, awb, why.kind, why.code, why.message.slice(0, 500), now],
    );
    await m.query(
      item === 'rebook'
        ? "UPDATE pickup_items SET status = 'pending', next_attempt_at = $2, claimed_until = NULL, retrying_since = NULL, updated_at = $2 WHERE id = ANY($1)"
        : "UPDATE pickup_items SET status = 'failed', claimed_until = NULL, updated_at = $2 WHERE id = ANY($1)",
      [items.map((i) => i.pickup_item_id), now],
    );
  }

  async pickup(
    sellerId: string,
    id: string,
  ): Promise<{ id: string; pickup_date: string | null; created_at: Date } | undefined> {
    const rows = await this.tx.manager.query<{ id: string; pickup_date: string | null; created_at: Date }[]>(
      'SELECT id, pickup_date, created_at FROM pickups WHERE id = $1 AND seller_id = $2',
      [id, sellerId],
    );
    return rows[0];
  }

  async itemsOf(pickupId: string): Promise<PickupItemView[]> {
    return await this.tx.manager.query<PickupItemView[]>(
      `SELECT i.shipment_id, i.status AS item_status, s.status, s.courier, s.service, s.awb, s.reason
       FROM pickup_items i JOIN shipments s ON s.id = i.shipment_id WHERE i.pickup_id = $1 ORDER BY i.created_at, i.shipment_id`,
      [pickupId],
    );
  }
}
