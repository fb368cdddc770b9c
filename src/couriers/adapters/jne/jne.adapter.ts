import { Clock, SystemClock } from 'src/common/clock';
import type { CourierLocations } from '../../locations';
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
import { CourierWebhookRejectedError } from '../../courier.errors';
import { rejected } from '../../http-failures';
import { headerValue } from '../../signatures';
import { trackEach } from '../../track-each';
import { payloadFlag, payloadText } from '../../payload-text';
import { saysNotFound } from '../../answer-words';
import { JneClient } from './jne.client';
import {
  decodeJneWebhook,
  JneCnoteResult,
  jneOrder,
  JnePrice,
  jneQuotes,
  jneTrackResult,
} from './jne.decode';
import {
  createBody,
  JneAccount,
  JneTracking,
  pickupBody,
  quoteBody,
  refusalCause,
  chargeableKg,
} from './jne.mapper';
import { JNE_TOKEN_HEADER, verifyJneToken } from './jne.signing';
import {
  instructionBody,
  instructionOutcome,
  JNE_INSTRUCTION_PATH,
  JneInstructionReply,
} from './jne.actions';
import { PARCEL_ACTION_KINDS } from '../../courier-adapter';

const isSuccess = (status: unknown) => /^(sukses|success)$/i.test(payloadText(status));
const notFound = (answer: { ok: false; error: string; httpStatus: number }) =>
  answer.httpStatus === 404 || saysNotFound(answer.error);

/** JNE Express through its tariff, generatecnote, pickupcashless and tracing API (couriers/jne.md). */
export class JneAdapter implements CourierAdapter {
  /** No batch tracking endpoint: one airway bill per request. */
  readonly trackBatchSize = 1;
  /** JNE looks for `{status: true}` in the answer to a push (assumed, jne.md §3.7). */
  readonly pushAck = { status: true };
  readonly code = 'jne' as const;
  private readonly client: JneClient;

  constructor(
    readonly name: string,
    private readonly account: JneAccount,
    private readonly catalogue: CourierServiceInfo[],
    private readonly webhookMaxAgeSeconds: number,
    /** Where this courier's own location codes come from (never made up: an unmapped place is refused). */
    private readonly locations: CourierLocations,
    /** Today for an order's dates and pickup window (the service's clock; real time by default). */
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.client = new JneClient(account);
  }

  services(): CourierServiceInfo[] {
    return this.catalogue;
  }

  /** JNE prices whole chargeable kilograms (its tolerance rounding): the one figure its tariff request carries. */
  rateKey(parcel: Parcel): string {
    return String(chargeableKg(parcel));
  }

  async quote(r: QuoteRequest, signal?: AbortSignal): Promise<ServiceQuote[]> {
    const answer = await this.client.call<{ price?: JnePrice[] }>(
      '/tracing/api/pricedev',
      quoteBody(r, await this.locations.route(this.code, r.origin, r.destination)),
      signal,
    );
    return jneQuotes(answer, r, this.catalogue);
  }

  async createOrder(r: CreateOrderRequest, signal?: AbortSignal): Promise<CourierOrder> {
    const answer = await this.client.call<{ detail?: JneCnoteResult[] }>(
      '/tracing/api/generatecnote',
      createBody(r, this.account, await this.locations.route(this.code, r.sender, r.recipient)),
      signal,
    );
    return jneOrder(answer, r.reference, r.service);
  }

  /** generatecnote books no pickup; pickupcashless with TYPE=PICKUP does, for the AWB already issued. */
  async requestPickup(
    order: CourierOrder,
    request: CreateOrderRequest,
    signal?: AbortSignal,
  ): Promise<PickupConfirmation> {
    if (!request.pickup) return { awb: order.awb }; // dropped off at a JNE counter
    const answer = await this.client.call<{ detail?: JneCnoteResult[] }>(
      '/pickupcashless',
      pickupBody(
        order,
        request,
        this.account,
        this.clock.now(),
        await this.locations.route(this.code, request.sender, request.recipient),
      ),
      signal,
    );
    const item = answer.ok ? answer.body.detail?.[0] : undefined;
    if (item && isSuccess(item.status)) return { awb: item.cnote_no || order.awb };
    const msg = answer.ok
      ? payloadText(item?.reason, JSON.stringify(answer.body).slice(0, 500))
      : answer.error;
    if (/picked up/i.test(msg)) return { awb: order.awb }; // the parcel is already with JNE
    throw rejected(this.code, saysNotFound(msg) ? 'not_found' : refusalCause(msg), 'PICKUPCASHLESS', msg);
  }

