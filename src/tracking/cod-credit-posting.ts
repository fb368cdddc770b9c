import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import type { Rupiah } from 'src/common/money';
import { compareStrings } from 'src/common/sort-order';
import {
  Accounts,
  codCreditGenerations,
  codCreditStandsReversed,
  codReversalKeys,
  PostingKeys,
} from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
import { DEFERRED_ORDER, Transactions } from 'src/database/transaction';
import { CodReversalUncoveredError } from './tracking.errors';

interface Credit {
  s: DeliveredCod;
  deliveredAt: Date;
  now: Date;
  /** The posting's once-only key: the delivery's credit, or a reversed parcel's delivered again. */
  key: string;
}

/** A transaction's credits, posted just before it commits, and the shipments whose credit it withholds. */
interface Due {
  credits: Credit[];
  withheld: Map<string, Date>;
}

/** The once-only key of a shipment's COD credit, which also names the hold it places. */
export const codCreditKey = PostingKeys.codCredit;

/** The keys of every COD credit a shipment may have (codCreditGenerations), each naming its hold. */
const creditKeys = (shipmentId: string): string[] => codCreditGenerations(shipmentId).map((g) => g.credit);

export interface DeliveredCod {
  id: string;
  sellerId: string;
  courier: string;
  awb: string | null;
  codAmount: Rupiah;
}

/**
 * The COD cash a courier took for a delivered parcel, in the ledger: owed to the seller (`pending` until
 * the hold ends — `money.codHoldDays` after the delivery — then `available`), owed to Kirim by the courier.
 * A delivery its courier took back keeps its credit in `pending` until the parcel is delivered again; one
 * whose credit finance reversed is credited again then (postRedelivered).
 */
@Injectable()
export class CodCreditPosting {
  constructor(
    private readonly ledger: LedgerService,
    private readonly tx: Transactions,
    private readonly config: AppConfig,
  ) {}

  /**
   * Posts the credit once per shipment (key `cod-credit:<shipmentId>`), in the caller's transaction (the
   * delivered move), just before it commits. Rupiah; the hold is released by the `ledger-holds` job.
   * A credit locks its seller's account until the commit, and the tracker's recordings of every courier
   * credit the same sellers at once: posted where each delivery was found, in batch order, two
   * recordings each held a seller the other wanted and deadlocked, or held it for their whole batch. So
   * the credits of a transaction are posted last, together, by seller then shipment.
   */
  async post(s: DeliveredCod, deliveredAt: Date, now: Date): Promise<void> {
    await this.defer({ s, deliveredAt, now, key: codCreditKey(s.id) });
  }

  /**
   * Credits the seller again for a parcel whose credit finance reversed (its delivery taken back, the cash
   * found never collected) and which its courier then delivered after all, `deliveredAt`: the same entries
   * and hold as a delivery's credit, posted once per shipment under its own key
   * (`cod-credit-redelivered:<shipmentId>`, type `cod_credit`; `cod-credit:<shipmentId>` was used by the
   * first delivery). In the caller's transaction, just before it commits, with its other credits. Rupiah.
   */
  async postRedelivered(s: DeliveredCod, deliveredAt: Date, now: Date): Promise<void> {
    await this.defer({ s, deliveredAt, now, key: PostingKeys.codRedeliveryCredit(s.id) });
  }

  /**
   * Which credit a delivery after its taking back posts, by shipment: `again` where finance reversed the
   * credit and nothing since credited it again (postRedelivered); `first` where nothing was ever credited (the
   * first delivery took no cash, by the courier's word: post); none for the others, credited and standing.
   */
  async creditsDue(shipmentIds: string[]): Promise<Map<string, 'first' | 'again'>> {
    const posted = await this.ledger.postedKeys(shipmentIds.flatMap(codReversalKeys));
    const due = new Map<string, 'first' | 'again'>();
    for (const id of shipmentIds)
      if (!posted.has(codCreditKey(id))) due.set(id, 'first');
      // Credited again once at most: a second reversal stands (its remitted cash waits in suspense).
      else if (codCreditStandsReversed(id, posted) && !posted.has(PostingKeys.codRedeliveryCredit(id)))
        due.set(id, 'again');
    return due;
  }

  /**
   * The once-only key of each shipment's latest COD credit posted (`cod-credit:<id>`, or
   * `cod-credit-redelivered:<id>` once a reversed parcel was credited again): the credit its taking back
   * withholds and finance settles. Shipments never credited are left out.
   */
  async latestCredits(shipmentIds: string[]): Promise<Map<string, string>> {
    const posted = await this.ledger.postedKeys(
      shipmentIds.flatMap((id) => codCreditGenerations(id).map((g) => g.credit)),
    );
    const latest = new Map<string, string>();
    for (const id of shipmentIds) {
      const credit = codCreditGenerations(id).findLast((g) => posted.has(g.credit))?.credit;
      if (credit) latest.set(id, credit);
    }
    return latest;
  }

  private async defer(credit: Credit): Promise<void> {
    const due = this.due();
    if (due) due.credits.push(credit);
    else await this.postNow(credit, undefined);
  }

  /**
   * Keeps the COD credits of these shipments in the seller's `pending`, however long past the hold: their
   * deliveries were taken back, so the courier probably has no cash to remit. Also a credit this
   * transaction posts later (a delivery and its taking back in one batch). In the caller's transaction.
   */
  async withhold(shipmentIds: string[], now: Date): Promise<void> {
    if (!shipmentIds.length) return;
    const due = this.due();
    for (const id of shipmentIds) due?.withheld.set(id, now);
    // Every credit's hold: only the latest's is still placed (a reversal ended the one before).
    await this.ledger.withholdHolds(shipmentIds.flatMap(creditKeys), now);
  }

