import { DataSource } from 'typeorm';
import { dataSourceOptions } from 'src/database/data-source';
import { preparedName, queryPrepared } from 'src/database/prepared';
import { Transactions } from 'src/database/transaction';
import { createTestDatabase, TestDatabase } from '../../support/test-db';

describe('Transactions', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let tx: Transactions;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, 4));
    await ds.initialize();
    await ds.query('CREATE TABLE counters (name text PRIMARY KEY, n int NOT NULL)');
    tx = new Transactions(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const count = async (name: string) =>
    ((await ds.query<{ n: number }[]>('SELECT n FROM counters WHERE name = $1', [name]))[0] ?? { n: 0 }).n;
  const owner = {};
  const add = (name: string) => {
    const pending = tx.deferred(
      owner,
      () => new Map<string, number>(),
      async (m) => {
        for (const [k, n] of m)
          await tx.manager.query(
            'INSERT INTO counters VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET n = counters.n + EXCLUDED.n',
            [k, n],
          );
      },
    );
    if (!pending) throw new Error('outside a transaction');
    pending.set(name, (pending.get(name) ?? 0) + 1);
  };

  it('flushes deferred work once, just before commit, inside the transaction (joined calls share it)', async () => {
    await tx.run(async () => {
      add('a');
      await tx.run(() => Promise.resolve(add('a')));
      add('b');
      // Not written yet: the counts wait for the commit.
      expect(await count('a')).toBe(0);
    });
    expect(await count('a')).toBe(2);
    expect(await count('b')).toBe(1);
  });

  it('discards deferred work of a transaction that rolls back', async () => {
    await expect(
      tx.run(() => {
        add('c');
        return Promise.reject(new Error('rolled back'));
      }),
    ).rejects.toThrow('rolled back');
    expect(await count('c')).toBe(0);
  });

  it('flushes owners by their order, not the order they deferred in; work a flush defers is flushed too, once more for an owner already flushed', async () => {
    const flushed: string[] = [];
    const later = {};
    const first = {};
    const chained = {};
    const log = (name: string) => () => Promise.resolve(void flushed.push(name));
    await tx.run(() => {
      tx.deferred(
        later,
        () => null,
        () => {
          flushed.push('later');
          // An owner that flushed already, deferred to again by a later flush: flushed once more.
          tx.deferred(first, () => null, log('first again'), 1);
          return Promise.resolve();
        },
        2,
      );
      tx.deferred(
        first,
        () => null,
        () => {
          flushed.push('first');
          // Deferred while flushing: an order already passed still runs, after this one.
          tx.deferred(chained, () => null, log('chained'), 0);
          return Promise.resolve();
        },
        1,
      );
      return Promise.resolve();
    });
    expect(flushed).toEqual(['first', 'chained', 'later', 'first again']);
  });

  it('has nothing to defer to outside a transaction', () => {
    expect(
      tx.deferred(
        owner,
        () => 1,
        () => Promise.resolve(),
      ),
    ).toBeNull();
    expect(tx.active).toBe(false);
  });

  it('reads one snapshot: a change committed meanwhile is not seen by the later statements', async () => {
    await ds.query(`INSERT INTO counters VALUES ('snap', 1) ON CONFLICT (name) DO UPDATE SET n = 1`);
    const seen = await tx.snapshot(async (m) => {
      const first = (await m.query(`SELECT n FROM counters WHERE name = 'snap'`))[0].n as number;
      await ds.query(`UPDATE counters SET n = 2 WHERE name = 'snap'`); // another connection, committed
      const second = (await tx.manager.query(`SELECT n FROM counters WHERE name = 'snap'`))[0].n as number;
      return [first, second];
    });
    expect(seen).toEqual([1, 1]);
    expect(await count('snap')).toBe(2);
  });

  it('runs a hot statement prepared once per connection, in a transaction and on the pool, with errors as elsewhere', async () => {
    const text = 'SELECT n FROM counters WHERE name = $1';
    const name = preparedName('counter', text);
    // One name per text: the same text always, another text never.
    expect(preparedName('counter', text)).toBe(name);
    expect(preparedName('counter', `${text} AND n > 0`)).not.toBe(name);
    expect(name.startsWith('counter_')).toBe(true);

    await ds.query(`INSERT INTO counters VALUES ('prep', 7) ON CONFLICT (name) DO UPDATE SET n = 7`);
    const inside = await tx.run(async (m) => {
      const first = await queryPrepared<{ n: number }>(m, name, text, ['prep']);
      const again = await queryPrepared<{ n: number }>(m, name, text, ['nobody']);
      // Prepared on the transaction's own connection, under its name.
      const prepared = await m.query<{ name: string }[]>('SELECT name FROM pg_prepared_statements');
      return { first, again, names: prepared.map((p) => p.name) };
    });
    expect(inside.first).toEqual([{ n: 7 }]);
    expect(inside.again).toEqual([]);
    expect(inside.names).toContain(name);
    // Outside a transaction, on a pooled connection.
    expect(await queryPrepared<{ n: number }>(ds.manager, name, text, ['prep'])).toEqual([{ n: 7 }]);
    await expect(
      queryPrepared(ds.manager, 'counter_bad', 'SELECT n FROM no_such_table WHERE name = $1', ['x']),
    ).rejects.toMatchObject({ name: 'QueryFailedError', code: '42P01' });
  });
});
