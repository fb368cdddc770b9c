import type {
  CourierOrder,
  ParcelActionKind,
  ParcelActionOutcome,
  ParcelActionRequest,
} from '../../courier-adapter';
import type { LocationRow } from '../../locations';
import { idOf } from './idexpress.mapper';
import { cutLine, payloadText } from '../../payload-text';
import type { IdExpressEnvelope } from './idexpress.client';

/**
 * Seller actions at ID Express, through its open API's signed form (`appId`, `sign`, `data`).
 * - update_address: `POST /open/v1/waybill/update`, one order object keyed by `waybillNo` with create's
 *   recipient fields — the endpoint is **documented** by public clients (idexpress.md §3); that it takes
 *   a new address after pickup is **assumed**.
 * - reattempt, return, hold: **assumed** `POST /open/v1/waybill/problem-handle` with a handling type, in
 *   the same style: ID Express publishes no problem-handling call (its retail tracking only flags
 *   `problemFlag`/`returnFlag`, idexpress.md §3.7). Confirm with ID Express.
 */
export const IDEXPRESS_UPDATE_PATH = '/open/v1/waybill/update';
export const IDEXPRESS_HANDLE_PATH = '/open/v1/waybill/problem-handle';

/** `handleType` per action (assumed codes). */
export const IDEXPRESS_HANDLE_TYPE: Record<Exclude<ParcelActionKind, 'update_address'>, string> = {
  reattempt: '01',
  return: '02',
  hold: '03',
};

const localPhone = (e164: string) => e164.replace(/^\+62/, '0');

/** The path and `data` of the call for an action. */
export function actionCall(
  order: CourierOrder,
  action: ParcelActionRequest,
  to?: LocationRow,
): { path: string; data: unknown } {
  const remark = cutLine(action.note ?? '', 200);
  if (action.kind === 'update_address') {
    const a = action.address!;
    // The adapter looks up the new district's ids first (and refuses when there are none).
    const ids = to!;
    return {
      path: IDEXPRESS_UPDATE_PATH,
      data: {
        waybillNo: order.awb,
        recipientName: cutLine(a.name, 50),
        recipientCellphone: localPhone(a.phone),
        recipientAddress: cutLine(`${a.address}, ${a.district}, ${a.city}`, 200),
        recipientCityId: idOf(ids.cityCode),
        recipientDistrictId: idOf(ids.code),
        recipientZipCode: a.postalCode,
        ...(remark ? { remark } : {}),
      },
    };
  }
  return {
    path: IDEXPRESS_HANDLE_PATH,
    data: {
      waybillNo: order.awb,
      handleType: IDEXPRESS_HANDLE_TYPE[action.kind],
      recipientConfirmed: action.confirmedWithBuyer ? '1' : '0',
      ...(remark ? { remark } : {}),
    },
  };
}

const NOT_FOUND = /not (be )?found|not exist|tidak ditemukan/i;

/** What the envelope means: code 0 accepted; otherwise `desc` says whether the waybill's state forbids it. */
export function actionOutcome(
  envelope: IdExpressEnvelope<{ ticketNo?: string } | null>,
): ParcelActionOutcome {
  if (Number(envelope.code) === 0) {
    const ticket = payloadText(envelope.data?.ticketNo);
    return { accepted: true, ...(ticket ? { courierReference: ticket } : {}) };
  }
  const message = payloadText(envelope.desc, `code ${payloadText(envelope.code)}`);
  if (NOT_FOUND.test(message)) return { accepted: false, reason: 'not_found', rawMessage: message };
  if (/not allowed|can not be|cannot be/i.test(message))
    return { accepted: false, reason: 'not_allowed_now', rawMessage: message };
  return { accepted: false, reason: 'refused', rawMessage: message };
}
