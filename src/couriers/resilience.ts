import {
  BrokenCircuitError,
  bulkhead,
  BulkheadRejectedError,
  circuitBreaker,
  CircuitBreakerPolicy,
  CircuitState,
  CountBreaker,
  ExponentialBackoff,
  handleWhen,
  IPolicy,
  retry,
  wrap,
} from 'cockatiel';
import type { BusinessDefaults } from 'config/defaults';
import type { CourierCode } from './courier-adapter';
import { CourierUnavailableError, isRetriable } from './courier.errors';

export type ResilienceSettings = BusinessDefaults['couriers']['resilience'];
export type HealthState = 'closed' | 'open' | 'half_open';

const STATE: Record<CircuitState, HealthState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/** Why a timed-out attempt's signal was aborted (one object: an abort without a reason builds an exception). */
const DEADLINE_PASSED = Object.assign(new Error('no answer in time'), { name: 'AbortError' });

/**
 * One courier's policies, shared by every request: a bulkhead capping concurrent calls, a timeout per
 * attempt (aggressive: the caller is answered at the deadline and the call is aborted), a count-based
 * circuit breaker with a minimum call volume, and jittered exponential retries for safe calls only.
 * The timeout is our own, not cockatiel's: that one aborts its controller after every call, success or
 * not, which builds a DOMException per courier call (a poll cycle makes thousands).
 */
export class CourierPolicies {
  readonly breaker: CircuitBreakerPolicy;
  private readonly safePolicy: IPolicy;
  private readonly oncePolicy: IPolicy;
  private readonly quotePolicy: IPolicy;
  private readonly timeoutMs: number;
  private readonly halfOpenAfterMs: number;
  /** When the breaker last opened (real time, as the breaker counts it). */
  private openedAt = 0;

  constructor(
    readonly courier: CourierCode,
    settings: ResilienceSettings,
  ) {
    const limit = bulkhead(settings.bulkhead.limit, settings.bulkhead.queue);
    this.breaker = circuitBreaker(handleWhen(isRetriable), {
      halfOpenAfter: settings.breaker.halfOpenAfterMs,
      breaker: new CountBreaker({
        threshold: settings.breaker.failureRatio,
        size: settings.breaker.windowSize,
        minimumNumberOfCalls: settings.breaker.minimumCalls,
      }),
    });
    const retries = retry(handleWhen(isRetriable), {
      maxAttempts: settings.retry.maxAttempts - 1,
      backoff: new ExponentialBackoff({
        initialDelay: settings.retry.initialDelayMs,
        maxDelay: settings.retry.maxDelayMs,
      }),
    });
    this.breaker.onBreak(() => (this.openedAt = Date.now()));
    this.halfOpenAfterMs = settings.breaker.halfOpenAfterMs;
    this.safePolicy = wrap(limit, retries, this.breaker);
    this.oncePolicy = wrap(limit, this.breaker);
    // Quotes, which any seller may ask for as fast as it likes (each new place or weight misses the rate
    // cache), have a bulkhead of their own, half the courier's: a flood of them is refused among quotes,
    // and bookings, cancels, tracking and seller actions keep theirs.
    const quoteLimit = bulkhead(
      Math.max(1, Math.floor(settings.bulkhead.limit / 2)),
      Math.floor(settings.bulkhead.queue / 2),
    );
    this.quotePolicy = wrap(quoteLimit, retries, this.breaker);
    this.timeoutMs = settings.timeoutMs;
  }

  /**
   * The breaker's state as a caller should read it: once `halfOpenAfterMs` have passed, an open breaker lets
   * the next call through to test the courier, so it reads half-open. The breaker itself moves on only when
   * a call is made: read as open, a courier whose quotes are skipped while open would stay open for good.
   */
  get state(): HealthState {
    const state = this.breaker.state;
    if (state === CircuitState.Open && Date.now() - this.openedAt >= this.halfOpenAfterMs) return 'half_open';
    return STATE[state];
  }

  /** A call that may be repeated without harm (quote, track, find, cancel): retried on transient failure. */
  safe<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.run(this.safePolicy, fn);
  }

  /** A quote: as a safe call, within the quotes' own bulkhead. */
  quote<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.run(this.quotePolicy, fn);
  }

  /** A call that must not be sent twice blindly (create order, request pickup): reconcile instead. */
  once<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.run(this.oncePolicy, fn);
  }

  private async run<T>(policy: IPolicy, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      // A signal of its own per call: without one, cockatiel hangs every concurrent call's abort listener
      // on one shared never-aborted signal (a MaxListenersExceededWarning past ten calls at once).
      return await policy.execute(() => this.attempt(fn), new AbortController().signal);
    } catch (e) {
      throw this.typed(e);
    }
  }

  /** One attempt with a deadline: at it, the caller gets a timeout (the breaker counts it) and the call is aborted. */
  private attempt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        controller.abort(DEADLINE_PASSED);
        reject(new CourierUnavailableError(this.courier, 'timeout', 'TIMEOUT', 'no answer in time'));
      }, this.timeoutMs);
      // Started inside a promise chain, so a function that throws at once still clears its timer.
      Promise.resolve()
        .then(() => fn(controller.signal))
        .finally(() => clearTimeout(timer))
        .then(resolve, reject);
    });
  }

  /** cockatiel's own failures as the port's retriable error. */
  private typed(e: unknown): unknown {
    if (e instanceof BrokenCircuitError)
      return new CourierUnavailableError(
        this.courier,
        'circuit_open',
        'CIRCUIT_OPEN',
        'circuit breaker is open',
      );
    if (e instanceof BulkheadRejectedError)
      return new CourierUnavailableError(
        this.courier,
        'bulkhead_full',
        'BULKHEAD_FULL',
        'too many concurrent calls',
      );
    return e;
  }
}
