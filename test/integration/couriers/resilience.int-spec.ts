import { defaults } from 'config/defaults';
import { MetricsService } from 'src/common/metrics.service';
import { buildAdapter } from 'src/couriers/adapters';
import type { CourierAdapter } from 'src/couriers/courier-adapter';
import { CourierRejectedError, CourierUnavailableError } from 'src/couriers/courier.errors';
import { CallWindow, CourierMetrics } from 'src/couriers/courier-health';
import { ResilientCourier } from 'src/couriers/courier-registry';
import { CourierLocations } from 'src/couriers/locations';
import { CourierPolicies, HealthState, ResilienceSettings } from 'src/couriers/resilience';
import { SandboxControl } from 'src/couriers/sandbox/sandbox-control.service';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { Registry } from 'prom-client';
import { startTestApp, TestApp } from '../../support/test-app';
import { waitUntil } from '../../support/wait';
import { jakarta, order, quoteTo } from './fixtures';

const SETTINGS: ResilienceSettings = {
  timeoutMs: 300,
  retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 50 },
  breaker: { failureRatio: 0.5, windowSize: 20, minimumCalls: 10, halfOpenAfterMs: 400 },
  bulkhead: { limit: 5, queue: 20 },
  healthWindow: 100,
};

describe('courier resilience (SAP sandbox, tight policies)', () => {
  let t: TestApp;
  let control: SandboxControl;
  let sandbox: ReturnType<CourierSandboxes['get']> & object;

  /** A fresh SAP adapter behind fresh policies, as the registry builds them. */
  function resilientSap(
    settings = SETTINGS,
    strip?: (adapter: CourierAdapter) => CourierAdapter,
    registry = new Registry(),
  ): ResilientCourier {
    const built = buildAdapter('sap', {
      account: sandbox.account(),
      name: 'SAP Express',
      catalogue: defaults.couriers.catalogue.sap.services,
      webhookMaxAgeSeconds: defaults.couriers.webhookMaxAgeSeconds,
      locations: t.app.get(CourierLocations),
    });
    const adapter = strip ? strip(built) : built;
    return new ResilientCourier(
      adapter,
      new CourierPolicies('sap', settings),
      new CallWindow(100),
      new CourierMetrics(registry),
    );
  }

  beforeAll(async () => {
    t = await startTestApp();
    control = t.app.get(SandboxControl);
    sandbox = t.app.get(CourierSandboxes).get('sap')!;
  });
  afterEach(() => control.setFaults('sap', { errorRate: 0, timeoutRate: 0, latencyMs: 0 }));
  afterAll(() => t.close());

  it('opens the breaker at a 50 % error rate once enough calls were made, then half-opens and closes', async () => {
    const registry = new Registry();
    const gauge = async () =>
      /kirim_courier_circuit_state\{courier="sap"\} (\d)/.exec(await registry.metrics())?.[1];
    const sap = resilientSap(SETTINGS, undefined, registry);
    const states: HealthState[] = [];
    sap.policies.breaker.onStateChange(() => states.push(sap.policies.state));
    await control.setFaults('sap', { errorRate: 0.5 });
    let calls = 0;
    while (sap.health().state !== 'open' && calls < 200) {
      calls += 1;
      await sap.quote(quoteTo(jakarta)).catch(() => undefined);
    }
    expect(sap.health().state).toBe('open');
    expect(await gauge()).toBe('2');
    // The health window counts whole calls (after retries), so it sees fewer errors than the breaker; it must see some.
    expect(sap.health().errorRate).toBeGreaterThan(0);
    const refused = await sap.quote(quoteTo(jakarta)).catch((e: unknown) => e);
    expect((refused as CourierUnavailableError).reason).toBe('circuit_open');

    await control.setFaults('sap', { errorRate: 0 });
    await new Promise((r) => setTimeout(r, SETTINGS.breaker.halfOpenAfterMs + 100));
    // Ready to test the courier with the next call, though none was made: scoring asks an open courier
    // nothing, so read as open it would never be asked again.
    expect(sap.circuit).toBe('half_open');
    expect(await gauge()).toBe('1');
    const recovered = await sap.quote(quoteTo(jakarta));
    expect(recovered.length).toBeGreaterThan(0);
    expect(states).toEqual(['open', 'half_open', 'closed']);
    expect(sap.health().state).toBe('closed');
  });

  it('does not open the breaker below the minimum call volume', async () => {
    const sap = resilientSap({ ...SETTINGS, retry: { ...SETTINGS.retry, maxAttempts: 1 } });
    await control.setFaults('sap', { errorRate: 1 });
    for (let i = 0; i < SETTINGS.breaker.minimumCalls - 1; i += 1)
      await sap.quote(quoteTo(jakarta)).catch(() => undefined);
    expect(sap.health().state).toBe('closed');
    await sap.quote(quoteTo(jakarta)).catch(() => undefined);
    expect(sap.health().state).toBe('open');
  });

  it('fails a slow call fast, as retriable, while the courier is still busy with it', async () => {
    const sap = resilientSap();
    await control.setFaults('sap', { latencyMs: 3000 });
    const asked = sandbox.requests;
    const answer = sap.quote(quoteTo(jakarta)).catch((e: unknown) => e);
    await waitUntil(() => sandbox.requests > asked, 'the quote request reaches the sandbox');
    // The sandbox would answer with quotes after 3 s; a timeout means we stopped waiting for it.
    const quote = await answer;
    expect(quote).toBeInstanceOf(CourierUnavailableError);
    expect((quote as CourierUnavailableError).reason).toBe('timeout');
    expect((quote as CourierUnavailableError).retriable).toBe(true);

    const create = await sap.createOrder(order('UDRREG')).catch((e: unknown) => e);
    expect((create as CourierUnavailableError).reason).toBe('timeout');
  });

  it('holds the bulkhead limit under 200 concurrent calls, refusing the overflow as retriable', async () => {
    const sap = resilientSap({ ...SETTINGS, timeoutMs: 5000 });
    await control.setFaults('sap', { latencyMs: 100 });
    // Requests abandoned by earlier tests must be gone before counting concurrency from zero.
    await waitUntil(() => sandbox.inFlight === 0, 'earlier requests drain from the sandbox');
    sandbox.resetConcurrency();
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () =>
        sap.track(['SAP0000000001']).then(
          () => 'ok',
          (e: unknown) => (e instanceof CourierUnavailableError ? e.reason : String(e)),
        ),
      ),
    );
    expect(sandbox.maxInFlight).toBeLessThanOrEqual(SETTINGS.bulkhead.limit);
    const ok = outcomes.filter((o) => o === 'ok').length;
    const full = outcomes.filter((o) => o === 'bulkhead_full').length;
    expect(ok + full).toBe(200);
    expect(ok).toBe(SETTINGS.bulkhead.limit + SETTINGS.bulkhead.queue);
  });

  it('keeps the other calls their bulkhead while quotes flood it: a poll is still answered', async () => {
    const sap = resilientSap({ ...SETTINGS, timeoutMs: 5000 });
    await control.setFaults('sap', { latencyMs: 200 });
    await waitUntil(() => sandbox.inFlight === 0, 'earlier requests drain from the sandbox');
    const quotes = Promise.all(
      Array.from({ length: 100 }, () =>
        sap.quote(quoteTo(jakarta)).then(
          () => 'ok',
          (e: unknown) => (e instanceof CourierUnavailableError ? e.reason : String(e)),
        ),
      ),
    );
    // While the quotes hold (and overflow) theirs, a poll goes through.
    expect(await sap.track(['SAP0000000001'])).toHaveLength(1);
    const outcomes = await quotes;
    const ok = outcomes.filter((o) => o === 'ok').length;
    expect(ok + outcomes.filter((o) => o === 'bulkhead_full').length).toBe(100);
    // Half the courier's bulkhead (rounded down), running and queued.
    expect(ok).toBe(Math.floor(SETTINGS.bulkhead.limit / 2) + Math.floor(SETTINGS.bulkhead.queue / 2));
  });

  it('reports breaker state and call figures in GET /v1/couriers and /metrics', async () => {
    const signup = await t
      .http()
      .post('/v1/auth/signup')
      .send({ sellerName: 'Ops', email: 'ops@example.id', password: 'ops password 12' })
      .expect(201);
    const list = await t
      .http()
      .get('/v1/couriers')
      .set('authorization', `Bearer ${signup.body.accessToken}`)
      .expect(200);
    expect(list.body.map((c: { code: string }) => c.code)).toEqual([
      'jne',
      'jnt',
      'sap',
      'ninja',
      'idexpress',
    ]);
    const sapInfo = list.body.find((c: { code: string }) => c.code === 'sap');
    expect(sapInfo).toMatchObject({
      name: 'SAP Express',
      sandbox: true,
      health: { state: 'closed', errorRate: expect.any(Number) },
    });
    expect(sapInfo.services.map((s: { code: string }) => s.code)).toEqual(['UDRREG', 'UDRONS', 'DRGREG']);
    const metrics = t.app.get(MetricsService);
    expect(await metrics.registry.metrics()).toContain('kirim_courier_circuit_state{courier="sap"} 0');
  });

  it('sends a seller action once, under the courier’s policies: an outage is retriable and never retried', async () => {
    const sap = resilientSap();
    const created = await sap.createOrder(order('UDRREG'));
    await control.setFaults('sap', { errorRate: 1 });
    const asked = sandbox.requests;
    const down = await sap.requestAction(created, { kind: 'return' }).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(CourierUnavailableError);
    expect((down as CourierUnavailableError).reason).toBe('server_error');
    // Safe calls are retried (maxAttempts 2); an action is not: whether it was applied is unknown.
    expect(sandbox.requests - asked).toBe(1);
    expect(sap.health().recentCalls).toBeGreaterThan(0);
  });

  it('says a courier without the API call does not take the action, and refuses to send it', async () => {
    const bare = resilientSap(
      SETTINGS,
      (adapter) =>
        Object.create(adapter, {
          requestAction: { value: undefined },
          parcelActions: { value: undefined },
        }) as CourierAdapter,
    );
    expect(bare.parcelActions).toEqual([]);
    expect(bare.supportsAction('reattempt')).toBe(false);
    const created = await bare.createOrder(order('UDRREG'));
    const asked = sandbox.requests;
    const refused = await bare.requestAction(created, { kind: 'reattempt' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CourierRejectedError);
    expect((refused as CourierRejectedError).rawCode).toBe('ACTION_UNSUPPORTED');
    expect(sandbox.requests).toBe(asked);
    expect(resilientSap().supportsAction('reattempt')).toBe(true);
  });
});
