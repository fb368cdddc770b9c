import { MovableClock } from 'src/common/clock';
import { SandboxRepository } from 'src/couriers/sandbox/sandbox.repository';
import { startTestApp, TestApp } from '../../support/test-app';

const HOUR = 3600_000;

/** Two instances' clocks on one database, as the sandbox clock job starts and syncs them. */
describe('the shared sandbox clock', () => {
  let t: TestApp;
  let repository: SandboxRepository;

  beforeAll(async () => {
    t = await startTestApp();
    repository = t.app.get(SandboxRepository);
  });
  afterAll(() => t.close());

  const instance = (row: { offsetMs: number; steppedFromMs: number | null }) => {
    const clock = new MovableClock();
    clock.setOffset(row.offsetMs, row.steppedFromMs);
    return clock;
  };

  it('stands still between moves when stepped, moves exactly as far as asked, and reads alike on every instance', async () => {
    const start = Date.parse('2031-03-01T00:00:00Z');
    const first = instance(await repository.startClock('stepped', start));
    expect(first.now().toISOString()).toBe('2031-03-01T00:00:00.000Z');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(first.now().toISOString()).toBe('2031-03-01T00:00:00.000Z');

    const moved = await repository.advanceClock(12 * HOUR);
    first.setOffset(moved.offsetMs, moved.steppedFromMs);
    expect(first.now().toISOString()).toBe('2031-03-01T12:00:00.000Z');

    // An instance started later keeps the instant the clock already counts from.
    const second = instance(await repository.startClock('stepped', start + 5 * HOUR));
    expect(second.now().toISOString()).toBe('2031-03-01T12:00:00.000Z');
    expect(
      instance(await repository.clock())
        .now()
        .getTime(),
    ).toBe(first.now().getTime());
  });

  it('starts a stepped clock never started at the instant asked for; a started one keeps its own time', async () => {
    await t.dataSource.query('DELETE FROM sandbox.clock');
    const start = Date.parse('2026-01-04T17:00:00Z');
    const first = await repository.startClock('stepped', Date.now(), start);
    expect(instance(first).now().toISOString()).toBe('2026-01-04T17:00:00.000Z');
    await repository.advanceClock(7 * HOUR);
    // Another instance, told another start: the clock already counts from the first one.
    const later = await repository.startClock('stepped', Date.now(), start + 100 * HOUR);
    expect(instance(later).now().toISOString()).toBe('2026-01-05T00:00:00.000Z');

    // A clock running with real time (moved an hour ahead) that is now started stepped carries on from where
    // it was, not from the instant asked for.
    await t.dataSource.query('UPDATE sandbox.clock SET offset_ms = $1, stepped_from_ms = NULL', [HOUR]);
    const realNow = Date.now();
    const carried = await repository.startClock('stepped', realNow, start);
    expect(instance(carried).now().getTime()).toBe(realNow + HOUR);
  });

  it('carries a stepped clock on with real time when started running, never moving it back', async () => {
    const stepped = instance(await repository.clock())
      .now()
      .getTime();
    const running = await repository.startClock('running', Date.now());
    expect(running.steppedFromMs).toBeNull();
    const carried = instance(running).now().getTime();
    expect(carried).toBeGreaterThanOrEqual(stepped);
    expect(carried - stepped).toBeLessThan(HOUR);

    // A stepped clock left behind real time (not moved for ten hours) starts running at real time.
    await t.dataSource.query('UPDATE sandbox.clock SET offset_ms = 0, stepped_from_ms = $1', [
      Date.now() - 10 * HOUR,
    ]);
    const realNow = Date.now();
    expect(await repository.startClock('running', realNow)).toEqual({ offsetMs: 0, steppedFromMs: null });
  });
});
