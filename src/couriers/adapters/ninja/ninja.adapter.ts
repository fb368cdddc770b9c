import { Clock, SystemClock } from 'src/common/clock';
import type { CourierLocations } from '../../locations';
import type {
  Area,
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
import { CourierRejectedError, CourierWebhookRejectedError } from '../../courier.errors';
import { payloadText } from '../../payload-text';
import { NinjaClient } from './ninja.client';
import {
  decodeNinjaWebhook,
  NinjaOrderReply,
  ninjaOrder,
  NinjaParcelEvents,
  ninjaParcels,
  ninjaQuote,
  ninjaTrackResults,
} from './ninja.decode';
import {
  createBody,
  errorText,
  meaningOf,
  NINJA_SERVICE_LEVEL,
  NinjaAccount,
  NinjaPrice,
  NinjaNames,
  priceBody,
  requestedTrackingNumber,
  serviceOfLevel,
  kilograms,
} from './ninja.mapper';
import { headerValue } from '../../signatures';
import { NINJA_SIGNATURE_HEADER, verifyNinjaSignature } from './ninja.signing';
import { actionBody, actionOutcome, actionPath, NINJA_ACTION_ROUTE, NinjaActionReply } from './ninja.actions';
import { PARCEL_ACTION_KINDS } from '../../courier-adapter';

interface NinjaCancelReply {
  trackingId?: string;
  status?: string;
  updatedAt?: string;
}

/** Tracking numbers per bulk tracking call (Ninja publishes no limit; kept modest). */
const TRACK_BATCH = 50;

/** Ninja Xpress (Ninja Van Indonesia) through its v4.1 API (couriers/ninja.md). */
export class NinjaAdapter implements CourierAdapter {
  /** Airway bills per bulk tracking request. */
  readonly trackBatchSize = TRACK_BATCH;
  readonly code = 'ninja' as const;
  private readonly client: NinjaClient;
  /** Tracking-number prefixes of the account: configured, and any other seen on created orders. */
  private readonly prefixes = new Set<string>();

  constructor(
    readonly name: string,
    private readonly account: NinjaAccount,
    private readonly catalogue: CourierServiceInfo[],
    private readonly webhookMaxAgeSeconds: number,
    /** Ninja's own names for mapped districts (Ninja takes names; an unmapped place goes as typed). */
    private readonly locations: CourierLocations,
    /** Today for an order's dates and pickup window (the service's clock; real time by default). */
    private readonly clock: Clock = new SystemClock(),
  ) {
    this.client = new NinjaClient(account);
    const prefix = account.NINJA_TRACKING_PREFIX.toUpperCase();
    if (prefix !== 'NONE') this.prefixes.add(prefix);
  }

  services(): CourierServiceInfo[] {
    return this.catalogue;
  }

  /** Ninja's rounding is not documented: the weight and size its tariff request carries. */
  rateKey(parcel: Parcel): string {
    return `${kilograms(parcel.weightGrams)}|${parcel.lengthCm ?? ''}x${parcel.widthCm ?? ''}x${parcel.heightCm ?? ''}`;
  }

  private async names(from: Area, to: Area): Promise<NinjaNames> {
    return {
      from: await this.locations.codeFor(this.code, from.districtCode),
      to: await this.locations.codeFor(this.code, to.districtCode),
    };
  }

  /** One tariff call per service level that can carry the parcel (ninja.md §3.4). */
  async quote(r: QuoteRequest, signal?: AbortSignal): Promise<ServiceQuote[]> {
    const grams = r.parcel.weightGrams;
    const candidates = this.catalogue.filter(
      (s) => NINJA_SERVICE_LEVEL[s.code] && grams >= s.minWeightGrams && grams <= s.maxWeightGrams,
    );
    const names = await this.names(r.origin, r.destination);
    const quotes = await Promise.all(candidates.map((info) => this.quoteOne(r, info, names, signal)));
    return quotes.filter((q): q is ServiceQuote => q !== null);
  }

  private async quoteOne(
    r: QuoteRequest,
    info: CourierServiceInfo,
    names: NinjaNames,
    signal?: AbortSignal,
  ): Promise<ServiceQuote | null> {
    const reply = await this.client.call<{ data?: NinjaPrice }>(
      'POST',
      '/1.0/public/price',
      { body: priceBody(r, info.code, names) },
      signal,
    );
    return ninjaQuote(reply, r, info);
  }

  /**
   * Creates the order with its pickup. The requested tracking number comes from our reference, so a
   * repeat is refused as a duplicate by Ninja; the order it names is ours and is answered instead.
   */
  async createOrder(r: CreateOrderRequest, signal?: AbortSignal): Promise<CourierOrder> {
    const body = createBody(r, this.clock.now(), await this.names(r.sender, r.recipient));
    const reply = await this.client.call<NinjaOrderReply>('POST', '/4.1/orders', { body }, signal);
    try {
      const order = ninjaOrder(reply, r.reference, r.service);
      this.learnPrefix(order.awb, reply.data?.requested_tracking_number ?? body.requested_tracking_number);
      return order;
    } catch (e) {
      if (!(e instanceof CourierRejectedError && e.reason === 'duplicate')) throw e;
      const existing = await this.lookup(r.reference, signal);
      if (existing && !existing.cancelled)
        return {
          courier: this.code,
          awb: existing.trackingNumber,
          reference: r.reference,
          service: r.service,
        };
      throw e;
    }
  }

  /** Ninja books the pickup with the order (`parcel_job.is_pickup_required`), so there is nothing more to ask. */
  requestPickup(order: CourierOrder): Promise<PickupConfirmation> {
    return Promise.resolve({ awb: order.awb });
  }

  async cancel(order: CourierOrder, signal?: AbortSignal): Promise<CancelOutcome> {
    const reply = await this.client.call<NinjaCancelReply>(
      'DELETE',
      `/2.2/orders/${encodeURIComponent(order.awb)}`,
      {},
      signal,
    );
    if (reply.status < 300) {
      if (/cancel/i.test(payloadText(reply.data?.status, 'Cancelled'))) return { cancelled: true };
      return { cancelled: false, reason: 'refused', rawMessage: `status ${String(reply.data?.status)}` };
    }
    const message = errorText(reply.error, `HTTP ${reply.status}`);
    if (reply.status === 404) return { cancelled: false, reason: 'not_found', rawMessage: message };
    const reasons = (reply.error?.details ?? []).map((d) => payloadText(d.reason).toLowerCase());
    if (reasons.includes('already_cancelled') || /already (been )?cancel/i.test(message))
      return { cancelled: false, reason: 'already_cancelled', rawMessage: message };
    // Ninja cancels only before pickup (ninja.md §3.2): any other refusal of a known order means it left.
    // "invalid … status" looks from each "invalid" to the next only: text of many took the square of its length.
    if (/pick(ed)?[ -]?up|cannot be cancel|not allowed|invalid(?:(?!invalid).)*status/i.test(message))
      return { cancelled: false, reason: 'already_picked_up', rawMessage: message };
    return { cancelled: false, reason: 'refused', rawMessage: message };
  }

  /** Every action, through the assumed order resources (ninja.actions.ts). */
  readonly parcelActions: readonly ParcelActionKind[] = PARCEL_ACTION_KINDS;

  async requestAction(
    order: CourierOrder,
    action: ParcelActionRequest,
    signal?: AbortSignal,
  ): Promise<ParcelActionOutcome> {
    const reply = await this.client.call<NinjaActionReply>(
      NINJA_ACTION_ROUTE[action.kind].method,
      actionPath(order, action.kind),
      {
        body: actionBody(
          action,
          action.address ? await this.locations.codeFor(this.code, action.address.districtCode) : null,
        ),
      },
      signal,
    );
    return actionOutcome(reply.status, reply.data, reply.error);
  }

  /** Bulk tracking pull, in batches; a tracking number Ninja does not know is simply absent. */
  async track(awbs: string[], signal?: AbortSignal): Promise<TrackResult[]> {
    const parcels = await this.fetchEvents([...new Set(awbs)], signal);
    return ninjaTrackResults(awbs, parcels);
  }

  private async fetchEvents(
    trackingNumbers: string[],
    signal?: AbortSignal,
  ): Promise<Map<string, NinjaParcelEvents>> {
    const found = new Map<string, NinjaParcelEvents>();
    for (let i = 0; i < trackingNumbers.length; i += TRACK_BATCH) {
      const query = new URLSearchParams();
      for (const tn of trackingNumbers.slice(i, i + TRACK_BATCH)) query.append('tracking_number', tn);
      const reply = await this.client.call<{ data?: NinjaParcelEvents[] }>(
        'GET',
        '/1.0/orders/tracking-events',
        { query },
        signal,
      );
      for (const [number, parcel] of ninjaParcels(reply)) found.set(number, parcel);
    }
    return found;
  }

  /** Verifies `X-Ninjavan-Hmac-Sha256` over the raw bytes before reading anything (ninja.md §4). */
  parseWebhook(request: WebhookRequest, now: Date): TrackingEvent[] {
    const signature = headerValue(request.headers, NINJA_SIGNATURE_HEADER);
    if (!signature) throw new CourierWebhookRejectedError(this.code, 'unsigned');
    if (!verifyNinjaSignature(request.rawBody, signature, this.account.NINJA_CLIENT_SECRET))
      throw new CourierWebhookRejectedError(this.code, 'forged');
    const events = decodeNinjaWebhook(request.rawBody);
    assertFreshPush(this.code, events, now, this.webhookMaxAgeSeconds);
    return events;
  }

  /** Reads the order back through tracking: its number follows from the reference, so nothing is created. */
  async findByReference(reference: string, signal?: AbortSignal): Promise<CourierOrder | null> {
    const found = await this.lookup(reference, signal);
    if (!found || found.cancelled) return null;
    return { courier: this.code, awb: found.trackingNumber, reference, service: found.service ?? '' };
  }

  private async lookup(
    reference: string,
    signal?: AbortSignal,
  ): Promise<{ trackingNumber: string; service?: string; cancelled: boolean } | null> {
    const requested = requestedTrackingNumber(reference);
    // A prefixless account answers the requested number itself (ninja.md §3.1).
    const candidates = [...new Set([...[...this.prefixes].map((p) => p + requested), requested])];
    const parcels = await this.fetchEvents(candidates, signal);
    for (const tn of candidates) {
      const parcel = parcels.get(tn);
      if (!parcel) continue;
      const events = parcel.events ?? [];
      if (events.some((e) => e.shipper_order_ref_no && e.shipper_order_ref_no !== reference)) continue;
      return {
        trackingNumber: parcel.tracking_number,
        service: serviceOfLevel(parcel.service_level),
        cancelled: events.some((e) => meaningOf(e)?.status === 'cancelled'),
      };
    }
    return null;
  }

  private learnPrefix(trackingNumber: string, requested: string): void {
    const tn = trackingNumber.toUpperCase();
    if (tn.length > requested.length && tn.endsWith(requested.toUpperCase()))
      this.prefixes.add(tn.slice(0, tn.length - requested.length));
  }
}
