import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import type { Rupiah } from 'src/common/money';
import { Accounts } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';

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
    private readonly config: AppConfig,
  ) {}

  /**
   * Posts the credit once per shipment (key `cod-credit:<shipmentId>`), in the caller's transaction (the
   * delivered move). Rupiah; the hold is released by the `ledger-holds` job.
   */
  async post(s: DeliveredCod, deliveredAt: Date, now: Date): Promise<void> {
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
