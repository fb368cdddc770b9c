import type {
  CourierOrder,
  ParcelActionKind,
  ParcelActionOutcome,
  ParcelActionRequest,
} from '../../courier-adapter';
import type { LocationRow } from '../../locations';
import { cutLine, payloadText } from '../../payload-text';
import type { SapEnvelope } from './sap.decode';

/**
 * Seller actions at SAP Express. SAPX's order documentation (v2.5.0, sap.md §3) has no delivery
 * instruction call: its reason lists stop at pickup cancellation (`GLD007` reschedule, `GLD008` data
 * change), and re-delivery shows only as the older `POD - ANTAR ULANG` checkpoint. This call is
 * **assumed** in the v2 style: JSON with the `api_key` header, the `{status, msg, data}` envelope and real
 * HTTP codes (404 unknown AWB, 400 refused, 422 missing field), an instruction code like SAPX's other
 * coded lists, and the new address in create's receiver fields (sap.md §3.4). Confirm with SAPX.
 */
export const SAP_INSTRUCTION_PATH = '/v2/shipment/instruction';

/** `instruction_code` per action (assumed codes). */
export const SAP_INSTRUCTION: Record<ParcelActionKind, string> = {
  reattempt: 'INS01',
  return: 'INS02',
  update_address: 'INS03',
  hold: 'INS04',
};

const localPhone = (e164: string) => e164.replace(/^\+62/, '0');

/** The instruction; `to` is SAP's code for a new address's district (required for `update_address`). */
export function instructionBody(order: CourierOrder, action: ParcelActionRequest, to?: LocationRow) {
  const a = action.kind === 'update_address' ? action.address : undefined;
  return {
    awb_no: order.awb,
    instruction_code: SAP_INSTRUCTION[action.kind],
    desc: cutLine(action.note ?? '', 200),
    customer_confirmed: action.confirmedWithBuyer ? 1 : 0,
    ...(a && to
      ? {
          receiver_name: cutLine(a.name, 50),
          receiver_address: cutLine(`${a.address}, ${a.district}, ${a.city}`, 200),
          receiver_phone: localPhone(a.phone),
          receiver_postal_code: a.postalCode,
          destination_district_code: to.code,
        }
      : {}),
  };
}

/** What SAP's answer means: success with the instruction number, 404 unknown, 400 "tidak dapat diproses". */
export function instructionOutcome(
  httpStatus: number,
  envelope: SapEnvelope<{ instruction_no?: string } | null>,
): ParcelActionOutcome {
  if (envelope.status === 'success') {
    const ticket = payloadText(envelope.data?.instruction_no);
    return { accepted: true, ...(ticket ? { courierReference: ticket } : {}) };
  }
  const message = payloadText(envelope.msg, `HTTP ${httpStatus}`);
  if (httpStatus === 404 || /tidak ditemukan/i.test(message))
    return { accepted: false, reason: 'not_found', rawMessage: message };
  if (/tidak dapat diproses|tidak diizinkan/i.test(message))
    return { accepted: false, reason: 'not_allowed_now', rawMessage: message };
  return { accepted: false, reason: 'refused', rawMessage: message };
}
