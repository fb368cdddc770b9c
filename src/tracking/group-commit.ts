export interface GroupCommitLimits {
  /** Most items one commit takes. */
  groupSize: number;
  /** Commits running at once. */
  concurrent: number;
  /** Items waiting for a commit before `add` makes its caller wait (back pressure). */
  maxWaiting: number;
}

/**
 * Group commit for a stream of items: an item added while `concurrent` commits run waits and goes with
 * everything else that waits in the next one. Nothing is held back while a commit slot is free, and the
 * number of commits follows the database's pace rather than the number of items: the slower a commit,
 * the larger the next. A failed commit is the committer's to report (`commit` should not throw; a
 * rejection is dropped so one bad group never stops the others).
 */
export class GroupCommit<T> {
  private readonly waiting: T[] = [];
  private running = 0;
  private roomWaiters: (() => void)[] = [];
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly commit: (items: T[]) => Promise<void>,
    private readonly limits: GroupCommitLimits,
  ) {}

  /** Hands an item over; waits first while `maxWaiting` items already wait. */
  async add(item: T): Promise<void> {
    while (this.waiting.length >= Math.max(1, this.limits.maxWaiting))
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    this.waiting.push(item);
    this.start();
  }

  /** Resolves once every item added so far is committed (or its commit failed). */
  async drained(): Promise<void> {
    while (this.running || this.waiting.length)
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  private start(): void {
    while (this.running < this.limits.concurrent && this.waiting.length) {
      const group = this.waiting.splice(0, Math.max(1, this.limits.groupSize));
      this.running += 1;
      wake(this.roomWaiters.splice(0));
      void this.commit(group)
        .catch(() => undefined)
        .finally(() => {
          this.running -= 1;
          this.start();
          if (!this.running && !this.waiting.length) wake(this.drainWaiters.splice(0));
        });
    }
  }
}

function wake(waiters: (() => void)[]): void {
  for (const resolve of waiters) resolve();
}
