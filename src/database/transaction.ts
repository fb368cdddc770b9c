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

  /** The open transaction's manager, or the pool's outside a transaction. */
  get manager(): EntityManager {
    return this.current.getStore() ?? this.dataSource.manager;
  }
}
