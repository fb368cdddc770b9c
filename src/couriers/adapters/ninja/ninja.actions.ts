import type { LocationRow } from '../../locations';
import type {
  CourierOrder,
  ParcelActionKind,
  ParcelActionOutcome,
  ParcelActionRequest,
} from '../../courier-adapter';
import { cutLine, payloadText } from '../../payload-text';
import { errorText, ninjaAddress, NinjaError } from './ninja.mapper';

/**
 * Seller actions at Ninja Xpress. Ninja's public OpenAPI copies (ninja.md §3) cover OAuth, order create,
 * cancel, waybill, tariff, tracking and PUDO only; reschedules and returns appear as webhook events
 * (`… Reattempt Scheduled`, `Return to Sender Initiated`) triggered from its dashboard. These calls are
 * **assumed** in its REST style: one versioned resource per action under the order, JSON with the OAuth
 * bearer token, and refusals in its error body (`{error: {code, title, message, details[]}}`) with a
 * `details[].reason` of `invalid_status` when the order's state does not allow it, as its cancel answers.
 * The new address takes create's `to` shape (ninja.md §3.1). Confirm with Ninja.
 */
export const NINJA_ACTION_ROUTE: Record<ParcelActionKind, { method: 'POST' | 'PUT'; resource: string }> = {
  reattempt: { method: 'POST', resource: 'reschedule' },
  return: { method: 'POST', resource: 'rts' },
  update_address: { method: 'PUT', resource: 'delivery-address' },
  hold: { method: 'POST', resource: 'hold' },
};

export const actionPath = (order: CourierOrder, kind: ParcelActionKind) =>
  `/2.0/orders/${encodeURIComponent(order.awb)}/${NINJA_ACTION_ROUTE[kind].resource}`;

/** The action's body; `names` are Ninja's own names for a new address's district, when mapped. */
export function actionBody(action: ParcelActionRequest, names?: LocationRow | null): Record<string, unknown> {
  const note = action.note ? cutLine(action.note, 255) : undefined;
  switch (action.kind) {
    case 'reattempt':
      return {
        customer_confirmed: !!action.confirmedWithBuyer,
        ...(note ? { delivery_instructions: note } : {}),
      };
    case 'update_address': {
      const a = action.address!;
      return {
        to: {
          name: cutLine(a.name, 255),
          phone_number: a.phone,
          address: { ...ninjaAddress(a, names), address_type: 'home' },
        },
        ...(note ? { delivery_instructions: note } : {}),
      };
    }
    case 'return':
    case 'hold':
      return { reason: note ?? 'Requested by shipper' };
  }
}

export interface NinjaActionReply {
  tracking_number?: string;
  status?: string;
  ticket_id?: string;
}

/** What Ninja's answer means: 2xx accepted, 404 unknown, `invalid_status` (or its words) not now. */
export function actionOutcome(
  status: number,
  data: NinjaActionReply | undefined,
  error?: NinjaError,
): ParcelActionOutcome {
  if (status < 300) {
    const ticket = payloadText(data?.ticket_id);
    return { accepted: true, ...(ticket ? { courierReference: ticket } : {}) };
  }
  const message = errorText(error, `HTTP ${status}`);
  if (status === 404) return { accepted: false, reason: 'not_found', rawMessage: message };
  const reasons = (error?.details ?? []).map((d) => payloadText(d.reason).toLowerCase());
  if (reasons.includes('invalid_status') || /not allowed|can ?not be|no longer/i.test(message))
    return { accepted: false, reason: 'not_allowed_now', rawMessage: message };
  return { accepted: false, reason: 'refused', rawMessage: message };
}
