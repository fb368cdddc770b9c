import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { NotFoundError } from 'src/common/errors/app-error';
import { COURIER_CODES, CourierCode, TrackingEvent } from 'src/couriers/courier-adapter';
import { CourierWebhookRejectedError } from 'src/couriers/courier.errors';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { TrackingService } from './tracking.service';

/**
 * Courier pushes: verified with the courier's own scheme over the exact bytes (the adapter's
 * parseWebhook, which also bounds replays by the event time), stored in the inbox, answered at once; the
 * events are applied right after, off the request (and by the inbox job should this instance stop first).
 */
/** More events than any courier pushes at once (they push one, or a few). */
export const MAX_PUSH_EVENTS = 1000;

/** The longest each text of a pushed event may be: far beyond any courier's, short enough to index. */
const PUSHED_TEXT_LIMITS = { awb: 64, rawCode: 200, rawText: 2000, location: 500 } as const;

/** Why a verified push's events cannot be stored as they are, or null. */
export function unfitPush(events: readonly TrackingEvent[]): string | null {
  if (events.length > MAX_PUSH_EVENTS) return `more than ${MAX_PUSH_EVENTS} events`;
  for (const e of events) {
    const why = unfitEvent(e);
    if (why) return why;
  }
  return null;
}

function unfitEvent(e: TrackingEvent): string | null {
  for (const [field, limit] of Object.entries(PUSHED_TEXT_LIMITS)) {
    const value: unknown = e[field as keyof typeof PUSHED_TEXT_LIMITS];
    if (value == null && field === 'location') continue;
    if (typeof value !== 'string') return `${field} is not text`;
    if (value.length > limit) return `${field} is longer than ${limit} characters`;
  }
  if (!e.awb.trim()) return 'awb is empty';
  if (!(e.occurredAt instanceof Date) || Number.isNaN(e.occurredAt.getTime()))
    return 'occurredAt is not a time';
  return null;
}

@Injectable()
export class CourierWebhooks implements OnModuleDestroy {
  private readonly logger = new Logger(CourierWebhooks.name);
  private applying: Promise<unknown> | null = null;
  private again = false;
  private closing = false;

  constructor(
    private readonly registry: CourierRegistry,
    private readonly tracking: TrackingService,
    private readonly clock: Clock,
  ) {}

  /**
   * @throws NotFoundError COURIERS_NOT_FOUND for a courier Kirim does not know
   * @throws CourierWebhookRejectedError COURIER_WEBHOOK_REJECTED (401): unsigned, forged or outside the window; nothing stored
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
    return stored;
  }

  /**
   * The push's events, verified by the courier's adapter, each fit to store. A push that is signed but
   * holds what no courier sends (a number where its decoder reads text, an AWB of thousands of characters,
   * more events than a push carries) is refused as malformed, as one that does not parse: it was a 500.
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
      if (e instanceof CourierWebhookRejectedError) throw e;
      this.logger.warn(
        { err: e, courier },
        'a signed push its decoder could not read was refused as malformed',
      );
      throw new CourierWebhookRejectedError(courier, 'malformed');
    }
    const unfit = unfitPush(events);
    if (unfit) {
      this.logger.warn({ courier, unfit }, 'a signed push was refused as malformed');
      throw new CourierWebhookRejectedError(courier, 'malformed');
    }
    return events;
  }

  /** One applier at a time per instance; a push meanwhile makes it go round once more. */
  private applySoon(): void {
    if (this.closing) return;
    if (this.applying) {
      this.again = true;
      return;
    }
    this.applying = (async () => {
      do {
        this.again = false;
        await this.tracking
          .applyPushed()
          .catch((e: unknown) => this.logger.error({ err: e }, 'applying pushed courier events failed'));
      } while (this.again && !this.closing);
      this.applying = null;
    })();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await this.applying;
  }
}
