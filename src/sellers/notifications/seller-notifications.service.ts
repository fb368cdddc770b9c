import { Injectable } from '@nestjs/common';

export type SellerEventType =
  | 'shipment.status_changed'
  | 'shipment.at_risk'
  | 'shipment.action_updated'
  | 'invoice.issued'
  | 'withdrawal.updated'
  | 'webhook.test';

/** Placeholder until the seller webhook outbox lands (branch notify); replaced by it. */
@Injectable()
export class SellerNotifications {
  enqueue(_sellerId: string, _type: SellerEventType, _data: Record<string, unknown>): Promise<string | null> {
    return Promise.resolve(null);
  }
}
