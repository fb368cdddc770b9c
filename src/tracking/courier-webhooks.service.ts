import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { airwayBillKey } from 'src/common/airway-bill';
import { NotFoundError } from 'src/common/errors/app-error';
import { COURIER_CODES, CourierCode, TrackingEvent } from 'src/couriers/courier-adapter';
import { CourierWebhookMalformedError, CourierWebhookRejectedError } from 'src/couriers/courier.errors';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { unfitPush } from './pushed-events';
import { TrackingService } from './tracking.service';

/**
 * Courier pushes: verified with the courier's own scheme over the exact bytes (the adapter's
 * parseWebhook, which also bounds replays by the event time), stored in the inbox, answered at once; the
 * events are applied right after, off the request (and by the inbox job should this instance stop first).
 */
@Injectable()
export class CourierWebhooks implements OnModuleDestroy {
  private readonly logger = new Logger(CourierWebhooks.name);
  private applying: Promise<unknown> | null = null;
  private closing = false;

  constructor(
    private readonly registry: CourierRegistry,
    private readonly tracking: TrackingService,
    private readonly clock: Clock,
  ) {}

  /**
   * @throws NotFoundError COURIERS_NOT_FOUND for a courier Kirim does not know
   * @throws CourierWebhookRejectedError COURIER_WEBHOOK_REJECTED (401): unsigned, forged or outside the window; nothing stored
   * @throws CourierWebhookMalformedError COURIER_WEBHOOK_MALFORMED (400, the field named): signed but not what the courier sends
   */
  async receive(
    code: string,
    headers: Record<string, string | string[] | undefined>,
    rawBody: Buffer,
  ): Promise<{ events: number; fresh: number }> {
    if (!(COURIER_CODES as readonly string[]).includes(code))
      throw new NotFoundError('COURIERS_NOT_FOUND', `No courier ${code.slice(0, 40)}`);
    const courier = code as CourierCode;
    const events = this.readPush(courier, headers, rawBody);
    const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : null;
    const stored = await this.tracking.storePush(courier, events, rawBody, contentType);
    if (stored.fresh) this.applySoon();
    return { ...this.registry.get(courier).pushAck, ...stored };
  }

  /**
   * The push's events, verified by the courier's adapter, each fit to store. A push that is signed but
   * holds what no courier sends (a number where its decoder reads text, an AWB of thousands of characters,
   * more events than a push carries) is refused as malformed, naming the field: it was a 500, then a 401.
   */
  private readPush(
    courier: CourierCode,
    headers: Record<string, string | string[] | undefined>,
    rawBody: Buffer,
  ): TrackingEvent[] {
    let events: TrackingEvent[];
    try {
      events = this.registry.get(courier).parseWebhook({ headers, rawBody }, this.clock.now());
    } catch (e) {
      if (e instanceof CourierWebhookRejectedError || e instanceof CourierWebhookMalformedError) throw e;
      this.logger.warn(
        { err: e, courier },
        'a signed push its decoder could not read was refused as malformed',
      );
      throw new CourierWebhookMalformedError(courier, 'body', `could not be read as a ${courier} push`);
    }
    const unfit = unfitPush(events);
    if (unfit) {
      this.logger.warn({ courier, unfit }, 'a signed push was refused as malformed');
      throw new CourierWebhookMalformedError(courier, unfit.field, unfit.message);
    }
    // Read as the courier prints it: a push in lower case was stored as no parcel's, and acknowledged, so
    // the courier never sent it again.
    return events.map((e) => ({ ...e, awb: airwayBillKey(e.awb.trim()) }));
  }

  /** Applies the inbox now (TrackingService.applyPushed: one applier per instance, a push meanwhile joins it). */
  private applySoon(): void {
    if (this.closing) return;
    this.applying = this.tracking
      .applyPushed()
      .catch((e: unknown) => this.logger.error({ err: e }, 'applying pushed courier events failed'));
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await this.applying;
  }
}
