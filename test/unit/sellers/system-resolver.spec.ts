import { systemResolver } from 'src/sellers/webhook-target-policy';

/** A host's lookup that answers only after `ms` (a name whose DNS never answers: glibc's own timeouts). */
const after = (ms: number, answer: () => { address: string; family: number }[]) =>
  new Promise<{ address: string; family: number }[]>((resolve) => setTimeout(() => resolve(answer()), ms));

describe('the system resolver (getaddrinfo, two lookups at once)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('drops a queued name every caller gave up on: a good name asked later is not held behind them', async () => {
    const looked: string[] = [];
    const resolve = systemResolver((host) => {
      looked.push(host);
      return host === 'good.example'
        ? Promise.resolve([{ address: '203.0.113.7', family: 4 }])
        : after(10_000, () => []);
    });
    // Ten names that never answer in time, as an owner saving such URLs request after request.
    const slow = Array.from({ length: 10 }, (_, i) =>
      resolve(`slow-${i}.example`).then(
        () => 'answered',
        (e: { code?: string }) => e.code,
      ),
    );
    await jest.advanceTimersByTimeAsync(4_000);
    expect(await Promise.all(slow)).toEqual(Array(10).fill('ETIMEOUT'));
    // A good name, asked while the first two still hold both lookups (they end at 10 s).
    await jest.advanceTimersByTimeAsync(3_000);
    const good = resolve('good.example');
    await jest.advanceTimersByTimeAsync(3_500);
    await expect(good).resolves.toEqual([{ address: '203.0.113.7', family: 4 }]);
    // The eight given up on were never looked up.
    expect(looked).toEqual(['slow-0.example', 'slow-1.example', 'good.example']);
  });

  it('answers "DNS unavailable" at once when too many names already wait', async () => {
    const resolve = systemResolver(() => after(60_000, () => []));
    const answers = Array.from({ length: 67 }, (_, i) =>
      resolve(`n${i}.example`).then(
        () => 'answered',
        (e: { code?: string; message: string }) => `${e.code}: ${e.message}`,
      ),
    );
    // Two run, 64 wait; the 67th is refused before any deadline.
    await jest.advanceTimersByTimeAsync(0);
    const last = await Promise.race([answers[66], Promise.resolve('pending')]);
    expect(last).toBe('ETIMEOUT: 64 names already wait for a DNS lookup');
    await jest.advanceTimersByTimeAsync(60_000);
    await Promise.all(answers);
  });

  it('counts only names someone still waits for against the line: names given up on leave it at once', async () => {
    const resolve = systemResolver((host) =>
      host === 'good.example'
        ? Promise.resolve([{ address: '203.0.113.7', family: 4 }])
        : after(60_000, () => []),
    );
    // Two hold the lookups for a minute; 64 more fill the line, and their callers give up at 4 s.
    const flood = Array.from({ length: 66 }, (_, i) => resolve(`n${i}.example`).catch(() => 'gave up'));
    await jest.advanceTimersByTimeAsync(5_000);
    // Asked now, a name waits in a line of none (not refused as the 65th), though it still waits its turn.
    const good = resolve('good.example').then(
      () => 'answered',
      (e: { message: string }) => e.message,
    );
    await jest.advanceTimersByTimeAsync(4_000);
    expect(await good).toBe('no DNS answer within 4000 ms');
    await jest.advanceTimersByTimeAsync(60_000);
    await Promise.all(flood);
  });

  it('shares one lookup among the callers of a host, kept while any of them still waits', async () => {
    let calls = 0;
    const resolve = systemResolver(() => {
      calls += 1;
      return after(10_000, () => []);
    });
    // Both lookups busy till 10 s; the shared host waits behind them.
    void resolve('a.example').catch(() => undefined);
    void resolve('b.example').catch(() => undefined);
    const first = resolve('shared.example').catch((e: { code?: string }) => e.code);
    await jest.advanceTimersByTimeAsync(4_000);
    expect(await first).toBe('ETIMEOUT');
    // A second caller of the same host at 7 s wants it till 11 s: when the lookups free up at 10 s, the
    // shared one is made for it.
    await jest.advanceTimersByTimeAsync(3_000);
    const second = resolve('shared.example').catch((e: { code?: string }) => e.code);
    await jest.advanceTimersByTimeAsync(3_000);
    expect(calls).toBe(3);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await second).toBe('ETIMEOUT');
  });
});
