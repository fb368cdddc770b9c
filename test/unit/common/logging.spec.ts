import { Writable } from 'node:stream';
import { createRootLogger } from 'src/common/logging';

/** A root logger whose lines are kept, parsed. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createRootLogger('info', destination), lines };
}

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED /srv/kirim/.data/socket/.s.PGSQL.5432'), {
    code: 'ECONNREFUSED',
    syscall: 'connect',
  });

describe('scheduled jobs failing while the database cannot be reached', () => {
  it('are told once a minute in one line without a stack; other failures as they are', async () => {
    const { logger, lines } = capture();
    // As the scheduler logs each failure through nestjs-pino: { context, err }.
    for (let i = 0; i < 5; i += 1) logger.error({ context: 'Scheduler', err: refused() });
    logger.error({ context: 'Scheduler', err: new Error('a bug in a job') });
    logger.error({ context: 'PayoutsService', err: refused() });
    // A deadlock is no unreachable database: told with its stack, as any job's failure.
    logger.error({
      context: 'Scheduler',
      err: Object.assign(new Error('deadlock detected'), { code: '40P01' }),
    });
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.context, l.msg ?? (l.err as { message: string }).message])).toEqual([
      [
        'Scheduler',
        'scheduled jobs are failing: the database cannot be reached (connect ECONNREFUSED /srv/kirim/.data/socket/.s.PGSQL.5432); told once a minute while it lasts',
      ],
      ['Scheduler', 'a bug in a job'],
      ['PayoutsService', 'connect ECONNREFUSED /srv/kirim/.data/socket/.s.PGSQL.5432'],
      ['Scheduler', 'deadlock detected'],
    ]);
    expect(lines[0].err).toBeUndefined();
    expect((lines[1].err as { stack?: string }).stack).toContain('a bug in a job');
  });
});
