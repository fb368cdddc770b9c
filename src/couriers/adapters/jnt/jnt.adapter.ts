import type {
  CancelOutcome,
  CourierAdapter,
  CourierOrder,
  CourierServiceInfo,
  CreateOrderRequest,
  ParcelActionKind,
  ParcelActionOutcome,
  ParcelActionRequest,
  PickupConfirmation,
  QuoteRequest,
  ServiceQuote,
  TrackingEvent,
  TrackResult,
  WebhookRequest,
} from '../../courier-adapter';
import { CourierWebhookRejectedError } from '../../courier.errors';
import { rejected } from '../../http-failures';
import { trackEach } from '../../track-each';
import type { LocationDirectory } from '../../locations';
import { codFee } from '../../cod-fee';
import { payloadText } from '../../payload-text';
import { JntClient } from './jnt.client';
import {
  cancelItem,
  historyToEvent,
  JNT_EXPRESS_TYPE,
  JntAccount,
  JntHistory,
  JntTracking,
  orderItem,
  tariffContent,
  tariffData,
  trackingToEvents,
  weightKg,
} from './jnt.mapper';
import { verifyJntSign } from './jnt.signing';
import { instructionItem, instructionOutcome, JntInstructionReply } from './jnt.actions';
import { PARCEL_ACTION_KINDS } from '../../courier-adapter';

/** J&T mixes string and boolean flags ("true", true). */
const isTrue = (flag: unknown) => flag === true || String(flag).toLowerCase() === 'true';

interface TariffReply {
  is_success: string | boolean;
  message?: string;
  content?: unknown;
}

interface OrderReply {
  success: boolean | string;
  desc?: string;
  detail?: { awb_no?: string; orderid?: string; status?: string; reason?: string; etd?: string }[];
}

interface TrackingError {
  error_id?: string | number;
  error_message?: string;
}

/** Top-level refusals that mean the credentials or the signature are wrong (text assumed: jnt.md §5). */
const AUTH_TEXT = /sign|api_?key|username|unauthori[sz]ed|password|eccompany|cus(tomer)? ?name|auth/i;

/** J&T Express Indonesia through its legacy e-commerce API (couriers/jnt.md). */
export class JntAdapter implements CourierAdapter {
  /** No batch tracking endpoint: one airway bill per request. */
  readonly trackBatchSize = 1;
  readonly code = 'jnt' as const;
  private readonly client: JntClient;

  constructor(
    readonly name: string,
    private readonly account: JntAccount,
    private readonly catalogue: CourierServiceInfo[],
    private readonly webhookMaxAgeSeconds: number,
    private readonly locations: LocationDirectory,
  ) {
    this.client = new JntClient(account);
  }

  services(): CourierServiceInfo[] {
    return this.catalogue;
  }

  async quote(r: QuoteRequest, signal?: AbortSignal): Promise<ServiceQuote[]> {
    // The tariff is keyed by place names, which J&T knows from the onboarding mapping (jnt.md §3.1).
    await this.locations.remember(r.origin, r.destination);
    const perService = await Promise.all(this.catalogue.map((info) => this.quoteService(r, info, signal)));
    return perService.flat();
  }

  private async quoteService(
    r: QuoteRequest,
    info: CourierServiceInfo,
    signal?: AbortSignal,
  ): Promise<ServiceQuote[]> {
    if (weightKg(r.parcel) * 1000 > info.maxWeightGrams) return [];
    const reply = await this.client.form<TariffReply>(
      'tariff',
      'data',
      'sign',
      tariffData(r, this.account, info.code),
      this.account.JNT_TARIFF_KEY,
      signal,
    );
    if (!isTrue(reply.is_success)) {
      const msg = payloadText(reply.message);
      if (AUTH_TEXT.test(msg)) throw rejected(this.code, 'auth', 'is_success=false', msg);
      // "Invalid area code": a place J&T has no tariff for is a route it does not serve.
      if (/area|kota|kecamatan|not found|tidak ditemukan|jangkau/i.test(msg)) return [];
      throw rejected(this.code, 'invalid_request', 'is_success=false', msg);
    }
    // An empty list means the route is not covered (jnt.md §3.1).
    const rate = tariffContent(reply.content).find((c) => (c.productType ?? c.name) === info.code);
    const price = Math.ceil(Number(rate?.cost));
    if (!rate || !Number.isSafeInteger(price) || price <= 0) return [];
    return [
      {
        courier: this.code,
        service: info.code,
        serviceName: info.name,
        price,
        codFee: r.codAmount && info.cod ? codFee(info, r.codAmount) : 0,
        // The tariff gives no transit time; the create answer's `etd` comes too late for a quote.
        etaDays: { ...info.slaDays },
        codAvailable: info.cod,
      },
    ];
  }