  /**
   * Lets the withheld COD credits of these shipments go to `available` (delivered again): one past its
   * hold is released by the next `ledger-holds` run. In the caller's transaction.
   */
  async resume(shipmentIds: string[]): Promise<void> {
    if (!shipmentIds.length) return;
    const due = this.due();
    for (const id of shipmentIds) due?.withheld.delete(id);
    await this.ledger.resumeHolds(shipmentIds.flatMap(creditKeys));
  }

  /** Rupiah of each shipment's COD credits still held in `pending` (withheld or not yet due); 0 for none. */
  async held(shipmentIds: string[]): Promise<Map<string, Rupiah>> {
    const byKey = await this.ledger.heldAmounts(shipmentIds.flatMap(creditKeys));
    const sum = (id: string) => creditKeys(id).reduce((n, key) => n + (byKey.get(key) ?? 0), 0);
    return new Map(shipmentIds.map((id) => [id, sum(id)]));
  }

  /**
   * Takes the posted COD credit `credit` (latestCredits: the one taken back) out of the seller's money and the
   * courier's COD receivable: finance found the cash was never collected. Posted once under that credit's
   * reversal key (`cod-credit-reversal:<shipmentId>`, or `cod-credit-redelivered-reversal:<shipmentId>`; type
   * `cod_credit_reversed`, the AWB as reference): what the credit still holds in `pending` (its hold ended,
   * never released), the rest from `available`. A seller who has already withdrawn the cash is not taken
   * below zero: nothing is posted. Rupiah; in the caller's transaction, the seller's accounts locked.
   * @throws CodReversalUncoveredError (COD_SETTLEMENT_REVERSAL_UNCOVERED, 422) when `available` is short
   */
  async reverse(
    s: DeliveredCod,
    credit: string,
    now: Date,
  ): Promise<{ fromPending: Rupiah; fromAvailable: Rupiah }> {
    // The hold, then the courier's receivable, then the seller's accounts: the ledger-holds job takes a hold
    // before the seller's accounts, and a COD credit the receivable before the seller's pending (one statement,
    // by account code) while the tracker, holding the receivable, credits a poll's deliveries seller after
    // seller. Locked the other way round, a reversal holding the seller's accounts waited for the receivable
    // while the tracker holding it waited for this seller's pending: a deadlock (finance answered 503).
    // The accounts stay locked, so `available` as read is what the posting takes from.
    const generation = codCreditGenerations(s.id).find((g) => g.credit === credit);
    if (!generation) throw new Error(`${credit} is no COD credit of shipment ${s.id}`);
    const fromPending = Math.min(await this.ledger.endHolds([credit], now), s.codAmount);
    await this.ledger.balances([Accounts.courierCodReceivable(s.courier)], { lock: true });
    const { available } = await this.ledger.sellerBalances(s.sellerId, { lock: true });
    const fromAvailable = s.codAmount - fromPending;
    if (fromAvailable > available) throw new CodReversalUncoveredError(fromAvailable, available);
    await this.ledger.post({
      key: generation.reversal,
      type: 'cod_credit_reversed',
      at: now,
      sellerId: s.sellerId,
      reference: s.awb,
      entries: [
        ...(fromPending > 0 ? [{ account: Accounts.seller(s.sellerId, 'pending'), debit: fromPending }] : []),
        ...(fromAvailable > 0
          ? [{ account: Accounts.seller(s.sellerId, 'available'), debit: fromAvailable }]
          : []),
        { account: Accounts.courierCodReceivable(s.courier), credit: s.codAmount },
      ],
    });
    return { fromPending, fromAvailable };
  }

  /** The open transaction's credits to post before it commits; null outside a transaction. */
  private due(): Due | null {
    return this.tx.deferred<Due>(
      this,
      () => ({ credits: [], withheld: new Map() }),
      async ({ credits, withheld }) => {
        credits.sort(
          (a, b) =>
            compareStrings(a.s.sellerId, b.s.sellerId) ||
            compareStrings(a.s.id, b.s.id) ||
            compareStrings(a.key, b.key),
        );
        // Taken back in the same transaction: a delivery's credit, or a reversed parcel's delivered again.
        for (const c of credits) await this.postNow(c, withheld.get(c.s.id));
      },
      DEFERRED_ORDER.codCredits,
    );
  }

  private async postNow({ s, deliveredAt, now, key }: Credit, withheldAt: Date | undefined) {
    const holdMs = this.config.business.money.codHoldDays * 86_400_000;
    const { posted } = await this.ledger.post({
      key,
      type: 'cod_credit',
      at: now,
      sellerId: s.sellerId,
      reference: s.awb,
      entries: [
        { account: Accounts.courierCodReceivable(s.courier), debit: s.codAmount },
        { account: Accounts.seller(s.sellerId, 'pending'), credit: s.codAmount },
      ],
      holds: [
        {
          from: Accounts.seller(s.sellerId, 'pending'),
          to: Accounts.seller(s.sellerId, 'available'),
          amount: s.codAmount,
          releaseAt: codHoldReleaseAt(deliveredAt, now, holdMs),
        },
      ],
    });
    // Its hold is this transaction's own row: withholding it waits for no one.
    if (posted && withheldAt) await this.ledger.withholdHolds([key], withheldAt);
  }
}

/**
 * When a COD credit's hold ends: `holdMs` after the delivery, and never before now (a delivery reported late
 * is not held again). The hold counts from now at the latest: a courier's clock ahead of ours (a bare local
 * time read as WIB from a WITA or WIT hub, a wrong year) would otherwise keep the seller's cash that much longer.
 */
export function codHoldReleaseAt(deliveredAt: Date, now: Date, holdMs: number): Date {
  return new Date(Math.max(Math.min(deliveredAt.getTime(), now.getTime()) + holdMs, now.getTime()));
}
