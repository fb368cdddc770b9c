import { OneAtATimeLimit } from 'src/common/one-at-a-time-limit';

describe('OneAtATimeLimit', () => {
  it('runs one turn at a time per caller, and refuses a running caller without running its work', async () => {
    const limit = new OneAtATimeLimit(5, 60_000, 10);
    let release!: () => void;
    const first = limit.run('a', 0, () => new Promise<string>((r) => (release = () => r('first'))));
    let ran = false;
    const meanwhile = await limit.run('a', 1, () => Promise.resolve((ran = true)));
    expect(meanwhile).toEqual({ refused: { retryAfterSeconds: 10, running: true } });
    expect(ran).toBe(false);
    // Another caller is not held by it.
    expect(await limit.run('b', 1, () => Promise.resolve('b'))).toEqual({ done: 'b' });
    release();
    expect(await first).toEqual({ done: 'first' });
  });

  it('counts turns in the window, says when the oldest leaves it, and gives the turn back whatever the work did', async () => {
    const limit = new OneAtATimeLimit(2, 60_000, 10);
    await expect(limit.run('a', 0, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit.run('a', 10_000, () => Promise.resolve(1))).toEqual({ done: 1 });
    expect(await limit.run('a', 20_500, () => Promise.resolve(2))).toEqual({
      refused: { retryAfterSeconds: 40, running: false },
    });
    // A refused turn is no turn: at 60 s the first has left the window, and one more may run.
    expect(await limit.run('a', 60_001, () => Promise.resolve(3))).toEqual({ done: 3 });
    expect(await limit.run('a', 60_002, () => Promise.resolve(4))).toEqual({
      refused: { retryAfterSeconds: 10, running: false },
    });
  });
});
