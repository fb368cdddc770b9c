import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

interface Deferred {
  state: unknown;
  flush: (state: unknown) => Promise<void>;
  order: number;
  flushed: boolean;
}

/**
 * Which deferred work flushes first before a commit: statistics counters, then COD credits (seller and
 * courier accounts), then what a credit to `available` sets off.
 */
export const DEFERRED_ORDER = { default: 0, statistics: 1, codCredits: 2, availableCredited: 3 } as const;

/**
 * Runs work in one database transaction. A call made while a transaction is open (in the same async
 * context) joins it, so a request-level transaction (idempotency) and the service's own share one commit.
 */
@Injectable()
export class Transactions {
  private readonly current = new AsyncLocalStorage<EntityManager>();
  /** Per open transaction: work deferred to just before it commits, by owner. */
  private readonly deferredWork = new WeakMap<EntityManager, Map<object, Deferred>>();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = this.current.getStore();
    if (open) return fn(open);
    return this.dataSource.transaction((manager) =>
      this.current.run(manager, async () => {
        const result = await fn(manager);
        const deferred = this.deferredWork.get(manager);
        // Lowest order first, whatever order the work registered in; a flush may defer more (a credit's
        // listeners), which is flushed in its turn.
        for (;;) {
          const due = [...(deferred?.values() ?? [])].filter((d) => !d.flushed);
          if (!due.length) break;
          const first = due.reduce((a, b) => (b.order < a.order ? b : a));
          first.flushed = true;
          await first.flush(first.state);
        }
        return result;
      }),
    );
  }

  /**
   * Runs reads against one snapshot of the database (REPEATABLE READ), so figures read by several
   * statements agree with each other without locking anything. Joins an open transaction instead.
   */
  snapshot<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = this.current.getStore();
    if (open) return fn(open);
    return this.dataSource.transaction('REPEATABLE READ', (manager) =>
      this.current.run(manager, () => fn(manager)),
    );
  }

  /**
   * State that work inside the open transaction accumulates under `owner`, flushed once just before the
   * transaction commits (counters added in one sorted pass, say, so hot rows stay locked for moments
   * rather than for the whole transaction). Null outside a transaction: the caller writes at once.
   * Owners flush by `order` (see DEFERRED_ORDER), the same in every transaction, so two transactions
   * never take each other's hot rows in opposite orders.
   */
  deferred<S>(
    owner: object,
    create: () => S,
    flush: (state: S) => Promise<void>,
    order: number = DEFERRED_ORDER.default,
  ): S | null {
    const manager = this.current.getStore();
    if (!manager) return null;
    let byOwner = this.deferredWork.get(manager);
    if (!byOwner) this.deferredWork.set(manager, (byOwner = new Map<object, Deferred>()));
    let entry = byOwner.get(owner);
    // New, or deferred again by a later owner's flush (a credit's listeners): flushed (again) in its turn.
    if (!entry || entry.flushed)
      byOwner.set(
        owner,
        (entry = {
          state: create(),
          flush: flush as (state: unknown) => Promise<void>,
          order,
          flushed: false,
        }),
      );
    return entry.state as S;
  }

  /** Whether a transaction is open here (its one connection then runs one query at a time). */
  get active(): boolean {
    return this.current.getStore() !== undefined;
  }

  /**
   * Runs independent reads at once on the pool, or one after another inside a transaction, where they
   * share one connection (which would queue them anyway, with a warning from the driver).
   */
  async all<T extends readonly unknown[]>(reads: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
    if (!this.active) return (await Promise.all(reads.map((r) => r()))) as unknown as T;
    const results: unknown[] = [];
    for (const read of reads) results.push(await read());
    return results as unknown as T;
  }

  /** Whether a transaction is open in this async context (statements run in it). */
  get open(): boolean {
    return this.current.getStore() !== undefined;
  }

  /** The open transaction's manager, or the pool's outside a transaction. */
  get manager(): EntityManager {
    return this.current.getStore() ?? this.dataSource.manager;
  }
}
