import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { randomUUID } from 'node:crypto';
import { Clock } from 'src/common/clock';
import { decodeKeyset, DEFAULT_PAGE_LIMIT, Page, toKeysetPage } from 'src/common/pagination';
import { Transactions } from 'src/database/transaction';
import { Alert } from './alert.entity';
import { AlertContent, planAlerts } from './alert-plan';
import { AlertDto, ListAlertsQueryDto } from './alerts.dto';
import { ALERT_ORDERS, AlertsRepository } from './alerts.repository';
import { whatsappUrl } from './buyer-contact';
import { severityRank, type RiskFinding } from './risk-rules';
import { AlertNotFoundError } from './tracking.errors';

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

export function alertView(a: Alert): AlertDto {
  return {
    id: a.id,
    shipmentId: a.shipmentId,
    rule: a.rule,
    ruleVersion: a.ruleVersion,
    severity: a.severity,
    reason: a.reason,
    message: a.message,
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
   * severity rise clears the acknowledgement), and resolves open ones whose rule is no longer found.
   * Runs in the caller's transaction (or its own), serialized per shipment, so concurrent reconciles
   * never open two alerts for one rule. `causeEventId`: the stored courier event being processed, if any.
   */
  reconcile(
    shipment: AlertShipment,
    findings: RiskFinding[],
    now: Date,
    causeEventId: string | null,
  ): Promise<ReconcileResult> {
    return this.tx.run(async () => {
      await this.repository.lockShipment(shipment.id);
      const open = await this.repository.openFor(shipment.id);
      const courierName = this.courierName(shipment.courier);
      const wanted: Wanted[] = findings.map((f) => ({
        finding: f,
        rule: f.rule,
        ruleVersion: f.version,
        severity: f.severity,
        reason: f.reason,
        message: f.message,
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
      const plan = planAlerts(open, wanted);

      const opened = plan.open.map((w): Alert => ({
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
      await this.repository.insert(opened);

      const updated: Alert[] = [];
      for (const { alert, wanted: w, severityRose } of plan.update) {
        const next: Alert = {
          ...alert,
          ...content(w),
          updatedAt: now,
          acknowledgedAt: severityRose ? null : alert.acknowledgedAt,
          causeEventId: causeEventId ?? alert.causeEventId,
          details: { ...alert.details, ...details(w.finding) },
        };
        await this.repository.update(next);
        updated.push(next);
      }

      const resolved = await this.repository.resolve(
        plan.resolve.map((a) => a.id),
        now,
        causeEventId,
      );
      return { opened, updated, resolved };
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

  /** Every alert of the seller's shipment, open ones first, as the API shows them (empty for another seller's). */
  async listForShipment(sellerId: string, shipmentId: string): Promise<AlertDto[]> {
    return (await this.repository.forShipment(sellerId, shipmentId)).map(alertView);
  }

  /**
   * One page of the seller's alerts: open ones (the default) most severe, then newest first; resolved
   * ones most recently resolved first.
   * @throws ValidationFailedError VALIDATION_FAILED (400, field `cursor`) for a cursor of another listing
   */
  async list(sellerId: string, q: ListAlertsQueryDto): Promise<Page<AlertDto>> {
    const state = q.state ?? 'open';
    const order = ALERT_ORDERS[state];
    const limit = q.limit ?? DEFAULT_PAGE_LIMIT;
    const after = q.cursor ? decodeKeyset(q.cursor, `alerts:${state}`, [...order.kinds]) : null;
    const rows = await this.repository.page(
      sellerId,
      { state, rule: q.rule, severity: q.severity, shipmentId: q.shipmentId },
      after,
      limit,
    );
    return toKeysetPage(rows, limit, alertView, `alerts:${state}`, order.sortValues);
  }

  /**
   * Marks the seller's alert as seen. Idempotent: a second acknowledgement keeps the first time.
   * @throws AlertNotFoundError ALERTS_NOT_FOUND (404, also another seller's)
   */
  async acknowledge(sellerId: string, id: string): Promise<AlertDto> {
    const alert = await this.tx.run(() => this.repository.acknowledge(sellerId, id, this.clock.now()));
    if (!alert) throw new AlertNotFoundError();
    return alertView(alert);
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
    suggestedAction: w.suggestedAction,
    whatsappUrl: w.whatsappUrl,
  };
}

function details(f: RiskFinding): Record<string, unknown> {
  return { causeAt: f.causeAt ? f.causeAt.toISOString() : null };
}
