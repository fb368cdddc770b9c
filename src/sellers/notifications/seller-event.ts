/** What a seller is told about, by webhook. `webhook.test` is sent only when the seller asks for one. */
export const SELLER_EVENT_TYPES = [
  'shipment.status_changed',
  'shipment.at_risk',
  'shipment.action_updated',
  'invoice.issued',
  'withdrawal.updated',
  'webhook.test',
] as const;
export type SellerEventType = (typeof SELLER_EVENT_TYPES)[number];

/** The JSON a seller's receiver gets (API.md "Outbound to the seller's webhookUrl"). */
export interface SellerEvent {
  /** Unique per event: the same id on every retry, for the receiver to drop duplicates. */
  id: string;
  type: SellerEventType;
  /** ISO 8601, when the event happened (the change's transaction). */
  createdAt: string;
  data: Record<string, unknown>;
}

/**
 * The body exactly as sent, fixed once when the event is written: a retry sends the same bytes, and the
 * signature is computed over them. Throws a TypeError for data JSON cannot hold (a bigint), a caller's bug.
 */
export function eventBody(event: SellerEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt, data: event.data });
}
