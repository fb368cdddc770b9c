import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs work in one database transaction. A call made while a transaction is open (in the same async
 * context) joins it, so a request-level transaction (idempotency) and the service's own share one commit.
 */
@Injectable()
export class Transactions {
  private readonly current = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = this.current.getStore();
    if (open) return fn(open);
    return this.dataSource.transaction((manager) => this.current.run(manager, () => fn(manager)));
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

  /** The open transaction's manager, or the pool's outside a transaction. */
  get manager(): EntityManager {
    return this.current.getStore() ?? this.dataSource.manager;
  }
}
