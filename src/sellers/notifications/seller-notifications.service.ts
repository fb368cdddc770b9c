import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from 'src/common/clock';
import { Transactions } from 'src/database/transaction';
import { eventBody, SellerEventType } from './seller-event';
import { NewDelivery, WebhookDeliveriesRepository } from './webhook-deliveries.repository';

export type { SellerEventType } from './seller-event';

/** What other modules call to tell a seller something: events go out as signed webhooks, later. */
@Injectable()
export class SellerNotifications {
  constructor(
    private readonly repository: WebhookDeliveriesRepository,
    private readonly tx: Transactions,
    private readonly clock: Clock,
  ) {}

  /**
   * Puts an event for the seller in the webhook outbox, in the caller's open transaction (so it exists
   * exactly when the change it reports is committed); nothing is sent here. The body
   * `{ id, type, createdAt, data }` is fixed now and sent as is on every attempt.
   * @returns the event's id (the body's `id`), or null when the seller has no webhook URL (nothing written)
   * @throws TypeError for `data` JSON cannot hold (a bigint): a caller's bug
   */
  async enqueue(
    sellerId: string,
    type: SellerEventType,
    data: Record<string, unknown>,
  ): Promise<string | null> {
    const delivery = this.delivery(sellerId, type, data);
    const written = await this.repository.insertIfSubscribed([delivery]);
    return written ? delivery.eventId : null;
  }

  /**
   * The same event, written just before the open transaction commits, with the transaction's other such
   * events in one statement: a tracking poll's batch moves hundreds of shipments, and each move is reported.
   * For callers that need no answer. Outside a transaction it is written at once.
   * @throws TypeError for `data` JSON cannot hold (a bigint): a caller's bug
   */
  async enqueueAtCommit(
    sellerId: string,
    type: SellerEventType,
    data: Record<string, unknown>,
  ): Promise<void> {
    const delivery = this.delivery(sellerId, type, data);
    const due = this.tx.deferred<NewDelivery[]>(
      this,
      () => [],
      async (all) => void (await this.repository.insertIfSubscribed(all)),
    );
    if (due) due.push(delivery);
    else await this.repository.insertIfSubscribed([delivery]);
  }

  /** The outbox row of an event: its body `{ id, type, createdAt, data }` fixed now. */
  private delivery(sellerId: string, type: SellerEventType, data: Record<string, unknown>): NewDelivery {
    const now = this.clock.now();
    const eventId = randomUUID();
    return {
      id: randomUUID(),
      eventId,
      sellerId,
      type,
      body: eventBody({ id: eventId, type, createdAt: now.toISOString(), data }),
      autoRetry: true,
      now,
    };
  }
}
