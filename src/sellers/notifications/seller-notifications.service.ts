import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from 'src/common/clock';
import { eventBody, SellerEventType } from './seller-event';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

export type { SellerEventType } from './seller-event';

/** What other modules call to tell a seller something: events go out as signed webhooks, later. */
@Injectable()
export class SellerNotifications {
  constructor(
    private readonly repository: WebhookDeliveriesRepository,
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
    const now = this.clock.now();
    const eventId = randomUUID();
    const body = eventBody({ id: eventId, type, createdAt: now.toISOString(), data });
    const written = await this.repository.insertIfSubscribed({
      id: randomUUID(),
      eventId,
      sellerId,
      type,
      body,
      autoRetry: true,
      now,
    });
    return written ? eventId : null;
  }
}
