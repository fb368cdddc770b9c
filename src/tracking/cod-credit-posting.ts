import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import type { Rupiah } from 'src/common/money';
import { compareStrings } from 'src/common/sort-order';
import { Accounts } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
import { DEFERRED_ORDER, Transactions } from 'src/database/transaction';

interface Credit {
  s: DeliveredCod;
  deliveredAt: Date;
  now: Date;
}

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
    const due = this.tx.deferred<Credit[]>(
      this,
      () => [],
      async (credits) => {
        credits.sort((a, b) => compareStrings(a.s.sellerId, b.s.sellerId) || compareStrings(a.s.id, b.s.id));
        for (const c of credits) await this.postNow(c.s, c.deliveredAt, c.now);
      },
      DEFERRED_ORDER.codCredits,
    );
    if (due) due.push({ s, deliveredAt, now });
    else await this.postNow(s, deliveredAt, now);
  }

  private async postNow(s: DeliveredCod, deliveredAt: Date, now: Date): Promise<void> {
    const holdMs = this.config.business.money.codHoldDays * 86_400_000;
    await this.ledger.post({
      key: `cod-credit:${s.id}`,
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
          releaseAt: new Date(Math.max(deliveredAt.getTime() + holdMs, now.getTime())),
        },
      ],
    });
  }
}