  async cancel(order: CourierOrder, signal?: AbortSignal): Promise<CancelOutcome> {
    const answer = await this.client.call<{ status: boolean | string; reason?: string }>(
      '/order/cancel',
      { cnote_no: order.awb, pic_cancel: 'Kirim', reason_cancel: 'Dibatalkan oleh pengirim' },
      signal,
    );
    if (answer.ok && payloadFlag(answer.body.status) === true) return { cancelled: true };
    const msg = answer.ok ? payloadText(answer.body.reason) : answer.error;
    if ((!answer.ok && notFound(answer)) || saysNotFound(msg))
      return { cancelled: false, reason: 'not_found', rawMessage: msg };
    if (/already cancel|sudah (di)?batal/i.test(msg))
      return { cancelled: false, reason: 'already_cancelled', rawMessage: msg };
    if (/picked up|pickup|manifest|sudah diproses/i.test(msg))
      return { cancelled: false, reason: 'already_picked_up', rawMessage: msg };
    return { cancelled: false, reason: 'refused', rawMessage: msg };
  }

  /** Every action, through the assumed instruction call (jne.actions.ts). */
  readonly parcelActions: readonly ParcelActionKind[] = PARCEL_ACTION_KINDS;

  async requestAction(
    order: CourierOrder,
    action: ParcelActionRequest,
    signal?: AbortSignal,
  ): Promise<ParcelActionOutcome> {
    const answer = await this.client.call<JneInstructionReply>(
      JNE_INSTRUCTION_PATH,
      instructionBody(order, action),
      signal,
    );
    return instructionOutcome(answer.ok ? answer.body : { error: answer.error });
  }

  /** No batch tracking at this courier: one call per airway bill, a few at a time. */
  track(awbs: string[], signal?: AbortSignal): Promise<TrackResult[]> {
    return trackEach(awbs, (awb) => this.trackOne(awb, signal));
  }

  private async trackOne(awb: string, signal?: AbortSignal): Promise<TrackResult> {
    const answer = await this.client.call<JneTracking>(
      `/tracing/api/list/v1/cnote/${encodeURIComponent(awb)}`,
      {},
      signal,
    );
    return jneTrackResult(awb, answer);
  }

  parseWebhook(request: WebhookRequest, now: Date): TrackingEvent[] {
    const given = headerValue(request.headers, JNE_TOKEN_HEADER);
    if (!given) throw new CourierWebhookRejectedError(this.code, 'unsigned');
    if (!verifyJneToken(given, this.account.WEBHOOK_TOKEN ?? ''))
      throw new CourierWebhookRejectedError(this.code, 'forged');
    const events = decodeJneWebhook(request.rawBody);
    assertFreshPush(this.code, events, now, this.webhookMaxAgeSeconds);
    return events;
  }

  /** Uses the assumed order-id lookup (see the sandbox): JNE publishes none. Never creates anything. */
  async findByReference(reference: string, signal?: AbortSignal): Promise<CourierOrder | null> {
    const answer = await this.client.call<JneTracking>(
      `/tracing/api/list/v1/orderid/${encodeURIComponent(reference)}`,
      {},
      signal,
    );
    if (!answer.ok) {
      if (notFound(answer)) return null;
      throw rejected(this.code, 'invalid_request', 'TRACING', answer.error);
    }
    const cnote = answer.body.cnote;
    if (!cnote?.cnote_no) return null;
    return {
      courier: this.code,
      awb: cnote.cnote_no,
      reference,
      service: payloadText(cnote.cnote_services_code),
    };
  }
}
