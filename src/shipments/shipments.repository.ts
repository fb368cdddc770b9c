import { Injectable } from '@nestjs/common';
import { Brackets, type SelectQueryBuilder } from 'typeorm';
import { normalizeIndonesianPhone } from 'src/common/indonesia';
import { preparedName, queryPrepared } from 'src/database/prepared';
import { Transactions } from 'src/database/transaction';
import type { Place } from 'src/couriers/courier-adapter';
import { deliveriesAlong, isoSql } from 'src/sellers/notifications/seller-event';
import type { TransitionRequest } from './shipment-transition';
import { Shipment } from './shipment.entity';
import { HANDED_OVER, ShipmentStatus, TERMINAL } from './shipment-status';

/**
 * Other work done in the same statement as a transition (so one round trip is atomic): its CTEs, their
 * parameters ($1…), and the condition under which the move happens (e.g. the work's row was inserted).
 */
/** What a list beside the shipment (the alert inbox) shows of it. */
export interface ShipmentSummaryRow {
  id: string;
  reference: string;
  status: ShipmentStatus;
  awb: string | null;
  failedAttempts: number;
}

export interface TransitionAlong {
  ctes: string;
  params: unknown[];
  gate: string;
}

/** A parcel as COD remittance sees it. */
export interface CodParcelRow {
  id: string;
  courier: string;
  awb: string;
  status: ShipmentStatus;
  cod_amount: string;
  cod_collected: boolean;
  ended_at: Date | null;
}

/** A shipment a remittance line may be resolved to: whether the courier booked it under the line's bill before. */
export interface RemittedParcelRow {
  id: string;
  seller_id: string;
  reference: string;
  reason: string | null;
  courier: string | null;
  awb: string | null;
  status: ShipmentStatus;
  cod_amount: string;
  ended_at: Date | null;
  /** The service of the last booking attempt with the line's courier and airway bill; null for none. */
  booked_service: string | null;
}

/** A moved shipment as the transition statement returns it: what its consequences need. */
export interface TransitionRow {
  id: string;
  seller_id: string;
  reference: string;
  from_status: ShipmentStatus;
  status: ShipmentStatus;
  reason: string | null;
  courier: string | null;
  service: string | null;
  awb: string | null;
  origin: Place;
  recipient_city: string;
  recipient_province: string;
  recipient_district_code: string | null;
  recipient_phone: string;
  failed_attempts: number;
  picked_up_at: Date | null;
  ended_at: Date | null;
  /** bigint, as the driver gives it. */
  cod_amount: string;
  cod_collected: boolean;
}

/** Columns a transition may set, by their TransitionChanges name. */
const SETTABLE: Record<string, string> = {
  courier: 'courier',
  service: 'service',
  awb: 'awb',
  courierReference: 'courier_reference',
  decision: 'decision',
  quotedEtaMinDays: 'quoted_eta_min_days',
  quotedEtaMaxDays: 'quoted_eta_max_days',
  shippingFee: 'shipping_fee',
  codFee: 'cod_fee',
  cashback: 'cashback',
  returnFee: 'return_fee',
  pickupDueAt: 'pickup_due_at',
  codCollected: 'cod_collected',
  codCollectedEventId: 'cod_collected_event_id',
};

/** One move of a batch made by `transitionEach`: the shipment and what caused its move. */
export interface EachMove {
  id: string;
  causeEventId: string;
  reason: string | null;
  /** When it happened at the courier. */
  occurredAt: Date;
  /** The event that collected the COD (a delivered COD parcel), if any. */
  codCollectedEventId?: string | null;
}

/**
 * The text of a transition statement: `rows` (id, status) are locked, those in `request.from` moved to
 * `request.to` with `sets` (the caller's columns, as SQL), the columns that follow from the move, and
 * the transition recorded. `event` and `happened` are SQL of the cause event and of when the move
 * happened; `join` brings per-row values into the update (as `e`).
 */
