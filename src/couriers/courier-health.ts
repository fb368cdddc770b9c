import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CourierCode } from './courier-adapter';
import type { HealthState } from './resilience';

export interface CourierHealth {
  state: HealthState;
  /** Share of failed calls among the recent ones (0..1). */
  errorRate: number;
  recentCalls: number;
  latencyMs: { p50: number | null; p99: number | null };
}

/** Recent calls of one courier (a ring buffer) for its health figures. */
export class CallWindow {
  private readonly calls: { ok: boolean; ms: number }[] = [];

  constructor(private readonly size: number) {}

  record(ok: boolean, ms: number): void {
    this.calls.push({ ok, ms });
    if (this.calls.length > this.size) this.calls.shift();
  }

  summary(): Omit<CourierHealth, 'state'> {
    const n = this.calls.length;
    const latencies = this.calls.map((c) => c.ms).sort((a, b) => a - b);
    const at = (q: number) => (n ? Math.round(latencies[Math.min(n - 1, Math.floor(q * n))]) : null);
    return {
      errorRate: n ? this.calls.filter((c) => !c.ok).length / n : 0,
      recentCalls: n,
      latencyMs: { p50: at(0.5), p99: at(0.99) },
    };
  }
}

const STATE_VALUE: Record<HealthState, number> = { closed: 0, half_open: 1, open: 2 };

/** Courier call metrics for /metrics. */
export class CourierMetrics {
  readonly calls: Histogram<'courier' | 'operation' | 'outcome'>;
  readonly circuit: Gauge<'courier'>;
  readonly errors: Counter<'courier' | 'reason'>;

  /** Each courier's breaker state as it reads now, read when the gauge is scraped. */
  private readonly states = new Map<CourierCode, () => HealthState>();

  constructor(registry: Registry) {
    this.calls = new Histogram({
      name: 'kirim_courier_call_duration_seconds',
      help: 'Courier API calls (through resilience) by courier, operation and outcome',
      labelNames: ['courier', 'operation', 'outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    const states = this.states;
    this.circuit = new Gauge({
      name: 'kirim_courier_circuit_state',
      help: 'Circuit breaker state: 0 closed, 1 half open, 2 open',
      labelNames: ['courier'] as const,
      registers: [registry],
      // Read at each scrape: an open breaker whose wait has passed reads half-open before any call moves it.
      collect() {
        for (const [courier, state] of states) this.set({ courier }, STATE_VALUE[state()]);
      },
    });
    this.errors = new Counter({
      name: 'kirim_courier_errors_total',
      help: 'Failed courier calls by reason',
      labelNames: ['courier', 'reason'] as const,
      registers: [registry],
    });
  }

  /** Reports the courier's breaker state, as `state` reads it, at every scrape. */
  watch(courier: CourierCode, state: () => HealthState): void {
    this.states.set(courier, state);
  }
}
