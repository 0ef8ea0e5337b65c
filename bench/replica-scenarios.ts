import type { ReplicaSet } from './replica-sets';
import type { Scenario } from './scenario';
import { SYSTEM_PATH } from './scenarios';

const STORE_NAMES = { sqlite: 'SQLite', pg: 'PostgreSQL' } as const;

/**
 * GET /system through one and through two auth servers of each set, auth cache 0 (every request asks
 * /verify, of the one server or round robin over both). Each set with a read token issued through it.
 */
export function replicaScenarios(sets: { set: ReplicaSet; readToken: string }[]): Scenario[] {
  return sets.flatMap(({ set, readToken }) =>
    [1, 2].map((count): Scenario => ({
      name: `replicas-${set.store}-${count}`,
      description: `gate, auth cache 0, GET /system, ${count === 1 ? '1 auth server' : '2 auth servers'} on ${STORE_NAMES[set.store]}`,
      url: `${count === 1 ? set.oneServerUrl : set.twoServersUrl}${SYSTEM_PATH}`,
      headers: { Authorization: `Bearer ${readToken}` },
      expect: 'allowed',
      // The second server idles while the first is loaded alone: its CPU is counted all the same.
      authServerPids: set.authServerPids,
      ...(set.countTransactions ? { countDatabaseTransactions: set.countTransactions } : {}),
    })),
  );
}
