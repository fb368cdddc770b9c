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
import { payloadText } from '../../payload-text';
import { saysNotFound } from '../../answer-words';
import { IdExpressClient, succeeded } from './idexpress.client';
import {
  decodeIdExpressWebhook,
  idexpressOrder,
  idexpressQuote,
  idexpressTrackResults,
} from './idexpress.decode';
import {
  codCoverageBody,
  createBody,
  IdExpressAccount,
  IdExpressCodCoverage,
  IdExpressCreated,
  IdExpressLastOperation,
  IdExpressTracking,
  pickupWindow,
  quoteBody,
  ruleOf,
  weightKg,
} from './idexpress.mapper';
import { IDEXPRESS_TOKEN_HEADER, verifyIdExpressToken } from './idexpress.signing';
import { actionCall, actionOutcome } from './idexpress.actions';
import { PARCEL_ACTION_KINDS } from '../../courier-adapter';

/** Waybills per tracking call: the call takes a comma-separated list (idexpress.md §2); the limit is not public (assumed). */
const TRACK_BATCH = 50;

/** ID Express (iDexpress) through its open API (couriers/idexpress.md). */
export class IdExpressAdapter implements CourierAdapter {
  /** Airway bills per bulk tracking request. */
  readonly trackBatchSize = TRACK_BATCH;
  readonly code = 'idexpress' as const;
  private readonly client: IdExpressClient;

  constructor(
    readonly name: string,
    private readonly account: IdExpressAccount,
    private readonly catalogue: CourierServiceInfo[],
    private readonly webhookMaxAgeSeconds: number,
    /** Where this courier's own location codes come from (never made up: an unmapped place is refused). */
    private readonly locations: CourierLocations,
    /** Today for an order's dates and pickup window (the service's clock; real time by default). */
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.client = new IdExpressClient(account);
  }

  services(): CourierServiceInfo[] {
    return this.catalogue;
  }

  /** ID Express's rounding is not documented: the weight its rate request carries. */
  rateKey(parcel: Parcel): string {
    return String(weightKg(parcel));
  }

  /** One standard-fee call per service that takes the weight (the fee is per `expressType`), plus the COD coverage. */
  async quote(r: QuoteRequest, signal?: AbortSignal): Promise<ServiceQuote[]> {
    const grams = r.parcel.weightGrams;
    const services = this.catalogue.filter((s) => grams >= s.minWeightGrams && grams <= s.maxWeightGrams);
    if (!services.length) return [];
    const codes = await this.locations.route(this.code, r.origin, r.destination);
    const [coverage, fees] = await Promise.all([
      this.client.call<IdExpressCodCoverage[]>(
        'POST',
        '/open/v1/area/get-cod-coverage',
        codCoverageBody(codes),
        signal,
      ),
      Promise.all(
        services.map((s) =>
          this.client.call<unknown>(
            'POST',
            '/open/v1/waybill/get-standard-fee',
            quoteBody(r, s.code, codes),
            signal,
          ),
        ),
      ),
    ]);
    const codRows = succeeded(coverage) && Array.isArray(coverage.data) ? coverage.data : [];
    return services.flatMap((info, i) => idexpressQuote(fees[i], codRows, r, info) ?? []);
  }

  async createOrder(r: CreateOrderRequest, signal?: AbortSignal): Promise<CourierOrder> {
    const envelope = await this.client.call<IdExpressCreated[]>(
      'POST',
      '/open/v1/waybill/create',
      createBody(r, this.clock.now(), await this.locations.route(this.code, r.sender, r.recipient)),
      signal,
    );
    return idexpressOrder(envelope, r.reference, r.service);
  }

  /**
   * A create with `serviceType: "00"` already booked the pickup. A drop-off order is switched to pickup
   * through the update call (assumed: partial update keyed by `waybillNo`, idexpress.md §3).
   */
  async requestPickup(
    order: CourierOrder,
    request: CreateOrderRequest,
    signal?: AbortSignal,
  ): Promise<PickupConfirmation> {
    if (request.pickup) return { awb: order.awb };
    const window = pickupWindow(request.pickupDate, this.clock.now());
    const envelope = await this.client.call(
      'POST',
      '/open/v1/waybill/update',
      { waybillNo: order.awb, serviceType: '00', pickupStartTime: window.start, pickupEndTime: window.end },
      signal,
    );
    if (succeeded(envelope)) return { awb: order.awb };
    const msg = payloadText(envelope.desc);
    throw rejected(
      this.code,
      saysNotFound(msg) ? 'not_found' : 'invalid_request',
      String(envelope.code),
      msg,
    );
  }

