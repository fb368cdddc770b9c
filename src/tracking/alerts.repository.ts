import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { type KeysetValue } from 'src/common/pagination';
import { advisoryKey } from 'src/database/locks';
import { preparedName, queryPrepared } from 'src/database/prepared';
import { Transactions } from 'src/database/transaction';
import { Alert } from './alert.entity';
import type { RiskRuleCode, Severity } from './risk-rules';

export interface AlertFilter {
  state: 'open' | 'resolved';
  rule?: RiskRuleCode;
  severity?: Severity;
  shipmentId?: string;
  /** Only acknowledged ones (true) or only those not yet acknowledged (false). */
  acknowledged?: boolean;
}

/**
 * The keyset orders of the seller's inbox: open alerts most severe, then newest first; resolved ones
 * most recently resolved first. Ties are broken by id, so every order is total and pages never overlap.
 */
export const ALERT_ORDERS = {
  open: {
    kinds: ['int', 'date', 'uuid'] as const,
    sortValues: (a: Alert): KeysetValue[] => [a.severityRank, a.openedAt, a.id],
  },
  resolved: {
    kinds: ['date', 'uuid'] as const,
    sortValues: (a: Alert): KeysetValue[] => [a.resolvedAt!, a.id],
  },
};

/** The alert store's SQL. Every method runs in the caller's transaction when one is open. */
@Injectable()
export class AlertsRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * Serializes alert changes of these shipments until the transaction ends, so two evaluations of the same
   * shipment (a webhook and a poll at once) see each other's result instead of both opening an alert.
   * One statement for a whole batch, taking the keys in ascending order so two batches never deadlock.
   * Must run inside a transaction.
   */
  async lockShipments(shipmentIds: string[]): Promise<void> {
    if (!shipmentIds.length) return;
    const keys = [...new Set(shipmentIds.map((id) => BigInt(advisoryKey(`alerts:${id}`))))].sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    await this.tx.manager.query(
      `SELECT pg_advisory_xact_lock(k.key)
       FROM unnest($1::bigint[]) WITH ORDINALITY AS k(key, n) ORDER BY k.n`,
      [keys.map(String)],
    );
  }

  /** The shipment's open alerts. */
  openFor(shipmentId: string): Promise<Alert[]> {
    return this.tx.manager.find(Alert, {
      where: { shipmentId, resolvedAt: IsNull() },
      order: { severityRank: 'DESC', openedAt: 'DESC', id: 'DESC' },
    });
  }

  /** The open alerts of each of these shipments (one read for a batch). */
  async openForMany(shipmentIds: string[]): Promise<Map<string, Alert[]>> {
    const byShipment = new Map<string, Alert[]>(shipmentIds.map((id) => [id, []]));
    if (!shipmentIds.length) return byShipment;
    const rows = await this.tx.manager.find(Alert, {
      where: { shipmentId: In(shipmentIds), resolvedAt: IsNull() },
      order: { severityRank: 'DESC', openedAt: 'DESC', id: 'DESC' },
    });
    for (const a of rows) byShipment.get(a.shipmentId)?.push(a);
    return byShipment;
  }

  /** Every alert of the seller's shipment: open ones first (most severe, newest), then resolved ones. */
  forShipment(sellerId: string, shipmentId: string): Promise<Alert[]> {
    return this.tx.manager
      .createQueryBuilder(Alert, 'a')
      .where('a.shipmentId = :shipmentId AND a.sellerId = :sellerId', { shipmentId, sellerId })
      .orderBy('a.resolvedAt', 'DESC', 'NULLS FIRST')
      .addOrderBy('a.severityRank', 'DESC')
      .addOrderBy('a.openedAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .getMany();
  }

  /** The seller's open alerts counted by rule. */
  async openByRule(sellerId: string): Promise<{ rule: string; n: number }[]> {
    return this.tx.manager.query(
      `SELECT rule, count(*)::int AS n FROM alerts WHERE seller_id = $1 AND resolved_at IS NULL
       GROUP BY rule ORDER BY rule`,
      [sellerId],
    );
  }

  findOfShipment(sellerId: string, shipmentId: string, id: string): Promise<Alert | null> {
    return this.tx.manager.findOneBy(Alert, { id, sellerId, shipmentId });
  }

  async insert(alerts: Alert[]): Promise<void> {
    if (alerts.length) await this.tx.manager.insert(Alert, alerts as never[]); // jsonb defeats the deep-partial type
  }

  /**
   * Writes the changed content of these alerts, one statement for a batch. The acknowledgement is not
   * written from what was read: it is cleared for the ids in `asksAgain` and otherwise left as the row
   * now has it, so an acknowledgement committed while the batch was being planned is not lost. Answers
   * each alert's acknowledgement as written.
   */
  async update(alerts: Alert[], asksAgain: ReadonlySet<string>): Promise<Map<string, Date | null>> {
    if (!alerts.length) return new Map();
    // For UPDATE … RETURNING, TypeORM answers [rows, affected count].
    const [rows] = await this.tx.manager.query<[{ id: string; acknowledged_at: Date | null }[], number]>(
      `UPDATE alerts a SET rule_version = r.rule_version, severity = r.severity, severity_rank = r.severity_rank,
         reason = r.reason, message = r.message, message_indonesian = r.message_indonesian,
         suggested_action = r.suggested_action,
         whatsapp_url = r.whatsapp_url, updated_at = r.updated_at,
         acknowledged_at = CASE WHEN r.asks_again THEN NULL ELSE a.acknowledged_at END,
         cause_event_id = r.cause_event_id, details = r.details
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, rule_version integer, severity text,
         severity_rank smallint, reason text, message text, message_indonesian text, suggested_action text, whatsapp_url text,
         updated_at timestamptz, asks_again boolean, cause_event_id uuid, details jsonb)
       WHERE a.id = r.id
       RETURNING a.id, a.acknowledged_at`,
      [
        JSON.stringify(
          alerts.map((a) => ({
            id: a.id,
            rule_version: a.ruleVersion,
            severity: a.severity,
            severity_rank: a.severityRank,
            reason: a.reason,
            message: a.message,
            message_indonesian: a.messageIndonesian,
            suggested_action: a.suggestedAction,
            whatsapp_url: a.whatsappUrl,
            updated_at: a.updatedAt,
            asks_again: asksAgain.has(a.id),
            cause_event_id: a.causeEventId,
            details: a.details,
          })),
        ),
      ],
    );
    return new Map(rows.map((r) => [r.id, r.acknowledged_at]));
  }

  /** Writes alerts' Indonesian wording alone: no other content, no `updated_at`, one statement for a batch. */
  async reword(alerts: { id: string; messageIndonesian: string | null }[]): Promise<void> {
    if (!alerts.length) return;
    await this.tx.manager.query(
      `UPDATE alerts a SET message_indonesian = r.message_indonesian
         FROM unnest($1::uuid[], $2::text[]) AS r(id, message_indonesian) WHERE a.id = r.id`,
      [alerts.map((a) => a.id), alerts.map((a) => a.messageIndonesian)],
    );
  }

  /**
   * Shipments with open alerts, by id (for the sweep of ended shipments): not for a delivery its courier
   * took back, a problem of the ended shipment itself, whose risk the sweep would clear.
   */
  async shipmentsWithOpenAlerts(limit: number, afterShipment: string | null): Promise<string[]> {
    const rows = await this.tx.manager.query<{ shipment_id: string }[]>(
      `SELECT DISTINCT shipment_id FROM alerts
        WHERE resolved_at IS NULL AND rule <> 'delivery_contradicted' AND ($2::uuid IS NULL OR shipment_id > $2)
        ORDER BY shipment_id LIMIT $1`,
      [limit, afterShipment],
    );
    return rows.map((r) => r.shipment_id);
  }

  /** Resolves every open alert of the shipments `ids`; how many. */
  async resolveAllOf(shipmentIds: string[], now: Date): Promise<number> {
    if (!shipmentIds.length) return 0;
    // A delivery its courier took back is a problem of the ended shipment itself: it stays open.
    const [, n] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE alerts SET resolved_at = $2, updated_at = $2
       WHERE shipment_id = ANY($1::uuid[]) AND resolved_at IS NULL AND rule <> 'delivery_contradicted'`,
      [shipmentIds, now],
    );
    return n;
  }

  /**
   * Resolves the open alerts `resolving`, each recording the event that resolved it, if any; returns them.
   * One statement for a batch whatever its causes (a batch of polls has one per shipment).
   */
  async resolve(resolving: { id: string; cause: string | null }[], now: Date): Promise<Alert[]> {
    if (!resolving.length) return [];
    await this.tx.manager.query(
      `UPDATE alerts a SET resolved_at = $3, updated_at = $3,
         details = CASE WHEN r.cause IS NULL THEN a.details
                        ELSE a.details || jsonb_build_object('resolvedByEventId', r.cause) END
       FROM unnest($1::uuid[], $2::uuid[]) AS r(id, cause)
       WHERE a.id = r.id AND a.resolved_at IS NULL`,
      [resolving.map((r) => r.id), resolving.map((r) => r.cause), now],
    );
    return this.tx.manager.findBy(Alert, { id: In(resolving.map((r) => r.id)) });
  }

  /** Resolves one open alert, noting in its details what resolved it; the alert as it is now, null if it was not open. */
  async resolveNoting(id: string, now: Date, noted: Record<string, unknown>): Promise<Alert | null> {
    const [rows] = await this.tx.manager.query<[{ id: string }[], number]>(
      `UPDATE alerts SET resolved_at = $2, updated_at = $2, details = details || $3::jsonb
        WHERE id = $1 AND resolved_at IS NULL RETURNING id`,
      [id, now, JSON.stringify(noted)],
    );
    return rows.length ? this.tx.manager.findOneBy(Alert, { id }) : null;
  }

  /**
   * One page of the seller's alerts in `filter.state`'s order, after `after` (that order's sort values
   * of the previous page's last row). Reads `limit + 1` rows so the caller knows whether more follow.
   */
  page(sellerId: string, filter: AlertFilter, after: KeysetValue[] | null, limit: number): Promise<Alert[]> {
    const qb = this.tx.manager.createQueryBuilder(Alert, 'a').where('a.sellerId = :sellerId', { sellerId });
    if (filter.rule) qb.andWhere('a.rule = :rule', { rule: filter.rule });
    if (filter.severity) qb.andWhere('a.severity = :severity', { severity: filter.severity });
    if (filter.shipmentId) qb.andWhere('a.shipmentId = :shipmentId', { shipmentId: filter.shipmentId });
    if (filter.acknowledged !== undefined)
      qb.andWhere(filter.acknowledged ? 'a.acknowledgedAt IS NOT NULL' : 'a.acknowledgedAt IS NULL');
    if (filter.state === 'open') {
      qb.andWhere('a.resolvedAt IS NULL');
      if (after)
        qb.andWhere(
          // Cast: a cursor's rank is any safe integer, which a smallint (or integer) parameter could not hold.
          '(a.severityRank, a.openedAt, a.id) < (CAST(:rank AS bigint), :at, :id)',
          {
            rank: after[0],
            at: after[1],
            id: after[2],
          },
        );
      qb.orderBy('a.severityRank', 'DESC').addOrderBy('a.openedAt', 'DESC');
    } else {
      qb.andWhere('a.resolvedAt IS NOT NULL');
      if (after) qb.andWhere('(a.resolvedAt, a.id) < (:at, :id)', { at: after[0], id: after[1] });
      qb.orderBy('a.resolvedAt', 'DESC');
    }
    return qb
      .addOrderBy('a.id', 'DESC')
      .take(limit + 1)
      .getMany();
  }

  /**
   * Marks the seller's open alert acknowledged now, unless it already was (the first time is kept); a
   * resolved one is left as it is. The alert as it now is; null when the seller has no such alert.
   */
  async acknowledge(sellerId: string, id: string, now: Date): Promise<Alert | null> {
    // One statement that answers the row as it now is: an acknowledged alert keeps its first time (the
    // update then rewrites it unchanged), and one acknowledged or resolved meanwhile is read after that
    // commit. A resolved alert is not marked seen after its problem ended: nothing asked for the seller then.
    const columns = this.tx.manager.connection.getMetadata(Alert).columns;
    // The entity's columns by name, not `*`: a prepared `RETURNING *` fails on every connection that had
    // prepared it once a column is added ("cached plan must not change result type").
    const text = `UPDATE alerts
         SET acknowledged_at = CASE WHEN resolved_at IS NULL THEN COALESCE(acknowledged_at, $3) ELSE acknowledged_at END,
         updated_at = CASE WHEN acknowledged_at IS NULL AND resolved_at IS NULL THEN $3 ELSE updated_at END
       WHERE id = $1 AND seller_id = $2
       RETURNING ${columns.map((c) => c.databaseName).join(', ')}`;
    const [row] = await queryPrepared<Record<string, unknown>>(
      this.tx.manager,
      preparedName('alert_acknowledge', text),
      text,
      [id, sellerId, now],
    );
    if (!row) return null;
    // The entity from its columns, as TypeORM would hydrate it (every column is a plain value here).
    const alert = new Alert();
    for (const c of columns)
      (alert as unknown as Record<string, unknown>)[c.propertyName] = row[c.databaseName];
    return alert;
  }
}
