import type { Sample } from './plan';
import type { CpuByPart } from './process-cpu';
import type { Scenario } from './scenario';

/** The figures reported for one scenario at one concurrency: medians over its rounds, totals of the rest. */
export interface ScenarioSummary {
  scenario: string;
  connections: number;
  runs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx3xx: number;
  socketErrors: number;
  reachedOrthanc?: number;
  /** CPU µs per request of each part of the stack, over every run of it (absent for floods, whose runs count Orthanc's requests instead). */
  cpuUsPerRequest?: CpuByPart;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** A CPU ratio holds on a machine shared with other work, where req/s swings with the neighbours' load. */
function perRequest(runs: Sample[]): CpuByPart {
  const requests = sum(runs.map((run) => run.result.requests));
  const us = (part: keyof CpuByPart) => (sum(runs.map((run) => run.cpuMs?.[part] ?? 0)) * 1000) / requests;
  return { authServer: us('authServer'), nginx: us('nginx'), orthanc: us('orthanc') };
}

export function summarize(scenarios: Scenario[], concurrencies: number[], samples: Sample[]): ScenarioSummary[] {
  const summaries: ScenarioSummary[] = [];
  for (const connections of concurrencies) {
    for (const scenario of scenarios) {
      const runs = samples.filter((sample) => sample.scenario === scenario.name && sample.connections === connections);
      if (runs.length === 0) continue;
      const results = runs.map((run) => run.result);
      const counted = runs.filter((run) => run.reachedOrthanc !== undefined);
      const timed = runs.filter((run) => run.cpuMs !== undefined);
      summaries.push({
        scenario: scenario.name,
        connections,
        runs: runs.length,
        requestsPerSecond: median(results.map((result) => result.requestsPerSecond)),
        p50Ms: median(results.map((result) => result.p50Ms)),
        p99Ms: median(results.map((result) => result.p99Ms)),
        requests: sum(results.map((result) => result.requests)),
        non2xx3xx: sum(results.map((result) => result.non2xx3xx)),
        socketErrors: sum(results.map(({ socketErrors: s }) => s.connect + s.read + s.write + s.timeout)),
        ...(counted.length > 0 ? { reachedOrthanc: sum(counted.map((run) => run.reachedOrthanc ?? 0)) } : {}),
        ...(timed.length > 0 ? { cpuUsPerRequest: perRequest(timed) } : {}),
      });
    }
  }
  return summaries;
}

/** What went wrong in what was measured: the wrong answers, not slowness. */
export function answerProblems(scenarios: Scenario[], summaries: ScenarioSummary[]): string[] {
  const problems: string[] = [];
  for (const summary of summaries) {
    const scenario = scenarios.find((candidate) => candidate.name === summary.scenario);
    const where = `${summary.scenario} c${summary.connections}`;
    if (scenario?.expect === 'allowed' && summary.non2xx3xx > 0) {
      problems.push(`${where}: ${summary.non2xx3xx} of ${summary.requests} responses were not 2xx`);
    }
    if (scenario?.expect === 'refused' && summary.non2xx3xx < summary.requests) {
      problems.push(`${where}: ${summary.requests - summary.non2xx3xx} of ${summary.requests} invalid-token requests were answered 2xx/3xx`);
    }
    if (summary.reachedOrthanc !== undefined && summary.reachedOrthanc > 0) {
      problems.push(`${where}: ${summary.reachedOrthanc} invalid-token requests reached Orthanc`);
    }
  }
  return problems;
}