  async cancel(order: CourierOrder, signal?: AbortSignal): Promise<CancelOutcome> {
    const envelope = await this.client.call(
      'POST',
      '/open/v1/waybill/cancel',
      { waybillNo: order.awb },
      signal,
    );
    if (succeeded(envelope)) return { cancelled: true };
    const msg = payloadText(envelope.desc);
    if (/picked up|pick up|pickup|dijemput|diambil/i.test(msg))
      return { cancelled: false, reason: 'already_picked_up', rawMessage: msg };
    if (/(already|has been|sudah)\s+(been\s+)?(cancel|batal|dibatalkan)/i.test(msg))
      return { cancelled: false, reason: 'already_cancelled', rawMessage: msg };
    if (saysNotFound(msg)) return { cancelled: false, reason: 'not_found', rawMessage: msg };
    return { cancelled: false, reason: 'refused', rawMessage: msg };
  }

  /** Every action: the documented update for an address, the assumed problem-handle call for the rest. */
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
    const { path, data } = actionCall(order, action, to);
    return actionOutcome(await this.client.call<{ ticketNo?: string } | null>('POST', path, data, signal));
  }

  /** Tracking takes comma-separated waybills: batched, whole history each time (idexpress.md §3.4). */
  async track(awbs: string[], signal?: AbortSignal): Promise<TrackResult[]> {
    const found = new Map<string, TrackResult>();
    const unique = [...new Set(awbs)];
    for (let i = 0; i < unique.length; i += TRACK_BATCH) {
      const chunk = unique.slice(i, i + TRACK_BATCH);
      const envelope = await this.client.call<IdExpressTracking[] | IdExpressTracking | null>(
        'GET',
        '/open/v1/waybill/get-tracking',
        chunk.join(','),
        signal,
      );
      for (const result of idexpressTrackResults(chunk, envelope)) found.set(result.awb, result);
    }
    return awbs.map((awb) => found.get(awb) ?? { awb, found: false });
  }

  parseWebhook(request: WebhookRequest, now: Date): TrackingEvent[] {
    const token = this.account.WEBHOOK_TOKEN;
    const given = headerValue(request.headers, IDEXPRESS_TOKEN_HEADER);
    if (given === undefined || given === '') throw new CourierWebhookRejectedError(this.code, 'unsigned');
    if (!token || !verifyIdExpressToken(given, token))
      throw new CourierWebhookRejectedError(this.code, 'forged');
    const events = decodeIdExpressWebhook(request.rawBody);
    assertFreshPush(this.code, events, now, this.webhookMaxAgeSeconds);
    return events;
  }

  /**
   * Assumed look-up: the open API documents no search by orderNo, so we ask the last-status call with
   * `[{orderNo}]` instead of `[{waybillNo}]` (idexpress.md §3.5). Confirm with ID Express before go-live.
   */
  async findByReference(reference: string, signal?: AbortSignal): Promise<CourierOrder | null> {
    const envelope = await this.client.call<IdExpressLastOperation[] | null>(
      'POST',
      '/open/v1/waybill/get-last-operation-waybill-with-fee',
      [{ orderNo: reference }],
      signal,
    );
    if (!succeeded(envelope)) {
      if (saysNotFound(payloadText(envelope.desc))) return null;
      throw rejected(this.code, 'invalid_request', String(envelope.code), payloadText(envelope.desc));
    }
    const rows = (Array.isArray(envelope.data) ? envelope.data : []).filter(
      (row) => row?.waybillNo && row.orderNo === reference,
    );
    // A cancelled order is not the live one (ID Express refuses the orderNo again, so at most one is).
    const live = rows.filter((row) => ruleOf(payloadText(row.lastStatus)).rule?.status !== 'cancelled');
    const row = live[live.length - 1];
    return row
      ? { courier: this.code, awb: row.waybillNo, reference, service: payloadText(row.expressType) }
      : null;
  }
}
