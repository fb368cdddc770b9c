import type {
  CancelOutcome,
  CourierAdapter,
  CourierCode,
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
} from './courier-adapter';
import { CourierRejectedError, CourierUnavailableError } from './courier.errors';
import { CallWindow, CourierHealth, CourierMetrics } from './courier-health';
import { CourierPolicies, type HealthState } from './resilience';

/**
 * An adapter behind its courier's policies: what every other module gets. Safe calls are retried;
 * create and pickup are not (reconcile by reference instead). Every call feeds the health figures.
 */
export class ResilientCourier implements CourierAdapter {
  constructor(
    private readonly inner: CourierAdapter,
    readonly policies: CourierPolicies,
    private readonly window: CallWindow,
    private readonly metrics: CourierMetrics,
  ) {
    metrics.watch(inner.code, () => policies.state);
  }

  get code(): CourierCode {
    return this.inner.code;
  }

  get name(): string {
    return this.inner.name;
  }

  get trackBatchSize(): number {
    return this.inner.trackBatchSize;
  }

  services(): CourierServiceInfo[] {
    return this.inner.services();
  }

  rateKey(parcel: Parcel): string {
    return this.inner.rateKey(parcel);
  }

  quote(request: QuoteRequest): Promise<ServiceQuote[]> {
    return this.call('quote', 'quote', (signal) => this.inner.quote(request, signal));
  }

  createOrder(request: CreateOrderRequest): Promise<CourierOrder> {
    return this.call('createOrder', 'once', (signal) => this.inner.createOrder(request, signal));
  }

  requestPickup(order: CourierOrder, request: CreateOrderRequest): Promise<PickupConfirmation> {
    return this.call('requestPickup', 'once', (signal) => this.inner.requestPickup(order, request, signal));
  }

  cancel(order: CourierOrder): Promise<CancelOutcome> {
    return this.call('cancel', 'safe', (signal) => this.inner.cancel(order, signal));
  }

  track(awbs: string[]): Promise<TrackResult[]> {
    if (!awbs.length) return Promise.resolve([]);
    return this.call('track', 'safe', (signal) => this.inner.track(awbs, signal));
  }

  parseWebhook(request: WebhookRequest, now: Date): TrackingEvent[] {
    return this.inner.parseWebhook(request, now);
  }

  get pushAck(): Readonly<Record<string, unknown>> {
    return this.inner.pushAck ?? {};
  }

  findByReference(reference: string): Promise<CourierOrder | null> {
    return this.call('findByReference', 'safe', (signal) => this.inner.findByReference(reference, signal));
  }

  get parcelActions(): readonly ParcelActionKind[] {
    return this.inner.requestAction ? (this.inner.parcelActions ?? []) : [];
  }

  /** Whether `update_address` sends the new address as the courier's location code for its district. */
  get addressByLocationCode(): boolean {
    return this.inner.addressByLocationCode === true;
  }

  /** Whether this courier's API takes the action; when it does not, the action is arranged by hand. */
  supportsAction(kind: ParcelActionKind): boolean {
    return this.parcelActions.includes(kind);
  }

  /**
   * Sends a seller action, under the courier's policies but never retried: whether a lost answer means
   * the action was applied is unknown, so the caller decides (see the port).
   * @throws CourierRejectedError (`invalid_request`) for a kind the courier does not take, or an
   *   `update_address` without an address: caller mistakes, checked here once for every adapter.
   */
  requestAction(order: CourierOrder, action: ParcelActionRequest): Promise<ParcelActionOutcome> {
    const send = this.inner.requestAction?.bind(this.inner);
    if (!send || !this.supportsAction(action.kind))
      return Promise.reject(
        new CourierRejectedError(
          this.code,
          'invalid_request',
          'ACTION_UNSUPPORTED',
          `${this.name} takes no ${action.kind} request through its API`,
        ),
      );
    if (action.kind === 'update_address' && !action.address)
      return Promise.reject(
        new CourierRejectedError(
          this.code,
          'invalid_request',
          'ADDRESS_REQUIRED',
          'update_address needs the new address',
        ),
      );
    return this.call('requestAction', 'once', (signal) => send(order, action, signal));
  }

  health(): CourierHealth {
    return { state: this.policies.state, ...this.window.summary() };
  }

  /** The circuit breaker's state alone (health() also sorts the recent calls' latencies). */
  get circuit(): HealthState {
    return this.policies.state;
  }

  private async call<T>(
    operation: string,
    kind: 'safe' | 'once' | 'quote',
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const started = performance.now();
    const end = this.metrics.calls.startTimer({ courier: this.code, operation });
    try {
      const result = await this.policies[kind](fn);
      this.window.record(true, performance.now() - started);
      end({ outcome: 'ok' });
      return result;
    } catch (e) {
      const unavailable = e instanceof CourierUnavailableError;
      // A refusal (bad address, COD not allowed) is an answer: it says nothing about the courier's health.
      this.window.record(!unavailable, performance.now() - started);
      end({ outcome: unavailable ? 'unavailable' : 'rejected' });
      if (unavailable) this.metrics.errors.inc({ courier: this.code, reason: e.reason });
      throw e;
    }
  }
}

/** Courier code → its resilient adapter. The only way modules reach a courier. */
export class CourierRegistry {
  private readonly byCode: Map<CourierCode, ResilientCourier>;

  constructor(couriers: ResilientCourier[]) {
    this.byCode = new Map(couriers.map((c) => [c.code, c]));
  }

  get(code: CourierCode): ResilientCourier {
    const courier = this.byCode.get(code);
    if (!courier) throw new RangeError(`no courier ${code}`);
    return courier;
  }

  all(): ResilientCourier[] {
    return [...this.byCode.values()];
  }
}
