import { Clock, SystemClock } from 'src/common/clock';
import type {
  CancelOutcome,
  CourierAdapter,
  CourierOrder,
  CourierServiceInfo,
  CreateOrderRequest,
  Parcel,
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
import { assertFreshPush } from '../../push-window';
import { CourierWebhookMalformedError, CourierWebhookRejectedError } from '../../courier.errors';
import { rejected } from '../../http-failures';
import { trackEach } from '../../track-each';
import type { CourierLocations, RouteCodes } from '../../locations';
import { payloadFlag, payloadText, pushedText } from '../../payload-text';
import { saysAuthRefused, saysNotFound } from '../../answer-words';
import { JntClient } from './jnt.client';
import {
  decodeJntWebhook,
  JntOrderReply,
  jntOrder,
  jntPushJson,
  jntQuotes,
  JntTariffReply,
  jntTrackResult,
  JntTrackingError,
} from './jnt.decode';
import {
  cancelItem,
  JNT_EXPRESS_TYPE,
  JntAccount,
  JntTracking,
  orderItem,
  tariffData,
  weightKg,
} from './jnt.mapper';
import { verifyJntSign } from './jnt.signing';
import { instructionItem, instructionOutcome, JntInstructionReply } from './jnt.actions';
import { PARCEL_ACTION_KINDS } from '../../courier-adapter';

/** J&T Express Indonesia through its legacy e-commerce API (couriers/jnt.md). */
export class JntAdapter implements CourierAdapter {
  /** No batch tracking endpoint: one airway bill per request. */
  readonly trackBatchSize = 1;
  /** J&T resends a push unless the answer says `success: true` (assumed, jnt.md §3.6). */
  readonly pushAck = { success: true };
  readonly code = 'jnt' as const;
  private readonly client: JntClient;

  constructor(
    readonly name: string,
    private readonly account: JntAccount,
    private readonly catalogue: CourierServiceInfo[],
    private readonly webhookMaxAgeSeconds: number,
    /** Where this courier's own location codes come from (never made up: an unmapped place is refused). */
    private readonly locations: CourierLocations,
    /** Today for an order's dates and pickup window (the service's clock; real time by default). */
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.client = new JntClient(account);
  }

  services(): CourierServiceInfo[] {
    return this.catalogue;
  }

  /** J&T rounds the weight its own way: the weight its tariff request carries, to 10 g. */
  rateKey(parcel: Parcel): string {
    return String(weightKg(parcel));
  }

  async quote(r: QuoteRequest, signal?: AbortSignal): Promise<ServiceQuote[]> {
    // The tariff is keyed by J&T's own place names, from the onboarding mapping (jnt.md §3.1).
    const codes = await this.locations.route(this.code, r.origin, r.destination);
    const perService = await Promise.all(
      this.catalogue.map((info) => this.quoteService(r, info, codes, signal)),
    );
    return perService.flat();
  }

  private async quoteService(
    r: QuoteRequest,
    info: CourierServiceInfo,
    codes: RouteCodes,
    signal?: AbortSignal,
  ): Promise<ServiceQuote[]> {
    if (weightKg(r.parcel) * 1000 > info.maxWeightGrams) return [];
    const reply = await this.client.form<JntTariffReply>(
      'tariff',
      'data',
      'sign',
      tariffData(r, this.account, info.code, codes),
      this.account.JNT_TARIFF_KEY,
      signal,
    );
    return jntQuotes(reply, r, [info]);
  }

  async createOrder(r: CreateOrderRequest, signal?: AbortSignal): Promise<CourierOrder> {
    if (!JNT_EXPRESS_TYPE[r.service] || !this.catalogue.some((s) => s.code === r.service)) {
      throw rejected(this.code, 'invalid_request', 'SERVICE', `J&T has no service ${r.service}`);
    }
    const codes = await this.locations.route(this.code, r.sender, r.recipient);
    const reply = await this.client.form<JntOrderReply>(
      'create',
      'data_param',
      'data_sign',
      { detail: [orderItem(r, this.account, this.clock.now(), codes)] },
      this.account.JNT_ORDER_KEY,
      signal,
    );
    return jntOrder(reply, r.reference, r.service);
  }

  /** J&T books the pickup with the order (`servicetype: 1`), so there is nothing more to ask. */
  requestPickup(order: CourierOrder): Promise<PickupConfirmation> {
    return Promise.resolve({ awb: order.awb });
  }

  async cancel(order: CourierOrder, signal?: AbortSignal): Promise<CancelOutcome> {
    const key = this.account.JNT_CANCEL_KEY || this.account.JNT_ORDER_KEY;
    const reply = await this.client.form<JntOrderReply>(
      'cancel',
      'data_param',
      'data_sign',
      { detail: [cancelItem(order, this.account)] },
      key,
      signal,
    );
    if (!payloadFlag(reply.success)) {
      const msg = payloadText(reply.desc);
      if (saysAuthRefused(msg)) throw rejected(this.code, 'auth', 'success=false', msg);
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
    if (saysNotFound(msg) || /tidak ada/i.test(msg))
      return { cancelled: false, reason: 'not_found', rawMessage: msg };
    return { cancelled: false, reason: 'refused', rawMessage: msg };
  }

  /** Every action, through the assumed instruction call (jnt.actions.ts), signed like cancel. */
  readonly parcelActions: readonly ParcelActionKind[] = PARCEL_ACTION_KINDS;
  /** A corrected address goes as the district's location code (`locations.required` below). */
  readonly addressByLocationCode = true;

  async requestAction(
    order: CourierOrder,
    action: ParcelActionRequest,
    signal?: AbortSignal,
  ): Promise<ParcelActionOutcome> {
    const to =
      action.kind === 'update_address'
        ? await this.locations.required(this.code, action.address!)
        : undefined;
    const reply = await this.client.form<JntInstructionReply>(
      'instruction',
      'data_param',
      'data_sign',
      { detail: [instructionItem(order, action, this.account, to)] },
      this.account.JNT_ORDER_KEY,
      signal,
    );
    if (!payloadFlag(reply.success) && saysAuthRefused(payloadText(reply.desc)))
      throw rejected(this.code, 'auth', 'success=false', payloadText(reply.desc));
    return instructionOutcome(reply);
  }

  /** No batch tracking at this courier: one call per airway bill, a few at a time. */
  track(awbs: string[], signal?: AbortSignal): Promise<TrackResult[]> {
    return trackEach(awbs, (awb) => this.trackOne(awb, signal));
  }

  private async trackOne(awb: string, signal?: AbortSignal): Promise<TrackResult> {
    const reply = await this.client.tracking<JntTracking & JntTrackingError>({ awb }, signal);
    return jntTrackResult(awb, reply);
  }

  parseWebhook(request: WebhookRequest, now: Date): TrackingEvent[] {
    // Assumed shape (jnt.md §3.6): a form with `data_param` (JSON) and `data_sign` under the order key.
    const form = new URLSearchParams(pushedText(request.rawBody));
    const sign = form.get('data_sign');
    const data = jntPushJson(request.rawBody);
    if (!sign) throw new CourierWebhookRejectedError(this.code, 'unsigned');
    if (data === null) throw new CourierWebhookMalformedError(this.code, 'data_param', 'is required');
    if (!verifyJntSign(data, this.account.JNT_ORDER_KEY, sign))
      throw new CourierWebhookRejectedError(this.code, 'forged');
    const [event] = decodeJntWebhook(request.rawBody);
    assertFreshPush(this.code, [event], now, this.webhookMaxAgeSeconds);
    return [event];
  }

  async findByReference(reference: string, signal?: AbortSignal): Promise<CourierOrder | null> {
    // Assumed (confirm with J&T): J&T publishes no lookup by order id; this asks the tracking endpoint
    // with `orderid` in place of `awb`. J&T refuses a repeated orderid, so at most one order answers.
    const reply = await this.client.tracking<JntTracking & JntTrackingError>({ orderid: reference }, signal);
    if (!jntTrackResult(reference, reply).found) return null;
    const service =
      this.catalogue.find((s) => s.code === reply.detail?.services_code)?.code ??
      this.catalogue[0]?.code ??
      'EZ';
    return { courier: this.code, awb: reply.awb, reference, service };
  }
}
