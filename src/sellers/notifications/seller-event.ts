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

/** SQL of a timestamptz as JavaScript's toISOString writes it (UTC, milliseconds, `Z`). */
export const isoSql = (at: string) => `to_char((${at}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A CTE, named `name`, that writes one `type` event per row of `source` whose seller has a webhook URL,
 * inside the statement it joins: the outbox row exists exactly when the statement's change does, with no
 * statement (nor transaction) of its own. `data` pairs each key of the event's data with SQL over the
 * source's row (`r`); `at` is SQL of the timestamptz the event happened (its `createdAt`, and when it is
 * due). The body has eventBody's keys in its order (json_build_object keeps them); only its spacing
 * differs, which JSON readers ignore and the signature, made over the stored bytes, covers.
 */
export function deliveriesAlong(
  name: string,
  source: string,
  type: SellerEventType,
  data: readonly (readonly [string, string])[],
  at: string,
): string {
  const fields = data.map(([key, sql]) => `'${key}', ${sql}`).join(', ');
  // OFFSET 0 keeps the subquery whole, so each row's event id is drawn once and used twice.
  return `${name} AS (
         INSERT INTO webhook_deliveries (id, event_id, seller_id, type, body, status, auto_retry, attempts,
           window_attempts, next_attempt_at, created_at, updated_at)
         SELECT gen_random_uuid(), r.event_id, r.seller_id, '${type}',
           json_build_object('id', r.event_id, 'type', '${type}', 'createdAt', ${isoSql(at)},
             'data', json_build_object(${fields}))::text,
           'pending', true, 0, 0, ${at}, ${at}, ${at}
         FROM (SELECT src.*, gen_random_uuid() AS event_id FROM ${source} src
                 JOIN seller_settings ss ON ss.seller_id = src.seller_id AND ss.webhook_url IS NOT NULL
               OFFSET 0) r
       )`;
}
