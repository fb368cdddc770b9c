import { Agent, request } from 'node:http';

/** Silence on a request's connection this long fails it (a job run answers within seconds). */
const ANSWER_TIMEOUT_MS = 300_000;

/**
 * The simulator's HTTP client for Kirim's public API: JSON in and out, one credential per call. Any answer
 * the simulation did not expect is an error that stops the run (a simulation that swallows a 500 measures
 * nothing). Plain Node HTTP on kept-alive connections: `fetch` cost the simulator about twice the CPU a
 * call, a tenth of a run's machine time spent on the client rather than on Kirim.
 */
export class KirimApi {
  // Idle connections are dropped after 5 s (and as Kirim's keep-alive hint says), before the server can
  // close one under a request.
  private readonly agent = new Agent({ keepAlive: true, timeout: 5000 });

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
    const res = await this.send(method, path, headers, body === undefined ? undefined : JSON.stringify(body));
    const parsed = (res.text ? JSON.parse(res.text) : null) as T;
    if (!accept.includes(res.status))
      throw new Error(`${method} ${path} answered ${res.status}: ${res.text.slice(0, 500)}`);
    return { status: res.status, body: parsed };
  }

  private send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<{ status: number; text: string }> {
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const req = request(`${this.base}${path}`, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      // A Kirim that takes a request and never answers stops the run rather than hanging it.
      req.setTimeout(ANSWER_TIMEOUT_MS, () =>
        req.destroy(new Error(`${method} ${path}: no answer in ${ANSWER_TIMEOUT_MS / 1000} s`)),
      );
      req.end(body);
    });
  }

  /** Closes the kept-alive connections (the run is over). */
  close(): void {
    this.agent.destroy();
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
