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
import { headerValue } from '../../signatures';
import { trackEach } from '../../track-each';
import { codFee } from '../../cod-fee';
import { payloadText } from '../../payload-text';
import { JneClient } from './jne.client';
import {
  chargeableKg,
  createBody,
  JneAccount,
  JneTracking,
  JneWebhook,
  parseEtd,
  pickupBody,
  quoteBody,
  refusalCause,
  trackingToEvents,
  webhookToEvents,
} from './jne.mapper';
import { JNE_TOKEN_HEADER, verifyJneToken } from './jne.signing';
import {
  instructionBody,
  instructionOutcome,
  JNE_INSTRUCTION_PATH,
  JneInstructionReply,
} from './jne.actions';
import { PARCEL_ACTION_KINDS } from '../../courier-adapter';

interface JnePrice {
  service_display: string;
  service_code: string;
  price: string;
  etd_from?: string;
  etd_thru?: string;
  /** Assumed per-item COD availability (`YES`/`N`); JNE's public samples carry none. */
  cod_flag?: string;
}

interface JneCnoteResult {
  status: string;
  cnote_no?: string;
  reason?: string;
}

const isSuccess = (status: unknown) => /^(sukses|success)$/i.test(payloadText(status));
const NOT_FOUND = /not found|not your cnote/i;

/** JNE Express through its tariff, generatecnote, pickupcashless and tracing API (couriers/jne.md). */
export class JneAdapter implements CourierAdapter {
  /** No batch tracking endpoint: one airway bill per request. */
  readonly trackBatchSize = 1;
  readonly code = 'jne' as const;
  private readonly client: JneClient;

  constructor(
    readonly name: string,
    private readonly account: JneAccount,
    private readonly catalogue: CourierServiceInfo[],
    private readonly webhookMaxAgeSeconds: number,
  ) {
    this.client = new JneClient(account);
  }

  services(): CourierServiceInfo[] {
    return this.catalogue;
  }

  async quote(r: QuoteRequest, signal?: AbortSignal): Promise<ServiceQuote[]> {
    const answer = await this.client.call<{ price?: JnePrice[] }>(
      '/tracing/api/pricedev',
      quoteBody(r),
      signal,
    );
    if (!answer.ok) {
      if (/price not found/i.test(answer.error)) return []; // nothing serves the route
      throw rejected(this.code, 'invalid_request', 'PRICE', answer.error);
    }
    const weightGrams = chargeableKg(r.parcel) * 1000;
    const quotes: ServiceQuote[] = [];
    // JNE lists services outside Kirim's catalogue (JTR, CTC…) and may list one per goods type.
    for (const item of answer.body.price ?? []) {
      const info = this.catalogue.find((s) => s.code === String(item.service_display).trim().toUpperCase());
      if (!info || weightGrams > info.maxWeightGrams || quotes.some((q) => q.service === info.code)) continue;
      const codAvailable = info.cod && (item.cod_flag === undefined || item.cod_flag === 'YES');
      quotes.push({
        courier: this.code,
        service: info.code,
        serviceName: info.name,
        price: Math.round(Number(item.price)),
        codFee: r.codAmount && codAvailable ? codFee(info, r.codAmount) : 0,
        etaDays: parseEtd(item.etd_from, item.etd_thru, info.slaDays),
        codAvailable,
      });
    }
    return quotes.filter((q) => Number.isSafeInteger(q.price) && q.price > 0);
  }

  async createOrder(r: CreateOrderRequest, signal?: AbortSignal): Promise<CourierOrder> {
    const answer = await this.client.call<{ detail?: JneCnoteResult[] }>(
      '/tracing/api/generatecnote',
      createBody(r, this.account),
      signal,
    );
    const item = answer.ok ? answer.body.detail?.[0] : undefined;
    const order = (awb: string): CourierOrder => ({
      courier: this.code,
      awb,
      reference: r.reference,
      service: r.service,
    });
    if (item && isSuccess(item.status) && item.cnote_no) return order(item.cnote_no);
    const msg = answer.ok
      ? payloadText(item?.reason, JSON.stringify(answer.body).slice(0, 500))
      : answer.error;
    // A repeated OLSHOP_ORDERID echoes the earlier cnote; the order id is ours and unique, so it is that order.
    if (item?.cnote_no && /already|exist|duplicate|sudah ada/i.test(msg)) return order(item.cnote_no);
    throw rejected(this.code, refusalCause(msg), 'GENERATECNOTE', msg);
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
      pickupBody(order, request, this.account, new Date()),
      signal,
    );
    const item = answer.ok ? answer.body.detail?.[0] : undefined;
    if (item && isSuccess(item.status)) return { awb: item.cnote_no || order.awb };
    const msg = answer.ok
      ? payloadText(item?.reason, JSON.stringify(answer.body).slice(0, 500))
      : answer.error;
    if (/picked up/i.test(msg)) return { awb: order.awb }; // the parcel is already with JNE
    throw rejected(this.code, NOT_FOUND.test(msg) ? 'not_found' : refusalCause(msg), 'PICKUPCASHLESS', msg);
  }

  async cancel(order: CourierOrder, signal?: AbortSignal): Promise<CancelOutcome> {
    const answer = await this.client.call<{ status: boolean | string; reason?: string }>(
      '/order/cancel',
      { cnote_no: order.awb, pic_cancel: 'Kirim', reason_cancel: 'Dibatalkan oleh pengirim' },
      signal,
    );
    if (answer.ok && String(answer.body.status) === 'true') return { cancelled: true };
    const msg = answer.ok ? payloadText(answer.body.reason) : answer.error;
    if (NOT_FOUND.test(msg)) return { cancelled: false, reason: 'not_found', rawMessage: msg };
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
    if (!answer.ok) {
      if (NOT_FOUND.test(answer.error)) return { awb, found: false };
      throw rejected(this.code, 'invalid_request', 'TRACING', answer.error);
    }
    if (!answer.body.cnote) return { awb, found: false };
    return { awb, found: true, events: trackingToEvents(awb, answer.body) };
  }

  parseWebhook(request: WebhookRequest, now: Date): TrackingEvent[] {
    const given = headerValue(request.headers, JNE_TOKEN_HEADER);
    if (!given) throw new CourierWebhookRejectedError(this.code, 'unsigned');
    if (!verifyJneToken(given, this.account.WEBHOOK_TOKEN ?? ''))
      throw new CourierWebhookRejectedError(this.code, 'forged');
    let push: JneWebhook;
    try {
      push = JSON.parse(request.rawBody.toString('utf8')) as JneWebhook;
    } catch {
      throw new CourierWebhookRejectedError(this.code, 'malformed');
    }
    if (!push?.awb || !Array.isArray(push.history) || !push.history.length)
      throw new CourierWebhookRejectedError(this.code, 'malformed');
    const events = webhookToEvents({ ...push, awb: String(push.awb) });
    if (events.some((e) => Number.isNaN(e.occurredAt.getTime())))
      throw new CourierWebhookRejectedError(this.code, 'malformed');
    // A shared token cannot expire, so the newest event's own time bounds replays.
    const newest = Math.max(...events.map((e) => e.occurredAt.getTime()));
    if (Math.abs(now.getTime() - newest) > this.webhookMaxAgeSeconds * 1000)
      throw new CourierWebhookRejectedError(this.code, 'stale');
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
      if (NOT_FOUND.test(answer.error)) return null;
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
