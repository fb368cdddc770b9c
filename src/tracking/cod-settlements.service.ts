import { Injectable } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { Transactions } from 'src/database/transaction';
import { CodDeliveries } from 'src/shipments/cod-deliveries.service';
import { ShipmentNotFoundError } from 'src/shipments/shipments.errors';
import { TrackedShipments } from 'src/shipments/tracked-shipments.service';
import { SellerNotifications } from 'src/sellers/notifications/seller-notifications.service';
import { AlertsService, alertView } from './alerts.service';
import { CodCreditPosting } from './cod-credit-posting';
import { CodSettlement, type CodSettlementDecision } from './cod-settlement.entity';
import { CodSettlementsRepository } from './cod-settlements.repository';
import type { CodSettlementDto } from './tracking.dto';
import {
  CodSettlementAlertChangedError,
  CodSettlementAlreadyRemittedError,
  CodSettlementAlreadySettledError,
  CodSettlementNoCreditError,
  CodSettlementNotTakenBackError,
} from './tracking.errors';

const settlementView = (s: CodSettlement, awb: string | null): CodSettlementDto => ({
  shipmentId: s.shipmentId,
  sellerId: s.sellerId,
  awb,
  alertId: s.alertId,
  creditKey: s.creditKey,
  decision: s.decision,
  reason: s.reason,
  amount: s.amount,
  fromPending: s.fromPending,
  fromAvailable: s.fromAvailable,
  settledBy: s.settledBy,
  settledAt: s.settledAt.toISOString(),
});

/**
 * Finance settles a COD delivery its courier took back, which otherwise keeps its credit withheld in the
 * seller's `pending` for as long as the courier never delivers it again.
 */
@Injectable()
export class CodSettlements {
  constructor(
    private readonly tx: Transactions,
    private readonly tracked: TrackedShipments,
    private readonly alerts: AlertsService,
    private readonly codCredit: CodCreditPosting,
    private readonly repository: CodSettlementsRepository,
    private readonly codDeliveries: CodDeliveries,
    private readonly notifications: SellerNotifications,
    private readonly clock: Clock,
  ) {}

  /**
   * Settles the shipment's delivery taken back (its open `delivery_contradicted` alert) with finance's
   * decision, in one transaction: `release` lets the withheld COD credit go (the next `ledger-holds` run
   * moves what is still held to `available`); `reverse` takes the credit back out of the seller's money and
   * the courier's COD receivable (CodCreditPosting.reverse, key `cod-credit-reversal:<shipmentId>`). The
   * alert is resolved (its details name who settled it and how), the seller told (`shipment.at_risk` with
   * `resolvedAt`), and the settlement kept for audit. Once per credit: the same decision again answers the
   * recorded settlement, posting nothing; the shipment's row is locked, so two decisions at once are taken
   * one after the other. A parcel reversed, delivered again (credited again) and taken back again is settled
   * again, that second credit (`cod-credit-redelivered:<shipmentId>`, reversed under
   * `cod-credit-redelivered-reversal:<shipmentId>`). Rupiah.
   * @throws ShipmentNotFoundError (SHIPMENTS_NOT_FOUND) for an unknown shipment
   * @throws CodSettlementAlreadySettledError (COD_SETTLEMENT_ALREADY_SETTLED, 409) settled with the other decision
   * @throws CodSettlementNotTakenBackError (COD_SETTLEMENT_NOT_TAKEN_BACK, 409) without an open alert
   * @throws CodSettlementAlertChangedError (COD_SETTLEMENT_ALERT_CHANGED, 409) `alertId` not the open alert
   * @throws CodSettlementAlreadyRemittedError (COD_SETTLEMENT_ALREADY_REMITTED, 409) reversing cash the courier remitted
   * @throws CodSettlementNoCreditError (COD_SETTLEMENT_NO_CREDIT, 409) when its delivery credited no COD cash
   * @throws CodReversalUncoveredError (COD_SETTLEMENT_REVERSAL_UNCOVERED, 422) when the seller has withdrawn it
   */
  settle(
    shipmentId: string,
    input: { decision: CodSettlementDecision; reason: string; alertId?: string },
    by: string,
  ): Promise<CodSettlementDto> {
    return this.tx.run(async () => {
      // The shipment row, then its alerts, then the ledger: the tracker's order, so neither waits on the other.
      const [s] = await this.tracked.lock([shipmentId]);
      if (!s) throw new ShipmentNotFoundError();
      // The latest credit is the one settled: a parcel credited again after a reversal is settled again.
      const credit = (await this.codCredit.latestCredits([s.id])).get(s.id);
      const earlier = credit ? await this.repository.find(s.id, credit) : null;
      if (earlier) {
        if (earlier.decision !== input.decision) throw new CodSettlementAlreadySettledError(earlier.decision);
        return settlementView(earlier, s.awb);
      }
      const alert = await this.alerts.lockTakenBack(s.id);
      // A settlement of an earlier credit is not answered here: the request names no credit, so a retry could
      // not be told from a decision on a list grown stale.
      if (!alert) throw new CodSettlementNotTakenBackError();
      if (input.alertId !== undefined && input.alertId !== alert.id)
        throw new CodSettlementAlertChangedError();
      if (!s.courier || s.codAmount <= 0 || !credit) throw new CodSettlementNoCreditError();
      const now = this.clock.now();
      const cod = { id: s.id, sellerId: s.sellerId, courier: s.courier, awb: s.awb, codAmount: s.codAmount };
      let fromPending: number;
      if (input.decision === 'reverse') {
        // The courier remitted its cash (a line settled it): it was collected, and reversing would take it
        // from the courier's receivable a second time. The shipment's row is locked: no upload settles it now.
        if ((await this.codDeliveries.remitted([s.id])).has(s.id))
          throw new CodSettlementAlreadyRemittedError();
        // Learned as delivered without its cash before the ledger is locked: the tracker's order (its
        // statistics before its credits), so neither waits on the other.
        await this.codDeliveries.learnCashNow([s.id], false);
        fromPending = (await this.codCredit.reverse(cod, credit, now)).fromPending;
        // No cash, so none to remit: the parcel leaves finance's overdue list, and its COD fee is not charged
        // (left off its invoice if not yet issued, else refunded by the next). Stamped now that the ledger's
        // locks are held, not when the decision began: a reversal that waited on them past its period's
        // close and invoice was stamped in that period, and no invoice ever refunded the fee.
        await this.codDeliveries.markCashNotCollected([s.id], this.clock.now());
      } else {
        fromPending = (await this.codCredit.held([s.id])).get(s.id) ?? 0;
        await this.codCredit.resume([s.id]);
      }
      const settlement: CodSettlement = {
        shipmentId: s.id,
        creditKey: credit,
        sellerId: s.sellerId,
        alertId: alert.id,
        decision: input.decision,
        reason: input.reason,
        amount: s.codAmount,
        fromPending,
        fromAvailable: s.codAmount - fromPending,
        settledBy: by,
        settledAt: now,
      };
      // The shipment's row lock makes a second decision wait and then find this one: never a conflict here.
      await this.repository.insert(settlement);
      const resolved = await this.alerts.resolveSettled(alert, now, { by, decision: input.decision });
      if (resolved)
        await this.notifications.enqueueAtCommit(s.sellerId, 'shipment.at_risk', {
          shipmentId: s.id,
          reference: s.reference,
          status: s.status,
          alert: alertView(resolved, s.reference),
        });
      return settlementView(settlement, s.awb);
    });
  }
}
