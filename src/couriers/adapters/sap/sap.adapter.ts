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
import { headerValue } from '../../signatures';
import { trackEach } from '../../track-each';
import { rejected } from '../../http-failures';
import { saysNotFound } from '../../answer-words';
import { payloadRecords, payloadText } from '../../payload-text';
import { SapClient } from './sap.client';
import { decodeSapWebhook, SapRate, sapOrder, sapQuotes, sapTrackResults } from './sap.decode';
import { createBody, quoteBody, SapAccount, SapRow, chargeableKg } from './sap.mapper';
import { verifySapToken } from './sap.signing';
import { instructionBody, instructionOutcome, SAP_INSTRUCTION_PATH } from './sap.actions';
import { PARCEL_ACTION_KINDS } from '../../courier-adapter';

/**
 * Rupiah: goods worth more must be insured at SAP (sap.md §2), so their value may change a rate. Below it Kirim
 * asks for no insurance (no insurance type is sent), and one rate serves every value.
 */
const SAP_MUST_INSURE_ABOVE = 500_000;

/** SAP Express through its v2 API (couriers/sap.md). */
export class SapAdapter implements CourierAdapter {
  /** No batch tracking endpoint: one airway bill per request. */
  readonly trackBatchSize = 1;
  /** SAP looks for a `{status: 200}`-style acknowledgement of a push (assumed, sap.md §3.7). */
  readonly pushAck = { status: 200 };
  readonly code = 'sap' as const;
  private readonly client: SapClient;

  constructor(
    readonly name: string,
    private readonly account: SapAccount,
    private readonly catalogue: CourierServiceInfo[],
    private readonly webhookMaxAgeSeconds: number,
    /** Where this courier's own location codes come from (never made up: an unmapped place is refused). */
    private readonly locations: CourierLocations,
    /** Today for an order's dates and pickup window (the service's clock; real time by default). */
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.client = new SapClient(account);
  }

  services(): CourierServiceInfo[] {
    return this.catalogue;
  }

  /**
   * The whole chargeable kilograms SAP prices (its rounding, volumetric weight included), and the goods' value
   * where SAP must insure them (above SAP_MUST_INSURE_ABOVE): the value is asked with the rate, so its
   * insurance may be priced.
   */
  rateKey(parcel: Parcel): string {
    const kg = String(chargeableKg(parcel));
    return parcel.itemValue !== undefined && parcel.itemValue > SAP_MUST_INSURE_ABOVE
      ? `${kg}|${parcel.itemValue}`
      : kg;
  }

  async quote(r: QuoteRequest, signal?: AbortSignal): Promise<ServiceQuote[]> {
    const answer = await this.client.call<{ coverage_cod?: boolean; services?: SapRate[] }>(
      'POST',
      '/v2/master/shipment_cost',
      quoteBody(r, this.account, await this.locations.route(this.code, r.origin, r.destination)),
      signal,
    );
    return sapQuotes(answer, r, this.catalogue);
  }

  async createOrder(r: CreateOrderRequest, signal?: AbortSignal): Promise<CourierOrder> {
    const answer = await this.client.call<{ awb_no?: string; reference_no?: string }>(
      'POST',
      '/v2/shipment/pickup/create',
      createBody(
        r,
        this.account,
        this.clock.now(),
        await this.locations.route(this.code, r.sender, r.recipient),
      ),
      signal,
    );
    return sapOrder(answer, r.reference, r.service);
  }

  /** SAP books the pickup with the order (`pickup_place: 1`), so there is nothing more to ask. */
  requestPickup(order: CourierOrder): Promise<PickupConfirmation> {
    return Promise.resolve({ awb: order.awb });
  }

  async cancel(order: CourierOrder, signal?: AbortSignal): Promise<CancelOutcome> {
    const { httpStatus, envelope } = await this.client.call(
      'POST',
      '/v2/shipment/pickup/cancel',
      { awb_no: order.awb, desc: 'Dibatalkan oleh pengirim', reason_detail_code: 'GLD009' },
      signal,
    );
    if (envelope.status === 'success') return { cancelled: true };
    if (httpStatus === 404) return { cancelled: false, reason: 'not_found', rawMessage: envelope.msg };
    if (/sudah dibatalkan/i.test(envelope.msg))
      return { cancelled: false, reason: 'already_cancelled', rawMessage: envelope.msg };
    if (/pickup|tidak dapat/i.test(envelope.msg))
      return { cancelled: false, reason: 'already_picked_up', rawMessage: envelope.msg };
    return { cancelled: false, reason: 'refused', rawMessage: envelope.msg };
  }

  /** Every action, through the assumed instruction call (sap.actions.ts). */
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
    const { httpStatus, envelope } = await this.client.call<{ instruction_no?: string } | null>(
      'POST',
      SAP_INSTRUCTION_PATH,
      instructionBody(order, action, to),
      signal,
    );
    return instructionOutcome(httpStatus, envelope);
  }

  /** No batch tracking at this courier: one call per airway bill, a few at a time. */
  track(awbs: string[], signal?: AbortSignal): Promise<TrackResult[]> {
    return trackEach(awbs, (awb) => this.trackOne(awb, signal));
  }

  private async trackOne(awb: string, signal?: AbortSignal): Promise<TrackResult> {
    const answer = await this.client.call<SapRow[]>('GET', '/v2/shipment/tracking', { awb_no: awb }, signal);
    return sapTrackResults([awb], answer)[0];
  }

  parseWebhook(request: WebhookRequest, now: Date): TrackingEvent[] {
    const token = this.account.WEBHOOK_TOKEN;
    const given = headerValue(request.headers, 'x-sap-token');
    if (!given) throw new CourierWebhookRejectedError(this.code, 'unsigned');
    if (!token || !verifySapToken(given, token)) throw new CourierWebhookRejectedError(this.code, 'forged');
    const [event] = decodeSapWebhook(request.rawBody);
    assertFreshPush(this.code, [event], now, this.webhookMaxAgeSeconds);
    return [event];
  }

  async findByReference(reference: string, signal?: AbortSignal): Promise<CourierOrder | null> {
    const { httpStatus, envelope } = await this.client.call<SapRow[]>(
      'GET',
      '/v2/shipment/tracking',
      { reference_no: reference },
      signal,
    );
    // Read as tracking reads the same endpoint's rows: one row may come as an object, not a list of one (read
    // as "none", it had the booking made again, a second AWB at SAP).
    const found = payloadRecords<SapRow>(envelope.data);
    if (httpStatus === 404 || (!found.length && saysNotFound(envelope.msg))) return null;
    // Any other refusal says nothing of the order: read as "none", it had the booking made again, and a
    // repeated reference_no is a second AWB at SAP (sap.md).
    if (envelope.status !== 'success')
      throw rejected(this.code, 'invalid_request', String(httpStatus), envelope.msg || 'failed envelope');
    // A repeated reference_no creates another AWB at SAP; the live one is the last not voided.
    const byAwb = new Map<string, SapRow[]>();
    for (const row of found) {
      const awb = payloadText(row.awb_no).trim();
      if (awb) byAwb.set(awb, [...(byAwb.get(awb) ?? []), row]);
    }
    const live = [...byAwb.entries()].filter(
      ([, rows]) => !rows.some((r) => /^VOID/.test(String(r.rowstate_name).trim())),
    );
    const [awb, rows] = live[live.length - 1] ?? [];
    if (!awb || !rows) return null;
    return {
      courier: this.code,
      awb,
      reference,
      service: payloadText((rows[0] as SapRow & { service_type_code?: string }).service_type_code),
    };
  }
}
