import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { storableJson, storableText } from 'src/common/hostile-input';
import type {
  CourierCode,
  CourierReason,
  CourierStatus,
  ProofOfDelivery,
  TrackingEvent,
} from 'src/couriers/courier-adapter';
import { compareStrings } from 'src/common/sort-order';
import { POLL_READS_PUSHED_LINES_BETTER } from 'src/couriers/push-reading';
import { Transactions } from 'src/database/transaction';
import type { StoredEvent } from './tracking-status';

export type EventSource = 'poll' | 'webhook';

interface EventRow {
  id: string;
  awb: string;
  status: CourierStatus | null;
  reason: CourierReason | null;
  raw_code: string;
  raw_text: string;
  occurred_at: Date;
  location: string | null;
  is_return_leg: boolean;
  cod_collected: boolean | null;
  received_at?: Date;
}

const storedOf = (r: EventRow): StoredEvent => ({
  id: r.id,
  status: r.status,
  reason: r.reason,
  rawCode: r.raw_code,
  rawText: r.raw_text,
  occurredAt: r.occurred_at,
  location: r.location,
  isReturnLeg: r.is_return_leg,
  codCollected: r.cod_collected,
  ...(r.received_at ? { receivedAt: r.received_at } : {}),
});

/** A COD parcel whose delivery finance should look at, with the cash its delivering line reported. */
export interface CodDiscrepancyRow {
  shipment_id: string;
  seller_id: string;
  reference: string;
  courier: string;
  awb: string;
  cod_amount: string;
  reported: string | null;
  occurred_at: Date;
  /** A delivery taken back's open `delivery_contradicted` alert (deliveriesTakenBack only). */
  alert_id?: string;
}

