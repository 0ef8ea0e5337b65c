import type { CpuByPart } from './process-cpu';
import type { Scenario } from './scenario';
import type { WrkResult } from './wrk/parse-wrk';

export interface PlanOptions {
  concurrencies: number[];
  rounds: number;
}

export interface Measurement {
  result: WrkResult;
  /** Requests Orthanc logged during the run, for scenarios that count them. */
  reachedOrthanc?: number;
  /** CPU time the stack's parts used during the run. */
  cpuMs?: CpuByPart;
}

export interface Sample extends Measurement {
  scenario: string;
  connections: number;
  round: number;
  /** When it ran, in `process.hrtime` microseconds: the clock a CPU profile of another process uses. */
  fromUs: number;
  toUs: number;
}

export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

export interface PlanOutcome {
  samples: Sample[];
  /** Runs that did not happen, e.g. wrk could not connect: the benchmark then exits non-zero. */
  failures: string[];
}

export type Measure = (scenario: Scenario, connections: number) => Promise<Measurement>;

/** Every other round runs the scenarios in reverse, so no scenario always runs first (cold caches) or last (a heated machine). */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...items] : [...items].reverse();
}

/** Runs each scenario `rounds` times at each concurrency, in alternating order. */
export async function runPlan(scenarios: Scenario[], options: PlanOptions, measure: Measure, log: (line: string) => void): Promise<PlanOutcome> {
  const samples: Sample[] = [];
  const failures: string[] = [];
  for (const connections of options.concurrencies) {
    for (let round = 0; round < options.rounds; round += 1) {
      for (const scenario of roundOrder(scenarios, round)) {
        try {
          const fromUs = nowUs();
          const measurement = await measure(scenario, connections);
          samples.push({ scenario: scenario.name, connections, round, ...measurement, fromUs, toUs: nowUs() });
          log(`  c${connections} round ${round + 1} ${scenario.name.padEnd(22)} ${Math.round(measurement.result.requestsPerSecond)} req/s`);
        } catch (error) {
          failures.push(`${scenario.name} c${connections} round ${round + 1}: ${(error as Error).message}`);
          log(`  c${connections} round ${round + 1} ${scenario.name}: FAILED ${(error as Error).message}`);
        }
      }
    }
  }
  return { samples, failures };
}
