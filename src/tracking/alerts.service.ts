import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { randomUUID } from 'node:crypto';
import { Clock } from 'src/common/clock';
import { decodeKeyset, DEFAULT_PAGE_LIMIT, Page, toKeysetPage } from 'src/common/pagination';
import { Transactions } from 'src/database/transaction';
import { Alert } from './alert.entity';
import { AlertContent, planAlerts } from './alert-plan';
import { AlertDto, InboxAlertDto, ListAlertsQueryDto } from './alerts.dto';
import { ALERT_ORDERS, AlertsRepository } from './alerts.repository';
import { ShipmentsService } from 'src/shipments/shipments.service';
import { whatsappUrl } from './buyer-contact';
import { bookingStanding } from './shipment-action-rules';
import { ShipmentActionsRepository } from './shipment-actions.repository';
import { severityRank, type RiskFinding, type RiskRuleCode } from './risk-rules';
import { AlertAlreadyResolvedError, AlertNotFoundError } from './tracking.errors';

/** What reconciling needs of a shipment (a Shipment entity has it all). */
export interface AlertShipment {
  id: string;
  sellerId: string;
  reference: string;
  recipientName: string;
  /** E.164. */
  recipientPhone: string;
  /** Courier code, null before booking. */
  courier: string | null;
  /** Rupiah; named in the buyer's message when positive. */
  codAmount?: number;
}

export interface ReconcileResult {
  opened: Alert[];
  updated: Alert[];
  resolved: Alert[];
}

/** The API's alert; `shipmentReference` is the seller's own reference of its shipment. */
export function alertView(a: Alert, shipmentReference: string): AlertDto {
  return {
    id: a.id,
    shipmentId: a.shipmentId,
    shipmentReference,
    rule: a.rule,
    ruleVersion: a.ruleVersion,
    severity: a.severity,
    reason: a.reason,
    message: a.message,
    messageIndonesian: a.messageIndonesian,
    suggestedAction: a.suggestedAction,
    contact: { whatsappUrl: a.whatsappUrl },
    openedAt: a.openedAt.toISOString(),
    acknowledgedAt: a.acknowledgedAt ? a.acknowledgedAt.toISOString() : null,
    resolvedAt: a.resolvedAt ? a.resolvedAt.toISOString() : null,
  };
}

type Wanted = AlertContent & { finding: RiskFinding };

