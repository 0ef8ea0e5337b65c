import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';

/** Where a repository's statements run: on the pool (each statement on its own) or on the client of one transaction. */
export interface PgSession {
  query<Row extends QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
  /** Runs `work` atomically: in a new transaction on the pool, or inside the transaction already open. */
  atomically<T>(work: (session: PgSession) => Promise<T>): Promise<T>;
}

export function poolSession(pool: Pool): PgSession {
  return {
    query: (sql, params) => pool.query(sql, params),
    atomically: (work) => inTransaction(pool, (client) => work(clientSession(client))),
  };
}

export function clientSession(client: PoolClient): PgSession {
  const session: PgSession = {
    query: (sql, params) => client.query(sql, params),
    atomically: (work) => work(session),
  };
  return session;
}

/** BEGIN … COMMIT on one pooled client, ROLLBACK when `work` throws; a client whose connection broke is dropped, not reused. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no listener of the pool's: a connection lost between two statements must not crash the process.
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken ??= rollbackError));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
