import type { ScenarioSummary } from '../summary';

export interface Ratio {
  /** e.g. `gate-system / baseline-system`. */
  name: string;
  connections: number;
  value: number;
}

export interface P99Added {
  name: string;
  connections: number;
  ms: number;
}

/**
 * Pairs compared in every report: what the gate keeps of the baseline as set up (auth cache 1 s) and
 * with the cache off, what any `auth_request` to a Node process keeps (the ceiling) and how close
 * the uncached gate gets to it, floods (never cached) against allows that each ask /verify, a
 * share link against a full token on the same requests (goal: within 10 %), two auth servers
 * against one, and PostgreSQL against SQLite under them (auth cache 0).
 */
export const RATIO_PAIRS: readonly [string, string][] = [
  ['gate-system', 'baseline-system'],
  ['gate-nocache-system', 'baseline-system'],
  ['ceiling-system', 'baseline-system'],
  ['gate-nocache-system', 'ceiling-system'],
  ['gate-qido', 'baseline-qido'],
  ['gate-nocache-qido', 'baseline-qido'],
  ['gate-invalid-token', 'gate-nocache-system'],
  ['gate-forged-tokens', 'gate-nocache-system'],
  ['gate-invalid-query-token', 'gate-nocache-system'],
  ['gate-forged-query-tokens', 'gate-nocache-system'],
  ['gate-frames-scoped', 'gate-frames-full'],
  ['gate-rest-scoped', 'gate-rest-full'],
  ['replicas-sqlite-2', 'replicas-sqlite-1'],
  ['replicas-pg-2', 'replicas-pg-1'],
  ['replicas-pg-1', 'replicas-sqlite-1'],
  ['replicas-pg-2', 'replicas-sqlite-2'],
];

export const P99_PAIRS: readonly [string, string][] = [
  ['gate-system', 'baseline-system'],
  ['gate-nocache-system', 'baseline-system'],
  ['gate-qido', 'baseline-qido'],
  ['gate-nocache-qido', 'baseline-qido'],
];

export function findSummary(summaries: ScenarioSummary[], scenario: string, connections: number): ScenarioSummary | undefined {
  return summaries.find((summary) => summary.scenario === scenario && summary.connections === connections);
}

function compare<T>(summaries: ScenarioSummary[], pairs: readonly [string, string][], make: (name: string, connections: number, subject: ScenarioSummary, reference: ScenarioSummary) => T): T[] {
  const connectionsList = [...new Set(summaries.map((summary) => summary.connections))];
  return pairs.flatMap(([subject, reference]) =>
    connectionsList.flatMap((connections) => {
      const a = findSummary(summaries, subject, connections);
      const b = findSummary(summaries, reference, connections);
      return a && b ? [make(`${subject} / ${reference}`, connections, a, b)] : [];
    }),
  );
}

/**
 * The pairs whose stack CPU per request is compared too, whatever the machine's other load: what a
 * share link costs, and what a second auth server or PostgreSQL costs.
 */
const CPU_PAIRS: readonly [string, string][] = [
  ['gate-frames-scoped', 'gate-frames-full'],
  ['gate-rest-scoped', 'gate-rest-full'],
  ['replicas-sqlite-2', 'replicas-sqlite-1'],
  ['replicas-pg-2', 'replicas-pg-1'],
  ['replicas-pg-1', 'replicas-sqlite-1'],
];

const cpuTotal = (summary: ScenarioSummary): number | undefined =>
  summary.cpuUsPerRequest && summary.cpuUsPerRequest.authServer + summary.cpuUsPerRequest.nginx + summary.cpuUsPerRequest.orthanc;

/**
 * Reference CPU per request ÷ subject's (auth server + Nginx + Orthanc): the throughput ratio the
 * pair would show where the stack alone keeps the CPU busy. Pairs without CPU figures are left out.
 */
export function cpuRatios(summaries: ScenarioSummary[]): Ratio[] {
  return compare(summaries, CPU_PAIRS, (name, connections, a, b) => ({ name, connections, value: (cpuTotal(b) ?? NaN) / (cpuTotal(a) ?? NaN) })).filter((r) => !Number.isNaN(r.value));
}

export function throughputRatios(summaries: ScenarioSummary[]): Ratio[] {
  return compare(summaries, RATIO_PAIRS, (name, connections, a, b) => ({ name, connections, value: a.requestsPerSecond / b.requestsPerSecond }));
}

/** Latency the gate adds at the 99th percentile: its p99 minus the baseline's, same load. */
export function p99Added(summaries: ScenarioSummary[]): P99Added[] {
  return compare(summaries, P99_PAIRS, (_name, connections, a, b) => ({ name: `${a.scenario} − ${b.scenario}`, connections, ms: a.p99Ms - b.p99Ms }));
}
