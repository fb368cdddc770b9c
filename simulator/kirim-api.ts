/**
 * The simulator's HTTP client for Kirim's public API: JSON in and out, one credential per call. Any answer
 * the simulation did not expect is an error that stops the run (a simulation that swallows a 500 measures
 * nothing).
 */
export class KirimApi {
  constructor(
    readonly base: string,
    private readonly operatorToken: string,
  ) {}

  async call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    auth: { token?: string; apiKey?: string; operator?: boolean },
    body?: unknown,
    accept: number[] = [200, 201, 202],
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.apiKey) headers['x-api-key'] = auth.apiKey;
    if (auth.operator) headers['x-sandbox-operator-token'] = this.operatorToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST')
      headers['idempotency-key'] = `sim-${Math.random().toString(36).slice(2)}${Date.now()}`;
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : null) as T;
    if (!accept.includes(res.status))
      throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    return { status: res.status, body: parsed };
  }

  /** Runs a scheduled job now (sandbox operator route). */
  runJob(name: string): Promise<{ status: number; body: unknown }> {
    return this.call('POST', `/sandbox/jobs/${name}/run`, { operator: true }, {});
  }

  async advanceClock(hours: number): Promise<string> {
    const r = await this.call<{ now: string }>(
      'POST',
      '/sandbox/clock',
      { operator: true },
      { advanceHours: hours },
    );
    return r.body.now;
  }
}

/** Runs `work` over `items`, at most `limit` at once, results in order. */
export async function eachLimited<T, R>(
  items: T[],
  limit: number,
  work: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
