import pg from 'pg';
import { connectionConfig, describeDatabase, type PgStoreOptions, withoutPassword } from './pg-connection';
import { migratePostgres } from './pg-migrate';
import { watchRevocationNotices } from './pg-revocation-watch';
import { clientSession, inTransaction, type PgSession, poolSession } from './pg-session';
import { pgShareLinks } from './pg-share-links';
import { pgTokens } from './pg-tokens';
import { pgUsers } from './pg-users';
import type { Repositories, Store } from './store';
import { StoreError } from './store-error';

/** /readyz must answer quickly even when the database does not. */
const PING_TIMEOUT_MS = 2000;

const repositories = (db: PgSession): Repositories => ({ users: pgUsers(db), tokens: pgTokens(db), shareLinks: pgShareLinks(db) });

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Connects to PostgreSQL and applies the migrations (under an advisory lock: replicas may start
 * together). Fails with a StoreError naming the server and database, never the password.
 */
export async function openPgStore(options: PgStoreOptions): Promise<Store> {
  // The URL is parsed when the first connection opens: a bad one fails below, with the others.
  const pool = new pg.Pool({ ...connectionConfig(options, 'pacsgate'), max: options.poolSize });
  // An idle connection the server closed (restart, failover) is dropped by the pool, which opens a new one when needed.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreError(`${describeDatabase(options.url)}: ${withoutPassword((error as Error).message, options.url)}`);
  }
  const watchers = new Set<() => void>();
  return {
    ...repositories(poolSession(pool)),
    transaction: (work) => inTransaction(pool, (client) => work(repositories(clientSession(client)))),
    ping: async () => void (await withTimeout(pool.query('SELECT 1'), PING_TIMEOUT_MS, `${describeDatabase(options.url)} did not answer within ${PING_TIMEOUT_MS} ms`)),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    watchRevocations: (onChange, onError) => {
      const stop = watchRevocationNotices(connectionConfig(options, 'pacsgate-revocations'), onChange, onError);
      watchers.add(stop);
      return () => {
        watchers.delete(stop);
        stop();
      };
    },
    close: async () => {
      // A watcher left running would keep its connection, and the process, alive.
      for (const stop of watchers) stop();
      watchers.clear();
      await pool.end();
    },
  };
}
