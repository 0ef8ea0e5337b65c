import type { Sample } from '../../../bench/plan';
import type { BenchReport } from '../../../bench/report/bench-report';
import { cpuRatios, throughputRatios } from '../../../bench/report/ratios';
import { databaseTable } from '../../../bench/report/rows';
import { checkTargets } from '../../../bench/report/targets';
import { replicaScenarios } from '../../../bench/replica-scenarios';
import { type ReplicaSet, replicaSetsWanted } from '../../../bench/replica-sets';
import { type ScenarioSummary, summarize } from '../../../bench/summary';
import type { WrkResult } from '../../../bench/wrk/parse-wrk';

const set = (store: ReplicaSet['store'], countTransactions?: () => Promise<number>): ReplicaSet => ({
  store,
  oneServerUrl: `https://127.0.0.1:1${store.length}`,
  twoServersUrl: `https://127.0.0.1:2${store.length}`,
  authServerPids: [100, 101],
  ...(countTransactions ? { countTransactions } : {}),
});

const result = (requests: number, seconds = 1): WrkResult => ({
  requests, seconds, requestsPerSecond: requests / seconds, p50Ms: 1, p99Ms: 1, non2xx3xx: 0, socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 },
});

const summary = (scenario: string, connections: number, requestsPerSecond: number, perRequest?: number): ScenarioSummary => ({
  scenario, connections, runs: 1, requestsPerSecond, p50Ms: 1, p99Ms: 1, requests: 1000, non2xx3xx: 0, socketErrors: 0,
  ...(perRequest === undefined ? {} : { databaseTransactions: { total: perRequest * 1000, perRequest, perSecond: 4 } }),
});

describe('replica sets', () => {
  it('start unless --only leaves out every replicas-* scenario', () => {
    expect(replicaSetsWanted([])).toBe(true);
    expect(replicaSetsWanted(['replicas'])).toBe(true);
    expect(replicaSetsWanted(['replicas-pg'])).toBe(true);
    expect(replicaSetsWanted(['rep'])).toBe(true);
    expect(replicaSetsWanted(['gate-system', 'replicas-sqlite-2'])).toBe(true);
    expect(replicaSetsWanted(['gate-', 'verify'])).toBe(false);
  });

  it('load one then both servers of each set with its own token; only PostgreSQL counts transactions', async () => {
    const scenarios = replicaScenarios([{ set: set('sqlite'), readToken: 'lite' }, { set: set('pg', () => Promise.resolve(42)), readToken: 'post' }]);
    expect(scenarios.map(({ name, url, headers }) => [name, url, headers.Authorization])).toEqual([
      ['replicas-sqlite-1', 'https://127.0.0.1:16/system', 'Bearer lite'],
      ['replicas-sqlite-2', 'https://127.0.0.1:26/system', 'Bearer lite'],
      ['replicas-pg-1', 'https://127.0.0.1:12/system', 'Bearer post'],
      ['replicas-pg-2', 'https://127.0.0.1:22/system', 'Bearer post'],
    ]);
    expect(scenarios.every(({ authServerPids }) => authServerPids?.join() === '100,101')).toBe(true);
    expect(scenarios.map(({ countDatabaseTransactions }) => countDatabaseTransactions !== undefined)).toEqual([false, false, true, true]);
    expect(await scenarios[3].countDatabaseTransactions?.()).toBe(42);
  });
});

describe('database transactions per request', () => {
  it('sums the runs: per request over their requests, per second over their counted time', () => {
    const sample = (round: number, requests: number, transactions: number, seconds: number): Sample => ({
      scenario: 'replicas-pg-2', connections: 8, round, result: result(requests), database: { transactions, seconds }, fromUs: 0, toUs: 1,
    });
    const [summary] = summarize(replicaScenarios([{ set: set('pg'), readToken: 't' }]), [8], [sample(0, 3000, 10, 2), sample(1, 1000, 6, 2)]);
    expect(summary.databaseTransactions).toEqual({ total: 16, perRequest: 16 / 4000, perSecond: 4 });
  });

  it('has no figure for scenarios whose runs counted none', () => {
    const [summary] = summarize(replicaScenarios([{ set: set('sqlite'), readToken: 't' }]), [8], [
      { scenario: 'replicas-sqlite-1', connections: 8, round: 0, result: result(100), fromUs: 0, toUs: 1 },
    ]);
    expect(summary.databaseTransactions).toBeUndefined();
  });

  it('is a target met while far below one per request, whichever PostgreSQL scenario is worst', () => {
    const verdict = (summaries: ScenarioSummary[]) => checkTargets({ summaries, rss: null }).find((t) => t.target.startsWith('/verify on PostgreSQL'));
    expect(verdict([summary('replicas-pg-1', 32, 3000, 0.002), summary('replicas-pg-2', 32, 3000, 0.004)])).toMatchObject({ measured: '0.0040 per request', met: true });
    expect(verdict([summary('replicas-pg-1', 32, 3000, 0.002), summary('replicas-pg-2', 32, 3000, 1.02)])?.met).toBe(false);
    expect(verdict([summary('replicas-sqlite-1', 32, 3000)])).toMatchObject({ measured: 'n/a', met: null });
  });

  it('has a table row per counted scenario', () => {
    const results = [summary('replicas-sqlite-1', 8, 1000), summary('replicas-pg-1', 8, 1000, 0.0025)];
    expect(databaseTable({ results } as BenchReport)?.rows).toEqual([['replicas-pg-1', '8', '1,000', '2.5', '0.0025', '4.0']]);
  });
});

describe('replica ratios', () => {
  it('compare two servers with one, and PostgreSQL with SQLite, at each concurrency', () => {
    const summaries = [
      summary('replicas-sqlite-1', 8, 1000), summary('replicas-sqlite-2', 8, 1500), summary('replicas-pg-1', 8, 900), summary('replicas-pg-2', 8, 1800),
      summary('replicas-pg-1', 32, 1000),
    ];
    expect(throughputRatios(summaries)).toEqual([
      { name: 'replicas-sqlite-2 / replicas-sqlite-1', connections: 8, value: 1.5 },
      { name: 'replicas-pg-2 / replicas-pg-1', connections: 8, value: 2 },
      { name: 'replicas-pg-1 / replicas-sqlite-1', connections: 8, value: 0.9 },
      { name: 'replicas-pg-2 / replicas-sqlite-2', connections: 8, value: 1.2 },
    ]);
  });

  it('compare them by the stack’s CPU per request too (reference ÷ subject)', () => {
    const timed = (scenario: string, authServer: number): ScenarioSummary => ({ ...summary(scenario, 32, 1), cpuUsPerRequest: { authServer, nginx: 50, orthanc: 50 } });
    const ratios = cpuRatios([timed('replicas-sqlite-1', 100), timed('replicas-sqlite-2', 150), timed('replicas-pg-1', 100), timed('replicas-pg-2', 100)]);
    expect(ratios).toEqual([
      { name: 'replicas-sqlite-2 / replicas-sqlite-1', connections: 32, value: 0.8 },
      { name: 'replicas-pg-2 / replicas-pg-1', connections: 32, value: 1 },
      { name: 'replicas-pg-1 / replicas-sqlite-1', connections: 32, value: 1 },
    ]);
  });
});
