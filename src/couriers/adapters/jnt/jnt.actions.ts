import type {
  CourierOrder,
  ParcelActionKind,
  ParcelActionOutcome,
  ParcelActionRequest,
} from '../../courier-adapter';
import type { LocationRow } from '../../locations';
import { cutLine, payloadText } from '../../payload-text';
import type { JntAccount } from './jnt.mapper';

/**
 * Seller actions at J&T. No public J&T Indonesia source shows an instruction API (jnt.md covers tariff,
 * order create/cancel, tracking and label); partners arrange re-delivery and returns through J&T's
 * dashboard. This call is **assumed** in the legacy e-commerce API's style: a form post of a signed
 * `data_param` `{"detail":[…]}` with the order credentials inside, beside order/create and order/cancel
 * (jnt.md §2, §3.3), answered like cancel (`status: "Sukses"`, or a reason ending with the order's status).
 * Confirm with J&T.
 */
export const JNT_INSTRUCTION_PATH = '/jts-idn-ecommerce-api/api/order/instruction';

/** The `instruction` field per action (assumed words). */
export const JNT_INSTRUCTION: Record<ParcelActionKind, string> = {
  reattempt: 'KIRIM_ULANG',
  return: 'RETUR',
  update_address: 'UBAH_ALAMAT',
  hold: 'TAHAN',
};

/**
 * One instruction item (by AWB and our order id), with the receiver fields of order/create for a new
 * address (`to`: J&T's codes for its district, required for `update_address`).
 */
export function instructionItem(
  order: CourierOrder,
  action: ParcelActionRequest,
  account: JntAccount,
  to?: LocationRow,
) {
  const a = action.kind === 'update_address' ? action.address : undefined;
  return {
    username: account.JNT_USERNAME,
    api_key: account.JNT_API_KEY,
    orderid: order.reference,
    awb_no: order.awb,
    instruction: JNT_INSTRUCTION[action.kind],
    remark: cutLine(action.note ?? '', 100),
    buyer_confirmed: action.confirmedWithBuyer ? 'Y' : 'N',
    ...(a && to
      ? {
          receiver_name: cutLine(a.name, 30),
          receiver_phone: a.phone,
          receiver_addr: cutLine([a.address, a.district, a.city, a.province].join(', '), 200),
          receiver_zip: a.postalCode,
          destination_code: to.cityCode,
          receiver_area: to.code,
        }
      : {}),
  };
}

export interface JntInstructionReply {
  success: boolean | string;
  desc?: string;
  detail?: { orderid?: string; awb_no?: string; status?: string; reason?: string; ticket_no?: string }[];
}

/**
 * What J&T's item answer means (the top-level refusal is read by the adapter first: it may be about
 * credentials). A refusal about the parcel's state ends with it, as cancel's does: "Status pesanan
 * adalah : SIGNED" (jnt.md §3.3).
 */
export function instructionOutcome(reply: JntInstructionReply): ParcelActionOutcome {
  const item = reply.detail?.[0];
  if (item && /^sukses$/i.test(payloadText(item.status))) {
    const ticket = payloadText(item.ticket_no);
    return { accepted: true, ...(ticket ? { courierReference: ticket } : {}) };
  }
  const message = payloadText(item?.reason, payloadText(reply.desc, 'J&T refused the instruction'));
  if (/status pesanan adalah\s*:/i.test(message))
    return { accepted: false, reason: 'not_allowed_now', rawMessage: message };
  if (/tidak ditemukan|not found/i.test(message))
    return { accepted: false, reason: 'not_found', rawMessage: message };
  return { accepted: false, reason: 'refused', rawMessage: message };
}