/** The inbox of courier events, each stored once, and the pushes they came in. */
@Injectable()
export class TrackingEventsRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * Stores, as applied to their shipments (`owners`), the polled events that `stored` (each airway bill's
   * history, as eventsOf read it under the shipments' lock) does not have yet, and adds the ones it stored
   * to `stored` in eventsOf's order, so it reads as if read after the insert. A courier answers a poll with
   * the whole history, so only the few new events are sent and probed, not the whole history again on
   * every poll; one stored meanwhile by a push is skipped here (the key is taken) and applied from the inbox.
   * A stored line the poll reads otherwise is read again first (rereadByPoll).
   */
  async insertFresh(
    courier: CourierCode,
    events: TrackingEvent[],
    stored: Map<string, StoredEvent[]>,
    owners: Map<string, string>,
    at: Date,
  ): Promise<void> {
    const known = new Map<string, StoredEvent>();
    for (const [awb, list] of stored)
      for (const e of list) known.set(eventKey(awb, e.rawCode, e.occurredAt), e);
    await this.rereadByPoll(courier, events, known, owners);
    const fresh = events.filter((e) => !known.has(eventKey(e.awb, e.rawCode, e.occurredAt)));
    if (!fresh.length) return;
    const parameters = eventParameters(courier, fresh, 'poll', at, null);
    const rows = await this.tx.manager.query<{ id: string }[]>(insertEvents(true), [
      ...parameters,
      [...owners.keys()],
      [...owners.values()],
    ]);
    const inserted = new Set(rows.map((r) => r.id));
    const ids = parameters[4] as string[]; // the ids eventParameters drew ($5)
    const grown = new Set<StoredEvent[]>();
    fresh.forEach((e, i) => {
      if (!inserted.has(ids[i])) return;
      let list = stored.get(e.awb);
      if (!list) stored.set(e.awb, (list = []));
      list.push({
        id: ids[i],
        status: e.status,
        reason: e.reason ?? null,
        rawCode: e.rawCode,
        rawText: e.rawText,
        occurredAt: e.occurredAt,
        location: e.location ?? null,
        isReturnLeg: e.isReturnLeg,
        codCollected: e.codCollected ?? null,
        receivedAt: at,
      });
      grown.add(list);
    });
    for (const list of grown)
      list.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || compareStrings(a.id, b.id));
  }

  /**
   * A stored line the poll, reading it with the lines before it, reads otherwise. One stored off the return
   * leg that the poll finds on it: a push of the newest line alone cannot tell a return's end from a delivery
   * (J&T's 200, sent without its history), and the first reading was kept for good, leaving the parcel
   * `returning`. And from a courier whose pushes are read with less than a poll
   * (POLL_READS_PUSHED_LINES_BETTER), a pushed line read with another status, reason or leg: an ID Express
   * problem scan pushed alone after a Delivery Scan was kept as a hold, and the failed attempt never counted.
   * The poll's reading replaces it (in `known` too, so the journey reads it) unless the line already moved a
   * shipment: that move stands, and the scans after it say what became of the parcel.
   */
  private async rereadByPoll(
    courier: CourierCode,
    polled: TrackingEvent[],
    known: Map<string, StoredEvent>,
    owners: Map<string, string>,
  ): Promise<void> {
    const pushesReadLess = POLL_READS_PUSHED_LINES_BETTER.has(courier);
    const reread = polled.flatMap((e) => {
      const was = known.get(eventKey(e.awb, e.rawCode, e.occurredAt));
      const shipmentId = owners.get(e.awb);
      if (!was || !shipmentId) return [];
      const ontoReturnLeg = !was.isReturnLeg && e.isReturnLeg;
      const otherwise =
        pushesReadLess &&
        (was.status !== e.status || was.reason !== (e.reason ?? null) || was.isReturnLeg !== e.isReturnLeg);
      return ontoReturnLeg || otherwise ? [{ was, now: e, shipmentId, anySource: ontoReturnLeg }] : [];
    });
    if (!reread.length) return;
    // An UPDATE's answer through TypeORM is [rows, affected]. A line read otherwise is read again only when a
    // push stored it (a poll's reading of it stands); one read onto the return leg whatever stored it.
    const [rows] = await this.tx.manager.query<[{ id: string }[], number]>(
      `UPDATE tracking_events te
          SET is_return_leg = r.return_leg, status = r.status, reason = r.reason,
              cod_collected = CASE WHEN r.return_leg THEN NULL ELSE r.cod_collected END
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::boolean[], $6::boolean[], $7::boolean[])
              AS r(id, status, reason, shipment_id, return_leg, cod_collected, any_source)
        WHERE te.id = r.id AND (r.any_source OR te.source = 'webhook')
          AND (te.status, te.reason, te.is_return_leg) IS DISTINCT FROM (r.status, r.reason, r.return_leg)
          AND NOT EXISTS (SELECT 1 FROM shipment_transitions t
                           WHERE t.shipment_id = r.shipment_id AND t.cause_event_id = te.id)
          AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.id = r.shipment_id
                             AND (s.status_event_id = te.id OR s.cod_collected_event_id = te.id))
       RETURNING te.id`,
      [
        reread.map((x) => x.was.id),
        reread.map((x) => x.now.status),
        reread.map((x) => x.now.reason ?? null),
        reread.map((x) => x.shipmentId),
        reread.map((x) => x.now.isReturnLeg),
        reread.map((x) => x.now.codCollected ?? null),
        reread.map((x) => x.anySource),
      ],
    );
    const updated = new Set(rows.map((r) => r.id));
    for (const { was, now } of reread)
      if (updated.has(was.id))
        Object.assign(was, {
          isReturnLeg: now.isReturnLeg,
          status: now.status,
          reason: now.reason ?? null,
          codCollected: now.isReturnLeg ? null : (now.codCollected ?? null),
        });
  }

  /**
   * Stores a poll's events not seen before (courier, airway bill, raw code and time are the key) as applied
   * in the caller's transaction: each belongs to its airway bill's shipment in `owners` (none: done, as
   * markUnowned does). Written once, not stored and then marked: a poll applies what it brought at once.
   */
  async insertApplied(
    courier: CourierCode,
    events: TrackingEvent[],
    owners: Map<string, string>,
    at: Date,
  ): Promise<void> {
    if (!events.length) return;
    await this.tx.manager.query(insertEvents(true), [
      ...eventParameters(courier, events, 'poll', at, null),
      [...owners.keys()],
      [...owners.values()],
    ]);
  }

  /**
   * A courier push exactly as received (after its signature was verified) and its events not seen before,
   * each referring to it: one statement, so the push and its events are stored together in one round trip
   * (the whole of the webhook route's database work). How many events were new. A push that brought none
   * (a courier's retry, a signed push replayed within its window) is not kept: each copy of up to 256 KB was
   * stored again, for the retention's 30 days.
   */
  async insertPush(
    courier: CourierCode,
    body: Buffer,
    contentType: string | null,
    events: TrackingEvent[],
    at: Date,
  ): Promise<{ stored: number }> {
    const pushId = randomUUID();
    const parameters = eventParameters(courier, events, 'webhook', at, pushId);
    const rows = await this.tx.manager.query<{ awb: string }[]>(
      `WITH fresh AS (${insertEvents(false)}),
       push AS (
         INSERT INTO courier_pushes (id, courier, body, content_type, received_at)
         SELECT $3, $1, $${parameters.length + 1}, $${parameters.length + 2}, $4
         WHERE EXISTS (SELECT 1 FROM fresh))
       SELECT awb FROM fresh`,
      [
        ...parameters,
        storableText(body.toString('utf8')),
        contentType === null ? null : storableText(contentType),
      ],
    );
    return { stored: rows.length };
  }

  /**
   * Every stored event of these airway bills at the courier, by airway bill; `pending`: the ids of those not
   * applied yet (pushed ones waiting in the inbox), for markProcessed.
   */
  async eventsOf(
    courier: CourierCode,
    awbs: string[],
  ): Promise<{ byAwb: Map<string, StoredEvent[]>; pending: string[] }> {
    const rows = await this.tx.manager.query<(EventRow & { pending: boolean })[]>(
      `SELECT id, awb, status, reason, raw_code, raw_text, occurred_at, location, is_return_leg, cod_collected,
              received_at, processed_at IS NULL AS pending
       FROM tracking_events WHERE courier = $1 AND awb = ANY($2::text[]) ORDER BY occurred_at, id`,
      [courier, awbs],
    );
    const byAwb = new Map<string, StoredEvent[]>();
    const pending: string[] = [];
    for (const r of rows) {
      const list = byAwb.get(r.awb);
      if (list) list.push(storedOf(r));
      else byAwb.set(r.awb, [storedOf(r)]);
      if (r.pending) pending.push(r.id);
    }
    return { byAwb, pending };
  }

  /**
   * The events are applied: each belongs to its shipment from now on. Only the events the caller read
   * (`eventIds`): one stored meanwhile by a push is still waiting for its turn.
   */
  async markProcessed(
    eventIds: string[],
    awbToShipment: Map<string, string>,
    courier: CourierCode,
    at: Date,
  ): Promise<void> {
    if (!eventIds.length) return;
    await this.tx.manager.query(
      `UPDATE tracking_events t SET shipment_id = m.shipment_id, processed_at = $2
       FROM unnest($3::text[], $4::uuid[]) AS m(awb, shipment_id)
       WHERE t.id = ANY($5::uuid[]) AND t.courier = $1 AND t.awb = m.awb AND t.processed_at IS NULL`,
      [courier, at, [...awbToShipment.keys()], [...awbToShipment.values()], eventIds],
    );
  }

  /** Events for airway bills no shipment has (another platform's, or a parcel re-booked away): kept, done. */
  async markUnowned(courier: CourierCode, awbs: string[], at: Date): Promise<void> {
    if (!awbs.length) return;
    await this.tx.manager.query(
      `UPDATE tracking_events SET processed_at = $2
       WHERE courier = $1 AND awb = ANY($3::text[]) AND processed_at IS NULL`,
      [courier, at, awbs],
    );
  }

  /**
   * The airway bills of up to `limit` pushed events not yet applied, oldest first, claimed for this applier
   * until `until` (committed at once: another applier, here or on another instance, takes the next ones; a
   * claim whose applier died is taken over once it has run out); `events`: how many events that was, by id
   * (an airway bill may have several waiting, so fewer than `limit` bills does not mean the inbox is empty).
   */
  async claimUnprocessed(
    limit: number,
    now: Date,
    until: Date,
  ): Promise<{ awbs: { courier: CourierCode; awb: string }[]; eventIds: string[] }> {
    // For UPDATE … RETURNING, TypeORM answers [rows, affected count].
    const [rows] = await this.tx.manager.query<[{ id: string; courier: CourierCode; awb: string }[], number]>(
      `UPDATE tracking_events t SET inbox_claimed_until = $3
       WHERE t.id IN (
         SELECT id FROM tracking_events
         WHERE processed_at IS NULL AND (inbox_claimed_until IS NULL OR inbox_claimed_until <= $2)
         ORDER BY received_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING t.id, t.courier, t.awb`,
      [limit, now, until],
    );
    const awbs = new Map<string, { courier: CourierCode; awb: string }>();
    for (const r of rows) awbs.set(`${r.courier}\n${r.awb}`, { courier: r.courier, awb: r.awb });
    return { awbs: [...awbs.values()], eventIds: rows.map((r) => r.id) };
  }

  /** Gives up a claim whose applying failed: the events are taken again at the next round, not after it ran out. */
  async releaseClaim(eventIds: string[], until: Date): Promise<void> {
    if (!eventIds.length) return;
    await this.tx.manager.query(
      `UPDATE tracking_events SET inbox_claimed_until = NULL
       WHERE id = ANY($1::uuid[]) AND inbox_claimed_until = $2 AND processed_at IS NULL`,
      [eventIds, until],
    );
  }

  /**
   * A shipment's courier events, oldest first (every booking it had, with the scans under an earlier
   * booking's airway bill that came after the shipment left it, stored for no shipment), each with when the
   * booking that gave its airway bill began (`awbSince`, null if unknown): the tracker takes none from before it.
   * A bill the courier gave again to another shipment (another seller's, perhaps) shows none of its scans
   * but the ones this shipment had: whose parcel a scan stored for no shipment is can no longer be told.
   */
  async eventsOfShipment(shipmentId: string): Promise<
    (StoredEvent & {
      courier: CourierCode;
      awb: string;
      awbSince: Date | null;
      pod: ProofOfDelivery | null;
    })[]
  > {
    const rows = await this.tx.manager.query<
      (EventRow & { courier: CourierCode; awb_since: Date | null; pod: ProofOfDelivery | null })[]
    >(
      `WITH bills AS (
         SELECT courier, awb, max(started_at) AS since FROM booking_attempts
          WHERE shipment_id = $1 AND awb IS NOT NULL GROUP BY courier, awb)
       SELECT t.id, t.courier, t.awb, t.status, t.reason, t.raw_code, t.raw_text, t.occurred_at, t.location,
              t.is_return_leg, t.cod_collected, t.received_at, t.pod, b.since AS awb_since
         FROM tracking_events t LEFT JOIN bills b ON b.courier = t.courier AND b.awb = t.awb
        WHERE t.shipment_id = $1
           OR (t.shipment_id IS NULL AND (t.courier, t.awb) IN (SELECT courier, awb FROM bills)
               AND NOT EXISTS (SELECT 1 FROM shipments o WHERE o.courier = t.courier AND o.awb = t.awb AND o.id <> $1))
        ORDER BY t.occurred_at, t.id`,
      [shipmentId],
    );
    return rows.map((r) => ({
      ...storedOf(r),
      courier: r.courier,
      awb: r.awb,
      awbSince: r.awb_since,
      pod: r.pod,
    }));
  }

  /**
   * The shipments' earlier bookings: every airway bill each was booked with besides its current one (a
   * booking cancelled to re-book it, or superseded), with when that booking began (`since`) and every event
   * stored for the bill at its courier, oldest first; by shipment. Bills with no event are left out. Another
   * shipment's events are never among them: a bill the courier gave again gives only the scans this one had.
   */
  async earlierBookings(
    shipmentIds: string[],
  ): Promise<Map<string, { courier: CourierCode; awb: string; since: Date; events: StoredEvent[] }[]>> {
    const byShipment = new Map<
      string,
      { courier: CourierCode; awb: string; since: Date; events: StoredEvent[] }[]
    >();
    if (!shipmentIds.length) return byShipment;
    const rows = await this.tx.manager.query<
      (EventRow & { shipment_id: string; courier: CourierCode; since: Date })[]
    >(
      `WITH earlier AS (
         SELECT a.shipment_id, a.courier, a.awb, max(a.started_at) AS since
           FROM booking_attempts a JOIN shipments s ON s.id = a.shipment_id
          WHERE a.shipment_id = ANY($1::uuid[]) AND a.awb IS NOT NULL
            AND (s.courier, s.awb) IS DISTINCT FROM (a.courier, a.awb)
          GROUP BY a.shipment_id, a.courier, a.awb)
       SELECT x.shipment_id, x.courier, x.awb, x.since, e.id, e.status, e.reason, e.raw_code, e.raw_text,
              e.occurred_at, e.location, e.is_return_leg, e.cod_collected, e.received_at
         FROM earlier x JOIN tracking_events e ON e.courier = x.courier AND e.awb = x.awb
        WHERE e.shipment_id = x.shipment_id
           OR (e.shipment_id IS NULL AND NOT EXISTS (
                 SELECT 1 FROM shipments o WHERE o.courier = x.courier AND o.awb = x.awb AND o.id <> x.shipment_id))
        ORDER BY e.occurred_at, e.id`,
      [shipmentIds],
    );
    for (const r of rows) {
      let bookings = byShipment.get(r.shipment_id);
      if (!bookings) byShipment.set(r.shipment_id, (bookings = []));
      let booking = bookings.find((b) => b.courier === r.courier && b.awb === r.awb);
      if (!booking) bookings.push((booking = { courier: r.courier, awb: r.awb, since: r.since, events: [] }));
      booking.events.push(storedOf(r));
    }
    return byShipment;
  }

  /**
   * COD shipments whose delivering line, stored since `since`, gave another COD amount than the parcel's, or
   * said no cash was taken: newest first, at most `limit`.
   */
  codDiscrepancies(
    since: Date,
    limit: number,
  ): Promise<(CodDiscrepancyRow & { cod_collected: boolean | null })[]> {
    return this.tx.manager.query(
      `SELECT s.id AS shipment_id, s.seller_id, s.reference, e.courier, e.awb, s.cod_amount,
              e.cod_amount AS reported, e.cod_collected, e.occurred_at
         FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id
        -- The partial index's own predicate, as written there (the test after it implies it; the planner
        -- would not see that).
        WHERE e.status = 'delivered' AND (e.cod_collected = false OR e.cod_amount IS NOT NULL)
          AND e.received_at >= $1 AND NOT e.is_return_leg AND s.cod_amount > 0
          AND (e.cod_collected = false OR e.cod_amount <> s.cod_amount)
          -- The line that delivered the parcel, once: not one the tracker took for another booking's, nor a
          -- second delivery line of the same parcel.
          AND EXISTS (SELECT 1 FROM shipment_transitions t
                       WHERE t.shipment_id = s.id AND t.to_status = 'delivered' AND t.cause_event_id = e.id)
        ORDER BY e.received_at DESC, e.id LIMIT $2`,
      [since, limit],
    );
  }

  /**
   * COD shipments credited on a delivery their courier then took back (a `delivery_contradicted` alert still
   * open, whatever its age) and their latest credit not settled by finance (CodSettlements), the delivering
   * line's cash beside them: the alert opened last first, at most `limit`.
   */
  deliveriesTakenBack(limit: number): Promise<CodDiscrepancyRow[]> {
    return this.tx.manager.query(
      `SELECT s.id AS shipment_id, s.seller_id, s.reference, COALESCE(e.courier, s.courier) AS courier,
              COALESCE(e.awb, s.awb) AS awb, s.cod_amount, e.cod_amount AS reported,
              COALESCE(e.occurred_at, s.ended_at, s.updated_at) AS occurred_at, a.id AS alert_id
         FROM alerts a
         JOIN shipments s ON s.id = a.shipment_id
         -- The line that said the cash was taken, which the credit was posted on; none for a parcel finance
         -- credited from a remittance line (its delivery then said no cash was taken): listed all the same.
         LEFT JOIN tracking_events e ON e.id = s.cod_collected_event_id
        -- idx_alerts_delivery_taken_back's predicate, as written there.
        WHERE a.rule = 'delivery_contradicted' AND a.resolved_at IS NULL AND s.cod_amount > 0
          -- Credited: on a line saying the cash was taken, or by finance from a remittance line.
          AND (e.id IS NOT NULL OR s.cod_collected)
          -- Settled by finance, and taken back again by a later scan: the decision stands. Not a reversal
          -- whose parcel's cash was collected again since: that credited it again, a credit still unsettled.
          AND NOT EXISTS (SELECT 1 FROM cod_settlements c
                           WHERE c.shipment_id = a.shipment_id
                             AND (c.credit_key <> 'cod-credit:' || c.shipment_id
                                  OR c.decision = 'release' OR NOT s.cod_collected))
        ORDER BY a.opened_at DESC, a.id LIMIT $1`,
      [limit],
    );
  }

  /**
   * Deletes up to `limit` courier pushes received before `cutoff`, oldest first, in one statement of its
   * own; returns how many. A push with an event still in the inbox (not applied) is kept whatever its age.
   * A push's events are stored by the same statement with the push's `received_at` (insertPush), so that
   * equality finds them in idx_tracking_events_unprocessed. SKIP LOCKED: two instances never wait on each other.
   */
  async deletePushesBefore(cutoff: Date, limit: number): Promise<number> {
    const [, n] = await this.tx.manager.query<[unknown, number]>(
      `DELETE FROM courier_pushes WHERE id IN (
         SELECT p.id FROM courier_pushes p
         WHERE p.received_at < $1
           AND NOT EXISTS (SELECT 1 FROM tracking_events e
                            WHERE e.processed_at IS NULL AND e.received_at = p.received_at AND e.push_id = p.id)
         ORDER BY p.received_at LIMIT $2
         FOR UPDATE SKIP LOCKED
       )`,
      [cutoff, limit],
    );
    return n;
  }

  /**
   * Clears the raw line (`raw`) of up to `limit` applied events received before `cutoff`, oldest first, in
   * one statement of its own; returns how many. The normalized columns stay. A delivery's line is kept: the
   * proof of delivery a COD dispute needs, which lines stored before the `pod` column hold only there. NO KEY UPDATE: the transitions
   * and shipments that point at an event (FOR KEY SHARE) are never held up by it; SKIP LOCKED: neither is
   * the tracker applying it.
   */
  async clearRawBefore(cutoff: Date, limit: number): Promise<number> {
    const [, n] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE tracking_events SET raw = NULL WHERE id IN (
         SELECT id FROM tracking_events
         WHERE raw IS NOT NULL AND processed_at IS NOT NULL AND status IS DISTINCT FROM 'delivered'
           AND received_at < $1
         ORDER BY received_at LIMIT $2
         FOR NO KEY UPDATE SKIP LOCKED
       )`,
      [cutoff, limit],
    );
    return n;
  }

  /** Courier codes no status table knows, with how often and how recently they were seen. */
  async unmappedCodes(): Promise<
    { courier: string; raw_code: string; count: number; example: string; first_seen: Date; last_seen: Date }[]
  > {
    return this.tx.manager.query(
      `SELECT courier, raw_code, count(*)::int AS count, max(raw_text) AS example,
         min(received_at) AS first_seen, max(received_at) AS last_seen
       FROM tracking_events WHERE unmapped GROUP BY courier, raw_code ORDER BY count(*) DESC, courier, raw_code
       LIMIT 1000`,
    );
  }
}

/**
 * Inserts events given by eventParameters, skipping those stored before; the new ones' airway bills.
 * `applied`: each is stored as applied at $4, belonging to the shipment $19/$20 give its airway bill.
 */
const insertEvents = (
  applied: boolean,
) => `INSERT INTO tracking_events (id, courier, awb, raw_code, occurred_at,
    raw_text, status, reason, location, is_return_leg, cod_collected, unmapped, source, raw, pod, cod_amount,
    push_id, received_at ${applied ? ', shipment_id, processed_at' : ''})
  SELECT e.id, $1, e.awb, e.raw_code, e.occurred_at, e.raw_text, e.status, e.reason, e.location,
    e.is_return_leg, e.cod_collected, e.unmapped, $2, e.raw, e.pod, e.cod_amount, $3, $4
    ${applied ? ', m.shipment_id, $4' : ''}
  FROM unnest($5::uuid[], $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::text[], $11::text[],
    $12::text[], $13::boolean[], $14::boolean[], $15::boolean[], $16::jsonb[], $17::jsonb[], $18::bigint[])
    AS e(id, awb, raw_code, occurred_at, raw_text, status, reason, location, is_return_leg, cod_collected, unmapped,
      raw, pod, cod_amount)
  ${applied ? 'LEFT JOIN unnest($19::text[], $20::uuid[]) AS m(awb, shipment_id) ON m.awb = e.awb' : ''}
  ON CONFLICT (courier, awb, raw_code, occurred_at) DO NOTHING
  RETURNING id, awb`;

/** An event's identity at its courier: the key of tracking_events' unique index (with the courier). */
const eventKey = (awb: string, rawCode: string, occurredAt: Date) =>
  `${awb}\u0000${rawCode}\u0000${occurredAt.getTime()}`;

function eventParameters(
  courier: CourierCode,
  events: TrackingEvent[],
  source: EventSource,
  receivedAt: Date,
  pushId: string | null,
): unknown[] {
  return [
    courier,
    source,
    pushId,
    receivedAt,
    events.map(() => randomUUID()),
    // A courier's text is kept even where it holds what PostgreSQL cannot (a NUL, a lone surrogate): those
    // characters become U+FFFD, rather than the whole signed push or poll answer failing to be stored.
    events.map((e) => storableText(e.awb)),
    events.map((e) => storableText(e.rawCode)),
    events.map((e) => e.occurredAt),
    events.map((e) => storableText(e.rawText)),
    events.map((e) => e.status),
    events.map((e) => e.reason ?? null),
    events.map((e) => (e.location == null ? null : storableText(e.location))),
    events.map((e) => e.isReturnLeg),
    events.map((e) => (e.codCollected === undefined ? null : e.codCollected)),
    events.map((e) => e.unmapped === true),
    events.map((e) => storableJson(e.raw ?? withoutRaw(e))),
    events.map((e) => (e.pod ? storableJson(e.pod) : null)),
    // Only an amount PostgreSQL's bigint holds, whole: a courier's "1.5e300" or fraction is no amount.
    events.map((e) => (Number.isSafeInteger(e.codAmount) && e.codAmount! >= 0 ? e.codAmount : null)),
  ];
}

/** The normalized event itself, when the adapter kept no raw line of the courier's answer. */
function withoutRaw(e: TrackingEvent): Record<string, unknown> {
  const { raw: _raw, ...rest } = e;
  return rest;
}