  async createOrder(r: CreateOrderRequest, signal?: AbortSignal): Promise<CourierOrder> {
    if (!JNT_EXPRESS_TYPE[r.service] || !this.catalogue.some((s) => s.code === r.service)) {
      throw rejected(this.code, 'invalid_request', 'SERVICE', `J&T has no service ${r.service}`);
    }
    const reply = await this.client.form<OrderReply>(
      'create',
      'data_param',
      'data_sign',
      { detail: [orderItem(r, this.account, new Date())] },
      this.account.JNT_ORDER_KEY,
      signal,
    );
    if (!isTrue(reply.success)) {
      const msg = payloadText(reply.desc);
      throw rejected(this.code, AUTH_TEXT.test(msg) ? 'auth' : 'invalid_request', 'success=false', msg);
    }
    const item = reply.detail?.[0];
    if (item && /^sukses$/i.test(payloadText(item.status)) && item.awb_no) {
      return { courier: this.code, awb: item.awb_no, reference: r.reference, service: r.service };
    }
    // Errors still come with success: true; the item says why (jnt.md §3.2).
    const reason = payloadText(item?.reason ?? reply.desc, 'no order in the answer');
    const rawCode = payloadText(item?.status, 'Error');
    if (/orderid tidak boleh sama|duplicate/i.test(reason)) {
      throw rejected(
        this.code,
        'duplicate',
        rawCode,
        item?.awb_no ? `${reason} (awb_no ${item.awb_no})` : reason,
      );
    }
    if (/\bCOD\b/i.test(reason)) throw rejected(this.code, 'cod_not_allowed', rawCode, reason);
    if (/jangkau|tidak dilayani|tidak tersedia/i.test(reason))
      throw rejected(this.code, 'unserviceable_route', rawCode, reason);
    if (/kecamatan|alamat|area|kode pos|zip/i.test(reason))
      throw rejected(this.code, 'bad_address', rawCode, reason);
    if (/berat|weight/i.test(reason)) throw rejected(this.code, 'too_heavy', rawCode, reason);
    if (AUTH_TEXT.test(reason)) throw rejected(this.code, 'auth', rawCode, reason);
    throw rejected(this.code, 'invalid_request', rawCode, reason);
  }

  /** J&T books the pickup with the order (`servicetype: 1`), so there is nothing more to ask. */
  requestPickup(order: CourierOrder): Promise<PickupConfirmation> {
    return Promise.resolve({ awb: order.awb });
  }

  async cancel(order: CourierOrder, signal?: AbortSignal): Promise<CancelOutcome> {
    const key = this.account.JNT_CANCEL_KEY || this.account.JNT_ORDER_KEY;
    const reply = await this.client.form<OrderReply>(
      'cancel',
      'data_param',
      'data_sign',
      { detail: [cancelItem(order, this.account)] },
      key,
      signal,
    );
    if (!isTrue(reply.success)) {
      const msg = payloadText(reply.desc);
      if (AUTH_TEXT.test(msg)) throw rejected(this.code, 'auth', 'success=false', msg);
      return { cancelled: false, reason: 'refused', rawMessage: msg };
    }
    const item = reply.detail?.[0];
    if (item && /^sukses$/i.test(payloadText(item.status))) return { cancelled: true };
    const msg = payloadText(item?.reason ?? reply.desc);
    // A refusal ends with the order's status: "Status pesanan adalah : GOT" once picked up (jnt.md §3.3).
    const state = /status pesanan adalah\s*:\s*([A-Z_]+)/i.exec(msg)?.[1]?.toUpperCase();
    if (state)
      return {
        cancelled: false,
        reason: /^CANCEL/.test(state) ? 'already_cancelled' : 'already_picked_up',
        rawMessage: msg,
      };
    if (/sudah dibatalkan|already cancel/i.test(msg))
      return { cancelled: false, reason: 'already_cancelled', rawMessage: msg };
    if (/tidak ditemukan|not found|tidak ada/i.test(msg))
      return { cancelled: false, reason: 'not_found', rawMessage: msg };
    return { cancelled: false, reason: 'refused', rawMessage: msg };
  }

