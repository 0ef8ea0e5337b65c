import { AsyncLocalStorage } from 'node:async_hooks';

/** A transaction of the one connection; its repositories answer only while it is open. */
export interface OpenTransaction {
  open: boolean;
}

/** The store was called in a way that would deadlock or escape its transaction; a bug in the caller. */
export class StoreMisuse extends Error {}

const OWN_REPOSITORIES_INSIDE =
  "store called from inside its own transaction: use the repositories `transaction` gives `work` (the store's own would wait for the transaction to end)";

/**
 * Serializes one SQLite connection among async callers. better-sqlite3 runs each statement
 * synchronously, so a lone statement is atomic; only a transaction, whose `work` awaits between
 * statements, must keep every other caller out until it commits or rolls back.
 */
export class OneConnectionLock {
  private tail: Promise<void> = Promise.resolve();
  /** Transactions (and statements queued behind them) holding or waiting for the lock. */
  private queued = 0;
  private readonly current = new AsyncLocalStorage<OpenTransaction>();

  /** Runs one synchronous database call: now when no transaction is open or waiting, else after them. */
  run<R>(call: () => R): Promise<R> {
    if (this.insideTransaction()) return Promise.reject(new StoreMisuse(OWN_REPOSITORIES_INSIDE));
    if (this.queued === 0) return settle(call);
    return this.exclusive(() => call());
  }

  /** Runs `work` holding the lock, as the transaction `tx` (the misuse check recognizes its callers). */
  transaction<R>(tx: OpenTransaction, work: () => Promise<R>): Promise<R> {
    if (this.insideTransaction()) return Promise.reject(new StoreMisuse(OWN_REPOSITORIES_INSIDE));
    return this.exclusive(() => this.current.run(tx, work));
  }

  /** Resolves once every transaction begun so far has ended. */
  async drained(): Promise<void> {
    await this.tail;
  }

  get busy(): boolean {
    return this.queued > 0;
  }

  /** Callers waiting behind the one holding the lock. */
  get waiting(): number {
    return Math.max(0, this.queued - 1);
  }

  private insideTransaction(): boolean {
    return this.current.getStore()?.open === true;
  }

  private async exclusive<R>(work: () => R | Promise<R>): Promise<R> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise((resolve) => (release = resolve));
    this.queued += 1;
    try {
      await before;
      return await work();
    } finally {
      this.queued -= 1;
      release();
    }
  }
}

/** A synchronous call's result or throw, as a promise (the executor turns a throw into a rejection). */
export function settle<R>(call: () => R): Promise<R> {
  return new Promise((resolve) => resolve(call()));
}
