import type {
  CourierOrder,
  ParcelActionKind,
  ParcelActionOutcome,
  ParcelActionRequest,
} from '../../courier-adapter';
import { cutLine, payloadFlag, payloadText } from '../../payload-text';
import { addressLines, JneForm, localPhone } from './jne.mapper';

/**
 * Seller actions at JNE. JNE publishes no instruction API (jne.md lists tariff, generatecnote,
 * pickupcashless, cancel and tracing only); integrators ask for a re-delivery, a return, an address change
 * or a hold through JNE's customer service. This call is **assumed**: a form POST beside `order/cancel`
 * (itself assumed beside pickupcashless, jne.md §3.5), with the credentials as fields like every JNE
 * call and the new address in pickupcashless's `RECEIVER_*` fields (jne.md §3.3). Confirm with JNE.
 */
export const JNE_INSTRUCTION_PATH = '/order/instruction';

/** The `instruction` field per action (assumed words). */
export const JNE_INSTRUCTION: Record<ParcelActionKind, string> = {
  reattempt: 'REDELIVERY',
  return: 'RETURN',
  update_address: 'CHANGE_ADDRESS',
  hold: 'HOLD',
};

/** The instruction form (without credentials, which the client adds). */
export function instructionBody(order: CourierOrder, action: ParcelActionRequest): JneForm {
  const a = action.address;
  const form: JneForm = {
    cnote_no: order.awb,
    instruction: JNE_INSTRUCTION[action.kind],
    pic_instruction: 'Kirim',
    remark: cutLine(action.note ?? '', 60),
    buyer_confirmed: action.confirmedWithBuyer ? 'Y' : 'N',
  };
  if (action.kind !== 'update_address' || !a) return form;
  // JNE's three 30-character lines; a street that does not fit is refused (bad_address), never cut.
  const [line1, line2, line3] = addressLines(a);
  return {
    ...form,
    RECEIVER_NAME: cutLine(a.name, 30),
    RECEIVER_ADDR1: line1,
    RECEIVER_ADDR2: line2,
    RECEIVER_ADDR3: line3,
    RECEIVER_CITY: cutLine(a.city, 20),
    RECEIVER_REGION: cutLine(a.province, 20),
    RECEIVER_ZIP: a.postalCode.slice(0, 5),
    RECEIVER_PHONE: localPhone(a.phone),
  };
}

export interface JneInstructionReply {
  status?: boolean | string;
  reason?: string;
  instruction_no?: string;
}

const NOT_FOUND = /not found|not your cnote/i;
/** Refusals about the parcel's state (assumed wording, like cancel's "Cnote Already Picked Up"). */
const NOT_NOW =
  /not allowed|already (delivered|returned|cancel)|return process|not yet received|undelivered/i;

/** What JNE's answer means: `status` true, or its `reason` (or the `{error, status:false}` body's text). */
export function instructionOutcome(reply: JneInstructionReply | { error: string }): ParcelActionOutcome {
  if (!('error' in reply) && payloadFlag(reply.status) === true) {
    const ticket = payloadText(reply.instruction_no);
    return { accepted: true, ...(ticket ? { courierReference: ticket } : {}) };
  }
  const message = 'error' in reply ? reply.error : payloadText(reply.reason, 'JNE refused the instruction');
  if (NOT_FOUND.test(message)) return { accepted: false, reason: 'not_found', rawMessage: message };
  if (NOT_NOW.test(message)) return { accepted: false, reason: 'not_allowed_now', rawMessage: message };
  return { accepted: false, reason: 'refused', rawMessage: message };
}