  /** Every action, through the assumed instruction call (jnt.actions.ts), signed like cancel. */
  readonly parcelActions: readonly ParcelActionKind[] = PARCEL_ACTION_KINDS;

  async requestAction(
    order: CourierOrder,
    action: ParcelActionRequest,
    signal?: AbortSignal,
  ): Promise<ParcelActionOutcome> {
    const reply = await this.client.form<JntInstructionReply>(
      'instruction',
      'data_param',
      'data_sign',
      { detail: [instructionItem(order, action, this.account)] },
      this.account.JNT_ORDER_KEY,
      signal,
    );
    if (!isTrue(reply.success) && AUTH_TEXT.test(payloadText(reply.desc)))
      throw rejected(this.code, 'auth', 'success=false', payloadText(reply.desc));
    return instructionOutcome(reply);
  }

  /** No batch tracking at this courier: one call per airway bill, a few at a time. */
  track(awbs: string[], signal?: AbortSignal): Promise<TrackResult[]> {
    return trackEach(awbs, (awb) => this.trackOne(awb, signal));
  }

  private async trackOne(awb: string, signal?: AbortSignal): Promise<TrackResult> {
    const reply = await this.client.tracking<JntTracking & TrackingError>({ awb }, signal);
    if (!this.tracked(reply)) return { awb, found: false };
    return { awb, found: true, events: trackingToEvents({ ...reply, awb }) };
  }

  /** Whether a tracking answer holds a parcel; `{error_id, error_message}` for an unknown one, typed otherwise. */
  private tracked(reply: JntTracking & TrackingError): boolean {
    if (reply.error_id === undefined && reply.error_message === undefined && reply.awb) return true;
    const id = payloadText(reply.error_id);
    const msg = payloadText(reply.error_message);
    if (id === '401' || id === '403' || AUTH_TEXT.test(msg)) throw rejected(this.code, 'auth', id, msg);
    if (
      id === '404' ||
      /not found|invalid awb|tidak ditemukan|no data|tidak ada data/i.test(msg) ||
      !reply.error_id
    )
      return false;
    throw rejected(this.code, 'invalid_request', id, msg);
  }

  parseWebhook(request: WebhookRequest, now: Date): TrackingEvent[] {
    // Assumed shape (jnt.md §3.6): a form with `data_param` (JSON) and `data_sign` under the order key.
    const form = new URLSearchParams(request.rawBody.toString('utf8'));
    const sign = form.get('data_sign');
    const data = form.get('data_param');
    if (!sign) throw new CourierWebhookRejectedError(this.code, 'unsigned');
    if (data === null) throw new CourierWebhookRejectedError(this.code, 'malformed');
    if (!verifyJntSign(data, this.account.JNT_ORDER_KEY, sign))
      throw new CourierWebhookRejectedError(this.code, 'forged');
    let push: JntHistory & { awb?: string; orderid?: string };
    try {
      push = JSON.parse(data) as typeof push;
    } catch {
      throw new CourierWebhookRejectedError(this.code, 'malformed');
    }
    if (
      !push ||
      typeof push !== 'object' ||
      !push.awb ||
      push.status_code === undefined ||
      push.status_code === null
    ) {
      throw new CourierWebhookRejectedError(this.code, 'malformed');
    }
    // A push carries no order detail: 101 reads as created, and COD collection is left to tracking.
    const event = historyToEvent(push.awb, push);
    // The signature never expires, so the event's own time bounds replays.
    if (
      Number.isNaN(event.occurredAt.getTime()) ||
      Math.abs(now.getTime() - event.occurredAt.getTime()) > this.webhookMaxAgeSeconds * 1000
    ) {
      throw new CourierWebhookRejectedError(this.code, 'stale');
    }
    return [event];
  }

  async findByReference(reference: string, signal?: AbortSignal): Promise<CourierOrder | null> {
    // Assumed (confirm with J&T): J&T publishes no lookup by order id; this asks the tracking endpoint
    // with `orderid` in place of `awb`. J&T refuses a repeated orderid, so at most one order answers.
    const reply = await this.client.tracking<JntTracking & TrackingError>({ orderid: reference }, signal);
    if (!this.tracked(reply)) return null;
    const service =
      this.catalogue.find((s) => s.code === reply.detail?.services_code)?.code ??
      this.catalogue[0]?.code ??
      'EZ';
    return { courier: this.code, awb: reply.awb, reference, service };
  }
}