/** The alert store: turns what the risk rules find into alerts that open once, update, and close. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly tx: Transactions,
    private readonly repository: AlertsRepository,
    private readonly shipments: ShipmentsService,
    private readonly actions: ShipmentActionsRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  private courierName(code: string | null): string | null {
    if (!code) return null;
    const catalogue = this.config.business.couriers.catalogue as Record<string, { name: string } | undefined>;
    return catalogue[code]?.name ?? code;
  }

  /**
   * Brings the shipment's alerts in line with `findings` (evaluateRisk's answer for it now): opens an
   * alert per newly found rule, updates open ones whose content changed (keeping when they opened; a
   * severity rise or a later cause clears the acknowledgement), and resolves open ones whose rule is no
   * longer found.
   * Runs in the caller's transaction (or its own), serialized per shipment, so concurrent reconciles
   * never open two alerts for one rule. `causeEventId`: the stored courier event being processed, if any.
   * `rules` (reconcileMany's items): the rules `findings` answer for, when not all were asked; open alerts of
   * the others stay as they are.
   */
  async reconcile(
    shipment: AlertShipment,
    findings: RiskFinding[],
    now: Date,
    causeEventId: string | null,
  ): Promise<ReconcileResult> {
    const [result] = await this.reconcileMany([{ shipment, findings, causeEventId }], now);
    return result;
  }

  /**
   * reconcile for a batch of shipments (the tracker's poll or inbox batch), with a handful of statements
   * for the whole batch instead of a few per shipment: the results in the order of `items`.
   */
  reconcileMany(
    items: {
      shipment: AlertShipment;
      findings: RiskFinding[];
      causeEventId: string | null;
      rules?: readonly RiskRuleCode[];
    }[],
    now: Date,
  ): Promise<ReconcileResult[]> {
    if (!items.length) return Promise.resolve([]);
    return this.tx.run(async () => {
      const ids = items.map((i) => i.shipment.id);
      await this.repository.lockShipments(ids);
      const openByShipment = await this.repository.openForMany(ids);
      const results: ReconcileResult[] = [];
      const opened: Alert[] = [];
      const updated: Alert[] = [];
      const asksAgain = new Set<string>();
      const reworded: { id: string; messageIndonesian: string | null }[] = [];
      const toResolve: { result: ReconcileResult; alert: Alert; cause: string | null }[] = [];
      for (const { shipment, findings, causeEventId, rules } of items) {
        const result: ReconcileResult = { opened: [], updated: [], resolved: [] };
        results.push(result);
        const plan = planAlerts(
          openByShipment.get(shipment.id) ?? [],
          this.wanted(shipment, findings),
          rules,
        );
        result.opened = plan.open.map((w): Alert => ({
          id: randomUUID(),
          sellerId: shipment.sellerId,
          shipmentId: shipment.id,
          ...content(w),
          openedAt: now,
          updatedAt: now,
          acknowledgedAt: null,
          resolvedAt: null,
          causeEventId,
          details: details(w.finding),
        }));
        opened.push(...result.opened);
        for (const { alert, wanted: w, severityRose } of plan.update) {
          // A later cause (another failed attempt, a new hold) is a new thing to act on, as a rise in
          // severity is: the seller is asked again.
          const found = details(w.finding);
          const since = alert.details.causeAt;
          const newCause = found.causeAt !== null && typeof since === 'string' && found.causeAt > since;
          const next: Alert = {
            ...alert,
            ...content(w),
            updatedAt: now,
            acknowledgedAt: severityRose || newCause ? null : alert.acknowledgedAt,
            causeEventId: causeEventId ?? alert.causeEventId,
            details: { ...alert.details, ...found },
          };
          if (severityRose || newCause) asksAgain.add(alert.id);
          updated.push(next);
          result.updated.push(next);
        }
        for (const alert of plan.resolve) toResolve.push({ result, alert, cause: causeEventId });
        for (const { alert, wanted } of plan.reword)
          reworded.push({ id: alert.id, messageIndonesian: wanted.messageIndonesian });
      }
      await this.repository.insert(opened);
      await this.repository.reword(reworded);
      const acknowledged = await this.repository.update(updated, asksAgain);
      for (const a of updated) a.acknowledgedAt = acknowledged.get(a.id) ?? null;
      const resolved = new Map<string, Alert>();
      const closed = await this.repository.resolve(
        toResolve.map((r) => ({ id: r.alert.id, cause: r.cause })),
        now,
      );
      for (const a of closed) resolved.set(a.id, a);
      for (const { result, alert } of toResolve) {
        const done = resolved.get(alert.id);
        if (done) result.resolved.push(done);
      }
      return results;
    });
  }

  private wanted(shipment: AlertShipment, findings: RiskFinding[]): Wanted[] {
    const courierName = this.courierName(shipment.courier);
    return findings.map((f) => ({
      finding: f,
      rule: f.rule,
      ruleVersion: f.version,
      severity: f.severity,
      reason: f.reason,
      message: f.message,
      messageIndonesian: f.messageIndonesian,
      suggestedAction: f.suggestedAction,
      whatsappUrl: whatsappUrl({
        recipientName: shipment.recipientName,
        recipientPhone: shipment.recipientPhone,
        reference: shipment.reference,
        courierName,
        reason: f.reason,
        codAmount: shipment.codAmount,
      }),
    }));
  }

  /**
   * The shipment's open `delivery_contradicted` alert (its delivery taken back), or null; the shipment's
   * alerts are locked until the transaction ends, so no reconcile opens, updates or resolves one meanwhile.
   * In the caller's transaction.
   */
  async lockTakenBack(shipmentId: string): Promise<Alert | null> {
    await this.repository.lockShipments([shipmentId]);
    const open = (await this.repository.openForMany([shipmentId])).get(shipmentId) ?? [];
    return open.find((a) => a.rule === 'delivery_contradicted') ?? null;
  }

  /**
   * Resolves an alert someone settled rather than an event (finance's decision on a delivery taken back),
   * noting it in its details (`settledBy`, `settlement`); the alert resolved, null if it was not open.
   */
  resolveSettled(
    alert: Alert,
    now: Date,
    settlement: { by: string; decision: string },
  ): Promise<Alert | null> {
    return this.repository.resolveNoting(alert.id, now, {
      settledBy: settlement.by,
      settlement: settlement.decision,
    });
  }

  /**
   * Resolves the alerts of shipments that ended without the tracker (cancelled by the seller, say): their
   * problems are over. `ended` answers which of some shipment ids have ended. How many were resolved.
   */
  async sweepEnded(ended: (ids: string[]) => Promise<string[]>, now: Date): Promise<number> {
    let resolved = 0;
    let after: string | null = null;
    for (;;) {
      const ids = await this.repository.shipmentsWithOpenAlerts(500, after);
      if (!ids.length) return resolved;
      resolved += await this.tx.run(async () => this.repository.resolveAllOf(await ended(ids), now));
      after = ids[ids.length - 1];
    }
  }

  /** The seller's open alerts by rule (rule → count). */
  async openByRule(sellerId: string): Promise<Record<string, number>> {
    return Object.fromEntries((await this.repository.openByRule(sellerId)).map((r) => [r.rule, r.n]));
  }

  /** The shipment's open alerts, most severe first (for the tracker and the shipment view). */
  openFor(shipmentId: string): Promise<Alert[]> {
    return this.repository.openFor(shipmentId);
  }

  /** Whether `id` is one of the seller's alerts of this shipment. */
  async isOfShipment(sellerId: string, shipmentId: string, id: string): Promise<boolean> {
    return (await this.repository.findOfShipment(sellerId, shipmentId, id)) !== null;
  }

  /**
   * Every alert of the seller's shipment, open ones first, as the API shows them (empty for another
   * seller's); `reference` is the shipment's, which the caller has read.
   */
  async listForShipment(sellerId: string, shipmentId: string, reference: string): Promise<AlertDto[]> {
    return (await this.repository.forShipment(sellerId, shipmentId)).map((a) => alertView(a, reference));
  }

  /**
   * Alerts as the inbox shows them, with their shipments' references and where each stands (status, and the
   * seller's hold or asked return read by bookingStanding, as GET /v1/shipments/{id} reads them): one query
   * for the shipments, one for their actions, whatever the page's size.
   */
  private async views(sellerId: string, alerts: Alert[]): Promise<InboxAlertDto[]> {
    const shipments = await this.shipments.summaries(
      sellerId,
      alerts.map((a) => a.shipmentId),
    );
    const actions = await this.actions.ofShipments([...shipments.keys()]);
    return alerts.map((a) => {
      const s = shipments.get(a.shipmentId);
      const { heldBy, returnAskedAt, returnUnconfirmed, reattemptAskedAt } = bookingStanding(
        actions.get(a.shipmentId) ?? [],
        { awb: s?.awb ?? null, failedAttempts: s?.failedAttempts ?? 0, status: s?.status ?? 'ready' },
      );
      // An alert is always of the seller's shipment; were it not found, 'ready' offers no action.
      return {
        ...alertView(a, s?.reference ?? ''),
        shipment: {
          status: s?.status ?? 'ready',
          heldBy,
          returnAskedAt,
          returnUnconfirmed,
          reattemptAskedAt,
        },
      };
    });
  }

  /**
   * One page of the seller's alerts: open ones (the default) most severe, then newest first; resolved
   * ones most recently resolved first.
   * @throws ValidationFailedError VALIDATION_FAILED (400, field `cursor`) for a cursor of another listing
   */
  async list(sellerId: string, q: ListAlertsQueryDto): Promise<Page<InboxAlertDto>> {
    const state = q.state ?? 'open';
    const order = ALERT_ORDERS[state];
    const limit = q.limit ?? DEFAULT_PAGE_LIMIT;
    const after = q.cursor ? decodeKeyset(q.cursor, `alerts:${state}`, [...order.kinds]) : null;
    const rows = await this.repository.page(
      sellerId,
      {
        state,
        rule: q.rule,
        severity: q.severity,
        shipmentId: q.shipmentId,
        ...(q.acknowledged ? { acknowledged: q.acknowledged === 'true' } : {}),
      },
      after,
      limit,
    );
    const page = toKeysetPage(rows, limit, (a) => a, `alerts:${state}`, order.sortValues);
    return { items: await this.views(sellerId, page.items), nextCursor: page.nextCursor };
  }

  /**
   * Marks the seller's alert as seen. Idempotent: a second acknowledgement keeps the first time, also once
   * the alert has resolved (it answers the alert as it is).
   * @throws AlertNotFoundError ALERTS_NOT_FOUND (404, also another seller's)
   * @throws AlertAlreadyResolvedError ALERTS_ALREADY_RESOLVED (409) for one resolved before it was
   *   acknowledged: nothing is written
   */
  async acknowledge(sellerId: string, id: string): Promise<InboxAlertDto> {
    // No transaction: the update is one statement, and the read after it answers the alert as it now is.
    const alert = await this.repository.acknowledge(sellerId, id, this.clock.now());
    if (!alert) throw new AlertNotFoundError();
    if (alert.resolvedAt && !alert.acknowledgedAt) throw new AlertAlreadyResolvedError(alert.resolvedAt);
    return (await this.views(sellerId, [alert]))[0];
  }

  /**
   * Acknowledges the alert a seller's action answers, if it is still open (one resolved meanwhile asks
   * nothing more). In the caller's transaction.
   */
  async acknowledgeActedOn(sellerId: string, id: string): Promise<void> {
    await this.repository.acknowledge(sellerId, id, this.clock.now());
  }
}

function content(w: Wanted): AlertContent & { severityRank: number } {
  return {
    rule: w.rule,
    ruleVersion: w.ruleVersion,
    severity: w.severity,
    severityRank: severityRank(w.severity),
    reason: w.reason,
    message: w.message,
    messageIndonesian: w.messageIndonesian,
    suggestedAction: w.suggestedAction,
    whatsappUrl: w.whatsappUrl,
  };
}

function details(f: RiskFinding): { causeAt: string | null } {
  return { causeAt: f.causeAt ? f.causeAt.toISOString() : null };
}
