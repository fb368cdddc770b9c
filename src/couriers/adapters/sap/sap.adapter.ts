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
import { SapClient } from './sap.client';
import { chargeableKg, createBody, parseSla, quoteBody, rowToEvent, SapAccount, SapRow } from './sap.mapper';
import { verifySapToken } from './sap.signing';
import { instructionBody, instructionOutcome, SAP_INSTRUCTION_PATH } from './sap.actions';
import { PARCEL_ACTION_KINDS } from '../../courier-adapter';

interface SapRate {
  service_type_code: string;
  service_type_name: string;
  total_cost: string | number;
  sla: string;
  cod_available?: boolean;
}

/** SAP Express through its v2 API (couriers/sap.md). */
export class SapAdapter implements CourierAdapter {
  /** No batch tracking endpoint: one airway bill per request. */
  readonly trackBatchSize = 1;
  readonly code = 'sap' as const;
  private readonly client: SapClient;

  constructor(
    readonly name: string,
    private readonly account: SapAccount,
    private readonly catalogue: CourierServiceInfo[],
    private readonly webhookMaxAgeSeconds: number,
  ) {
    this.client = new SapClient(account);
  }

  services(): CourierServiceInfo[] {
    return this.catalogue;
  }

  async quote(r: QuoteRequest, signal?: AbortSignal): Promise<ServiceQuote[]> {
    const { envelope } = await this.client.call<{ coverage_cod: boolean; services: SapRate[] }>(
      'POST',
      '/v2/master/shipment_cost',
      quoteBody(r, this.account),
      signal,
    );
    if (envelope.status !== 'success') return []; // "Harga tidak ditemukan": nothing serves the route
    const weightKg = chargeableKg(r.parcel);
    return envelope.data.services.flatMap((rate) => {
      const info = this.catalogue.find((s) => s.code === rate.service_type_code);
      if (!info || weightKg * 1000 > info.maxWeightGrams) return [];
      const codAvailable = info.cod && (rate.cod_available ?? envelope.data.coverage_cod);
      return [
        {
          courier: this.code,
          service: info.code,
          serviceName: rate.service_type_name || info.name,
          price: Number(rate.total_cost),
          codFee: r.codAmount && codAvailable ? codFee(info, r.codAmount) : 0,
          etaDays: parseSla(rate.sla, info.slaDays),
          codAvailable,
        },
      ];
    });
  }

  async createOrder(r: CreateOrderRequest, signal?: AbortSignal): Promise<CourierOrder> {
    const { httpStatus, envelope } = await this.client.call<{ awb_no: string; reference_no: string }>(
      'POST',
      '/v2/shipment/pickup/create',
      createBody(r, this.account, new Date()),
      signal,
    );
    if (envelope.status === 'success')
      return { courier: this.code, awb: envelope.data.awb_no, reference: r.reference, service: r.service };
    const msg = envelope.msg ?? '';
    if (httpStatus === 400) throw rejected(this.code, 'duplicate', '400', msg);
    if (/COD/i.test(msg)) throw rejected(this.code, 'cod_not_allowed', String(httpStatus), msg);
    if (/rute|tidak dilayani|kecamatan/i.test(msg))
      throw rejected(this.code, 'unserviceable_route', String(httpStatus), msg);
    if (/berat/i.test(msg)) throw rejected(this.code, 'too_heavy', String(httpStatus), msg);
    if (/alamat|address/i.test(msg)) throw rejected(this.code, 'bad_address', String(httpStatus), msg);
    throw rejected(this.code, 'invalid_request', String(httpStatus), msg);
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

  async requestAction(
    order: CourierOrder,
    action: ParcelActionRequest,
    signal?: AbortSignal,
  ): Promise<ParcelActionOutcome> {
    const { httpStatus, envelope } = await this.client.call<{ instruction_no?: string } | null>(
      'POST',
      SAP_INSTRUCTION_PATH,
      instructionBody(order, action),
      signal,
    );
    return instructionOutcome(httpStatus, envelope);
  }

  /** No batch tracking at this courier: one call per airway bill, a few at a time. */
  track(awbs: string[], signal?: AbortSignal): Promise<TrackResult[]> {
    return trackEach(awbs, (awb) => this.trackOne(awb, signal));
  }

  private async trackOne(awb: string, signal?: AbortSignal): Promise<TrackResult> {
    const { httpStatus, envelope } = await this.client.call<SapRow[]>(
      'GET',
      '/v2/shipment/tracking',
      { awb_no: awb },
      signal,
    );
    if (httpStatus === 404 || envelope.status !== 'success') return { awb, found: false };
    // Every checkpoint is a full row, oldest first (sap.md §3.6).
    return { awb, found: true, events: (envelope.data ?? []).map((row) => rowToEvent(row)) };
  }

  parseWebhook(request: WebhookRequest, now: Date): TrackingEvent[] {
    const token = this.account.WEBHOOK_TOKEN;
    const given = headerValue(request.headers, 'x-sap-token');
    if (!given) throw new CourierWebhookRejectedError(this.code, 'unsigned');
    if (!token || !verifySapToken(given, token)) throw new CourierWebhookRejectedError(this.code, 'forged');
    let row: SapRow;
    try {
      row = JSON.parse(request.rawBody.toString('utf8')) as SapRow;
    } catch {
      throw new CourierWebhookRejectedError(this.code, 'malformed');
    }
    if (!row?.awb_no || !row.rowstate_name) throw new CourierWebhookRejectedError(this.code, 'malformed');
    const event = rowToEvent(row);
    // A shared token cannot expire, so the checkpoint's own time bounds replays.
    if (
      Number.isNaN(event.occurredAt.getTime()) ||
      Math.abs(now.getTime() - event.occurredAt.getTime()) > this.webhookMaxAgeSeconds * 1000
    ) {
      throw new CourierWebhookRejectedError(this.code, 'stale');
    }
    return [event];
  }

  async findByReference(reference: string, signal?: AbortSignal): Promise<CourierOrder | null> {
    const { httpStatus, envelope } = await this.client.call<SapRow[]>(
      'GET',
      '/v2/shipment/tracking',
      { reference_no: reference },
      signal,
    );
    if (httpStatus === 404 || envelope.status !== 'success' || !envelope.data?.length) return null;
    // A repeated reference_no creates another AWB at SAP; the live one is the last not voided.
    const byAwb = new Map<string, SapRow[]>();
    for (const row of envelope.data) byAwb.set(row.awb_no, [...(byAwb.get(row.awb_no) ?? []), row]);
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