function transitionText(
  request: Pick<TransitionRequest, 'to' | 'from' | 'cause' | 'at'>,
  p: (value: unknown) => string,
  parts: {
    ctes?: string;
    rows: string;
    join?: string;
    event: string;
    happened: () => string;
    sets: Map<string, string>;
    where: string[];
    /** SQL of the first poll when the move starts following the shipment (a row of shipment_polls). */
    pollAt?: string;
    /**
     * SQL of when the seller is told of each move (`shipment.status_changed`, written by the same
     * statement): the event's `createdAt`. Not told without it.
     */
    notifyAt?: string;
  },
): string {
  const fromP = p(request.from);
  const toP = p(request.to);
  const atP = p(request.at);
  // Column → value; what the caller sets wins over what follows from the move.
  const sets = new Map<string, string>([
    ['status', toP],
    ['updated_at', atP],
    ['status_event_id', parts.event],
    ...parts.sets,
  ]);
  const follows = (column: string, value: string) => {
    if (!sets.has(column)) sets.set(column, value);
  };
  const to = request.to;
  if (to === 'booked') follows('booked_at', parts.happened());
  if (HANDED_OVER.has(to)) follows('picked_up_at', `COALESCE(s.picked_up_at, ${parts.happened()})`);
  // Delivery attempts: a run out for delivery, or an outcome no dispatch scan announced.
  if (to === 'out_for_delivery') follows('attempts', 's.attempts + 1');
  if (to === 'delivery_failed') {
    follows('failed_attempts', 's.failed_attempts + 1');
    follows('attempts', 'GREATEST(s.attempts, s.failed_attempts + 1)');
  }
  if (to === 'delivered') follows('attempts', 'GREATEST(s.attempts, s.failed_attempts + 1)');
  if (TERMINAL.has(to)) {
    for (const column of ['pickup_due_at', 'cancel_claimed_until']) follows(column, 'NULL');
    if (to !== 'cancelled') {
      follows('ended_at', parts.happened());
      follows('outcome_recorded_at', atP);
    }
  } else if (to !== 'booked') follows('pickup_due_at', 'NULL');
  // A booked shipment whose pinned courier missed the pickup fails its booking from booked, as a re-booked one
  // goes back to booking: no longer booked, nor followed.
  const unbooked = to === 'booking' || (to === 'booking_failed' && request.from.includes('booked'));
  if (unbooked)
    for (const column of ['booked_at', 'cancel_claimed_until', 'cancel_requested_at'])
      follows(column, 'NULL');
  const where = [`prev.status = ANY(${fromP}::text[])`, ...parts.where];
  const cause = p(request.cause);
  // An ended shipment, or one no longer booked, is no longer polled; a lost one still is, for a while (the
  // tracker stops it after tracking.lostFollowDays).
  const polls = parts.pollAt
    ? `, polls AS (
         INSERT INTO shipment_polls (shipment_id, courier, next_poll_at)
         SELECT id, courier, ${parts.pollAt}::timestamptz FROM moved
         ON CONFLICT (shipment_id) DO UPDATE SET courier = EXCLUDED.courier, next_poll_at = EXCLUDED.next_poll_at
       )`
    : (TERMINAL.has(to) && to !== 'lost') || unbooked
      ? ', polls AS (DELETE FROM shipment_polls WHERE shipment_id IN (SELECT id FROM moved))'
      : '';
  const notified = parts.notifyAt
    ? `, ${deliveriesAlong(
        'notified',
        'moved',
        'shipment.status_changed',
        [
          ['shipmentId', 'r.id'],
          ['reference', 'r.reference'],
          ['from', 'r.from_status'],
          ['status', 'r.status'],
          ['reason', 'r.reason'],
          ['courier', 'r.courier'],
          ['awb', 'r.awb'],
          ['at', isoSql('r.happened')],
          // A delivery says whether the courier took the COD cash: a COD parcel delivered without it credits
          // the seller nothing, and a seller's system learns it here. Null on every other move.
          ['codCollected', "CASE WHEN r.status = 'delivered' AND r.cod_amount > 0 THEN r.cod_collected END"],
        ],
        `${parts.notifyAt}::timestamptz`,
      )}`
    : '';
  return `WITH ${parts.ctes ? `${parts.ctes}, ` : ''}prev AS (
         ${parts.rows}
         ORDER BY id FOR UPDATE
       ), moved AS (
         UPDATE shipments s SET ${[...sets].map(([c, v]) => `${c} = ${v}`).join(', ')}
         FROM prev ${parts.join ?? ''} WHERE s.id = prev.id AND ${where.join(' AND ')}
         RETURNING s.id, s.seller_id, s.reference, prev.status AS from_status, s.status, s.reason, s.courier,
           s.service, s.awb, s.origin, s.recipient_city, s.recipient_province, s.recipient_district_code,
           s.recipient_phone, s.failed_attempts, s.picked_up_at, s.ended_at, s.status_event_id, s.cod_amount,
           s.cod_collected, ${parts.happened()} AS happened
       ), recorded AS (
         INSERT INTO shipment_transitions (id, shipment_id, from_status, to_status, reason, cause, cause_event_id, at)
         SELECT gen_random_uuid(), id, from_status, status, reason, ${cause}, status_event_id, ${atP}::timestamptz FROM moved
       )${polls}${notified}
       SELECT * FROM moved ORDER BY id`;
}

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
   * The seller's shipments by the list's filters, for a page (paginate orders and limits it). `q` finds a
   * reference or airway bill by its start, a recipient by any part of the name, or the recipient's phone
   * (any way it is typed): each by an index of its own (migration ShipmentSearchIndexes), so a search in a
   * seller's hundreds of thousands of shipments reads only what matches.
   */
  listQuery(
    sellerId: string,
    f: { status?: string; risk?: string; courier?: string; from?: Date; to?: Date; q?: string },
  ): SelectQueryBuilder<Shipment> {
    const qb = this.tx.manager
      .createQueryBuilder(Shipment, 's')
      .where('s.sellerId = :sellerId', { sellerId });
    if (f.status) qb.andWhere('s.status = :status', { status: f.status });
    if (f.risk) qb.andWhere('s.risk = :risk', { risk: f.risk });
    if (f.courier) qb.andWhere('s.courier = :courier', { courier: f.courier });
    if (f.from) qb.andWhere('s.createdAt >= :from', { from: f.from });
    if (f.to) qb.andWhere('s.createdAt < :to', { to: f.to });
    if (f.q) {
      const phone = normalizeIndonesianPhone(f.q);
      const like = f.q.replace(/[\\%_]/g, (c) => `\\${c}`);
      qb.andWhere(
        new Brackets((w) => {
          // lower(…) LIKE lower(…), not ILIKE: what the prefix indexes (text_pattern_ops on the lower-cased
          // text) serve; lower-cased by PostgreSQL on both sides, as it folds case (ILIKE folds alike).
          w.where('lower(s.reference) LIKE lower(:prefix)', { prefix: `${like}%` })
            .orWhere('lower(s.awb) LIKE lower(:prefix)')
            .orWhere('s.recipientName ILIKE :part', { part: `%${like}%` });
          if (phone) w.orWhere('s.recipientPhone = :phone', { phone });
        }),
      );
    }
    return qb;
  }

  /** Which of `references` the seller's shipments already use. */
  async takenReferences(sellerId: string, references: string[]): Promise<Set<string>> {
    const rows = await this.tx.manager.query<{ reference: string }[]>(
      'SELECT reference FROM shipments WHERE seller_id = $1 AND reference = ANY($2)',
      [sellerId, references],
    );
    return new Set(rows.map((r) => r.reference));
  }

  /**
   * Inserts new shipments, `chunk` rows per statement, passing over each whose reference the seller already
   * uses (taken since it was looked up, by a request running alongside).
   * @returns the ids inserted
   */
  async insertNew(shipments: Shipment[], chunk: number): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (let i = 0; i < shipments.length; i += chunk) {
      const result = await this.tx.manager
        .createQueryBuilder()
        .insert()
        .into(Shipment)
        // Copies: TypeORM writes the returned rows back into the values by position, and with rows passed
        // over that gave a skipped shipment the id of the one after it.
        .values(shipments.slice(i, i + chunk).map((s) => ({ ...s })) as never)
        .orIgnore()
        .returning(['id'])
        .execute();
      for (const r of result.raw as { id: string }[]) inserted.add(r.id);
    }
    return inserted;
  }

  /**
   * The transition statement (only ShipmentStateMachine calls it): moves each of `ids` that is in one of
   * `request.from` and meets the guard to `request.to`, sets the columns that follow from the move, and
   * records the transition with its cause — one statement, so a move is never recorded without happening.
   */
  async transition(
    ids: string[],
    request: TransitionRequest,
    notifyAt: Date | null,
    along?: TransitionAlong,
  ): Promise<TransitionRow[]> {
    const params: unknown[] = [...(along?.params ?? [])];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    // One shipment (most moves) by `id = $n`: PostgreSQL plans that once per connection and reuses the plan,
    // where `id = ANY($n)` was planned again on every call (pg_prepared_statements counted custom plans only).
    const idMatch = ids.length === 1 ? `= ${p(ids[0])}::uuid` : `= ANY(${p(ids)}::uuid[])`;
    let happenedParam: string | undefined;
    const sets = new Map<string, string>();
    if (request.reason !== undefined) sets.set('reason', p(request.reason));
    const { nextPollAt, ...set } = request.set ?? {};
    for (const [name, value] of Object.entries(set)) {
      if (value === undefined) continue;
      const column = SETTABLE[name];
      if (!column) throw new Error(`a transition cannot set ${name}`);
      sets.set(column, p(name === 'decision' && value !== null ? JSON.stringify(value) : value));
    }
    const g = request.where ?? {};
    const where: string[] = [];
    if (g.sellerId) where.push(`s.seller_id = ${p(g.sellerId)}`);
    if (g.awb) where.push(`s.awb = ${p(g.awb)}`);
    if (g.cancelClaim) where.push(cancelClaimIs(p(g.cancelClaim.claim), p(g.cancelClaim.now)));
    if (g.cancelRequested) where.push('s.cancel_requested_at IS NOT NULL');
    const text = transitionText(request, p, {
      ctes: along?.ctes,
      rows: `SELECT id, status FROM shipments WHERE id ${idMatch} ${along ? `AND ${along.gate}` : ''}`,
      event: `${p(request.causeEventId ?? null)}::uuid`,
      happened: () => (happenedParam ??= `${p(request.occurredAt ?? request.at)}::timestamptz`),
      sets,
      where,
      pollAt: nextPollAt ? p(nextPollAt) : undefined,
      notifyAt: notifyAt ? p(notifyAt) : undefined,
    });
    // A few shapes (which columns a move sets), each run thousands of times a day: planned once each.
    return queryPrepared<TransitionRow>(this.tx.manager, preparedName('transition', text), text, params);
  }

  /**
   * The transition statement for moves that differ per shipment only in their cause (a tracker's batch:
   * each parcel's own event, reason and time, and whether it collected the COD): one statement for all.
   */
  async transitionEach(
    moves: EachMove[],
    request: Pick<TransitionRequest, 'to' | 'from' | 'cause' | 'at'>,
    notifyAt: Date | null,
  ): Promise<TransitionRow[]> {
    if (!moves.length) return [];
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const input = `per_row AS (
         SELECT * FROM unnest(${p(moves.map((m) => m.id))}::uuid[], ${p(moves.map((m) => m.causeEventId))}::uuid[],
           ${p(moves.map((m) => m.reason))}::text[], ${p(moves.map((m) => m.occurredAt))}::timestamptz[],
           ${p(moves.map((m) => m.codCollectedEventId ?? null))}::uuid[]) AS e(id, event_id, reason, happened, cod_event)
       )`;
    const sets = new Map<string, string>([['reason', 'e.reason']]);
    if (moves.some((m) => m.codCollectedEventId)) {
      sets.set('cod_collected', 's.cod_collected OR e.cod_event IS NOT NULL');
      sets.set('cod_collected_event_id', 'COALESCE(e.cod_event, s.cod_collected_event_id)');
    }
    const text = transitionText(request, p, {
      ctes: input,
      rows: 'SELECT id, status FROM shipments WHERE id IN (SELECT id FROM per_row)',
      join: 'JOIN per_row e ON e.id = prev.id',
      event: 'e.event_id',
      happened: () => 'e.happened',
      sets,
      where: [],
      notifyAt: notifyAt ? p(notifyAt) : undefined,
    });
    return queryPrepared<TransitionRow>(this.tx.manager, preparedName('transition', text), text, params);
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
    /**
     * The seller's cancel: kept as `cancel_requested_at` (an earlier one stays) before the courier is asked, so
     * a cancellation the courier made before a crash or a database failure here is still the seller's.
     */
    requested?: Date,
  ): Promise<Shipment | null> {
    // Its polls wait for the claim too (the cancellation decides what becomes of the shipment): pushed to
    // the claim's end, so the tracker's claim needs no look at the shipment row.
    const claimed = await this.tx.manager.query<{ id: string }[]>(
      `WITH claimed AS (
         UPDATE shipments SET cancel_claimed_until = $4,
                cancel_requested_at = COALESCE(cancel_requested_at, $6::timestamptz)
         WHERE id = $1 AND ($2::uuid IS NULL OR seller_id = $2) AND ($3::text IS NULL OR awb = $3)
           AND status = 'booked' AND (cancel_claimed_until IS NULL OR cancel_claimed_until < $5)
         RETURNING id
       ), polls AS (
         UPDATE shipment_polls SET next_poll_at = GREATEST(next_poll_at, $4)
         WHERE shipment_id IN (SELECT id FROM claimed)
       )
       SELECT id FROM claimed`,
      [which.id, which.sellerId ?? null, which.awb ?? null, until, now, requested ?? null],
    );
    return claimed.length === 1 ? this.tx.manager.findOneBy(Shipment, { id: which.id }) : null;
  }

  /**
   * Gives a cancellation claim back (the courier refused or could not answer); only its holder's token matches.
   * `requested`, what `cancel_requested_at` becomes: null, none (the courier refused and holds the order: a
   * request kept before is over too); `{ takenBack: at }`, the one the claim made at `at` is taken back (the
   * request never reached the courier; an earlier one, whose answer was lost, stands); absent, left as it is
   * (the seller's cancellation stands for the pickup watch: its answer lost, the courier may have taken it).
   */
  async releaseCancellation(id: string, claim: Date, requested?: null | { takenBack: Date }): Promise<void> {
    await this.tx.manager.query(
      `UPDATE shipments SET cancel_claimed_until = NULL,
              cancel_requested_at = CASE WHEN $3 OR cancel_requested_at = $4 THEN NULL ELSE cancel_requested_at END
        WHERE id = $1 AND cancel_claimed_until = $2`,
      [id, claim, requested === null, requested?.takenBack ?? null],
    );
  }

  /**
   * Claims up to `limit` of the courier's shipments whose poll is due, pushing their next poll to `leaseUntil`
   * so no other instance takes them meanwhile (a crashed poll comes back on its own). A walk of
   * `idx_shipment_polls_due` in next-poll order that stops at the limit, whatever the number of active
   * shipments. A shipment whose cancellation is in flight is not due (claimCancellation pushed its poll).
   */
  async claimDuePolls(
    courier: string,
    now: Date,
    leaseUntil: Date,
    limit: number,
  ): Promise<TrackedShipmentRow[]> {
    // The lease is written on the narrow poll row alone, and the shipments are read only by their keys (not
    // locked: the recording locks them when it applies the answer). Each step by key (ANY(ARRAY(…))) so a
    // stale row estimate, a queue's table changing faster than ANALYZE runs, cannot turn a step into a
    // join that reads every poll row or every shipment.
    return this.tx.manager.query<TrackedShipmentRow[]>(
      `WITH claimed AS (
         UPDATE shipment_polls p SET next_poll_at = $3
         WHERE p.shipment_id = ANY(ARRAY(
           SELECT shipment_id FROM shipment_polls WHERE courier = $1 AND next_poll_at <= $2
           ORDER BY next_poll_at LIMIT $4 FOR UPDATE SKIP LOCKED))
         RETURNING p.shipment_id
       )
       SELECT ${TRACKED_COLUMNS} FROM shipments s WHERE s.id = ANY(ARRAY(SELECT shipment_id FROM claimed))`,
      [courier, now, leaseUntil, limit],
    );
  }

  /** Locks the shipments (in id order, so two processors never deadlock) and reads them. */
  async lockTracked(ids: string[]): Promise<TrackedShipmentRow[]> {
    return this.tx.manager.query<TrackedShipmentRow[]>(
      // With when the booking that gave the shipment its airway bill began: no event stored before then is its.
      `SELECT ${TRACKED_COLUMNS},
         (SELECT max(a.started_at) FROM booking_attempts a WHERE a.shipment_id = s.id AND a.awb = s.awb) AS awb_since
       FROM shipments s WHERE s.id = ANY($1::uuid[]) ORDER BY s.id FOR UPDATE`,
      [ids],
    );
  }

  /** The reference, status and airway bill of the seller's shipments among `ids` (another seller's are not answered). */
  summaries(sellerId: string, ids: string[]): Promise<ShipmentSummaryRow[]> {
    // Prepared: the alert inbox asks on every page and every acknowledgement.
    return queryPrepared<ShipmentSummaryRow>(
      this.tx.manager,
      'shipment_summaries_v2',
      'SELECT id, reference, status, awb, failed_attempts AS "failedAttempts" FROM shipments WHERE seller_id = $1 AND id = ANY($2::uuid[])',
      [sellerId, ids],
    );
  }

  /** The shipments currently booked with these airway bills at the courier. */
  async byAwbs(courier: string, awbs: string[]): Promise<{ id: string; awb: string }[]> {
    return this.tx.manager.query<{ id: string; awb: string }[]>(
      'SELECT id, awb FROM shipments WHERE courier = $1 AND awb = ANY($2::text[])',
      [courier, awbs],
    );
  }

  /**
   * The shipments booked before with these airway bills at the courier, not booked with them now (a booking
   * cancelled to re-book, or superseded); an airway bill of several shipments (a courier reusing it) answers
   * the one booked with it last.
   */
  async byEarlierAwbs(courier: string, awbs: string[]): Promise<{ id: string; awb: string }[]> {
    return this.tx.manager.query<{ id: string; awb: string }[]>(
      `SELECT DISTINCT ON (a.awb) a.shipment_id AS id, a.awb
         FROM booking_attempts a JOIN shipments s ON s.id = a.shipment_id
        WHERE a.courier = $1 AND a.awb = ANY($2::text[]) AND (s.courier, s.awb) IS DISTINCT FROM (a.courier, a.awb)
        ORDER BY a.awb, a.started_at DESC`,
      [courier, awbs],
    );
  }

  /** The parcels these airway bills name at the courier, with what settling their COD cash needs. */
  /** `lock`: the rows locked FOR UPDATE in id order (the tracker's order), as they stand once locked. */
  async codParcelsByAwb(courier: string, awbs: string[], lock = false): Promise<CodParcelRow[]> {
    return this.tx.manager.query<CodParcelRow[]>(
      `SELECT id, courier, awb, status, cod_amount, cod_collected, ended_at FROM shipments
        WHERE courier = $1 AND awb = ANY($2::text[])${lock ? ' ORDER BY id FOR UPDATE' : ''}`,
      [courier, awbs],
    );
  }

  /**
   * The shipment, locked FOR UPDATE (as the tracker and COD settlements lock it), with the service of its
   * last booking with `courier` under `awb` (a booking attempt, maybe since re-booked away), if any.
   */
  async remittedParcel(id: string, courier: string, awb: string): Promise<RemittedParcelRow | null> {
    const rows = await this.tx.manager.query<RemittedParcelRow[]>(
      `SELECT s.id, s.seller_id, s.reference, s.reason, s.courier, s.awb, s.status, s.cod_amount, s.ended_at,
              a.service AS booked_service
         FROM shipments s
         LEFT JOIN LATERAL (SELECT service FROM booking_attempts a
                             WHERE a.shipment_id = s.id AND a.courier = $2 AND a.awb = $3
                             ORDER BY a.started_at DESC LIMIT 1) a ON true
        WHERE s.id = $1 FOR UPDATE OF s`,
      [id, courier, awb],
    );
    return rows[0] ?? null;
  }

  /** Which of these shipments a remittance line settled (cod_remitted). */
  async codRemitted(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.tx.manager.query<{ id: string }[]>(
      'SELECT id FROM shipments WHERE id = ANY($1::uuid[]) AND cod_remitted',
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Delivered COD parcels (the COD cash taken) no remittance line settled, that ended before `before`, oldest
   * first by (ended_at, id) after the keyset position `after`: a walk along idx_shipments_cod_unremitted, whose
   * predicate the WHERE repeats, so parcels long remitted are never read.
   */
  async codUnremittedPage(q: {
    before: Date;
    courier: string | null;
    after: { endedAt: Date; id: string } | null;
    limit: number;
  }): Promise<CodParcelRow[]> {
    const params: unknown[] = [q.before, q.limit];
    let where = '';
    if (q.after) {
      params.push(q.after.endedAt, q.after.id);
      where += ` AND (ended_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    if (q.courier) {
      params.push(q.courier);
      where += ` AND courier = $${params.length}`;
    }
    return this.tx.manager.query<CodParcelRow[]>(
      `SELECT id, courier, awb, status, cod_amount, cod_collected, ended_at FROM shipments
        WHERE status = 'delivered' AND cod_collected AND NOT cod_remitted AND ended_at < $1${where}
        ORDER BY ended_at, id LIMIT $2`,
      params,
    );
  }

  /**
   * Per courier: how many delivered COD parcels no line settled ended before `before`, and their COD (rupiah).
   * From idx_shipments_cod_unremitted, like the page.
   */
  async codUnremittedTotals(
    before: Date,
    courier: string | null,
  ): Promise<{ courier: string; count: number; amount: string }[]> {
    return this.tx.manager.query(
      `SELECT courier, count(*)::int AS count, coalesce(sum(cod_amount), 0)::text AS amount FROM shipments
        WHERE status = 'delivered' AND cod_collected AND NOT cod_remitted AND ended_at < $1
          AND ($2::text IS NULL OR courier = $2)
        GROUP BY courier`,
      [before, courier],
    );
  }

  /**
   * Marks the parcels' COD cash remitted, or owed again (`remitted` false). Rows locked in id order, so two
   * callers never wait on each other's rows crosswise. Returns how many changed.
   */
  async markCodRemitted(ids: string[], remitted: boolean): Promise<number> {
    if (!ids.length) return 0;
    const [, changed] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE shipments s SET cod_remitted = $2
         FROM (SELECT id FROM shipments WHERE id = ANY($1::uuid[]) AND cod_remitted <> $2 ORDER BY id FOR UPDATE) l
        WHERE s.id = l.id`,
      [[...new Set(ids)], remitted],
    );
    return changed;
  }

  /**
   * Marks delivered COD parcels as delivered without their cash (finance reversed the credit), the change
   * recorded `now`; the ids changed.
   */
  async markCodNotCollected(ids: string[], now: Date): Promise<string[]> {
    if (!ids.length) return [];
    const [rows] = await this.tx.manager.query<[{ id: string }[], number]>(
      `UPDATE shipments SET cod_collected = false, cod_collected_changed_at = $2
        WHERE id = ANY($1::uuid[]) AND status = 'delivered' AND cod_collected RETURNING id`,
      [[...new Set(ids)], now],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Marks delivered COD parcels as delivered with their cash after all (one whose credit finance reversed,
   * delivered again), each by the event that says so (null: no courier event, the line that delivered it
   * stays), the change recorded `now`; the ids changed.
   */
  async markCodCollected(parcels: { id: string; eventId: string | null }[], now: Date): Promise<string[]> {
    if (!parcels.length) return [];
    const [rows] = await this.tx.manager.query<[{ id: string }[], number]>(
      `UPDATE shipments s SET cod_collected = true,
              cod_collected_event_id = COALESCE(x.event_id, s.cod_collected_event_id), cod_collected_changed_at = $3
         FROM unnest($1::uuid[], $2::uuid[]) AS x(id, event_id)
        WHERE s.id = x.id AND s.status = 'delivered' AND s.cod_amount > 0 AND NOT s.cod_collected
        RETURNING s.id`,
      [parcels.map((p) => p.id), parcels.map((p) => p.eventId), now],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Sets each followed shipment's next poll (one that has ended meanwhile is followed no more: its row is
   * gone, and it is never polled).
   */
  async schedulePolls(polls: { id: string; at: Date }[]): Promise<void> {
    if (!polls.length) return;
    await this.tx.manager.query(
      `UPDATE shipment_polls p SET next_poll_at = x.at
       FROM unnest($1::uuid[], $2::timestamptz[]) AS x(id, at)
       WHERE p.shipment_id = x.id`,
      [polls.map((p) => p.id), polls.map((p) => p.at)],
    );
  }

  /** The shipments are polled at `at` (or sooner, where a poll is due sooner), followed or not before. */
  async insertPolls(ids: string[], at: Date): Promise<void> {
    if (!ids.length) return;
    await this.tx.manager.query(
      `INSERT INTO shipment_polls (shipment_id, courier, next_poll_at)
       SELECT s.id, s.courier, $2 FROM shipments s WHERE s.id = ANY($1::uuid[]) AND s.courier IS NOT NULL
       ON CONFLICT (shipment_id) DO UPDATE SET next_poll_at = LEAST(shipment_polls.next_poll_at, EXCLUDED.next_poll_at)`,
      [ids, at],
    );
  }

  /** The shipments are polled no more (a lost parcel followed long enough). */
  async stopPolls(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.tx.manager.query('DELETE FROM shipment_polls WHERE shipment_id = ANY($1::uuid[])', [ids]);
  }

  /**
   * Brings a followed shipment's next poll forward to `at` (never back). A lease is a next poll too:
   * a shipment being polled right now may be polled once more meanwhile (harmless: events are stored once).
   */
  async bringPollForward(id: string, at: Date): Promise<void> {
    await this.tx.manager.query(
      'UPDATE shipment_polls SET next_poll_at = $2 WHERE shipment_id = $1 AND next_poll_at > $2',
      [id, at],
    );
  }

  /**
   * Takes the followed shipment's one refresh of the window: true (and `at` noted) when it was last refreshed
   * before `since`, or never; false when it was refreshed since, or is not followed.
   */
  async claimRefresh(id: string, at: Date, since: Date): Promise<boolean> {
    // An UPDATE answers [rows, count].
    const [, count] = await this.tx.manager.query<[unknown[], number]>(
      `UPDATE shipment_polls SET refreshed_at = $2
       WHERE shipment_id = $1 AND (refreshed_at IS NULL OR refreshed_at <= $3) RETURNING 1`,
      [id, at, since],
    );
    return count > 0;
  }

  /** A pushed event just told us the news: the next poll may wait until `at` (never brought forward). */
  async postponePolls(ids: string[], at: Date): Promise<void> {
    if (!ids.length) return;
    await this.tx.manager.query(
      'UPDATE shipment_polls SET next_poll_at = $2 WHERE shipment_id = ANY($1::uuid[]) AND next_poll_at < $2',
      [ids, at],
    );
  }

  /**
   * Facts from the courier's events that are not a status (the newest event seen, attempts, the risk),
   * for a batch of shipments in one statement.
   */
  async noteCourierFacts(facts: (CourierFacts & { id: string })[]): Promise<void> {
    if (!facts.length) return;
    await this.tx.manager.query(
      `UPDATE shipments s SET
         last_event_at = GREATEST(s.last_event_at, f.last_event_at),
         attempts = GREATEST(s.attempts, COALESCE(f.attempts, 0)),
         failed_attempts = GREATEST(s.failed_attempts, COALESCE(f.failed, 0)),
         risk = COALESCE(f.risk, s.risk)
       FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::text[])
         AS f(id, last_event_at, attempts, failed, risk)
       WHERE s.id = f.id`,
      [
        facts.map((f) => f.id),
        facts.map((f) => f.lastEventAt ?? null),
        facts.map((f) => f.attempts ?? null),
        facts.map((f) => f.failed ?? null),
        facts.map((f) => f.risk ?? null),
      ],
    );
  }
  /** Those of `ids` that have ended (delivered, returned, cancelled, lost); their risk is none from now on. */
  async endedAmong(ids: string[]): Promise<string[]> {
    const [rows] = await this.tx.manager.query<[{ id: string }[], number]>(
      `UPDATE shipments SET risk = 'none' WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[]) RETURNING id`,
      [ids, [...TERMINAL]],
    );
    return rows.map((r) => r.id);
  }

  /** The seller's shipments created in [from, to) by status. */
  async countByStatus(
    sellerId: string,
    from: Date,
    to: Date,
  ): Promise<{ status: ShipmentStatus; n: number }[]> {
    return this.tx.manager.query(
      `SELECT status, count(*)::int AS n FROM shipments
       WHERE seller_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY status ORDER BY status`,
      [sellerId, from, to],
    );
  }

  /** Per courier, the seller's shipments that ended in [from, to): how, and how long delivered ones took. */
  async endingsByCourier(sellerId: string, from: Date, to: Date): Promise<CourierEndings[]> {
    return this.tx.manager.query(
      `SELECT courier,
         count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
         count(*) FILTER (WHERE status = 'returned')::int AS returned,
         count(*) FILTER (WHERE status = 'lost')::int AS lost,
         -- A courier's times out of order (delivered stamped before its pickup) count as no time, not less.
         (avg(GREATEST(EXTRACT(EPOCH FROM ended_at - picked_up_at), 0))
           FILTER (WHERE status = 'delivered' AND picked_up_at IS NOT NULL) / 86400)::float8 AS avg_transit_days
       FROM shipments
       WHERE seller_id = $1 AND ended_at >= $2 AND ended_at < $3 AND courier IS NOT NULL
         AND status IN ('delivered', 'returned', 'lost')
       GROUP BY courier ORDER BY courier`,
      [sellerId, from, to],
    );
  }

  /**
   * The seller's charged shipments whose end (delivered or returned) Kirim recorded in [from, to), by that
   * time then id, after the keyset position `after` (an index range of idx_shipments_seller_outcome_recorded).
   */
  async chargedEnded(
    sellerId: string,
    from: Date,
    to: Date,
    after: string | null,
    limit: number,
  ): Promise<ChargedEndedRow[]> {
    // The position is (outcome_recorded_at as PostgreSQL writes it, id): exact to the microsecond, which a
    // Date is not.
    const [at, id] = positionParts(after);
    const rows = await this.tx.manager.query<Record<string, string | Date | boolean>[]>(
      `SELECT id, awb, courier, status, cod_amount, cod_collected, shipping_fee, cod_fee, cashback, return_fee,
              outcome_recorded_at::text AS position_key
         FROM shipments
        WHERE seller_id = $1 AND outcome_recorded_at >= $2 AND outcome_recorded_at < $3
          AND status IN ('delivered', 'returned') AND shipping_fee IS NOT NULL AND awb IS NOT NULL
          AND ($4::timestamptz IS NULL OR (outcome_recorded_at, id) > ($4::timestamptz, $5::uuid))
        ORDER BY outcome_recorded_at, id
        LIMIT $6`,
      [sellerId, from, to, at, id, limit],
    );
    return rows.map(chargedRow);
  }

  /**
   * The seller's cancelled shipments whose earlier booking carried them after all (markEarlierBookingCarried),
   * recorded in [from, to), as that booking charges them: delivered with their COD cash, its airway bill,
   * courier and quoted charges. By that time then id, after the keyset position `after`
   * (idx_booking_attempts_delivered_recorded: such bookings are few).
   */
  async chargedCarriedByEarlierBooking(
    sellerId: string,
    from: Date,
    to: Date,
    after: string | null,
    limit: number,
  ): Promise<ChargedEndedRow[]> {
    const [at, id] = positionParts(after);
    const rows = await this.tx.manager.query<Record<string, string | Date | boolean>[]>(
      `SELECT s.id, a.awb, a.courier, 'delivered' AS status, s.cod_amount, true AS cod_collected, a.shipping_fee,
              a.cod_fee, a.cashback, a.return_fee, a.delivered_recorded_at::text AS position_key
         FROM booking_attempts a JOIN shipments s ON s.id = a.shipment_id
        WHERE a.delivered_recorded_at >= $2 AND a.delivered_recorded_at < $3 AND s.seller_id = $1
          AND a.shipping_fee IS NOT NULL AND a.awb IS NOT NULL
          AND ($4::timestamptz IS NULL OR (a.delivered_recorded_at, s.id) > ($4::timestamptz, $5::uuid))
        ORDER BY a.delivered_recorded_at, s.id
        LIMIT $6`,
      [sellerId, from, to, at, id, limit],
    );
    return rows.map(chargedRow);
  }

  /**
   * Records that the shipment's earlier booking with `courier` under `awb` (the last such booking attempt)
   * carried the parcel after all, `now`, and that the shipment's COD cash was collected (it stays as its
   * status says: invoicing charges it through that booking, and reads cod_collected of delivered parcels
   * only); whether it changed (a booking so recorded already is not).
   */
  async markEarlierBookingCarried(id: string, courier: string, awb: string, now: Date): Promise<boolean> {
    const [{ n }] = await this.tx.manager.query<{ n: number }[]>(
      `WITH carried AS (
         UPDATE booking_attempts SET delivered_recorded_at = $4
          WHERE id = (SELECT id FROM booking_attempts WHERE shipment_id = $1 AND courier = $2 AND awb = $3
                       ORDER BY started_at DESC LIMIT 1)
            AND delivered_recorded_at IS NULL
         RETURNING shipment_id
       ), collected AS (
         UPDATE shipments s SET cod_collected = true
           FROM carried c WHERE s.id = c.shipment_id AND s.cod_amount > 0
       )
       SELECT count(*)::int AS n FROM carried`,
      [id, courier, awb, now],
    );
    return n > 0;
  }

  /**
   * The seller's charged delivered COD parcels that ended before `from` and whose COD cash was found not
   * collected after all, or collected after all (markCodNotCollected, markCodCollected), last in [from, to),
   * by that time then id, after the keyset position `after` (idx_shipments_cod_collected_changed: such
   * changes are few, so the period's range of it is small).
   */
  async codCollectedChanged(
    sellerId: string,
    from: Date,
    to: Date,
    after: string | null,
    limit: number,
  ): Promise<CodCollectedChangedRow[]> {
    const [at, id] = positionParts(after);
    const rows = await this.tx.manager.query<Record<string, string | Date | boolean>[]>(
      `SELECT id, awb, courier, status, cod_amount, cod_collected, shipping_fee, cod_fee, cashback, return_fee,
              outcome_recorded_at, cod_collected_changed_at::text AS position_key
         FROM shipments
        WHERE cod_collected_changed_at >= $2 AND cod_collected_changed_at < $3 AND seller_id = $1
          AND outcome_recorded_at < $2 AND status = 'delivered' AND cod_amount > 0
          AND shipping_fee IS NOT NULL AND awb IS NOT NULL
          AND ($4::timestamptz IS NULL OR (cod_collected_changed_at, id) > ($4::timestamptz, $5::uuid))
        ORDER BY cod_collected_changed_at, id
        LIMIT $6`,
      [sellerId, from, to, at, id, limit],
    );
    return rows.map((r) => ({ ...chargedRow(r), outcomeRecordedAt: r.outcome_recorded_at as Date }));
  }

  /**
   * The sellers with a charged shipment whose end (delivered or returned) was recorded in [from, to), whose
   * COD collection changed in it after an earlier end (codCollectedChanged), or whose earlier booking was
   * recorded in it as carrying it after all (chargedCarriedByEarlierBooking).
   */
  async sellersWithChargedEnded(from: Date, to: Date): Promise<string[]> {
    const rows = await this.tx.manager.query<{ seller_id: string }[]>(
      `SELECT seller_id FROM shipments
        WHERE outcome_recorded_at >= $1 AND outcome_recorded_at < $2 AND status IN ('delivered', 'returned')
          AND shipping_fee IS NOT NULL AND awb IS NOT NULL
       UNION
       SELECT seller_id FROM shipments
        WHERE cod_collected_changed_at >= $1 AND cod_collected_changed_at < $2 AND outcome_recorded_at < $1
          AND status = 'delivered' AND cod_amount > 0 AND shipping_fee IS NOT NULL AND awb IS NOT NULL
       UNION
       SELECT s.seller_id FROM booking_attempts a JOIN shipments s ON s.id = a.shipment_id
        WHERE a.delivered_recorded_at >= $1 AND a.delivered_recorded_at < $2
          AND a.shipping_fee IS NOT NULL AND a.awb IS NOT NULL
       ORDER BY seller_id`,
      [from, to],
    );
    return rows.map((r) => r.seller_id);
  }

  /**
   * When the first charged shipment's end (delivered or returned), or earlier booking carrying it after all,
   * was recorded, or null.
   */
  async firstChargedEnd(): Promise<Date | null> {
    const [row] = await this.tx.manager.query<{ at: Date | null }[]>(
      `SELECT LEAST(
         (SELECT min(outcome_recorded_at) FROM shipments
           WHERE outcome_recorded_at IS NOT NULL AND status IN ('delivered', 'returned') AND shipping_fee IS NOT NULL),
         (SELECT min(delivered_recorded_at) FROM booking_attempts
           WHERE delivered_recorded_at IS NOT NULL AND shipping_fee IS NOT NULL)) AS at`,
    );
    return row.at;
  }
}

/** A keyset position `<time as PostgreSQL writes it>|<id>` (chargedRow) as its two parts; nulls for none. */
function positionParts(after: string | null): [string | null, string | null] {
  if (!after) return [null, null];
  const cut = after.lastIndexOf('|');
  return [after.slice(0, cut), after.slice(cut + 1)];
}

/** A charged delivered COD parcel whose COD collection changed after its end (codCollectedChanged). */
export interface CodCollectedChangedRow extends ChargedEndedRow {
  /** When Kirim recorded its end (the invoice of that period charged it). */
  outcomeRecordedAt: Date;
}

function chargedRow(r: Record<string, string | Date | boolean>): ChargedEndedRow {
  return {
    id: r.id as string,
    awb: r.awb as string,
    courier: r.courier as string,
    status: r.status as 'delivered' | 'returned',
    codAmount: Number(r.cod_amount),
    codCollected: r.cod_collected === true,
    shippingFee: Number(r.shipping_fee),
    codFee: Number(r.cod_fee ?? 0),
    cashback: Number(r.cashback ?? 0),
    returnFee: Number(r.return_fee ?? 0),
    position: `${r.position_key as string}|${r.id as string}`,
  };
}

/** A charged shipment that ended delivered or returned (rupiah), as invoicing reads it. */
export interface ChargedEndedRow {
  id: string;
  awb: string;
  courier: string;
  status: 'delivered' | 'returned';
  codAmount: number;
  /** The courier reported the COD cash taken. */
  codCollected: boolean;
  shippingFee: number;
  codFee: number;
  cashback: number;
  returnFee: number;
  /** Where a read of the next ones starts (opaque: the end time as PostgreSQL writes it, and the id). */
  position: string;
}

/** How a courier's shipments of one seller ended in a window. */
export interface CourierEndings {
  courier: string;
  delivered: number;
  returned: number;
  lost: number;
  avg_transit_days: number | null;
}

/** What courier events establish beside the status (only ever moved forward). */
export interface CourierFacts {
  lastEventAt?: Date;
  /** Delivery runs and failed attempts the whole journey shows. */
  attempts?: number;
  failed?: number;
  risk?: 'none' | 'at_risk';
}

/** A shipment as the tracker sees it. */
export interface TrackedShipmentRow {
  id: string;
  seller_id: string;
  reference: string;
  status: ShipmentStatus;
  courier: string | null;
  service: string | null;
  awb: string | null;
  courier_reference: string | null;
  pickup_due_at: Date | null;
  cod_amount: string;
  cod_collected: boolean;
  risk: 'none' | 'at_risk';
  recipient_name: string;
  recipient_phone: string;
  recipient_city: string;
  recipient_province: string;
  recipient_district_code: string | null;
  origin: Place;
  created_at: Date;
  booked_at: Date | null;
  picked_up_at: Date | null;
  last_event_at: Date | null;
  attempts: number;
  failed_attempts: number;
  status_event_id: string | null;
  /** The transit days the courier quoted for the chosen service when it was chosen (null: not known). */
  quoted_eta_min_days: number | null;
  quoted_eta_max_days: number | null;
  /** When the booking that gave it its airway bill began (read when locked for tracking). */
  awb_since?: Date | null;
  ended_at: Date | null;
  /** The seller pinned a courier service: no other courier may carry it. */
  pinned: boolean;
}

// The quoted days come from their own columns, not out of the decision: that (every option weighed, about
// 2 KB, stored compressed out of line) was fetched and parsed on every poll of every parcel for one figure.
const TRACKED_COLUMNS = `s.id, s.seller_id, s.reference, s.status, s.courier, s.service, s.awb, s.courier_reference,
  s.pickup_due_at, s.cod_amount, s.cod_collected, s.risk, s.recipient_name, s.recipient_phone, s.recipient_city,
  s.recipient_province, s.recipient_district_code, s.origin, s.created_at, s.booked_at, s.picked_up_at, s.last_event_at, s.attempts, s.failed_attempts, s.status_event_id,
  s.quoted_eta_min_days, s.quoted_eta_max_days, s.ended_at, s.requested_courier IS NOT NULL AS pinned`;
