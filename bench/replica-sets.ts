import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { GateSettings } from '../setup/gate-settings';
import type { NginxSettings } from '../setup/nginx-config';
import { type LogSink, StackChild } from '../scripts/stack/child';
import { findFreePort } from '../scripts/stack/ports';
import { startPostgres, type TestPostgres } from '../scripts/stack/postgres';
import { waitUntilHealthy } from '../scripts/stack/probe';
import { AUTH_SERVER_ENTRY, AUTH_SERVER_NODE_ARGS, authServerEnv } from '../scripts/stack/start-stack';
import { transactionsIn } from './database-transactions';
import { type ExtraNginx, startExtraNginx } from './extra-nginx';

export type ReplicaStore = 'sqlite' | 'pg';

/** Two auth servers on one store, each pinned to a core of its own when it can be, and two Nginx in front of them. */
export interface ReplicaSet {
  store: ReplicaStore;
  /** Nginx whose PACSGATE_AUTH_SERVERS names the first server only. */
  oneServerUrl: string;
  /** Nginx whose PACSGATE_AUTH_SERVERS names both. */
  twoServersUrl: string;
  /** The first server's pid, then the second's. */
  authServerPids: number[];
  /** PostgreSQL only: the transactions run so far in the servers' database. */
  countTransactions?: () => Promise<number>;
}

export interface ReplicaSets {
  sets: ReplicaSet[];
  /** How the servers were pinned, e.g. `taskset -c 0 and -c 1`, or why they were not. */
  pinning: string;
  stop(): Promise<void>;
}

/** What the benchmark's stack already runs: its config dir (keys, admin password, SQLite file), Orthanc and the uncached gate's Nginx settings. */
export interface ReplicaSetsContext {
  settings: GateSettings;
  uncachedNginx: NginxSettings;
  baseEnv: NodeJS.ProcessEnv;
  onLog: LogSink;
}

export const REPLICA_SCENARIO_PREFIX = 'replicas';
const HEALTHY_WITHIN_MS = 20_000;
const DATABASE = 'pacsgate_bench';
const SERVERS_PER_SET = 2;

/** Whether `--only` can select a replica scenario: the sets (and PostgreSQL) are started only then. */
export function replicaSetsWanted(only: readonly string[]): boolean {
  return only.length === 0 || only.some((prefix) => prefix.startsWith(REPLICA_SCENARIO_PREFIX) || REPLICA_SCENARIO_PREFIX.startsWith(prefix));
}

function settledOrThrow<T extends unknown[]>(results: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
}

/** util-linux's taskset, when it is there and the machine lets it pin. */
function tasksetWorks(): boolean {
  return spawnSync('taskset', ['-c', '0', 'true']).status === 0;
}

/**
 * Starts both sets: two auth servers on the stack's SQLite file, two on a PostgreSQL of their own
 * (durability off, as in the tests), each set behind an Nginx naming one server and one naming
 * both, rendered from the stack's template with the auth cache off: every request asks /verify.
 * The servers share the stack's config dir, so its keys sign and check tokens on all of them.
 */
export async function startReplicaSets(context: ReplicaSetsContext): Promise<ReplicaSets> {
  const pinned = tasksetWorks();
  const cores = cpus().length;
  const children: StackChild[] = [];
  const nginxes: ExtraNginx[] = [];
  let postgres: TestPostgres | undefined;
  const stop = async () => {
    for (const child of [...nginxes.map((nginx) => nginx.child), ...children]) await child.stop();
    await postgres?.destroy();
  };

  const startServer = async (name: string, index: number, env: NodeJS.ProcessEnv): Promise<{ host: string; pid: number }> => {
    const port = await findFreePort();
    const node = [...AUTH_SERVER_NODE_ARGS, AUTH_SERVER_ENTRY];
    const [command, args] = pinned ? ['taskset', ['-c', String(index % cores), process.execPath, ...node]] : [process.execPath, node];
    // Each its own audit log: two processes appending to one file would interleave their lines.
    const serverEnv = { ...env, PACSGATE_PORT: String(port), PACSGATE_AUDIT_LOG: join(context.settings.configDir, `audit-${name}.log`) };
    const child = StackChild.start(name, command, args, serverEnv, context.onLog);
    children.push(child);
    await waitUntilHealthy(child, `http://127.0.0.1:${port}/healthz`, HEALTHY_WITHIN_MS);
    return { host: `127.0.0.1:${port}`, pid: child.pid as number };
  };

  const startSet = async (store: ReplicaStore, storeEnv: Record<string, string | undefined>): Promise<ReplicaSet> => {
    const env = { ...authServerEnv(context), PACSGATE_AUTH_CACHE_SECONDS: '0', ...storeEnv };
    // One after the other: the first start migrates a new database.
    const servers: { host: string; pid: number }[] = [];
    for (let index = 0; index < SERVERS_PER_SET; index += 1) servers.push(await startServer(`auth-${store}-${index + 1}`, index, env));
    const nginx = async (count: number) => {
      const name = `nginx-${store}-${count}`;
      const settings = { ...context.uncachedNginx, httpsPort: await findFreePort(), httpPort: await findFreePort(), runtimeDir: join(context.settings.configDir, name) };
      const started = await startExtraNginx(name, { ...settings, authServers: servers.slice(0, count).map(({ host }) => host) }, (config) => config, context.onLog);
      nginxes.push(started);
      return started.url;
    };
    const [oneServerUrl, twoServersUrl] = await Promise.all([nginx(1), nginx(2)]);
    return { store, oneServerUrl, twoServersUrl, authServerPids: servers.map(({ pid }) => pid) };
  };

  try {
    // Side by side: most of a start is waiting (initdb, /healthz). Both settled before any clean-up, so none starts after it.
    const [sqlite, pg] = settledOrThrow(await Promise.allSettled([
      // Undefined: left out of the environment, whatever the benchmark's own says.
      startSet('sqlite', { PACSGATE_DATABASE_URL: undefined, PACSGATE_DATABASE_URL_FILE: undefined }),
      (async () => {
        const database = await startPostgres();
        postgres = database;
        const set = await startSet('pg', { PACSGATE_DATABASE_URL: await database.createDatabase(DATABASE) });
        return { ...set, countTransactions: () => transactionsIn(database, DATABASE) };
      })(),
    ]));
    return {
      sets: [sqlite, pg],
      pinning: pinned ? `each server of a set pinned to one core: taskset -c 0 and -c ${1 % cores}` : 'not pinned (taskset missing or refused)',
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
