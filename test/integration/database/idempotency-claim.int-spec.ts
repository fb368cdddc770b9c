import { randomUUID } from 'node:crypto';
import { IdempotencyRepository } from 'src/common/idempotency/idempotency.repository';
import { Transactions } from 'src/database/transaction';
import { startTestApp, TestApp } from '../../support/test-app';
import { waitUntil } from '../../support/wait';

describe('claiming an Idempotency-Key (real PostgreSQL)', () => {
  let t: TestApp;
  let keys: IdempotencyRepository;
  let tx: Transactions;
  const now = () => new Date();
  const later = () => new Date(Date.now() + 86_400_000);

  beforeAll(async () => {
    t = await startTestApp();
    keys = t.app.get(IdempotencyRepository);
    tx = t.app.get(Transactions);
  });
  afterAll(() => t.close());

  /** A claim of `key` waiting on another transaction's lock (seen in pg_locks as not granted). */
  const waiting = async () =>
    (
      await t.dataSource.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE NOT l.granted AND a.query LIKE '%INSERT INTO idempotency_keys%'`,
      )
    )[0].n !== '0';

  it('owns a fresh key, and the rest of the owner’s transaction waits for locks without the claim’s bound', async () => {
    const key = randomUUID();
    const seen = await tx.run(async (m) => {
      const claim = await keys.claim('test', key, 'h1', now(), later());
      const [setting] = await m.query<{ lock_timeout: string }[]>('SHOW lock_timeout');
      return { claim, setting: setting.lock_timeout };
    });
    expect(seen).toEqual({ claim: { kind: 'owner' }, setting: '0' });
  });

  /** A transaction that claims `key` and holds it until `release`; `claimed` once its claim is in. */
  const holdKey = (key: string, answer?: { status: number; body: string }) => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let claimed!: () => void;
    const inside = new Promise<void>((resolve) => (claimed = resolve));
    const done = tx.run(async () => {
      expect(await keys.claim('test', key, 'h1', now(), later())).toEqual({ kind: 'owner' });
      if (answer) await keys.complete('test', key, answer.status, answer.body);
      claimed();
      await held;
    });
    return { claimed: inside, release, done };
  };

  it('waits for a concurrent holder of the key and replays its answer once it commits', async () => {
    const key = randomUUID();
    const holder = holdKey(key, { status: 201, body: '{"id":"first"}' });
    await holder.claimed;
    const second = tx.run(async (m) => {
      const claim = await keys.claim('test', key, 'h1', now(), later());
      const [setting] = await m.query<{ lock_timeout: string }[]>('SHOW lock_timeout');
      return { claim, setting: setting.lock_timeout };
    });
    await waitUntil(waiting, 'the second claim waits on the first');
    holder.release();
    await holder.done;
    expect(await second).toEqual({
      claim: { kind: 'replay', status: 201, body: '{"id":"first"}' },
      setting: '0',
    });
  });

  it('gives up on a holder that never finishes: the wait is bounded, answered as a request in progress', async () => {
    const key = randomUUID();
    const holder = holdKey(key);
    await holder.claimed;
    const second = tx
      .run(() => keys.claim('test', key, 'h1', now(), later()))
      .then(
        () => 'claimed',
        (e: { code?: string }) => e.code,
      );
    await waitUntil(waiting, 'the second claim waits on the first');
    // The holder lets go only once the other claim has its answer: without a bound, it never would.
    const outcome = await second;
    holder.release();
    await holder.done;
    expect(outcome).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
  });

  it('claims a key its holder gave up between the claim’s insert and its read (a leased request that failed)', async () => {
    const key = randomUUID();
    // A leased claim: committed at once, answered later or released.
    expect(await keys.claim('test', key, 'h1', now(), later())).toEqual({ kind: 'owner' });
    const query = t.dataSource.manager.query.bind(t.dataSource.manager);
    let released = 0;
    // Outside a transaction the claim runs on the data source's manager: its read of the holder's row comes
    // right after the holder's request failed and deleted it.
    const spy = jest.spyOn(t.dataSource.manager, 'query').mockImplementation(async (sql, params) => {
      if (sql.startsWith('SELECT request_hash') && released === 0) {
        released += 1;
        await query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', ['test', key]);
      }
      return query(sql, params);
    });
    try {
      expect(await keys.claim('test', key, 'h2', now(), later())).toEqual({ kind: 'owner' });
    } finally {
      spy.mockRestore();
    }
    expect(released).toBe(1);
    const [row] = await t.dataSource.query<{ request_hash: string }[]>(
      'SELECT request_hash FROM idempotency_keys WHERE scope = $1 AND key = $2',
      ['test', key],
    );
    expect(row.request_hash).toBe('h2');
  });
});
